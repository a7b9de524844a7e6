//! Physical frame allocator: a bitmap of used frames plus one reference
//! count per frame.
//!
//! A frame is in exactly one of two states: free (bit clear, count 0) or
//! owned (bit set, count >= 1). Both are checked on every allocation and
//! free, in release builds too (design lesson 4): a double free or a use of
//! a free frame panics at once instead of corrupting memory weeks later.
//!
//! [`PhysFrame`] is the owning handle. Cloning it adds a reference (the
//! copy-on-write sharing of a page between address spaces); dropping the
//! last handle frees the frame. Page tables hold their frames as handles
//! too, so an exited process cannot leak pages: tearing down its page table
//! drops every handle.
//!
//! Running out of memory must never stop the kernel itself, so the last
//! frames are kept back as a reserve (Linux's watermarks, in miniature):
//! ordinary allocations ([`PhysFrame::alloc_zeroed`], user pages, the page
//! cache, kernel stacks) fail while fewer than [`reserve`] frames are free;
//! page-table pages may use half of the reserve, and the kernel heap all of
//! it. A process that exhausts memory therefore fails (or is killed) while
//! the heap can still grow to handle its death.

use core::sync::atomic::{AtomicU32, Ordering};

use crate::arch::{PAGE_SIZE, phys_to_virt};
use crate::boot_info::{BootInfo, MemoryRegionKind};
use crate::sync::SpinLock;

struct Bitmap {
    words: &'static mut [u64],
    /// Index of a word that may have a clear bit (search starts here).
    hint: usize,
    nr_free: usize,
}

static BITMAP: SpinLock<Option<Bitmap>> = SpinLock::new(None);
static mut REFCOUNTS: &[AtomicU32] = &[];
static TOTAL_FRAMES: AtomicU32 = AtomicU32::new(0);
/// Frames ordinary allocations leave free (see the module docs).
static RESERVE: AtomicU32 = AtomicU32::new(0);

/// How urgent an allocation is: how much of the reserve it may use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Urgency {
    /// Leaves the whole reserve free.
    Normal,
    /// Page-table pages: may use half of the reserve.
    PageTable,
}

impl Urgency {
    fn min_free(self) -> usize {
        let r = RESERVE.load(Ordering::Relaxed) as usize;
        match self {
            Urgency::Normal => r,
            Urgency::PageTable => r / 2,
        }
    }
}

fn refcounts() -> &'static [AtomicU32] {
    // SAFETY: REFCOUNTS is written once in `init`, before any other CPU
    // runs and before any frame is handed out; afterwards it is read-only.
    unsafe { *core::ptr::addr_of!(REFCOUNTS) }
}

fn frame_index(paddr: u64) -> usize {
    (paddr / PAGE_SIZE as u64) as usize
}

/// Sets up the allocator from the memory map, keeping `reserved` ranges
/// (kernel image, initrd, low memory) out of it.
pub(crate) fn init(info: &BootInfo, reserved: &[(u64, u64)]) {
    let max_phys = info
        .memory_regions()
        .iter()
        .filter(|r| r.kind == MemoryRegionKind::Usable)
        .map(|r| r.start + r.len)
        .max()
        .expect("no usable memory in the memory map");
    let nr_frames = (max_phys as usize).div_ceil(PAGE_SIZE);
    let bitmap_bytes = nr_frames.div_ceil(64) * 8;
    let refcount_bytes = nr_frames * 4;
    let meta_bytes = (bitmap_bytes + refcount_bytes).next_multiple_of(PAGE_SIZE) as u64;

    let is_reserved = |start: u64, end: u64| reserved.iter().any(|&(s, e)| start < e && s < end);

    // Carve the metadata out of the first usable range that fits.
    let meta_start = info
        .memory_regions()
        .iter()
        .filter(|r| r.kind == MemoryRegionKind::Usable)
        .find_map(|r| {
            let mut start = r.start.next_multiple_of(PAGE_SIZE as u64).max(0x10_0000);
            let end = r.start + r.len;
            while start + meta_bytes <= end {
                if !is_reserved(start, start + meta_bytes) {
                    return Some(start);
                }
                start += PAGE_SIZE as u64;
            }
            None
        })
        .expect("no room for the frame allocator's metadata");

    let base = phys_to_virt(meta_start) as *mut u8;
    // SAFETY: [meta_start, meta_start + meta_bytes) is usable RAM, direct
    // mapped, and reserved below for this metadata for the kernel's life.
    let (words, counts) = unsafe {
        core::ptr::write_bytes(base, 0, meta_bytes as usize);
        let words = core::slice::from_raw_parts_mut(base as *mut u64, bitmap_bytes / 8);
        let counts = core::slice::from_raw_parts(base.add(bitmap_bytes) as *const AtomicU32, nr_frames);
        (words, counts)
    };
    // Everything starts used; usable frames are then released.
    words.fill(!0);
    let mut bm = Bitmap { words, hint: 0, nr_free: 0 };
    for r in info.memory_regions().iter().filter(|r| r.kind == MemoryRegionKind::Usable) {
        let first = r.start.next_multiple_of(PAGE_SIZE as u64);
        let end = (r.start + r.len) & !(PAGE_SIZE as u64 - 1);
        let mut p = first;
        while p < end {
            let pend = p + PAGE_SIZE as u64;
            let in_meta = p < meta_start + meta_bytes && meta_start < pend;
            if p >= 0x10_0000 && !in_meta && !is_reserved(p, pend) {
                let i = frame_index(p);
                bm.words[i / 64] &= !(1 << (i % 64));
                bm.nr_free += 1;
            }
            p = pend;
        }
    }
    TOTAL_FRAMES.store(bm.nr_free as u32, Ordering::Relaxed);
    // 1/128 of memory (8 MiB of 1 GiB), at least 1 MiB, at most 16 MiB:
    // enough for the heap to grow a few times and for page tables.
    RESERVE.store((bm.nr_free / 128).clamp(256, 4096) as u32, Ordering::Relaxed);
    // SAFETY: single-threaded boot; nothing has read REFCOUNTS yet.
    unsafe { *core::ptr::addr_of_mut!(REFCOUNTS) = counts };
    *BITMAP.lock() = Some(bm);
}

