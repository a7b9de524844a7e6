//! Four-level page tables.
//!
//! The upper half (PML4 entries 256..512) is the kernel's and identical in
//! every address space: all 256 of its PDPTs are allocated at boot, so a
//! kernel mapping made later (a kernel stack) is visible everywhere without
//! touching each process's table. The lower half belongs to one process:
//! [`PageTable`] owns its frames as [`PhysFrame`] handles, so tearing it
//! down returns every page and table page to the allocator.

use core::sync::atomic::{AtomicU64, Ordering};

use super::{DIRECT_MAP_BASE, KERNEL_VMA, PAGE_SIZE, USER_END, image_virt_to_phys, phys_to_virt};
use crate::boot_info::{BootInfo, MemoryRegionKind};
use crate::mem::frame::{PhysFrame, Urgency};
use crate::sync::SpinLock;

const PTE_PRESENT: u64 = 1 << 0;
const PTE_WRITABLE: u64 = 1 << 1;
const PTE_USER: u64 = 1 << 2;
const PTE_PWT: u64 = 1 << 3;
const PTE_PCD: u64 = 1 << 4;
const PTE_HUGE: u64 = 1 << 7;
const PTE_GLOBAL: u64 = 1 << 8;
const PTE_NX: u64 = 1 << 63;
/// Software bit: a PROT_NONE leaf keeps its frame but is not present, so
/// every access faults (Linux's _PAGE_PROTNONE idea).
const PTE_PROTNONE: u64 = 1 << 9;

/// Whether a leaf entry holds a frame (accessible or PROT_NONE).
fn leaf_valid(e: u64) -> bool {
    e & (PTE_PRESENT | PTE_PROTNONE) != 0
}
const PTE_ADDR: u64 = 0x000f_ffff_ffff_f000;

/// Access rights of a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MapFlags {
    /// Stores allowed.
    pub writable: bool,
    /// Instruction fetches allowed.
    pub executable: bool,
    /// Reachable from user mode.
    pub user: bool,
    /// PROT_NONE: the frame stays mapped but any access faults.
    pub no_access: bool,
}

impl MapFlags {
    fn to_pte(self) -> u64 {
        if self.no_access {
            return PTE_PROTNONE | PTE_NX | if self.user { PTE_USER } else { 0 };
        }
        let mut pte = PTE_PRESENT;
        if self.writable {
            pte |= PTE_WRITABLE;
        }
        if !self.executable {
            pte |= PTE_NX;
        }
        if self.user {
            pte |= PTE_USER;
        }
        pte
    }

    fn from_pte(pte: u64) -> MapFlags {
        MapFlags {
            writable: pte & PTE_WRITABLE != 0,
            executable: pte & PTE_NX == 0,
            user: pte & PTE_USER != 0,
            no_access: pte & PTE_PRESENT == 0,
        }
    }
}

/// Physical address of the kernel's own PML4 (the template of every table).
static KERNEL_ROOT: AtomicU64 = AtomicU64::new(0);
/// Serialises changes to the shared kernel half.
static KERNEL_PT_LOCK: SpinLock<()> = SpinLock::new(());

fn table(paddr: u64) -> *mut u64 {
    phys_to_virt(paddr) as *mut u64
}

fn index(va: u64, level: u32) -> usize {
    ((va >> (12 + 9 * level)) & 0x1ff) as usize
}

/// Finds the level-0 PTE for `va` under `root`, creating missing tables
/// (with `table_flags`, allocated with `urgency`) when `create` is set.
///
/// # Safety
/// `root` must be a live PML4 whose lower-level tables are owned by the
/// caller (and locked against concurrent change).
unsafe fn walk(root: u64, va: u64, create: bool, table_flags: u64, urgency: Urgency) -> Option<*mut u64> {
    let mut t = root;
    for level in (1..4).rev() {
        // SAFETY: `t` is a live page-table frame (caller's contract).
        let entry = unsafe { table(t).add(index(va, level)) };
        // SAFETY: as above.
        let e = unsafe { entry.read() };
        if e & PTE_PRESENT == 0 {
            if !create {
                return None;
            }
            let f = PhysFrame::alloc_zeroed_with(urgency)?;
            // SAFETY: as above; the new table's reference moves into the entry.
            unsafe { entry.write(f.into_raw() | table_flags) };
        } else if e & PTE_HUGE != 0 {
            return None;
        }
        // SAFETY: as above.
        t = unsafe { entry.read() } & PTE_ADDR;
    }
    // SAFETY: `t` is now the level-0 table.
    Some(unsafe { table(t).add(index(va, 0)) })
}

