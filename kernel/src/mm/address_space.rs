//! A process's address space: its page table and its VMAs.
//!
//! Layout (x86_64, as Linux lays it out without randomisation for now; ASLR
//! comes with issue 5): the main stack ends at [`STACK_TOP`], mmap regions
//! are placed top-down below [`MMAP_BASE`], position-independent
//! executables load at [`ET_DYN_BASE`], and the brk heap follows the
//! executable's last segment.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::arch::paging::{MapFlags, PageTable};
use kevlar_hal::mem::frame::PhysFrame;
use kevlar_hal::sync::SpinLock;

use super::vma::{Backing, Prot, Vma, VmaKind};
use super::{PAGE_SIZE, page_align_down, page_align_up};
use crate::errno::{Errno, KResult};

/// End of the user address space (Linux's TASK_SIZE on x86_64).
pub const TASK_SIZE: usize = 0x7fff_ffff_f000;
/// Top of the main thread's stack.
pub const STACK_TOP: usize = TASK_SIZE;
/// Reserved size of the main stack (RLIMIT_STACK default).
pub const STACK_SIZE: usize = 8 << 20;
/// Highest address for mmap placement (TASK_SIZE minus Linux's minimum
/// stack gap of 128 MiB).
pub const MMAP_BASE: usize = TASK_SIZE - (128 << 20);
/// Load address of ET_DYN executables (Linux's ELF_ET_DYN_BASE).
pub const ET_DYN_BASE: usize = 0x5555_5555_4000;
/// Lowest address a mapping may use (vm.mmap_min_addr).
pub const MMAP_MIN_ADDR: usize = 0x10000;

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

struct Inner {
    page_table: PageTable,
    vmas: BTreeMap<usize, Vma>,
    brk_start: usize,
    brk: usize,
}

/// A user address space.
pub struct AddressSpace {
    inner: SpinLock<Inner>,
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
}

impl AddressSpace {
    /// An empty address space.
    pub fn new() -> KResult<Arc<AddressSpace>> {
        let page_table = PageTable::new().ok_or(Errno::ENOMEM)?;
        Ok(Arc::new(AddressSpace { inner: SpinLock::new(Inner { page_table, vmas: BTreeMap::new(), brk_start: 0, brk: 0 }) }))
    }

    /// Loads the page table on this CPU.
    pub fn activate(&self) {
        self.inner.lock().page_table.activate();
    }

    /// A copy for fork: shared mappings stay shared, private ones become
    /// copy-on-write in both address spaces.
    pub fn fork(&self) -> KResult<Arc<AddressSpace>> {
        let mut child_pt = PageTable::new().ok_or(Errno::ENOMEM)?;
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        for vma in inner.vmas.values() {
            let cow = !vma.shared;
            inner.page_table.fork_range(&mut child_pt, vma.start, vma.end, cow).map_err(|_| Errno::ENOMEM)?;
        }
        Ok(Arc::new(AddressSpace {
            inner: SpinLock::new(Inner { page_table: child_pt, vmas: inner.vmas.clone(), brk_start: inner.brk_start, brk: inner.brk }),
        }))
    }

    /// Sets the start of the brk heap (at exec).
    pub fn set_brk_start(&self, addr: usize) {
        let mut inner = self.inner.lock();
        inner.brk_start = addr;
        inner.brk = addr;
    }

    /// The brk system call: moves the break to `new` if possible and
    /// returns the break now in effect (Linux semantics: failure returns
    /// the old break, never an error).
    pub fn brk(&self, new: usize) -> usize {
        let mut inner = self.inner.lock();
        let old = inner.brk;
        if new < inner.brk_start || new >= MMAP_BASE {
            return old;
        }
        let old_end = page_align_up(old).unwrap_or(old);
        let Some(new_end) = page_align_up(new) else { return old };
        if new_end > old_end {
            // The heap must not grow into another mapping.
            if inner.vmas.range(old_end..new_end).next().is_some() || overlaps_before(&inner.vmas, old_end, new_end) {
                return old;
            }
            let heap = inner.vmas.values_mut().find(|v| v.kind == VmaKind::Heap && v.end == old_end);
            match heap {
                Some(v) => v.end = new_end,
                None => {
                    inner.vmas.insert(old_end, Vma {
                        start: old_end,
                        end: new_end,
                        prot: Prot::READ | Prot::WRITE,
                        shared: false,
                        backing: Backing::Anonymous,
                        kind: VmaKind::Heap,
                    });
                }
            }
        } else if new_end < old_end {
            let inner = &mut *inner;
            remove_range(inner, new_end, old_end);
        }
        inner.brk = new;
        new
    }