impl Bitmap {
    /// One free frame, if more than `min_free` are free.
    fn alloc_one(&mut self, min_free: usize) -> Option<usize> {
        if self.nr_free <= min_free {
            return None;
        }
        let n = self.words.len();
        for k in 0..n {
            let wi = (self.hint + k) % n;
            let w = self.words[wi];
            if w != !0 {
                let bit = (!w).trailing_zeros() as usize;
                self.words[wi] |= 1 << bit;
                self.hint = wi;
                self.nr_free -= 1;
                return Some(wi * 64 + bit);
            }
        }
        None
    }

    fn is_used(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    fn alloc_contiguous(&mut self, count: usize, align: usize) -> Option<usize> {
        let total = self.words.len() * 64;
        let mut start = 0;
        while start + count <= total {
            if let Some(used) = (start..start + count).rev().find(|&i| self.is_used(i)) {
                start = (used + 1).next_multiple_of(align);
                continue;
            }
            for i in start..start + count {
                self.words[i / 64] |= 1 << (i % 64);
            }
            self.nr_free -= count;
            return Some(start);
        }
        None
    }

    fn free(&mut self, i: usize) {
        assert!(self.is_used(i), "frame allocator: double free of frame {:#x}", i * PAGE_SIZE);
        self.words[i / 64] &= !(1 << (i % 64));
        self.nr_free += 1;
        if i / 64 < self.hint {
            self.hint = i / 64;
        }
    }
}

fn take_frame(i: usize) {
    let old = refcounts()[i].swap(1, Ordering::Relaxed);
    assert_eq!(old, 0, "frame allocator: frame {:#x} allocated while referenced", i * PAGE_SIZE);
}

/// An owning, reference-counted handle to one 4 KiB physical frame.
#[derive(Debug)]
pub struct PhysFrame {
    paddr: u64,
}

impl PhysFrame {
    /// Allocates a zero-filled frame; `None` once only the reserve is
    /// left.
    pub fn alloc_zeroed() -> Option<PhysFrame> {
        Self::alloc_zeroed_with(Urgency::Normal)
    }

    /// Allocates a frame whose content is stale data from earlier use;
    /// `None` once only the reserve is left.
    pub fn alloc_uninit() -> Option<PhysFrame> {
        Self::alloc_uninit_with(Urgency::Normal)
    }

    pub(crate) fn alloc_zeroed_with(urgency: Urgency) -> Option<PhysFrame> {
        let f = Self::alloc_uninit_with(urgency)?;
        f.zero();
        Some(f)
    }

    fn alloc_uninit_with(urgency: Urgency) -> Option<PhysFrame> {
        let i = BITMAP.lock().as_mut().expect("frame allocator not ready").alloc_one(urgency.min_free())?;
        take_frame(i);
        Some(PhysFrame { paddr: (i * PAGE_SIZE) as u64 })
    }

    /// Physical address of the frame.
    #[inline]
    pub fn paddr(&self) -> u64 {
        self.paddr
    }

    /// How many handles share this frame.
    pub fn ref_count(&self) -> u32 {
        refcounts()[frame_index(self.paddr)].load(Ordering::Acquire)
    }

    /// Gives up the handle without dropping the reference: the caller
    /// stores the physical address somewhere that owns it (a page-table
    /// entry) and must later rebuild the handle with [`PhysFrame::from_raw`].
    pub(crate) fn into_raw(self) -> u64 {
        let p = self.paddr;
        core::mem::forget(self);
        p
    }

    /// Rebuilds a handle from [`PhysFrame::into_raw`].
    ///
    /// # Safety
    /// `paddr` must come from `into_raw` and its reference not yet reclaimed.
    pub(crate) unsafe fn from_raw(paddr: u64) -> PhysFrame {
        PhysFrame { paddr }
    }