fn invlpg(va: u64) {
    // SAFETY: invalidating a TLB entry has no effect beyond a later re-walk.
    unsafe { core::arch::asm!("invlpg [{}]", in(reg) va, options(nostack, preserves_flags)) }
}

fn write_cr3(paddr: u64) {
    // SAFETY: every root loaded here has the complete kernel half (copied
    // from the template), so the running code stays mapped.
    unsafe { core::arch::asm!("mov cr3, {}", in(reg) paddr, options(nostack, preserves_flags)) }
}

/// Ranges the frame allocator must not hand out at boot: low memory, the
/// kernel image, the initrd.
pub(crate) fn reserved_ranges(info: &BootInfo) -> [(u64, u64); 3] {
    unsafe extern "C" {
        static __kernel_image_end: u8;
    }
    let image_end = image_virt_to_phys(core::ptr::addr_of!(__kernel_image_end) as u64);
    let initrd = info.initrd.map_or((0, 0), |(s, l)| (s & !0xfff, (s + l).next_multiple_of(PAGE_SIZE as u64)));
    [(0, 0x10_0000), (0x10_0000, image_end), initrd]
}

/// Builds the kernel page table (direct map of all memory, kernel image
/// with per-section rights) and switches to it.
pub(crate) fn init_kernel_page_table(info: &BootInfo) {
    unsafe extern "C" {
        static __text_start: u8;
        static __text_end: u8;
        static __ksyms_end: u8;
        static __kernel_image_start: u8;
        static __kernel_image_end: u8;
    }
    let root = PhysFrame::alloc_zeroed().expect("no memory for the kernel page table").into_raw();
    // Every kernel-half PML4 entry gets its PDPT now (see module docs).
    for i in 256..512 {
        let pdpt = PhysFrame::alloc_zeroed().expect("no memory for kernel PDPTs").into_raw();
        // SAFETY: `root` is the fresh PML4 owned here.
        unsafe { table(root).add(i).write(pdpt | PTE_PRESENT | PTE_WRITABLE) };
    }

    // Direct map in 2 MiB pages: all of the first 4 GiB (MMIO holes too,
    // uncached from 3 GiB), and any RAM above.
    let top = info
        .memory_regions()
        .iter()
        .filter(|r| r.kind != MemoryRegionKind::Reserved)
        .map(|r| r.start + r.len)
        .max()
        .unwrap_or(0)
        .max(1 << 32)
        .next_multiple_of(1 << 21);
    let mut pa = 0u64;
    while pa < top {
        let va = DIRECT_MAP_BASE + pa;
        let mut flags = PTE_PRESENT | PTE_WRITABLE | PTE_HUGE | PTE_GLOBAL | PTE_NX;
        if (0xC000_0000..1 << 32).contains(&pa) {
            flags |= PTE_PCD | PTE_PWT;
        }
        // SAFETY: building the new table, not yet live.
        unsafe {
            let pdpt = table(root).add(index(va, 3)).read() & PTE_ADDR;
            let pde = table(pdpt).add(index(va, 2));
            if pde.read() & PTE_PRESENT == 0 {
                let pd = PhysFrame::alloc_zeroed().expect("no memory for the direct map").into_raw();
                pde.write(pd | PTE_PRESENT | PTE_WRITABLE);
            }
            let pd = pde.read() & PTE_ADDR;
            table(pd).add(index(va, 1)).write(pa | flags);
        }
        pa += 1 << 21;
    }

    // Kernel image in 4 KiB pages: text RX, rodata and ksyms R, data RW.
    let (text_start, text_end, ro_end, img_start, img_end) = {
        (
            core::ptr::addr_of!(__text_start) as u64,
            core::ptr::addr_of!(__text_end) as u64,
            core::ptr::addr_of!(__ksyms_end) as u64,
            core::ptr::addr_of!(__kernel_image_start) as u64,
            core::ptr::addr_of!(__kernel_image_end) as u64,
        )
    };
    let mut va = img_start & !0xfff;
    while va < img_end {
        let mut flags = PTE_PRESENT | PTE_GLOBAL;
        if (text_start & !0xfff..text_end).contains(&va) {
            // executable, read-only
        } else if va < ro_end {
            flags |= PTE_NX;
        } else {
            flags |= PTE_NX | PTE_WRITABLE;
        }
        // SAFETY: building the new table, not yet live.
        unsafe {
            let pte = walk(root, va, true, PTE_PRESENT | PTE_WRITABLE, Urgency::PageTable).expect("no memory for kernel image map");
            pte.write((va - KERNEL_VMA) | flags);
        }
        va += PAGE_SIZE as u64;
    }
    KERNEL_ROOT.store(root, Ordering::Release);
    write_cr3(root);
    super::cpu::this_cpu().active_root = root;
}