    /// Creates a mapping and returns its address.
    pub fn map(&self, placement: Placement, len: usize, prot: Prot, shared: bool, backing: Backing, kind: VmaKind) -> KResult<usize> {
        let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
        if len == 0 || len > TASK_SIZE {
            return Err(Errno::ENOMEM);
        }
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        let start = match placement {
            Placement::Fixed(addr) | Placement::FixedNoReplace(addr) => {
                if addr % PAGE_SIZE != 0 {
                    return Err(Errno::EINVAL);
                }
                let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
                if end > TASK_SIZE || addr < MMAP_MIN_ADDR {
                    return Err(if addr < MMAP_MIN_ADDR { Errno::EPERM } else { Errno::ENOMEM });
                }
                let busy = inner.vmas.range(addr..end).next().is_some() || overlaps_before(&inner.vmas, addr, end);
                if busy {
                    if matches!(placement, Placement::FixedNoReplace(_)) {
                        return Err(Errno::EEXIST);
                    }
                    remove_range(inner, addr, end);
                }
                addr
            }
            Placement::Hint(hint) => {
                let hint = page_align_down(hint);
                let hint_ok = hint >= MMAP_MIN_ADDR
                    && hint.checked_add(len).is_some_and(|e| e <= TASK_SIZE)
                    && inner.vmas.range(hint..hint + len).next().is_none()
                    && !overlaps_before(&inner.vmas, hint, hint + len);
                if hint_ok { hint } else { find_free_top_down(&inner.vmas, len, MMAP_BASE).ok_or(Errno::ENOMEM)? }
            }
        };
        inner.vmas.insert(start, Vma { start, end: start + len, prot, shared, backing, kind });
        Ok(start)
    }

    /// Removes mappings in `[start, start+len)` (munmap).
    pub fn unmap(&self, start: usize, len: usize) -> KResult<()> {
        if start % PAGE_SIZE != 0 || len == 0 {
            return Err(Errno::EINVAL);
        }
        let end = page_align_up(len).and_then(|l| start.checked_add(l)).ok_or(Errno::EINVAL)?;
        if end > TASK_SIZE {
            return Err(Errno::EINVAL);
        }
        let mut inner = self.inner.lock();
        remove_range(&mut inner, start, end);
        Ok(())
    }

    /// Changes protection of `[start, start+len)` (mprotect). Every page of
    /// the range must be mapped (ENOMEM otherwise).
    pub fn protect(&self, start: usize, len: usize, prot: Prot) -> KResult<()> {
        if start % PAGE_SIZE != 0 {
            return Err(Errno::EINVAL);
        }
        let end = page_align_up(len).and_then(|l| start.checked_add(l)).ok_or(Errno::ENOMEM)?;
        if end == start {
            return Ok(());
        }
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        // The whole range must be covered without holes.
        let mut at = start;
        for v in vmas_overlapping(&inner.vmas, start, end) {
            if v.start > at {
                return Err(Errno::ENOMEM);
            }
            at = v.end;
        }
        if at < end {
            return Err(Errno::ENOMEM);
        }
        split_at(&mut inner.vmas, start);
        split_at(&mut inner.vmas, end);
        let keys: Vec<usize> = inner.vmas.range(start..end).map(|(k, _)| *k).collect();
        for k in keys {
            let v = inner.vmas.get_mut(&k).expect("vma vanished");
            v.prot = prot;
            // Private writable pages stay read-only in the page table: the
            // first store goes through the copy-on-write check.
            let flags = page_flags(prot, v.shared);
            inner.page_table.protect_range(v.start, v.end, flags);
        }
        Ok(())
    }

