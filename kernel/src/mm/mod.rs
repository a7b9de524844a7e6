//! Memory management: user address spaces, their regions (VMAs), page
//! faults with demand paging and copy-on-write, and typed user-memory
//! access.

pub mod address_space;
pub mod fault;
pub mod shmem;
pub mod uaccess;
pub mod vma;

pub use address_space::AddressSpace;
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
