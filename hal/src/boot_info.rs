//! What the boot protocol told us: physical memory, command line, initrd.

/// Kind of a physical memory region, from the firmware memory map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryRegionKind {
    /// RAM free for the kernel to use.
    Usable,
    /// ACPI tables; usable once they have been read.
    AcpiReclaimable,
    /// Anything else (firmware, MMIO holes, ...).
    Reserved,
}

/// One entry of the physical memory map.
#[derive(Clone, Copy, Debug)]
pub struct MemoryRegion {
    /// Physical start address.
    pub start: u64,
    /// Length in bytes.
    pub len: u64,
    /// What the region holds.
    pub kind: MemoryRegionKind,
}

const MAX_REGIONS: usize = 64;
const MAX_CMDLINE: usize = 2048;

/// Boot information copied out of firmware memory, so the frames that held
/// it can be reused.
pub struct BootInfo {
    regions: [MemoryRegion; MAX_REGIONS],
    nr_regions: usize,
    cmdline: [u8; MAX_CMDLINE],
    cmdline_len: usize,
    /// Physical address and length of the initrd, if the loader gave one.
    pub initrd: Option<(u64, u64)>,
    /// Physical address of the ACPI RSDP, if known.
    pub rsdp_paddr: Option<u64>,
}

impl BootInfo {
    pub(crate) const fn empty() -> Self {
        BootInfo {
            regions: [MemoryRegion { start: 0, len: 0, kind: MemoryRegionKind::Reserved }; MAX_REGIONS],
            nr_regions: 0,
            cmdline: [0; MAX_CMDLINE],
            cmdline_len: 0,
            initrd: None,
            rsdp_paddr: None,
        }
    }

    pub(crate) fn push_region(&mut self, r: MemoryRegion) {
        if self.nr_regions < MAX_REGIONS {
            self.regions[self.nr_regions] = r;
            self.nr_regions += 1;
        }
    }

    pub(crate) fn set_cmdline(&mut self, s: &[u8]) {
        let n = s.len().min(MAX_CMDLINE);
        self.cmdline[..n].copy_from_slice(&s[..n]);
        self.cmdline_len = n;
    }

    /// The physical memory map.
    pub fn memory_regions(&self) -> &[MemoryRegion] {
        &self.regions[..self.nr_regions]
    }

    /// The kernel command line (`-append`), as given.
    pub fn cmdline(&self) -> &str {
        core::str::from_utf8(&self.cmdline[..self.cmdline_len]).unwrap_or("")
    }
}

static BOOT_INFO: crate::sync::OnceCell<BootInfo> = crate::sync::OnceCell::new();
static INITRD_TAKEN: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

pub(crate) fn set(info: BootInfo) {
    BOOT_INFO.set(info);
}

/// The boot information.
pub fn get() -> &'static BootInfo {
    BOOT_INFO.get().expect("boot info not set")
}

/// Runs `f` on the initrd's bytes (empty if there is none), then gives the
/// initrd's memory back to the frame allocator. Works once; later calls see
/// an empty slice.
pub fn consume_initrd<R>(f: impl FnOnce(&[u8]) -> R) -> R {
    let info = get();
    let Some((start, len)) = info.initrd else { return f(&[]) };
    if INITRD_TAKEN.swap(true, core::sync::atomic::Ordering::AcqRel) {
        return f(&[]);
    }
    // SAFETY: the initrd's frames were reserved at boot and stay reserved
    // until `release_range` below; the slice cannot outlive `f`.
    let bytes = unsafe { core::slice::from_raw_parts(crate::arch::phys_to_virt(start) as *const u8, len as usize) };
    let r = f(bytes);
    crate::mem::frame::release_range(start & !0xfff, (start + len).next_multiple_of(4096));
    r
}
