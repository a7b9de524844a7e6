//! The kernel heap: a buddy allocator over frames taken from the frame
//! allocator, grown on demand, behind an IRQ-safe lock (interrupt handlers
//! may allocate).

use core::alloc::{GlobalAlloc, Layout};
use core::ptr::NonNull;

use buddy_system_allocator::Heap;

use crate::arch::{PAGE_SIZE, phys_to_virt};
use crate::sync::SpinLock;

/// Frames added to the heap at once when it runs dry (2 MiB).
const GROW_FRAMES: usize = 512;

struct KernelHeap {
    heap: SpinLock<Heap<33>>,
}

#[global_allocator]
static HEAP: KernelHeap = KernelHeap { heap: SpinLock::new(Heap::empty()) };

// SAFETY: the buddy heap hands out non-overlapping blocks of the requested
// layout; all state is behind the lock.
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let mut heap = self.heap.lock();
        if let Ok(p) = heap.alloc(layout) {
            return p.as_ptr();
        }
        let need = layout.size().max(layout.align()).div_ceil(PAGE_SIZE).next_power_of_two();
        // Grow by 2 MiB when such a run is free; when memory is short or
        // fragmented (after user pages took most of it), by just what this
        // allocation needs: the heap must keep working through an
        // out-of-memory episode, and the reserve of the frame allocator is
        // there for it.
        let grown = [need.max(GROW_FRAMES), need].into_iter().find_map(|frames| {
            super::frame::alloc_contiguous_permanent(frames, frames.min(GROW_FRAMES)).map(|paddr| (paddr, frames))
        });
        let Some((paddr, frames)) = grown else {
            return core::ptr::null_mut();
        };
        let start = phys_to_virt(paddr) as usize;
        // SAFETY: the frames were just taken from the frame allocator for
        // the heap's exclusive, permanent use.
        unsafe { heap.add_to_heap(start, start + frames * PAGE_SIZE) };
        heap.alloc(layout).map_or(core::ptr::null_mut(), |p| p.as_ptr())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with the same layout (GlobalAlloc
        // contract), so it is non-null and owned by this heap.
        unsafe { self.heap.lock().dealloc(NonNull::new_unchecked(ptr), layout) }
    }
}

/// Heap figures in bytes: (allocated, total).
pub fn stats() -> (usize, usize) {
    let h = HEAP.heap.lock();
    (h.stats_alloc_actual(), h.stats_total_bytes())
}