    /// Handles a page fault at `addr`.
    pub fn handle_fault(&self, addr: usize, access: Access) -> Result<(), FaultError> {
        let page = page_align_down(addr);
        let mut inner = self.inner.lock();
        let inner = &mut *inner;
        let vma = match inner.vmas.range(..=addr).next_back() {
            Some((_, v)) if addr < v.end => v,
            _ => return Err(FaultError::Unmapped),
        };
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
            inner.page_table.map(page, copy, flags).map_err(|_| FaultError::OutOfMemory)?;
            return Ok(());
        }
        let frame = match &vma.backing {
            Backing::Anonymous => PhysFrame::alloc_zeroed().ok_or(FaultError::OutOfMemory)?,
            Backing::File { source, offset, valid_len } => {
                let rel = (page - vma.start) as u64;
                let file_off = offset + rel;
                let visible = match valid_len {
                    Some(v) => v.saturating_sub(rel).min(PAGE_SIZE as u64),
                    None if file_off >= source.size().next_multiple_of(PAGE_SIZE as u64) => {
                        return Err(FaultError::BeyondFile);
                    }
                    None => PAGE_SIZE as u64,
                };
                if visible == 0 {
                    PhysFrame::alloc_zeroed().ok_or(FaultError::OutOfMemory)?
                } else {
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

    /// Drops the pages of `[start, start+len)` but keeps the mappings
    /// (MADV_DONTNEED): the next touch sees zeros or the file again.
    pub fn discard(&self, start: usize, len: usize) -> KResult<()> {
        let end = page_align_up(len).and_then(|l| start.checked_add(l)).ok_or(Errno::EINVAL)?;
        let mut inner = self.inner.lock();
        drop(inner.page_table.unmap_range(start, end));
        Ok(())
    }

    /// How many bytes from `start` (up to `len`) lie in mappings that allow
    /// the access: a store when `write`, a load otherwise. System calls
    /// clip transfers to this, so a buffer that runs into an unmapped page
    /// gives a short count as on Linux, and EFAULT only when nothing fits.
    pub fn accessible_len(&self, start: usize, len: usize, write: bool) -> usize {
        let Some(end) = start.checked_add(len) else { return 0 };
        let inner = self.inner.lock();
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

    /// Resident pages and total mapped bytes (for /proc and getrusage).
    pub fn total_mapped(&self) -> usize {
        self.inner.lock().vmas.values().map(|v| v.len()).sum()
    }

    /// Drops every mapping (exec, exit): frees all user pages now.
    pub fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.vmas.clear();
        inner.page_table.clear_user_half();
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

/// Whether a VMA starting before `start` reaches into `[start, end)`.
fn overlaps_before(vmas: &BTreeMap<usize, Vma>, start: usize, _end: usize) -> bool {
    vmas.range(..start).next_back().is_some_and(|(_, v)| v.end > start)
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

/// Removes all mappings in `[start, end)`, splitting VMAs at the edges and
/// freeing their pages (after the TLB flush).
fn remove_range(inner: &mut Inner, start: usize, end: usize) {
    split_at(&mut inner.vmas, start);
    split_at(&mut inner.vmas, end);
    let keys: Vec<usize> = inner.vmas.range(start..end).map(|(k, _)| *k).collect();
    for k in keys {
        inner.vmas.remove(&k);
    }
    // Frames drop here, after unmap_range flushed the TLB.
    drop(inner.page_table.unmap_range(start, end));
}

/// Highest free gap of `len` bytes below `top`.
fn find_free_top_down(vmas: &BTreeMap<usize, Vma>, len: usize, top: usize) -> Option<usize> {
    let mut ceiling = top;
    for v in vmas.range(..top).rev() {
        let v = v.1;
        if v.end <= ceiling && ceiling - v.end >= len {
            return Some(ceiling - len);
        }
        ceiling = ceiling.min(v.start);
    }
    (ceiling >= MMAP_MIN_ADDR + len).then(|| ceiling - len)
}
