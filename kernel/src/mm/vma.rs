//! Virtual memory areas: contiguous ranges of an address space with one
//! protection and one backing (anonymous memory or a file's pages).

use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::mem::frame::PhysFrame;

use crate::errno::KResult;

bitflags::bitflags! {
    /// Access rights of a mapping (PROT_*).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Prot: u32 {
        /// PROT_READ
        const READ = 1;
        /// PROT_WRITE
        const WRITE = 2;
        /// PROT_EXEC
        const EXEC = 4;
    }
}

/// The pages of a file, as mappings see them: the page cache. A shared
/// mapping maps these frames directly, so a store through the mapping is
/// the file's content at once (there is no second copy to lose on munmap).
pub trait PageSource: Send + Sync {
    /// The cached page at `index` (file offset `index * PAGE_SIZE`),
    /// created (zero-filled past EOF) if needed.
    fn page(&self, index: u64) -> KResult<PhysFrame>;
    /// File size in bytes (faults past EOF raise SIGBUS).
    fn size(&self) -> u64;
    /// Name for /proc/PID/maps.
    fn path(&self) -> Vec<u8>;
    /// Device and inode numbers for /proc/PID/maps.
    fn dev_ino(&self) -> (u64, u64);
}

/// What backs a VMA's pages.
#[derive(Clone)]
pub enum Backing {
    /// Zero-filled on first touch.
    Anonymous,
    /// A file's pages starting at `offset` (the file offset of the VMA's
    /// start). With `valid_len`, only that many bytes from the VMA's start
    /// come from the file and the rest reads as zeros (an ELF segment
    /// whose file size is smaller than its memory size).
    File { source: Arc<dyn PageSource>, offset: u64, valid_len: Option<u64> },
}

/// What /proc/PID/maps calls a region without a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmaKind {
    /// Ordinary mapping.
    Normal,
    /// The brk heap.
    Heap,
    /// The main thread's stack.
    Stack,
}

/// A contiguous region of an address space.
#[derive(Clone)]
pub struct Vma {
    /// First address (page-aligned).
    pub start: usize,
    /// End address (exclusive, page-aligned).
    pub end: usize,
    /// Current access rights.
    pub prot: Prot,
    /// MAP_SHARED (stores reach the backing) vs MAP_PRIVATE (copy-on-write).
    pub shared: bool,
    /// Page source.
    pub backing: Backing,
    /// For /proc/PID/maps.
    pub kind: VmaKind,
}

impl Vma {
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the VMA is empty (never true for a stored VMA).
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Splits the VMA at `at` (strictly inside it), keeping the low part in
    /// `self` and returning the high part.
    pub fn split_off(&mut self, at: usize) -> Vma {
        debug_assert!(self.start < at && at < self.end);
        let delta = (at - self.start) as u64;
        let mut high = self.clone();
        high.start = at;
        self.end = at;
        if let Backing::File { offset, valid_len, .. } = &mut high.backing {
            *offset += delta;
            if let Some(v) = valid_len {
                *v = v.saturating_sub(delta);
            }
        }
        high
    }
}