/// Maps `frame` at kernel address `va` (kernel-stack region), shared by all
/// address spaces.
pub(crate) fn map_kernel_page(va: u64, frame: PhysFrame) {
    let _g = KERNEL_PT_LOCK.lock();
    let root = KERNEL_ROOT.load(Ordering::Acquire);
    // SAFETY: the kernel half is changed only under KERNEL_PT_LOCK.
    unsafe {
        let pte = walk(root, va, true, PTE_PRESENT | PTE_WRITABLE, Urgency::PageTable).expect("out of memory mapping a kernel page");
        assert!(pte.read() & PTE_PRESENT == 0, "kernel page {va:#x} mapped twice");
        pte.write(frame.into_raw() | PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL | PTE_NX);
    }
}

/// Unmaps a page mapped by [`map_kernel_page`] and returns its frame.
pub(crate) fn unmap_kernel_page(va: u64) -> Option<PhysFrame> {
    let _g = KERNEL_PT_LOCK.lock();
    let root = KERNEL_ROOT.load(Ordering::Acquire);
    // SAFETY: as in `map_kernel_page`; the entry's reference moves to the
    // returned handle after the TLB entry is gone.
    unsafe {
        let pte = walk(root, va, false, 0, Urgency::PageTable)?;
        let e = pte.read();
        if e & PTE_PRESENT == 0 {
            return None;
        }
        pte.write(0);
        invlpg(va);
        Some(PhysFrame::from_raw(e & PTE_ADDR))
    }
}

/// Physical address a kernel virtual address maps to, if any.
pub fn kernel_translate(va: u64) -> Option<u64> {
    if va >= DIRECT_MAP_BASE && va < DIRECT_MAP_BASE + (1 << 39) {
        return Some(va - DIRECT_MAP_BASE);
    }
    let root = KERNEL_ROOT.load(Ordering::Acquire);
    // SAFETY: read-only walk of the kernel half.
    unsafe {
        let e = walk(root, va, false, 0, Urgency::PageTable)?.read();
        (e & PTE_PRESENT != 0).then(|| (e & PTE_ADDR) | (va & 0xfff))
    }
}

/// Switches this CPU to the kernel-only page table.
pub fn activate_kernel_table() {
    let root = KERNEL_ROOT.load(Ordering::Acquire);
    switch_root(root, None);
}

/// Loads `root` on this CPU and moves this CPU's bit from the previous
/// table's active mask to `mask`.
fn switch_root(root: u64, mask: Option<&AtomicU64>) {
    let irq = super::irq::save_and_disable();
    let cpu = super::cpu::this_cpu();
    if cpu.active_root != root {
        let me = 1u64 << cpu.cpu_id;
        if cpu.active_mask != 0 {
            // SAFETY: `active_mask` points into a live PageTable's boxed
            // mask: a table removes itself from every CPU before it drops.
            unsafe { (*(cpu.active_mask as *const AtomicU64)).fetch_and(!me, Ordering::AcqRel) };
        }
        cpu.active_mask = mask.map_or(0, |m| {
            m.fetch_or(me, Ordering::AcqRel);
            m as *const AtomicU64 as u64
        });
        cpu.active_root = root;
        write_cr3(root);
    }
    super::irq::restore(irq);
}

