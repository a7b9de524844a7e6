//! A process's address space: its page table and its VMAs.
//!
//! Layout (x86_64, as Linux lays it out without randomisation for now; ASLR
//! comes with issue 5): the main stack ends at [`STACK_TOP`] and grows down
//! on demand, mmap regions are placed top-down below [`MMAP_BASE`],
//! position-independent executables load at [`ET_DYN_BASE`], and the brk
//! heap follows the executable's last segment.
//!
//! Every operation here follows the Linux system call it serves (mm/mmap.c,
//! mm/mprotect.c, mm/mremap.c, mm/madvise.c, mm/mincore.c, mm/mlock.c):
//! the limits it checks (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK,
//! RLIMIT_MEMLOCK and the default heuristic overcommit check), and what
//! it leaves behind when it fails half way (mprotect, mlock and madvise
//! change the mappings before the first hole, then fail).
//!
//! Pages belong to the page table (as frame handles); a VMA only says what
//! a fault in its range may map. Fault handling is demand paging plus
//! copy-on-write, and growth of stacks (VMAs with
//! [`VmaFlags::GROWSDOWN`]) into the free space below them.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::arch::paging::{MapFlags, PageTable};
use kevlar_hal::mem::frame::PhysFrame;
use kevlar_hal::sync::SpinLock;

use super::vma::{Backing, Prot, Vma, VmaFlags, VmaKind, is_data};
use super::{PAGE_SIZE, page_align_down, page_align_up};
use crate::errno::{Errno, KResult};

/// End of the user address space (Linux's TASK_SIZE on x86_64).
pub const TASK_SIZE: usize = 0x7fff_ffff_f000;
/// Top of the main thread's stack.
pub const STACK_TOP: usize = TASK_SIZE;
/// Initial size of the main stack's mapping (Linux's 128 KiB
/// `stack_expand` at exec); it grows down on demand up to RLIMIT_STACK.
pub const STACK_SIZE: usize = 128 << 10;
/// Highest address for mmap placement (TASK_SIZE minus Linux's minimum
/// stack gap of 128 MiB).
pub const MMAP_BASE: usize = TASK_SIZE - (128 << 20);
/// Load address of ET_DYN executables (Linux's ELF_ET_DYN_BASE).
pub const ET_DYN_BASE: usize = 0x5555_5555_4000;
/// Lowest address a mapping may use (vm.mmap_min_addr).
pub const MMAP_MIN_ADDR: usize = 0x10000;
/// Free space kept below a stack that grows down: no other mapping is
/// placed there and the stack does not grow to within it of the mapping
/// below (Linux's stack_guard_gap, 256 pages).
pub const STACK_GUARD_GAP: usize = 256 * PAGE_SIZE;
/// Most VMAs one address space may have (vm.max_map_count).
pub const MAX_MAP_COUNT: usize = 65530;
/// Where MAP_32BIT mappings go: the second GiB, as on Linux x86_64.
const MAP_32BIT_RANGE: (usize, usize) = (0x4000_0000, 0x8000_0000);

/// How a fault should be reported to the faulting thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultError {
    /// SIGSEGV, SEGV_MAPERR: no mapping.
    Unmapped,
    /// SIGSEGV, SEGV_ACCERR: mapping forbids the access.
    Protection,
    /// SIGBUS: file page beyond end of file.
    BeyondFile,
    /// Out of memory.
    OutOfMemory,
}

/// Kind of access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Load.
    Read,
    /// Store.
    Write,
    /// Instruction fetch.
    Exec,
}

/// The resource limits an address-space operation must respect: the
/// caller's soft rlimits, in bytes (`u64::MAX` is unlimited).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// RLIMIT_AS: total size of all mappings.
    pub address_space: u64,
    /// RLIMIT_DATA: private writable mappings and the heap.
    pub data: u64,
    /// RLIMIT_STACK: size a stack may grow to.
    pub stack: u64,
    /// RLIMIT_MEMLOCK: locked memory.
    pub memlock: u64,
    /// CAP_IPC_LOCK: locking is not bounded by RLIMIT_MEMLOCK.
    pub can_lock: bool,
}

impl Limits {
    /// No limits (the kernel's own mappings at exec).
    pub const UNLIMITED: Limits =
        Limits { address_space: u64::MAX, data: u64::MAX, stack: u64::MAX, memlock: u64::MAX, can_lock: true };
}

/// Where a new mapping goes.
#[derive(Clone, Copy, Debug)]
pub enum Placement {
    /// Anywhere; the address is a hint.
    Hint(usize),
    /// Exactly here, replacing what is there (MAP_FIXED).
    Fixed(usize),
    /// Exactly here, failing with EEXIST if anything is there.
    FixedNoReplace(usize),
    /// Anywhere in the second GiB (MAP_32BIT).
    Low32,
}

/// A new mapping, as mmap describes it.
pub struct MapRequest {
    /// Where it goes.
    pub placement: Placement,
    /// Length in bytes (rounded up to pages).
    pub len: usize,
    /// Access rights.
    pub prot: Prot,
    /// MAP_SHARED.
    pub shared: bool,
    /// What backs it.
    pub backing: Backing,
    /// For /proc/PID/maps.
    pub kind: VmaKind,
    /// Behaviour flags (ACCOUNT: charge it against memory now).
    pub flags: VmaFlags,
    /// MAP_POPULATE: fault every page in before returning.
    pub populate: bool,
}

/// How mremap may move a mapping.
#[derive(Clone, Copy, Debug, Default)]
pub struct RemapMode {
    /// MREMAP_MAYMOVE.
    pub may_move: bool,
    /// MREMAP_FIXED: the new address.
    pub fixed: Option<usize>,
    /// MREMAP_DONTUNMAP: leave the old range mapped (and empty).
    pub dont_unmap: bool,
}

/// What madvise does to each mapping in its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    /// Performance hints: nothing to do beyond checking the range.
    Hint,
    /// MADV_DONTNEED (and MADV_DONTNEED_LOCKED with `locked_too`): drop
    /// the pages; the next touch sees zeros or the file again.
    DontNeed {
        /// Locked ranges too (else EINVAL on them).
        locked_too: bool,
    },
    /// MADV_FREE: private anonymous memory only; dropped at once.
    Free,
    /// MADV_DONTFORK (true) / MADV_DOFORK (false).
    DontFork(bool),
    /// MADV_WIPEONFORK (true) / MADV_KEEPONFORK (false).
    WipeOnFork(bool),
    /// MADV_POPULATE_READ / MADV_POPULATE_WRITE (`write`).
    Populate {
        /// Fault in for writing.
        write: bool,
    },
}

