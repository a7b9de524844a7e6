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

bitflags::bitflags! {
    /// Properties of a VMA besides its rights (Linux's VM_* flags that
    /// change behaviour).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub struct VmaFlags: u32 {
        /// Grows down when a page below it is touched (MAP_GROWSDOWN, the
        /// main stack): VM_GROWSDOWN.
        const GROWSDOWN = 1 << 0;
        /// May be made writable (VM_MAYWRITE): clear only for a shared
        /// mapping of a file not open for writing.
        const MAY_WRITE = 1 << 1;
        /// Locked in memory (mlock): VM_LOCKED.
        const LOCKED = 1 << 2;
        /// Not inherited by fork (MADV_DONTFORK): VM_DONTCOPY.
        const DONTFORK = 1 << 3;
        /// A fork child gets zero-filled memory here (MADV_WIPEONFORK).
        const WIPEONFORK = 1 << 4;
        /// Not charged against memory (MAP_NORESERVE): VM_NORESERVE.
        const NORESERVE = 1 << 5;
        /// Charged against memory when created or made writable
        /// (VM_ACCOUNT), so it is not charged twice.
        const ACCOUNT = 1 << 6;
    }
}

/// The pages of a file, as mappings see them: the page cache. A shared
/// mapping maps these frames directly, so a store through the mapping is
/// the file's content at once (there is no second copy to lose on munmap).
pub trait PageSource: Send + Sync {
    /// The cached page at `index` (file offset `index * PAGE_SIZE`),
    /// created (zero-filled past EOF) if needed.
    fn page(&self, index: u64) -> KResult<PhysFrame>;
    /// Whether the page at `index` is in the cache now, without creating
    /// it (mincore).
    fn cached(&self, index: u64) -> bool;
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
    /// `path` is the file as it was opened, for /proc/PID/maps.
    File { source: Arc<dyn PageSource>, offset: u64, valid_len: Option<u64>, path: Option<Arc<crate::fs::path::PathNode>> },
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
    /// The vDSO's data page.
    Vvar,
    /// The vDSO.
    Vdso,
}

/// A contiguous region of an address space.
#[derive(Clone)]
pub struct Vma {
    /// Identifies the mmap (or brk, or exec) call that made the region:
    /// pieces split from one mapping share it, and adjacent pieces with
    /// the same origin and the same properties merge again (as Linux
    /// merges VMAs), so mprotect-and-restore leaves one mapping behind.
    pub origin: u64,
    /// Behaviour flags.
    pub flags: VmaFlags,
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

    /// Whether writes to the VMA count as data (RLIMIT_DATA): private,
    /// writable and not a stack (Linux's is_data_mapping).
    pub fn is_data(&self) -> bool {
        is_data(self.prot, self.shared, self.flags)
    }

    /// Whether `high` continues `self` exactly (same origin, rights,
    /// flags and backing, contiguous in memory and in the file), so the
    /// two can be one VMA.
    pub fn can_merge(&self, high: &Vma) -> bool {
        if self.end != high.start
            || self.origin != high.origin
            || self.prot != high.prot
            || self.shared != high.shared
            || self.flags != high.flags
            || self.kind != high.kind
        {
            return false;
        }
        match (&self.backing, &high.backing) {
            (Backing::Anonymous, Backing::Anonymous) => true,
            (
                Backing::File { source: a, offset: oa, valid_len: None, .. },
                Backing::File { source: b, offset: ob, valid_len: None, .. },
            ) => Arc::ptr_eq(a, b) && oa + self.len() as u64 == *ob,
            _ => false,
        }
    }

    /// The source and file offset of the page at `addr`, for a file VMA.
    pub fn file_page(&self, addr: usize) -> Option<(&Arc<dyn PageSource>, u64)> {
        match &self.backing {
            Backing::File { source, offset, .. } => Some((source, offset + (addr - self.start) as u64)),
            Backing::Anonymous => None,
        }
    }
}

/// Linux's is_data_mapping: private, writable, not a stack.
pub fn is_data(prot: Prot, shared: bool, flags: VmaFlags) -> bool {
    prot.contains(Prot::WRITE) && !shared && !flags.contains(VmaFlags::GROWSDOWN)
}