/// What a user virtual address maps to.
#[derive(Debug)]
pub struct Mapping {
    /// A new handle to the mapped frame.
    pub frame: PhysFrame,
    /// Rights of the mapping.
    pub flags: MapFlags,
}

/// A user address space's page table. The kernel half is shared; the user
/// half and every frame mapped in it are owned.
#[derive(Debug)]
pub struct PageTable {
    root: u64,
    /// Bit per CPU on which this table is loaded in CR3 (boxed: per-CPU
    /// data points at it, and the table itself may move).
    active_cpus: alloc::boxed::Box<AtomicU64>,
    /// Leaf entries holding a frame: the resident set (RSS), in pages.
    resident: usize,
    /// The most `resident` has been (VmHWM, ru_maxrss).
    peak_resident: usize,
}

/// Why a page-table operation failed.
#[derive(Debug, PartialEq, Eq)]
pub enum PageTableError {
    /// The address is not a page-aligned user address.
    BadAddress,
    /// No memory for an intermediate table.
    OutOfMemory,
}

impl PageTable {
    /// A new address space with only the kernel half mapped.
    pub fn new() -> Option<PageTable> {
        let root = PhysFrame::alloc_zeroed()?.into_raw();
        let kroot = KERNEL_ROOT.load(Ordering::Acquire);
        // SAFETY: copies the kernel half of the template into the new root.
        unsafe { core::ptr::copy_nonoverlapping(table(kroot).add(256), table(root).add(256), 256) };
        Some(PageTable { root, active_cpus: alloc::boxed::Box::new(AtomicU64::new(0)), resident: 0, peak_resident: 0 })
    }

    /// Pages mapped now (the resident set).
    pub fn resident_pages(&self) -> usize {
        self.resident
    }

    /// The largest the resident set has been.
    pub fn peak_resident_pages(&self) -> usize {
        self.peak_resident
    }

    fn gained(&mut self, pages: usize) {
        self.resident += pages;
        self.peak_resident = self.peak_resident.max(self.resident);
    }

    fn check(va: usize) -> Result<u64, PageTableError> {
        if va % PAGE_SIZE != 0 || va >= USER_END {
            return Err(PageTableError::BadAddress);
        }
        Ok(va as u64)
    }

    fn flush(&self, va: u64) {
        let me = 1u64 << super::cpu::cpu_id();
        let active = self.active_cpus.load(Ordering::Acquire);
        if active & me != 0 {
            invlpg(va);
        }
        // Single-CPU for now: another CPU never has this table loaded while
        // this one changes it. SMP shootdown arrives with issue 8.
        debug_assert_eq!(active & !me, 0, "TLB shootdown to other CPUs not implemented");
    }

    /// Maps `frame` at `va`, returning the frame that was mapped there
    /// before (after flushing its TLB entry).
    pub fn map(&mut self, va: usize, frame: PhysFrame, flags: MapFlags) -> Result<Option<PhysFrame>, (PageTableError, PhysFrame)> {
        let va = match Self::check(va) {
            Ok(v) => v,
            Err(e) => return Err((e, frame)),
        };
        // SAFETY: `&mut self` owns the user half of this table.
        unsafe {
            let Some(pte) = walk(self.root, va, true, PTE_PRESENT | PTE_WRITABLE | PTE_USER, Urgency::PageTable) else {
                return Err((PageTableError::OutOfMemory, frame));
            };
            let old = pte.read();
            pte.write(frame.into_raw() | flags.to_pte());
            if leaf_valid(old) {
                self.flush(va);
                return Ok(Some(PhysFrame::from_raw(old & PTE_ADDR)));
            }
        }
        self.gained(1);
        Ok(None)
    }