struct Inner {
    page_table: PageTable,
    vmas: BTreeMap<usize, Vma>,
    brk_start: usize,
    brk: usize,
    /// mlockall(MCL_FUTURE): new mappings are locked (Linux's def_flags);
    /// `Some(true)` with MCL_ONFAULT (locked, not faulted in at once).
    lock_future: Option<bool>,
}

/// A user address space.
pub struct AddressSpace {
    inner: SpinLock<Inner>,
}

static NEXT_ORIGIN: AtomicU64 = AtomicU64::new(1);

/// A new origin id for a VMA made by one call (see [`Vma::origin`]).
fn new_origin() -> u64 {
    NEXT_ORIGIN.fetch_add(1, Ordering::Relaxed)
}

impl AddressSpace {
    /// An empty address space.
    pub fn new() -> KResult<Arc<AddressSpace>> {
        let page_table = PageTable::new().ok_or(Errno::ENOMEM)?;
        Ok(Self::wrap(Inner { page_table, vmas: BTreeMap::new(), brk_start: 0, brk: 0, lock_future: None }))
    }

    fn wrap(inner: Inner) -> Arc<AddressSpace> {
        let space = Arc::new(AddressSpace { inner: SpinLock::new(inner) });
        super::register(&space);
        space
    }

    /// Loads the page table on this CPU.
    pub fn activate(&self) {
        self.inner.lock().page_table.activate();
    }

    /// A copy for fork: shared mappings stay shared, private ones become
    /// copy-on-write in both address spaces. MADV_DONTFORK ranges are left
    /// out, MADV_WIPEONFORK ones start empty, and locks are not inherited
    /// (fork(2)).
    pub fn fork(&self) -> KResult<Arc<AddressSpace>> {
        let mut child_pt = PageTable::new().ok_or(Errno::ENOMEM)?;
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        let mut child_vmas = BTreeMap::new();
        for vma in inner.vmas.values() {
            if vma.flags.contains(VmaFlags::DONTFORK) {
                continue;
            }
            if !vma.flags.contains(VmaFlags::WIPEONFORK) {
                let cow = !vma.shared;
                inner.page_table.fork_range(&mut child_pt, vma.start, vma.end, cow).map_err(|_| Errno::ENOMEM)?;
            }
            let mut copy = vma.clone();
            copy.flags.remove(VmaFlags::LOCKED);
            child_vmas.insert(copy.start, copy);
        }
        Ok(Self::wrap(Inner { page_table: child_pt, vmas: child_vmas, brk_start: inner.brk_start, brk: inner.brk, lock_future: None }))
    }

    /// Sets the start of the brk heap (at exec).
    pub fn set_brk_start(&self, addr: usize) {
        let mut inner = self.inner.lock();
        inner.brk_start = addr;
        inner.brk = addr;
    }

    /// The brk system call: moves the break to `new` if possible and
    /// returns the break now in effect (Linux semantics: failure returns
    /// the old break, never an error). The heap may not grow into another
    /// mapping (Linux keeps one free page and a stack's guard gap), past
    /// RLIMIT_DATA or RLIMIT_AS, or by more than memory holds.
    pub fn brk(&self, new: usize, limits: &Limits) -> usize {
        let populate;
        let (old_end, new_end);
        {
            let mut inner = self.inner.lock();
            let inner = &mut *inner;
            let old = inner.brk;
            if new < inner.brk_start || new > TASK_SIZE {
                return old;
            }
            // check_data_rlimit: the heap alone may not exceed RLIMIT_DATA.
            if (new - inner.brk_start) as u64 > limits.data {
                return old;
            }
            old_end = page_align_up(old).unwrap_or(old);
            new_end = page_align_up(new).unwrap_or(TASK_SIZE);
            if new_end <= old_end {
                if new_end < old_end {
                    remove_range(inner, new_end, old_end);
                }
                inner.brk = new;
                return new;
            }
            // Growing: the heap must not run into the next mapping.
            if overlaps_before(&inner.vmas, old_end) {
                return old;
            }
            if let Some((_, next)) = inner.vmas.range(old_end..).next()
                && new_end + PAGE_SIZE > start_gap(next)
            {
                return old;
            }
            let grow = new_end - old_end;
            if !may_expand(&inner.vmas, limits, grow, true) || !enough_memory(grow) {
                return old;
            }
            let mut flags = VmaFlags::MAY_WRITE | VmaFlags::ACCOUNT;
            if inner.lock_future.is_some() {
                flags |= VmaFlags::LOCKED;
            }
            let heap = inner.vmas.range_mut(..old_end).next_back().map(|(_, v)| v).filter(|v| v.kind == VmaKind::Heap && v.end == old_end);
            match heap {
                // Extend the heap only where it is still plain heap (a
                // piece made read-only stays so; the growth is new).
                Some(v) if v.flags == flags && v.prot == Prot::READ | Prot::WRITE => v.end = new_end,
                _ => {
                    inner.vmas.insert(old_end, Vma {
                        start: old_end,
                        end: new_end,
                        prot: Prot::READ | Prot::WRITE,
                        shared: false,
                        backing: Backing::Anonymous,
                        kind: VmaKind::Heap,
                        origin: new_origin(),
                        flags,
                    });
                }
            }
            inner.brk = new;
            populate = inner.lock_future == Some(false);
        }
        if populate {
            let _ = self.populate(old_end, new_end, true);
        }
        new
    }

    /// Creates a mapping for exec (no limits: the kernel's own mappings).
    /// The main stack ([`VmaKind::Stack`]) grows down.
    pub fn map(&self, placement: Placement, len: usize, prot: Prot, shared: bool, backing: Backing, kind: VmaKind) -> KResult<usize> {
        let mut flags = VmaFlags::MAY_WRITE;
        if kind == VmaKind::Stack {
            flags |= VmaFlags::GROWSDOWN;
        }
        let req = MapRequest { placement, len, prot, shared, backing, kind, flags, populate: false };
        self.map_with(req, &Limits::UNLIMITED)
    }

