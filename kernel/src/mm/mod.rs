//! Memory management: user address spaces, their regions (VMAs), page
//! faults with demand paging and copy-on-write, and typed user-memory
//! access.
//!
//! Every live address space is also listed here (weakly), so that a file
//! that shrinks can take its pages past the new end out of every mapping
//! of it ([`file_shrunk`]): the few operations that work on all mappings of
//! a file, rather than on one address space, start here.

pub mod address_space;
pub mod fault;
pub mod shmem;
pub mod uaccess;
pub mod vdso;
pub mod vma;

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;

pub use address_space::{AddressSpace, Limits};
pub use vma::{Backing, PageSource, Prot};

/// Size of a page.
pub const PAGE_SIZE: usize = kevlar_hal::arch::PAGE_SIZE;

/// Rounds `x` up to a page boundary (None on overflow).
pub fn page_align_up(x: usize) -> Option<usize> {
    x.checked_add(PAGE_SIZE - 1).map(|v| v & !(PAGE_SIZE - 1))
}

/// Rounds `x` down to a page boundary.
pub fn page_align_down(x: usize) -> usize {
    x & !(PAGE_SIZE - 1)
}

/// Every address space created and not yet freed (dead entries are
/// dropped when the next one registers).
static SPACES: SpinLock<Vec<Weak<AddressSpace>>> = SpinLock::new(Vec::new());

/// Lists a new address space (called by its constructors).
fn register(space: &Arc<AddressSpace>) {
    let mut spaces = SPACES.lock();
    spaces.retain(|w| w.strong_count() > 0);
    spaces.push(Arc::downgrade(space));
}

/// Identity of a page source: the address of the object behind it.
fn source_id(source: &dyn PageSource) -> usize {
    source as *const dyn PageSource as *const () as usize
}

/// Called by a file system after `source` (a file) shrank to `new_size`
/// bytes: mapped pages wholly past the new end are unmapped everywhere,
/// so touching them raises SIGBUS as on Linux (truncate(2)).
pub fn file_shrunk(source: &dyn PageSource, new_size: u64) {
    let id = source_id(source);
    // Strong references are taken under the list's lock and used (and
    // dropped, possibly freeing an address space) after it is released.
    let spaces: Vec<Arc<AddressSpace>> = SPACES.lock().iter().filter_map(Weak::upgrade).collect();
    for space in &spaces {
        space.unmap_file_beyond(id, new_size);
    }
}

/// Called by a file system after it freed the pages of `source` in the
/// file range `[start, end)` (page-aligned; fallocate punching a hole):
/// shared mappings drop them so the next touch faults in the new (zero)
/// page, as Linux's unmap_mapping_range.
pub fn file_range_removed(source: &dyn PageSource, start: u64, end: u64) {
    let id = source_id(source);
    let spaces: Vec<Arc<AddressSpace>> = SPACES.lock().iter().filter_map(Weak::upgrade).collect();
    for space in &spaces {
        space.unmap_file_range(id, start, end);
    }
}

/// Whether some address space maps `source` shared with the right to
/// write (VM_SHARED with VM_MAYWRITE: Linux's i_mmap_writable), which
/// F_SEAL_WRITE refuses with EBUSY.
pub fn writably_mapped(source: &dyn PageSource) -> bool {
    let id = source_id(source);
    let spaces: Vec<Arc<AddressSpace>> = SPACES.lock().iter().filter_map(Weak::upgrade).collect();
    spaces.iter().any(|space| space.maps_file_writably(id))
}

/// The current process's memory limits (its soft rlimits, and whether it
/// may lock memory without limit).
pub fn current_limits() -> Limits {
    const RLIMIT_DATA: usize = 2;
    const RLIMIT_STACK: usize = 3;
    const RLIMIT_MEMLOCK: usize = 8;
    const RLIMIT_AS: usize = 9;
    let thread = crate::sched::current();
    let p = &thread.process;
    Limits {
        address_space: p.rlimit(RLIMIT_AS),
        data: p.rlimit(RLIMIT_DATA),
        stack: p.rlimit(RLIMIT_STACK),
        memlock: p.rlimit(RLIMIT_MEMLOCK),
        // CAP_IPC_LOCK: capabilities are all-or-nothing root for now.
        can_lock: p.creds.lock().capable(linux_raw_sys::general::CAP_IPC_LOCK),
    }
}