    /// Removes the mapping at `va` and returns its frame, after the TLB
    /// entry is flushed (the frame may be freed by the caller at once).
    pub fn unmap(&mut self, va: usize) -> Option<PhysFrame> {
        let va = Self::check(va).ok()?;
        // SAFETY: `&mut self` owns the user half; the entry's reference
        // moves into the returned handle.
        unsafe {
            let pte = walk(self.root, va, false, 0, Urgency::PageTable)?;
            let old = pte.read();
            if !leaf_valid(old) {
                return None;
            }
            pte.write(0);
            self.flush(va);
            self.resident = self.resident.saturating_sub(1);
            Some(PhysFrame::from_raw(old & PTE_ADDR))
        }
    }

    /// Changes the rights of the mapping at `va`; false if nothing is mapped.
    pub fn protect(&mut self, va: usize, flags: MapFlags) -> bool {
        let Ok(va) = Self::check(va) else { return false };
        // SAFETY: `&mut self` owns the user half.
        unsafe {
            let Some(pte) = walk(self.root, va, false, 0, Urgency::PageTable) else { return false };
            let old = pte.read();
            if !leaf_valid(old) {
                return false;
            }
            pte.write((old & PTE_ADDR) | flags.to_pte());
            self.flush(va);
        }
        true
    }

    /// What `va` maps to.
    pub fn lookup(&self, va: usize) -> Option<Mapping> {
        let va = Self::check(va & !(PAGE_SIZE - 1)).ok()?;
        // SAFETY: read-only walk; `&self` excludes concurrent changes.
        unsafe {
            let e = walk(self.root, va, false, 0, Urgency::PageTable)?.read();
            if !leaf_valid(e) {
                return None;
            }
            let f = core::mem::ManuallyDrop::new(PhysFrame::from_raw(e & PTE_ADDR));
            Some(Mapping { frame: (*f).clone(), flags: MapFlags::from_pte(e) })
        }
    }

    /// The next valid leaf entry at or after `va` and below `end`: its
    /// address and a pointer to the entry. Whole missing subtrees are
    /// skipped, so sparse ranges (a 1 TiB reservation with three pages
    /// touched) cost what is mapped, not what is reserved.
    fn next_leaf(&self, mut va: u64, end: u64) -> Option<(u64, *mut u64)> {
        let end = end.min(USER_END as u64);
        while va < end {
            let mut t = self.root;
            let mut level = 3;
            loop {
                // SAFETY: the caller holds `self`, which owns the user
                // half; every table reached from the root is live.
                let entry = unsafe { table(t).add(index(va, level)) };
                // SAFETY: as above.
                let e = unsafe { entry.read() };
                let valid = if level == 0 { leaf_valid(e) } else { e & PTE_PRESENT != 0 };
                if !valid {
                    let span = 1u64 << (12 + 9 * level);
                    va = (va & !(span - 1)) + span;
                    break;
                }
                if level == 0 {
                    return Some((va, entry));
                }
                t = e & PTE_ADDR;
                level -= 1;
            }
        }
        None
    }

    /// Flushes this CPU's TLB entries for `[start, end)` after `changed`
    /// entries there were rewritten: page by page for a few pages, the
    /// whole TLB (a CR3 reload) otherwise, so the cost never depends on
    /// the size of a sparse range.
    fn flush_range(&self, start: u64, end: u64, changed: usize) {
        if changed == 0 {
            return;
        }
        let me = 1u64 << super::cpu::cpu_id();
        let active = self.active_cpus.load(Ordering::Acquire);
        debug_assert_eq!(active & !me, 0, "TLB shootdown to other CPUs not implemented");
        if active & me == 0 {
            return;
        }
        let pages = (end - start) / PAGE_SIZE as u64;
        if changed > 32 || pages > 64 {
            // SAFETY: reloading CR3 with the active root only flushes.
            unsafe { core::arch::asm!("mov {0}, cr3", "mov cr3, {0}", out(reg) _, options(nostack)) };
        } else {
            let mut va = start;
            while va < end {
                invlpg(va);
                va += PAGE_SIZE as u64;
            }
        }
    }