    /// Creates a mapping (mmap) and returns its address.
    pub fn map_with(&self, req: MapRequest, limits: &Limits) -> KResult<usize> {
        let len = page_align_up(req.len).ok_or(Errno::ENOMEM)?;
        if len == 0 || len > TASK_SIZE {
            return Err(Errno::ENOMEM);
        }
        let (start, populate) = {
            let mut inner = self.inner.lock();
            let inner = &mut *inner;
            // do_mmap's check (a split, below, may not reach the limit).
            if inner.vmas.len() > MAX_MAP_COUNT {
                return Err(Errno::ENOMEM);
            }
            let mut flags = req.flags;
            if inner.lock_future.is_some() {
                flags |= VmaFlags::LOCKED;
            }
            let populate = req.populate || (flags.contains(VmaFlags::LOCKED) && inner.lock_future != Some(true));
            let data = is_data(req.prot, req.shared, flags);
            let (start, replaces) = match req.placement {
                Placement::Fixed(addr) | Placement::FixedNoReplace(addr) => {
                    // get_unmapped_area's order: range, alignment, then
                    // mmap_min_addr.
                    let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
                    if end > TASK_SIZE {
                        return Err(Errno::ENOMEM);
                    }
                    if addr % PAGE_SIZE != 0 {
                        return Err(Errno::EINVAL);
                    }
                    if addr < MMAP_MIN_ADDR {
                        return Err(Errno::EPERM);
                    }
                    let busy = vmas_overlapping(&inner.vmas, addr, end).next().is_some();
                    if busy && matches!(req.placement, Placement::FixedNoReplace(_)) {
                        return Err(Errno::EEXIST);
                    }
                    (addr, busy)
                }
                Placement::Hint(hint) => {
                    // A hint below mmap_min_addr is raised to it
                    // (round_hint_to_min).
                    let hint = if hint != 0 && hint < MMAP_MIN_ADDR { MMAP_MIN_ADDR } else { page_align_down(hint) };
                    let at = if hint >= MMAP_MIN_ADDR && hint.checked_add(len).is_some_and(|e| e <= TASK_SIZE) && is_free(&inner.vmas, hint, hint + len) {
                        hint
                    } else {
                        find_free_top_down(&inner.vmas, len, MMAP_MIN_ADDR, MMAP_BASE).ok_or(Errno::ENOMEM)?
                    };
                    (at, false)
                }
                Placement::Low32 => (find_free_top_down(&inner.vmas, len, MAP_32BIT_RANGE.0, MAP_32BIT_RANGE.1).ok_or(Errno::ENOMEM)?, false),
            };
            let end = start + len;
            // RLIMIT_AS and RLIMIT_DATA; MAP_FIXED counts only the pages
            // it adds (mmap_region's may_expand_vm).
            if !may_expand(&inner.vmas, limits, len, data) && !may_expand(&inner.vmas, limits, len - overlap_bytes(&inner.vmas, start, end), data) {
                return Err(Errno::ENOMEM);
            }
            if flags.contains(VmaFlags::ACCOUNT) && !enough_memory(len) {
                return Err(Errno::ENOMEM);
            }
            if replaces {
                remove_range(inner, start, end);
            }
            inner.vmas.insert(start, Vma {
                start,
                end,
                prot: req.prot,
                shared: req.shared,
                backing: req.backing,
                kind: req.kind,
                origin: new_origin(),
                flags,
            });
            (start, populate)
        };
        if populate {
            // MAP_POPULATE is best effort (mm_populate ignores errors): a
            // page it could not fault in faults later, as any other.
            let _ = self.populate(start, start + len, true);
        }
        Ok(start)
    }

    /// Removes mappings in `[start, start+len)` (munmap).
    pub fn unmap(&self, start: usize, len: usize) -> KResult<()> {
        if start % PAGE_SIZE != 0 || len == 0 || start > TASK_SIZE || len > TASK_SIZE - start {
            return Err(Errno::EINVAL);
        }
        let end = page_align_up(start + len).ok_or(Errno::EINVAL)?;
        let mut inner = self.inner.lock();
        // Cutting a hole in one mapping makes one more.
        if inner.vmas.len() >= MAX_MAP_COUNT && vma_containing(&inner.vmas, start).is_some_and(|v| v.start < start && v.end > end) {
            return Err(Errno::ENOMEM);
        }
        remove_range(&mut inner, start, end);
        Ok(())
    }

    /// Changes the protection of `[start, end)` (mprotect), mapping by
    /// mapping in address order. Like Linux, it stops at the first hole
    /// (ENOMEM) or refused mapping (EACCES: a shared mapping of a file not
    /// open for writing made writable; ENOMEM: RLIMIT_DATA or memory for a
    /// private mapping made writable), with the mappings before it already
    /// changed. With `grows_down`, the range extends down to the start of
    /// the stack mapping it begins in (PROT_GROWSDOWN).
    pub fn protect(&self, start: usize, end: usize, prot: Prot, grows_down: bool, limits: &Limits) -> KResult<()> {
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        let Some(first) = vmas_overlapping(&inner.vmas, start, end).next() else {
            return Err(Errno::ENOMEM);
        };
        let start = if grows_down {
            if !first.flags.contains(VmaFlags::GROWSDOWN) {
                return Err(Errno::EINVAL);
            }
            first.start
        } else {
            if first.start > start {
                return Err(Errno::ENOMEM);
            }
            start
        };
        let data_limited = limits.data != u64::MAX;
        for_each_piece(inner, start, end, data_limited, |v, pt, vmas_data| {
            if prot.contains(Prot::WRITE) && v.shared && !v.flags.contains(VmaFlags::MAY_WRITE) {
                return Err(Errno::EACCES);
            }
            if prot.contains(Prot::WRITE) {
                let becomes_data = is_data(prot, v.shared, v.flags) && !v.is_data();
                if becomes_data && data_limited && (vmas_data + v.len()) as u64 > limits.data {
                    return Err(Errno::ENOMEM);
                }
                let charged = VmaFlags::ACCOUNT | VmaFlags::NORESERVE;
                if !v.shared && !v.prot.contains(Prot::WRITE) && !v.flags.intersects(charged) {
                    if !enough_memory(v.len()) {
                        return Err(Errno::ENOMEM);
                    }
                    v.flags |= VmaFlags::ACCOUNT;
                }
            }
            v.prot = prot;
            // Private writable pages stay read-only in the page table: the
            // first store goes through the copy-on-write check.
            pt.protect_range(v.start, v.end, page_flags(prot, v.shared));
            Ok(())
        })
    }