    /// Fills the frame with zeros.
    pub fn zero(&self) {
        // SAFETY: the handle keeps the frame allocated; frame memory is
        // plain bytes that only these copy routines touch from the kernel.
        unsafe { core::ptr::write_bytes(phys_to_virt(self.paddr) as *mut u8, 0, PAGE_SIZE) }
    }

    /// Copies `buf.len()` bytes out of the frame, starting at `offset`.
    pub fn read(&self, offset: usize, buf: &mut [u8]) {
        assert!(offset + buf.len() <= PAGE_SIZE);
        // SAFETY: in bounds (checked above) of a frame the handle keeps alive.
        unsafe { core::ptr::copy_nonoverlapping((phys_to_virt(self.paddr) as *const u8).add(offset), buf.as_mut_ptr(), buf.len()) }
    }

    /// Copies `data` into the frame at `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) {
        assert!(offset + data.len() <= PAGE_SIZE);
        // SAFETY: in bounds (checked above) of a frame the handle keeps alive.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), (phys_to_virt(self.paddr) as *mut u8).add(offset), data.len()) }
    }

    /// Fills `len` bytes at `offset` with zeros.
    pub fn zero_range(&self, offset: usize, len: usize) {
        assert!(offset + len <= PAGE_SIZE);
        // SAFETY: in bounds (checked above).
        unsafe { core::ptr::write_bytes((phys_to_virt(self.paddr) as *mut u8).add(offset), 0, len) }
    }

    /// Copies the whole content of `src` into this frame.
    pub fn copy_from(&self, src: &PhysFrame) {
        // SAFETY: two live frames; distinct unless the caller passed the
        // same frame, and copy (not copy_nonoverlapping) tolerates that.
        unsafe { core::ptr::copy(phys_to_virt(src.paddr) as *const u8, phys_to_virt(self.paddr) as *mut u8, PAGE_SIZE) }
    }

    /// Reads a little-endian u64 at `offset` (8-byte aligned).
    pub fn read_u64(&self, offset: usize) -> u64 {
        assert!(offset % 8 == 0 && offset + 8 <= PAGE_SIZE);
        // SAFETY: aligned and in bounds of a live frame.
        unsafe { core::ptr::read_volatile((phys_to_virt(self.paddr) as *const u8).add(offset) as *const u64) }
    }
}

impl Clone for PhysFrame {
    fn clone(&self) -> Self {
        let old = refcounts()[frame_index(self.paddr)].fetch_add(1, Ordering::Relaxed);
        assert!(old > 0, "frame allocator: clone of a free frame");
        PhysFrame { paddr: self.paddr }
    }
}

impl Drop for PhysFrame {
    fn drop(&mut self) {
        let i = frame_index(self.paddr);
        let old = refcounts()[i].fetch_sub(1, Ordering::Release);
        assert!(old > 0, "frame allocator: drop of a free frame {:#x}", self.paddr);
        if old == 1 {
            core::sync::atomic::fence(Ordering::Acquire);
            BITMAP.lock().as_mut().expect("frame allocator not ready").free(i);
        }
    }
}

/// Allocates `count` physically contiguous frames aligned to `align`
/// frames, owned forever by the caller (kernel heap, kernel stacks' pool).
pub(crate) fn alloc_contiguous_permanent(count: usize, align: usize) -> Option<u64> {
    let start = BITMAP.lock().as_mut().expect("frame allocator not ready").alloc_contiguous(count, align.max(1))?;
    for i in start..start + count {
        take_frame(i);
    }
    Some((start * PAGE_SIZE) as u64)
}

/// Returns frames the boot code held (the initrd) to the allocator.
pub(crate) fn release_range(start: u64, end: u64) {
    let mut guard = BITMAP.lock();
    let bm = guard.as_mut().expect("frame allocator not ready");
    let mut p = start.next_multiple_of(PAGE_SIZE as u64);
    let mut freed = 0;
    while p + PAGE_SIZE as u64 <= end {
        let i = frame_index(p);
        if bm.is_used(i) && refcounts()[i].load(Ordering::Relaxed) == 0 {
            bm.free(i);
            freed += 1;
        }
        p += PAGE_SIZE as u64;
    }
    TOTAL_FRAMES.fetch_add(freed, Ordering::Relaxed);
}

/// Frame counts, for /proc/meminfo and leak checks.
#[derive(Clone, Copy, Debug)]
pub struct FrameStats {
    /// Frames the allocator manages.
    pub total: usize,
    /// Frames free now.
    pub free: usize,
    /// Frames ordinary allocations leave free (see the module docs).
    pub reserve: usize,
}

/// Current frame counts.
pub fn stats() -> FrameStats {
    let free = BITMAP.lock().as_ref().map_or(0, |b| b.nr_free);
    FrameStats {
        total: TOTAL_FRAMES.load(Ordering::Relaxed) as usize,
        free,
        reserve: RESERVE.load(Ordering::Relaxed) as usize,
    }
}

/// The number of frames kept back from ordinary allocations.
pub fn reserve() -> usize {
    RESERVE.load(Ordering::Relaxed) as usize
}