    /// Unmaps every page in `[start, end)` and frees the frames (or drops
    /// this table's reference to shared ones), each only after its TLB
    /// entry is flushed. Works in fixed batches, so it needs no heap memory
    /// however large the range: it must work when memory has run out.
    /// Returns the number of pages unmapped.
    pub fn unmap_range(&mut self, start: usize, end: usize) -> usize {
        const BATCH: usize = 64;
        let end = end as u64;
        let mut va = start as u64 & !0xfff;
        let mut total = 0;
        loop {
            let batch_start = va;
            let mut frames = [0u64; BATCH];
            let mut n = 0;
            while n < BATCH {
                let Some((at, pte)) = self.next_leaf(va, end) else { break };
                // SAFETY: `&mut self` owns the user half; the entry's
                // reference moves into `frames` and is released below.
                unsafe {
                    frames[n] = pte.read() & PTE_ADDR;
                    pte.write(0);
                }
                n += 1;
                va = at + PAGE_SIZE as u64;
            }
            if n == 0 {
                return total;
            }
            self.flush_range(batch_start, va, n);
            for &paddr in &frames[..n] {
                // SAFETY: the reference taken out of the entry above; the
                // TLB no longer holds the mapping (flushed just now).
                drop(unsafe { PhysFrame::from_raw(paddr) });
            }
            total += n;
            self.resident = self.resident.saturating_sub(n);
        }
    }

    /// Rewrites the rights of every page mapped in `[start, end)`.
    pub fn protect_range(&mut self, start: usize, end: usize, flags: MapFlags) {
        let (start, end) = (start as u64 & !0xfff, end as u64);
        let mut va = start;
        let mut changed = 0;
        while let Some((at, pte)) = self.next_leaf(va, end) {
            // SAFETY: `&mut self` owns the user half; only the rights bits
            // change, the frame reference stays in the entry.
            unsafe {
                let e = pte.read();
                let new = (e & PTE_ADDR) | flags.to_pte();
                if new != e {
                    pte.write(new);
                    changed += 1;
                }
            }
            va = at + PAGE_SIZE as u64;
        }
        self.flush_range(start, va.max(start), changed);
    }

    /// Copies the mappings of `[start, end)` into `child` (fork). With
    /// `copy_on_write`, writable pages become read-only in both tables so
    /// the first store to either copies the page.
    pub fn fork_range(&mut self, child: &mut PageTable, start: usize, end: usize, copy_on_write: bool) -> Result<(), PageTableError> {
        let (start, end) = (start as u64 & !0xfff, end as u64);
        let mut va = start;
        let mut changed = 0;
        while let Some((at, pte)) = self.next_leaf(va, end) {
            // SAFETY: the child is a different, owned table; its new entry
            // holds its own reference (the clone).
            unsafe {
                let e = pte.read();
                let e2 = if copy_on_write { e & !PTE_WRITABLE } else { e };
                let Some(cpte) = walk(child.root, at, true, PTE_PRESENT | PTE_WRITABLE | PTE_USER, Urgency::PageTable) else {
                    self.flush_range(start, at, changed);
                    return Err(PageTableError::OutOfMemory);
                };
                let f = core::mem::ManuallyDrop::new(PhysFrame::from_raw(e & PTE_ADDR));
                if !leaf_valid(cpte.read()) {
                    child.gained(1);
                }
                cpte.write((*f).clone().into_raw() | (e2 & !PTE_ADDR));
                if e2 != e {
                    pte.write(e2);
                    changed += 1;
                }
            }
            va = at + PAGE_SIZE as u64;
        }
        self.flush_range(start, va.max(start), changed);
        Ok(())
    }