    /// mremap: resizes and/or moves the mapping at `old` (the arguments
    /// are already checked and page-aligned by the system call).
    pub fn remap(&self, old: usize, old_len: usize, new_len: usize, mode: RemapMode, limits: &Limits) -> KResult<usize> {
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        let vma = vma_containing(&inner.vmas, old).ok_or(Errno::EFAULT)?;
        if old_len == 0 {
            // A second mapping of the same shared pages.
            if !vma.shared || !mode.may_move {
                return Err(Errno::EINVAL);
            }
            let (source, offset) = match vma.file_page(old) {
                Some((s, o)) => (s.clone(), o),
                None => return Err(Errno::EINVAL),
            };
            let path = match &vma.backing {
                Backing::File { path, .. } => path.clone(),
                Backing::Anonymous => None,
            };
            let mut copy = vma.clone();
            copy.flags.remove(VmaFlags::LOCKED);
            copy.backing = Backing::File { source, offset, valid_len: None, path };
            if !may_expand(&inner.vmas, limits, new_len, copy.is_data()) {
                return Err(Errno::ENOMEM);
            }
            let target = place_move_target(inner, mode, new_len)?;
            copy.start = target;
            copy.end = target + new_len;
            copy.origin = new_origin();
            inner.vmas.insert(target, copy);
            return Ok(target);
        }
        if old + old_len > vma.end {
            // The range may not run past its mapping.
            return Err(Errno::EFAULT);
        }
        let in_place = mode.fixed.is_none() && !mode.dont_unmap;
        if in_place && new_len == old_len {
            return Ok(old);
        }
        if in_place && new_len < old_len {
            remove_range(inner, old + new_len, old + old_len);
            return Ok(old);
        }
        let data = vma.is_data();
        let account = vma.flags.contains(VmaFlags::ACCOUNT);
        let grow = new_len.saturating_sub(old_len);
        let added = if mode.dont_unmap { new_len } else { grow };
        if !may_expand(&inner.vmas, limits, added, data) || (account && !enough_memory(grow)) {
            return Err(Errno::ENOMEM);
        }
        if in_place && old + old_len == vma.end {
            let new_end = old + new_len;
            let room = new_end <= TASK_SIZE
                && inner.vmas.range(vma.end..).next().is_none_or(|(_, next)| new_end <= start_gap(next));
            if room {
                let key = vma.start;
                inner.vmas.get_mut(&key).expect("vma vanished").end = new_end;
                return Ok(old);
            }
        }
        if !mode.may_move {
            return Err(Errno::ENOMEM);
        }
        let mut old_len = old_len;
        if let Some(target) = mode.fixed {
            remove_range(inner, target, target + new_len);
            if old_len > new_len {
                remove_range(inner, old + new_len, old + old_len);
                old_len = new_len;
            }
        }
        let target = place_move_target(inner, mode, new_len)?;
        // Carve out the piece that moves, then move its page-table
        // entries: the pages travel without a copy.
        split_at(&mut inner.vmas, old);
        split_at(&mut inner.vmas, old + old_len);
        let piece = inner.vmas.remove(&old).expect("vma vanished");
        if inner.page_table.move_range(old, old_len, target).is_err() {
            inner.vmas.insert(old, piece);
            merge_range(&mut inner.vmas, old, old + old_len);
            return Err(Errno::ENOMEM);
        }
        let mut moved = piece.clone();
        moved.start = target;
        moved.end = target + new_len;
        inner.vmas.insert(target, moved);
        if mode.dont_unmap {
            // The old range stays mapped, without its pages and unlocked.
            let mut left = piece;
            left.flags.remove(VmaFlags::LOCKED);
            inner.vmas.insert(old, left);
        }
        merge_range(&mut inner.vmas, old, old + old_len);
        Ok(target)
    }

    /// madvise: applies `advice` to every mapping in `[start, end)`. Holes
    /// are skipped and reported as ENOMEM at the end; a mapping the advice
    /// cannot apply to stops the walk with EINVAL (Linux's
    /// madvise_walk_vmas).
    pub fn advise(&self, start: usize, end: usize, advice: Advice) -> KResult<()> {
        let walked = {
            let mut inner = self.inner.lock();
            let inner = &mut *inner;
            let mut at = start;
            let mut hole = false;
            loop {
                let Some(v) = vmas_overlapping(&inner.vmas, at, usize::MAX).next() else {
                    return Err(Errno::ENOMEM);
                };
                if v.start >= end {
                    hole = true;
                    break;
                }
                if v.start > at {
                    hole = true;
                    at = v.start;
                }
                let piece_end = v.end.min(end);
                advise_piece(inner, at, piece_end, advice)?;
                at = piece_end;
                if at >= end {
                    break;
                }
            }
            if hole { Err(Errno::ENOMEM) } else { Ok(()) }
        };
        if let (Ok(()), Advice::Populate { write }) = (walked, advice) {
            return self.populate_strict(start, end, write);
        }
        walked
    }

    /// mincore: fills `out` (one byte per page from `start`) with 1 for
    /// resident pages: pages this page table maps, and pages of file
    /// mappings that are in the page cache. Returns how many entries are
    /// valid: fewer than `out.len()` when the range hits an unmapped page
    /// (the caller then fails with ENOMEM after copying them, as Linux
    /// copies out the vector up to the hole).
    pub fn residency(&self, start: usize, out: &mut [u8]) -> usize {
        out.fill(0);
        let inner = self.inner.lock();
        let end = start + out.len() * PAGE_SIZE;
        let mut at = start;
        while at < end {
            let Some(v) = vma_containing(&inner.vmas, at) else { break };
            let piece_end = v.end.min(end);
            inner.page_table.for_each_mapped(at, piece_end, |va| out[(va - start) / PAGE_SIZE] = 1);
            if let Backing::File { .. } = v.backing {
                for va in (at..piece_end).step_by(PAGE_SIZE) {
                    let i = (va - start) / PAGE_SIZE;
                    if out[i] == 0
                        && let Some((source, off)) = v.file_page(va)
                    {
                        out[i] = source.cached(off / PAGE_SIZE as u64) as u8;
                    }
                }
            }
            at = piece_end;
        }
        (at - start) / PAGE_SIZE
    }

    /// msync's checks over `[start, end)`: ENOMEM for unmapped pages (at
    /// once for a plain MS_ASYNC, else after the rest is done), EBUSY for
    /// MS_INVALIDATE on a locked mapping. There is nothing to write back:
    /// shared mappings map the page cache itself and the file systems are
    /// in memory.
    pub fn sync_check(&self, start: usize, end: usize, async_only: bool, invalidate: bool) -> KResult<()> {
        let inner = self.inner.lock();
        let mut at = start;
        let mut hole = false;
        loop {
            let Some(v) = vmas_overlapping(&inner.vmas, at, usize::MAX).next() else {
                return Err(Errno::ENOMEM);
            };
            if v.start > at {
                if async_only {
                    return Err(Errno::ENOMEM);
                }
                hole = true;
                at = v.start;
                if at >= end {
                    break;
                }
            }
            if invalidate && v.flags.contains(VmaFlags::LOCKED) {
                return Err(Errno::EBUSY);
            }
            at = v.end;
            if at >= end {
                break;
            }
        }
        if hole { Err(Errno::ENOMEM) } else { Ok(()) }
    }

