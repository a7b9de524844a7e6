//! Memory a device reads and writes by physical address (virtqueues,
//! request buffers): physically contiguous frames, kept for the life of
//! the kernel, accessed through bounds-checked volatile copies.

use core::sync::atomic::{Ordering, fence};

use crate::arch::{PAGE_SIZE, phys_to_virt};

/// A contiguous, zeroed region of physical memory owned by one driver.
#[derive(Debug)]
pub struct DmaRegion {
    paddr: u64,
    len: usize,
}

impl DmaRegion {
    /// `pages` contiguous zeroed frames; None if memory is short.
    pub fn alloc(pages: usize) -> Option<DmaRegion> {
        let paddr = super::frame::alloc_contiguous_permanent(pages, 1)?;
        let r = DmaRegion { paddr, len: pages * PAGE_SIZE };
        // SAFETY: the frames were just taken for this region alone.
        unsafe { core::ptr::write_bytes(phys_to_virt(paddr) as *mut u8, 0, r.len) }
        Some(r)
    }

    /// Physical address of byte `offset` (what the device is told).
    pub fn paddr(&self, offset: usize) -> u64 {
        assert!(offset <= self.len);
        self.paddr + offset as u64
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the region is empty (never: at least one page).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Copies `data` in at `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) {
        assert!(offset + data.len() <= self.len);
        // SAFETY: in bounds (checked) of memory this region owns.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), (phys_to_virt(self.paddr) as *mut u8).add(offset), data.len()) }
    }

    /// Copies out `buf.len()` bytes from `offset`.
    pub fn read(&self, offset: usize, buf: &mut [u8]) {
        assert!(offset + buf.len() <= self.len);
        // SAFETY: in bounds (checked) of memory this region owns.
        unsafe { core::ptr::copy_nonoverlapping((phys_to_virt(self.paddr) as *const u8).add(offset), buf.as_mut_ptr(), buf.len()) }
    }

    /// Reads a 16-bit value the device may change (naturally aligned).
    pub fn read_u16(&self, offset: usize) -> u16 {
        assert!(offset % 2 == 0 && offset + 2 <= self.len);
        fence(Ordering::SeqCst);
        // SAFETY: aligned and in bounds of memory this region owns.
        unsafe { core::ptr::read_volatile((phys_to_virt(self.paddr) as *const u8).add(offset) as *const u16) }
    }

    /// Writes a 16-bit value the device will read (naturally aligned),
    /// ordered after every earlier write.
    pub fn write_u16(&self, offset: usize, v: u16) {
        assert!(offset % 2 == 0 && offset + 2 <= self.len);
        fence(Ordering::SeqCst);
        // SAFETY: aligned and in bounds of memory this region owns.
        unsafe { core::ptr::write_volatile((phys_to_virt(self.paddr) as *mut u8).add(offset) as *mut u16, v) }
        fence(Ordering::SeqCst);
    }

    /// Reads a byte the device may have written.
    pub fn read_u8(&self, offset: usize) -> u8 {
        assert!(offset < self.len);
        fence(Ordering::SeqCst);
        // SAFETY: in bounds of memory this region owns.
        unsafe { core::ptr::read_volatile((phys_to_virt(self.paddr) as *const u8).add(offset)) }
    }
}