    /// Moves the mappings of `[src, src + len)` to `[dst, dst + len)`
    /// (mremap): the entries themselves move, with their frames and rights,
    /// so nothing is copied and copy-on-write sharing is kept as it is.
    /// The destination must have nothing mapped and must not overlap the
    /// source. Either every page moves or, when a page table cannot be
    /// allocated, none does.
    pub fn move_range(&mut self, src: usize, len: usize, dst: usize) -> Result<(), PageTableError> {
        let (src, dst, len) = (src as u64, dst as u64, len as u64);
        if src % PAGE_SIZE as u64 != 0
            || dst % PAGE_SIZE as u64 != 0
            || src.checked_add(len).is_none_or(|e| e > USER_END as u64)
            || dst.checked_add(len).is_none_or(|e| e > USER_END as u64)
        {
            return Err(PageTableError::BadAddress);
        }
        assert!(src + len <= dst || dst + len <= src, "move_range: overlapping ranges");
        // First make sure every destination table exists, so the moves
        // below cannot fail half way.
        let mut va = src;
        while let Some((at, _)) = self.next_leaf(va, src + len) {
            // SAFETY: `&mut self` owns the user half; only missing tables
            // are created.
            if unsafe { walk(self.root, dst + (at - src), true, PTE_PRESENT | PTE_WRITABLE | PTE_USER, Urgency::PageTable) }.is_none() {
                return Err(PageTableError::OutOfMemory);
            }
            va = at + PAGE_SIZE as u64;
        }
        let mut va = src;
        let mut moved = 0;
        while let Some((at, pte)) = self.next_leaf(va, src + len) {
            // SAFETY: `&mut self` owns the user half; the reference moves
            // from the source entry to the destination entry, whose table
            // was created above.
            unsafe {
                let target = walk(self.root, dst + (at - src), false, 0, Urgency::PageTable).expect("move_range: table vanished");
                assert!(!leaf_valid(target.read()), "move_range: destination page already mapped");
                target.write(pte.read());
                pte.write(0);
            }
            moved += 1;
            va = at + PAGE_SIZE as u64;
        }
        self.flush_range(src, src + len, moved);
        Ok(())
    }

    /// Calls `f` with the address of every page in `[start, end)` that
    /// holds a frame (PROT_NONE pages included): what mincore reports as
    /// resident.
    pub fn for_each_mapped(&self, start: usize, end: usize, mut f: impl FnMut(usize)) {
        let mut va = start as u64 & !0xfff;
        while let Some((at, _)) = self.next_leaf(va, end as u64) {
            f(at as usize);
            va = at + PAGE_SIZE as u64;
        }
    }

    /// Whether any page is mapped in the given page-aligned range (used to
    /// check that the user half is empty after teardown).
    pub fn is_empty(&self) -> bool {
        // SAFETY: reads the root's user half.
        (0..256).all(|i| unsafe { table(self.root).add(i).read() } & PTE_PRESENT == 0)
    }

    /// Loads this table on the current CPU.
    pub fn activate(&self) {
        switch_root(self.root, Some(&self.active_cpus));
    }

    /// Frees every user mapping and table page (the whole user half).
    pub fn clear_user_half(&mut self) {
        for i in 0..256 {
            // SAFETY: `&mut self` owns the user half.
            unsafe {
                let e = table(self.root).add(i).read();
                if e & PTE_PRESENT != 0 {
                    table(self.root).add(i).write(0);
                    free_table(e & PTE_ADDR, 2);
                }
            }
        }
        self.resident = 0;
        if self.active_cpus.load(Ordering::Acquire) != 0 {
            write_cr3(self.root);
        }
    }
}

/// Drops the frames under a table at `level` (2 = PDPT ... 0 = PT), then
/// the table itself.
///
/// # Safety
/// The table must be owned and no longer reachable from any root.
unsafe fn free_table(paddr: u64, level: u32) {
    for i in 0..512 {
        // SAFETY: caller's contract.
        let e = unsafe { table(paddr).add(i).read() };
        if !(if level == 0 { leaf_valid(e) } else { e & PTE_PRESENT != 0 }) {
            continue;
        }
        if level == 0 {
            // SAFETY: a leaf's reference is owned by the table being freed.
            drop(unsafe { PhysFrame::from_raw(e & PTE_ADDR) });
        } else {
            // SAFETY: recursion into an owned sub-table.
            unsafe { free_table(e & PTE_ADDR, level - 1) };
        }
    }
    // SAFETY: the table frame's own reference.
    drop(unsafe { PhysFrame::from_raw(paddr) });
}

impl Drop for PageTable {
    fn drop(&mut self) {
        if super::cpu::this_cpu().active_root == self.root {
            activate_kernel_table();
        }
        assert_eq!(self.active_cpus.load(Ordering::Acquire), 0, "page table dropped while loaded on another CPU");
        self.clear_user_half();
        // SAFETY: the root frame's own reference; nothing points at it now.
        drop(unsafe { PhysFrame::from_raw(self.root) });
    }
}