    /// mlock / munlock of `[start, end)`: sets or clears the lock of every
    /// mapping in order, stopping with ENOMEM at the first hole (mappings
    /// before it stay changed). Locking faults the pages in unless
    /// `on_fault` (MLOCK_ONFAULT); a page that cannot be faulted in
    /// (PROT_NONE, past end of file) gives ENOMEM, the range staying
    /// locked.
    pub fn lock_range(&self, start: usize, end: usize, lock: bool, on_fault: bool, limits: &Limits) -> KResult<()> {
        {
            let mut inner = self.inner.lock();
            let inner = &mut *inner;
            if lock && !limits.can_lock {
                if limits.memlock == 0 {
                    return Err(Errno::EPERM);
                }
                let locked: usize = inner.vmas.values().filter(|v| v.flags.contains(VmaFlags::LOCKED)).map(|v| v.len()).sum();
                if (locked + (end - start)) as u64 > limits.memlock {
                    return Err(Errno::ENOMEM);
                }
            }
            if vma_containing(&inner.vmas, start).is_none() {
                return Err(Errno::ENOMEM);
            }
            for_each_piece(inner, start, end, false, |v, _, _| {
                v.flags.set(VmaFlags::LOCKED, lock);
                Ok(())
            })?;
        }
        if lock && !on_fault {
            self.populate(start, end, false).map_err(|_| Errno::ENOMEM)?;
        }
        Ok(())
    }

    /// mlockall: locks every mapping now (`current`), and/or every later
    /// one (`future`); pages are faulted in (unless `on_fault`), errors
    /// ignored (Linux).
    pub fn lock_all(&self, current: bool, future: bool, on_fault: bool, limits: &Limits) -> KResult<()> {
        let mut ranges = Vec::new();
        {
            let mut inner = self.inner.lock();
            if !limits.can_lock {
                if limits.memlock == 0 {
                    return Err(Errno::EPERM);
                }
                let total: usize = inner.vmas.values().map(|v| v.len()).sum();
                if current && total as u64 > limits.memlock {
                    return Err(Errno::ENOMEM);
                }
            }
            inner.lock_future = future.then_some(on_fault);
            if current {
                ranges.try_reserve(inner.vmas.len()).map_err(|_| Errno::ENOMEM)?;
                for v in inner.vmas.values_mut() {
                    v.flags |= VmaFlags::LOCKED;
                    ranges.push((v.start, v.end));
                }
            }
        }
        if !on_fault {
            for (s, e) in ranges {
                let _ = self.populate(s, e, true);
            }
        }
        Ok(())
    }

    /// munlockall: unlocks everything, now and for later mappings.
    pub fn unlock_all(&self) {
        let mut inner = self.inner.lock();
        inner.lock_future = None;
        for v in inner.vmas.values_mut() {
            v.flags.remove(VmaFlags::LOCKED);
        }
        merge_range(&mut inner.vmas, 0, TASK_SIZE);
    }

    /// Faults in every page of `[start, end)`: for writing where a store
    /// would copy a private page anyway (Linux's populate_vma_page_range),
    /// for reading elsewhere. PROT_NONE mappings and holes are skipped with
    /// `ignore_errors`, else they stop it with EFAULT; out of memory always
    /// stops it, and kills the caller as a fault would (it is the process
    /// asking for the memory).
    fn populate(&self, start: usize, end: usize, ignore_errors: bool) -> Result<(), FaultError> {
        let mut at = start;
        while at < end {
            let step = {
                let inner = self.inner.lock();
                match vma_containing(&inner.vmas, at) {
                    None => Err(vmas_overlapping(&inner.vmas, at, end).next().map(|v| v.start)),
                    Some(v) if v.prot.is_empty() => Err(Some(v.end)),
                    Some(v) => Ok((v.end.min(end), v.prot.contains(Prot::WRITE) && !v.shared)),
                }
            };
            match step {
                Ok((piece_end, write)) => {
                    let access = if write { Access::Write } else { Access::Read };
                    while at < piece_end {
                        match self.handle_fault(at, access) {
                            Ok(()) => at += PAGE_SIZE,
                            Err(FaultError::OutOfMemory) => {
                                super::fault::oom_kill_current();
                                return Err(FaultError::OutOfMemory);
                            }
                            // Past end of file: the rest of this mapping too.
                            Err(e) if !ignore_errors => return Err(e),
                            Err(_) => at = piece_end,
                        }
                    }
                }
                Err(_) if !ignore_errors => return Err(FaultError::Unmapped),
                Err(Some(next)) => at = next,
                Err(None) => break,
            }
        }
        Ok(())
    }

    /// MADV_POPULATE_(READ|WRITE): every page must be faulted in, for
    /// writing if asked (madvise_populate): EINVAL where the access is not
    /// allowed, EFAULT past end of file (where it would be SIGBUS), ENOMEM
    /// for holes and when memory runs out.
    fn populate_strict(&self, start: usize, end: usize, write: bool) -> KResult<()> {
        let access = if write { Access::Write } else { Access::Read };
        for at in (start..end).step_by(PAGE_SIZE) {
            match self.handle_fault(at, access) {
                Ok(()) => {}
                Err(FaultError::OutOfMemory) => {
                    super::fault::oom_kill_current();
                    return Err(Errno::ENOMEM);
                }
                Err(FaultError::Unmapped) => return Err(Errno::ENOMEM),
                Err(FaultError::Protection) => return Err(Errno::EINVAL),
                Err(FaultError::BeyondFile) => return Err(Errno::EFAULT),
            }
        }
        Ok(())
    }

    /// Handles a page fault at `addr`: demand paging, copy-on-write, and
    /// growth of a stack into the free space below it.
    pub fn handle_fault(&self, addr: usize, access: Access) -> Result<(), FaultError> {
        if addr >= TASK_SIZE {
            return Err(FaultError::Unmapped);
        }
        let page = page_align_down(addr);
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        if vma_containing(&inner.vmas, addr).is_none() {
            let limits = super::current_limits();
            grow_stack(inner, page, &limits).map_err(|_| FaultError::Unmapped)?;
        }
        let vma = vma_containing(&inner.vmas, addr).ok_or(FaultError::Unmapped)?;
        let allowed = match access {
            Access::Read => vma.prot.intersects(Prot::READ | Prot::WRITE | Prot::EXEC),
            Access::Write => vma.prot.contains(Prot::WRITE),
            Access::Exec => vma.prot.contains(Prot::EXEC),
        };
        if !allowed {
            return Err(FaultError::Protection);
        }
        let write = access == Access::Write;
        if let Some(m) = inner.page_table.lookup(page) {
            if !write || m.flags.writable {
                return Ok(()); // already resolved (another thread, or a spurious fault)
            }
            // Write to a read-only page of a writable mapping.
            let flags = MapFlags { writable: true, ..page_flags(vma.prot, vma.shared) };
            // Sole owner (this handle + the page-table entry): keep the page.
            if vma.shared || m.frame.ref_count() == 2 {
                inner.page_table.protect(page, flags);
                return Ok(());
            }
            let copy = PhysFrame::alloc_uninit().ok_or(FaultError::OutOfMemory)?;
            copy.copy_from(&m.frame);
            drop(m);
            // The old frame (dropped here) was shared: the other owners
            // keep it; only this table's reference goes.
            inner.page_table.map(page, copy, flags).map_err(|_| FaultError::OutOfMemory)?;
            return Ok(());
        }
        let frame = match &vma.backing {
            Backing::Anonymous => PhysFrame::alloc_zeroed().ok_or(FaultError::OutOfMemory)?,
            Backing::File { source, offset, valid_len, .. } => {
                let rel = (page - vma.start) as u64;
                let file_off = offset + rel;
                let visible = match valid_len {
                    Some(v) => v.saturating_sub(rel).min(PAGE_SIZE as u64),
                    None => PAGE_SIZE as u64,
                };
                if visible == 0 {
                    // The zero-filled tail of an ELF segment (its bss).
                    PhysFrame::alloc_zeroed().ok_or(FaultError::OutOfMemory)?
                } else {
                    // A page wholly past end of file: SIGBUS (mmap(2)).
                    if file_off >= source.size().next_multiple_of(PAGE_SIZE as u64) {
                        return Err(FaultError::BeyondFile);
                    }
                    let cached = source.page(file_off / PAGE_SIZE as u64).map_err(|_| FaultError::OutOfMemory)?;
                    if visible < PAGE_SIZE as u64 || (write && !vma.shared) {
                        // Private copy now: a partial page (zero its tail)
                        // or a store that would copy anyway.
                        let copy = PhysFrame::alloc_uninit().ok_or(FaultError::OutOfMemory)?;
                        copy.copy_from(&cached);
                        copy.zero_range(visible as usize, PAGE_SIZE - visible as usize);
                        copy
                    } else {
                        cached
                    }
                }
            }
        };
        let mut flags = page_flags(vma.prot, vma.shared);
        if write {
            flags.writable = true;
        } else if !vma.shared && matches!(vma.backing, Backing::Anonymous) && vma.prot.contains(Prot::WRITE) {
            // A fresh anonymous page is ours alone: map it writable now and
            // save the second fault.
            flags.writable = true;
        }
        inner.page_table.map(page, frame, flags).map_err(|_| FaultError::OutOfMemory)?;
        Ok(())
    }

    /// Reads user memory of this address space (another process's, for
    /// /proc/PID/cmdline and environ). Pages not yet present are faulted
    /// in for reading; reading stops at the first unreadable page.
    pub fn read_user(&self, addr: usize, len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        while out.len() < len {
            let at = addr + out.len();
            let off = at % PAGE_SIZE;
            let chunk = (PAGE_SIZE - off).min(len - out.len());
            if self.handle_fault(at, Access::Read).is_err() {
                break;
            }
            let Some(m) = self.inner.lock().page_table.lookup(page_align_down(at)) else { break };
            let start = out.len();
            out.resize(start + chunk, 0);
            m.frame.read(off, &mut out[start..]);
        }
        out
    }

    /// Writes `data` at user address `addr` of this address space, whether
    /// or not it is the active one (exec builds the new stack this way).
    pub fn write_user(&self, addr: usize, data: &[u8]) -> KResult<()> {
        let mut done = 0;
        while done < data.len() {
            let at = addr + done;
            let off = at % PAGE_SIZE;
            let chunk = (PAGE_SIZE - off).min(data.len() - done);
            self.handle_fault(at, Access::Write).map_err(|_| Errno::EFAULT)?;
            let m = self.inner.lock().page_table.lookup(page_align_down(at)).ok_or(Errno::EFAULT)?;
            m.frame.write(off, &data[done..done + chunk]);
            done += chunk;
        }
        Ok(())
    }

    /// How many bytes from `start` (up to `len`) lie in mappings that allow
    /// the access: a store when `write`, a load otherwise. System calls
    /// clip transfers to this, so a buffer that runs into an unmapped page
    /// gives a short count as on Linux, and EFAULT only when nothing fits.
    /// A buffer just below a stack grows the stack first, as the fault in
    /// the copy would on Linux.
    pub fn accessible_len(&self, start: usize, len: usize, write: bool) -> usize {
        let Some(end) = start.checked_add(len) else { return 0 };
        let mut inner = self.inner.lock();
        if start < TASK_SIZE && vma_containing(&inner.vmas, start).is_none() {
            let _ = grow_stack(&mut inner, page_align_down(start), &super::current_limits());
        }
        let mut at = start;
        for v in vmas_overlapping(&inner.vmas, start, end) {
            let ok = if write { v.prot.contains(Prot::WRITE) } else { !v.prot.is_empty() };
            if v.start > at || !ok {
                break;
            }
            at = v.end;
            if at >= end {
                break;
            }
        }
        at.min(end).saturating_sub(start)
    }

    /// Whether `[start, start+len)` is entirely mapped with at least `prot`.
    pub fn range_allows(&self, start: usize, len: usize, prot: Prot) -> bool {
        let inner = self.inner.lock();
        let end = match start.checked_add(len) {
            Some(e) => e,
            None => return false,
        };
        let mut at = start;
        for v in vmas_overlapping(&inner.vmas, start, end) {
            if v.start > at || !v.prot.contains(prot) {
                return false;
            }
            at = v.end;
        }
        at >= end
    }

    /// A snapshot of the VMAs (for /proc/PID/maps and core logic that must
    /// not hold the lock).
    pub fn vmas(&self) -> Vec<Vma> {
        self.inner.lock().vmas.values().cloned().collect()
    }

    /// A copy of the VMA containing `addr`, if any (cheaper than
    /// [`AddressSpace::vmas`] when one is wanted).
    pub fn vma_at(&self, addr: usize) -> Option<Vma> {
        vma_containing(&self.inner.lock().vmas, addr).cloned()
    }

    /// Pages resident now and the most there have been (RSS and its
    /// high-water mark, for /proc and getrusage).
    pub fn resident_pages(&self) -> (usize, usize) {
        let inner = self.inner.lock();
        (inner.page_table.resident_pages(), inner.page_table.peak_resident_pages())
    }

    /// Pages of `[start, end)` this page table maps now (smaps' Rss).
    pub fn resident_in(&self, start: usize, end: usize) -> usize {
        let mut n = 0;
        self.inner.lock().page_table.for_each_mapped(start, end, |_| n += 1);
        n
    }

    /// Total mapped bytes (for /proc and getrusage).
    pub fn total_mapped(&self) -> usize {
        self.inner.lock().vmas.values().map(|v| v.len()).sum()
    }

    /// Drops every mapping (exec, exit): frees all user pages now.
    pub fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.vmas.clear();
        inner.page_table.clear_user_half();
    }

    /// After the file behind `source_id` shrank to `new_size` bytes, unmaps
    /// the pages of its mappings that lie wholly past the new end (private
    /// copies too, as Linux's truncate does), so touching them raises
    /// SIGBUS instead of showing data the file no longer has.
    pub(super) fn unmap_file_beyond(&self, source_id: usize, new_size: u64) {
        let first_dead = new_size.next_multiple_of(PAGE_SIZE as u64);
        let mut inner = self.inner.lock();
        let Inner { vmas, page_table, .. } = &mut *inner;
        for v in vmas.values() {
            let Backing::File { source, offset, .. } = &v.backing else { continue };
            if super::source_id(&**source) != source_id {
                continue;
            }
            let vma_file_end = offset + v.len() as u64;
            if vma_file_end <= first_dead {
                continue;
            }
            let from = v.start + first_dead.saturating_sub(*offset) as usize;
            page_table.unmap_range(from, v.end);
        }
    }

    /// Unmaps the pages of file `source_id` in the file range
    /// `[start, end)` (page-aligned) from shared mappings of it. Private
    /// mappings keep their copies, as after a hole punch on Linux.
    pub(super) fn unmap_file_range(&self, source_id: usize, start: u64, end: u64) {
        let mut inner = self.inner.lock();
        let Inner { vmas, page_table, .. } = &mut *inner;
        for v in vmas.values() {
            let Backing::File { source, offset, .. } = &v.backing else { continue };
            if !v.shared || super::source_id(&**source) != source_id {
                continue;
            }
            let (from, to) = (start.max(*offset), end.min(offset + v.len() as u64));
            if from >= to {
                continue;
            }
            page_table.unmap_range(v.start + (from - offset) as usize, v.start + (to - offset) as usize);
        }
    }

    /// Whether a shared mapping of file `source_id` may be written
    /// (VM_SHARED and VM_MAYWRITE).
    pub(super) fn maps_file_writably(&self, source_id: usize) -> bool {
        let inner = self.inner.lock();
        inner.vmas.values().any(|v| {
            v.shared && v.flags.contains(VmaFlags::MAY_WRITE) && matches!(&v.backing, Backing::File { source, .. } if super::source_id(&**source) == source_id)
        })
    }
}

/// Page-table rights for a VMA's protection. Private writable mappings
/// start read-only only where a page is shared; callers upgrade.
fn page_flags(prot: Prot, shared: bool) -> MapFlags {
    MapFlags {
        writable: prot.contains(Prot::WRITE) && shared,
        executable: prot.contains(Prot::EXEC),
        user: true,
        no_access: prot.is_empty(),
    }
}

/// The heuristic overcommit check (vm.overcommit_memory = 0, Linux's
/// default): one request may not be larger than all of memory (there is
/// no swap). Smaller requests always pass; running out later is handled
/// at fault time.
fn enough_memory(bytes: usize) -> bool {
    bytes / PAGE_SIZE <= kevlar_hal::mem::frame::stats().total
}

/// Linux's may_expand_vm: whether `bytes` more of mappings (data or not)
/// stay within RLIMIT_AS and RLIMIT_DATA. The totals are summed only when
/// a limit is set (the default is unlimited).
fn may_expand(vmas: &BTreeMap<usize, Vma>, limits: &Limits, bytes: usize, data: bool) -> bool {
    if limits.address_space != u64::MAX {
        let total: usize = vmas.values().map(|v| v.len()).sum();
        if (total + bytes) as u64 > limits.address_space {
            return false;
        }
    }
    if data && limits.data != u64::MAX {
        let in_data: usize = vmas.values().filter(|v| v.is_data()).map(|v| v.len()).sum();
        if (in_data + bytes) as u64 > limits.data {
            return false;
        }
    }
    true
}

/// Bytes of existing mappings inside `[start, end)`.
fn overlap_bytes(vmas: &BTreeMap<usize, Vma>, start: usize, end: usize) -> usize {
    vmas_overlapping(vmas, start, end).map(|v| v.end.min(end) - v.start.max(start)).sum()
}

/// Where the free space below a VMA ends: its start, or for a stack that
/// grows down, the start of its guard gap (Linux's vm_start_gap).
fn start_gap(v: &Vma) -> usize {
    if v.flags.contains(VmaFlags::GROWSDOWN) { v.start.saturating_sub(STACK_GUARD_GAP) } else { v.start }
}

/// The VMA containing `addr`.
fn vma_containing(vmas: &BTreeMap<usize, Vma>, addr: usize) -> Option<&Vma> {
    vmas.range(..=addr).next_back().map(|(_, v)| v).filter(|v| addr < v.end)
}

/// Whether a VMA starting before `start` reaches into the range at `start`.
fn overlaps_before(vmas: &BTreeMap<usize, Vma>, start: usize) -> bool {
    vmas.range(..start).next_back().is_some_and(|(_, v)| v.end > start)
}

/// Whether `[start, end)` is free for a non-fixed mapping: nothing mapped
/// there and not in a stack's guard gap.
fn is_free(vmas: &BTreeMap<usize, Vma>, start: usize, end: usize) -> bool {
    vmas_overlapping(vmas, start, end).next().is_none() && vmas.range(end..).next().is_none_or(|(_, next)| end <= start_gap(next))
}

fn vmas_overlapping(vmas: &BTreeMap<usize, Vma>, start: usize, end: usize) -> impl Iterator<Item = &Vma> {
    let first = vmas.range(..start).next_back().filter(|(_, v)| v.end > start).map(|(_, v)| v);
    first.into_iter().chain(vmas.range(start..end).map(|(_, v)| v))
}

/// Splits the VMA containing `at` (if `at` is strictly inside one).
fn split_at(vmas: &mut BTreeMap<usize, Vma>, at: usize) {
    let key = match vmas.range(..at).next_back() {
        Some((k, v)) if v.end > at => *k,
        _ => return,
    };
    let high = vmas.get_mut(&key).expect("vma vanished").split_off(at);
    vmas.insert(at, high);
}

/// Merges adjacent pieces of one mapping again, from the VMA before
/// `start` to the one after `end` (see [`Vma::origin`]).
fn merge_range(vmas: &mut BTreeMap<usize, Vma>, start: usize, end: usize) {
    let mut at = vmas.range(..start).next_back().map_or(start, |(k, _)| *k);
    loop {
        let Some((&key, _)) = vmas.range(at..).next() else { return };
        if key > end {
            return;
        }
        let end_of_key = vmas[&key].end;
        let next_key = match vmas.range(end_of_key..).next() {
            Some((&k, n)) if vmas[&key].can_merge(n) => k,
            _ => {
                at = end_of_key.max(key + 1);
                continue;
            }
        };
        let high = vmas.remove(&next_key).expect("vma vanished");
        vmas.get_mut(&key).expect("vma vanished").end = high.end;
        at = key;
    }
}

/// Applies `f` to each piece of the VMAs covering `[start, end)`, in
/// address order, after splitting them at the edges; `f` also gets the
/// page table and (with `want_data`, else 0) the bytes of data mappings.
/// Stops with ENOMEM at the first hole, or with `f`'s error, the pieces
/// before it staying changed (mprotect_fixup, mlock_fixup). Pieces are
/// merged back where possible.
fn for_each_piece(
    inner: &mut Inner,
    start: usize,
    end: usize,
    want_data: bool,
    mut f: impl FnMut(&mut Vma, &mut PageTable, usize) -> KResult<()>,
) -> KResult<()> {
    let mut at = start;
    let mut result = Ok(());
    while at < end {
        if vma_containing(&inner.vmas, at).is_none() {
            result = Err(Errno::ENOMEM);
            break;
        }
        split_at(&mut inner.vmas, at);
        let piece_end = inner.vmas[&at].end.min(end);
        split_at(&mut inner.vmas, piece_end);
        let data: usize = if want_data { inner.vmas.values().filter(|v| v.is_data()).map(|v| v.len()).sum() } else { 0 };
        let v = inner.vmas.get_mut(&at).expect("vma vanished");
        if let Err(e) = f(v, &mut inner.page_table, data) {
            result = Err(e);
            break;
        }
        at = piece_end;
    }
    merge_range(&mut inner.vmas, start, end);
    result
}

/// One madvise step on `[start, end)`, inside one VMA.
fn advise_piece(inner: &mut Inner, start: usize, end: usize, advice: Advice) -> KResult<()> {
    let v = vma_containing(&inner.vmas, start).expect("advise: no vma");
    let locked = v.flags.contains(VmaFlags::LOCKED);
    match advice {
        Advice::Hint | Advice::Populate { .. } => Ok(()),
        Advice::DontNeed { locked_too } => {
            if locked && !locked_too {
                return Err(Errno::EINVAL);
            }
            inner.page_table.unmap_range(start, end);
            Ok(())
        }
        Advice::Free => {
            if locked || v.shared || !matches!(v.backing, Backing::Anonymous) {
                return Err(Errno::EINVAL);
            }
            // Freeing at once is one of the outcomes MADV_FREE allows.
            inner.page_table.unmap_range(start, end);
            Ok(())
        }
        Advice::DontFork(on) => set_flag(inner, start, end, VmaFlags::DONTFORK, on),
        Advice::WipeOnFork(on) => {
            if on && (v.shared || !matches!(v.backing, Backing::Anonymous)) {
                return Err(Errno::EINVAL);
            }
            set_flag(inner, start, end, VmaFlags::WIPEONFORK, on)
        }
    }
}

fn set_flag(inner: &mut Inner, start: usize, end: usize, flag: VmaFlags, on: bool) -> KResult<()> {
    for_each_piece(inner, start, end, false, |v, _, _| {
        v.flags.set(flag, on);
        Ok(())
    })
}

/// Grows the stack VMA just above `page` down to it, if that VMA grows
/// down and the growth is allowed (Linux's expand_downwards and
/// acct_stack_growth): not below mmap_min_addr, not to within the guard
/// gap of an accessible mapping below, within RLIMIT_STACK and RLIMIT_AS.
fn grow_stack(inner: &mut Inner, page: usize, limits: &Limits) -> Result<(), ()> {
    let (&key, v) = inner.vmas.range(page..).next().ok_or(())?;
    if !v.flags.contains(VmaFlags::GROWSDOWN) || page < MMAP_MIN_ADDR {
        return Err(());
    }
    if let Some((_, prev)) = inner.vmas.range(..page).next_back()
        && !prev.flags.contains(VmaFlags::GROWSDOWN)
        && !prev.prot.is_empty()
        && page - prev.end < STACK_GUARD_GAP
    {
        return Err(());
    }
    let grow = v.start - page;
    if (v.end - page) as u64 > limits.stack || !may_expand(&inner.vmas, limits, grow, v.is_data()) || !enough_memory(grow) {
        return Err(());
    }
    let mut v = inner.vmas.remove(&key).expect("vma vanished");
    if let Backing::File { offset, .. } = &mut v.backing {
        match offset.checked_sub(grow as u64) {
            Some(o) => *offset = o,
            None => {
                inner.vmas.insert(key, v);
                return Err(());
            }
        }
    }
    v.start = page;
    inner.vmas.insert(page, v);
    Ok(())
}

/// The address a moving mremap goes to: the fixed one, or a free range.
fn place_move_target(inner: &Inner, mode: RemapMode, len: usize) -> KResult<usize> {
    match mode.fixed {
        Some(addr) => Ok(addr),
        None => find_free_top_down(&inner.vmas, len, MMAP_MIN_ADDR, MMAP_BASE).ok_or(Errno::ENOMEM),
    }
}

/// Removes all mappings in `[start, end)`, splitting VMAs at the edges and
/// freeing their pages (after the TLB flush).
fn remove_range(inner: &mut Inner, start: usize, end: usize) {
    split_at(&mut inner.vmas, start);
    split_at(&mut inner.vmas, end);
    while let Some((&k, _)) = inner.vmas.range(start..end).next() {
        inner.vmas.remove(&k);
    }
    inner.page_table.unmap_range(start, end);
}

/// Highest free range of `len` bytes in `[floor, top)`, keeping clear of
/// stacks' guard gaps (Linux's top-down unmapped_area_topdown).
fn find_free_top_down(vmas: &BTreeMap<usize, Vma>, len: usize, floor: usize, top: usize) -> Option<usize> {
    let mut ceiling = top;
    if let Some((_, above)) = vmas.range(top..).next() {
        ceiling = ceiling.min(start_gap(above));
    }
    for (_, v) in vmas.range(..top).rev() {
        if v.end < ceiling && ceiling - v.end >= len {
            let at = ceiling - len;
            return (at >= floor).then_some(at);
        }
        ceiling = ceiling.min(start_gap(v));
        if ceiling < floor.saturating_add(len) {
            return None;
        }
    }
    (ceiling >= floor.saturating_add(len)).then(|| ceiling - len)
}
