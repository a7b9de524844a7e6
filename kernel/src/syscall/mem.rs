//! brk, mmap, munmap, mprotect, mremap, madvise, msync, mincore and the
//! mlock family.
//!
//! Each handler decodes and checks its arguments in the order Linux does
//! (so the same bad call fails with the same errno), then asks the
//! address space ([`crate::mm::AddressSpace`]) to do the work under the
//! caller's resource limits.

use alloc::sync::Arc;

use super::file;
use crate::errno::{Errno, KResult};
use crate::mm::address_space::{Advice, MapRequest, Placement, RemapMode, TASK_SIZE};
use crate::mm::shmem::SharedAnon;
use crate::mm::uaccess::write_bytes;
use crate::mm::vma::{VmaFlags, VmaKind};
use crate::mm::{AddressSpace, Backing, PAGE_SIZE, Prot, current_limits, page_align_down, page_align_up};
use crate::sched::current;

const MAP_SHARED: u32 = 0x01;
const MAP_PRIVATE: u32 = 0x02;
const MAP_SHARED_VALIDATE: u32 = 0x03;
const MAP_DROPPABLE: u32 = 0x08;
const MAP_TYPE: u32 = 0x0f;
const MAP_FIXED: u32 = 0x10;
const MAP_ANONYMOUS: u32 = 0x20;
const MAP_32BIT: u32 = 0x40;
const MAP_GROWSDOWN: u32 = 0x100;
const MAP_LOCKED: u32 = 0x2000;
const MAP_NORESERVE: u32 = 0x4000;
const MAP_POPULATE: u32 = 0x8000;
const MAP_NONBLOCK: u32 = 0x1_0000;
const MAP_HUGETLB: u32 = 0x4_0000;
const MAP_FIXED_NOREPLACE: u32 = 0x10_0000;
/// The flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK: no
/// file here supports MAP_SYNC). Plain MAP_SHARED ignores all others.
const LEGACY_MAP_MASK: u32 = MAP_SHARED
    | MAP_PRIVATE
    | MAP_FIXED
    | MAP_ANONYMOUS
    | 0x800 // MAP_DENYWRITE
    | 0x1000 // MAP_EXECUTABLE
    | 0x400_0000 // MAP_UNINITIALIZED
    | MAP_GROWSDOWN
    | MAP_LOCKED
    | MAP_NORESERVE
    | MAP_POPULATE
    | MAP_NONBLOCK
    | 0x2_0000 // MAP_STACK
    | MAP_HUGETLB
    | MAP_32BIT
    | 0x80 // MAP_ABOVE4G
    | (21 << 26) // MAP_HUGE_2MB
    | (30 << 26); // MAP_HUGE_1GB

const PROT_SEM: u32 = 0x8;
const PROT_GROWSDOWN: u32 = 0x0100_0000;
const PROT_GROWSUP: u32 = 0x0200_0000;

fn mm() -> KResult<Arc<AddressSpace>> {
    current().mm().ok_or(Errno::EINVAL)
}

/// `[start, start + len)` rounded out to pages, for the calls that take
/// any length (msync, madvise): None when it wraps around.
fn page_range(start: usize, len: usize) -> Option<(usize, usize)> {
    let len = page_align_up(len)?;
    let end = start.checked_add(len)?;
    Some((start, end))
}

/// brk(2): returns the new break, or the old one if it cannot move.
pub fn sys_brk(addr: usize) -> KResult<usize> {
    Ok(mm()?.brk(addr, &current_limits()))
}

/// mmap(2), checks in Linux's order (sys_mmap, ksys_mmap_pgoff, do_mmap).
pub fn sys_mmap(addr: usize, len: usize, prot: u32, flags: u32, fd: i32, offset: u64) -> KResult<usize> {
    if offset % PAGE_SIZE as u64 != 0 {
        return Err(Errno::EINVAL);
    }
    let anonymous = flags & MAP_ANONYMOUS != 0;
    let file = if anonymous {
        None
    } else {
        // O_PATH descriptors are not usable here (fget refuses them).
        let f = file(fd).map_err(|_| Errno::EBADF)?;
        if f.is_path_only() {
            return Err(Errno::EBADF);
        }
        // A file on a noexec mount cannot be mapped executable.
        if prot & 4 != 0 && f.path().is_some_and(|p| p.mnt.flags().contains(crate::fs::mount::MountFlags::NOEXEC)) {
            return Err(Errno::EPERM);
        }
        Some(f)
    };
    if flags & MAP_HUGETLB != 0 {
        // No hugetlbfs files, and no huge pages reserved for anonymous ones
        // (Linux's default nr_hugepages = 0 fails the same way).
        return Err(if file.is_some() { Errno::EINVAL } else { Errno::ENOMEM });
    }
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
    // Unknown PROT_* bits are ignored by mmap (only mprotect checks them).
    let prot = Prot::from_bits_truncate(prot & 7);
    let placement = if flags & MAP_FIXED_NOREPLACE != 0 {
        Placement::FixedNoReplace(addr)
    } else if flags & MAP_FIXED != 0 {
        Placement::Fixed(addr)
    } else if flags & MAP_32BIT != 0 {
        Placement::Low32
    } else {
        Placement::Hint(addr)
    };
    let limits = current_limits();
    if flags & MAP_LOCKED != 0 && limits.memlock == 0 && !limits.can_lock {
        return Err(Errno::EPERM);
    }
    let mut vma_flags = VmaFlags::MAY_WRITE;
    // Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS or shared
    // /dev/zero) is charged against memory whatever its rights.
    let mut shared_anon = false;
    let (shared, backing) = match file {
        Some(f) => {
            // file_mmap_ok: the mapping must fit in a file offset.
            if offset.checked_add(len as u64).is_none_or(|e| e > i64::MAX as u64) {
                return Err(Errno::EOVERFLOW);
            }
            let shared = match flags & MAP_TYPE {
                MAP_SHARED => true,
                MAP_SHARED_VALIDATE => {
                    if flags & !LEGACY_MAP_MASK != 0 {
                        return Err(Errno::EOPNOTSUPP);
                    }
                    true
                }
                MAP_PRIVATE => false,
                _ => return Err(Errno::EINVAL),
            };
            if shared {
                if prot.contains(Prot::WRITE) && !f.writable() {
                    return Err(Errno::EACCES);
                }
                // A shared mapping of a read-only file can never be made
                // writable (VM_MAYWRITE clear).
                vma_flags.set(VmaFlags::MAY_WRITE, f.writable());
            }
            if !f.readable() {
                return Err(Errno::EACCES);
            }
            let source = f.ops().mmap_source()?;
            if flags & MAP_GROWSDOWN != 0 {
                return Err(Errno::EINVAL);
            }
            let backing = match source {
                Some(source) => Backing::File { source, offset, valid_len: None, path: f.path().cloned() },
                // /dev/zero: shared memory of its own, or private zeros.
                None if shared => {
                    shared_anon = true;
                    Backing::File { source: SharedAnon::new(len as u64), offset: 0, valid_len: None, path: None }
                }
                None => Backing::Anonymous,
            };
            (shared, backing)
        }
        None => match flags & MAP_TYPE {
            MAP_SHARED => {
                if flags & MAP_GROWSDOWN != 0 {
                    return Err(Errno::EINVAL);
                }
                // One object that both sides of a fork map.
                shared_anon = true;
                (true, Backing::File { source: SharedAnon::new(len as u64), offset: 0, valid_len: None, path: None })
            }
            MAP_PRIVATE => (false, Backing::Anonymous),
            MAP_DROPPABLE => {
                // Pages the kernel may drop under memory pressure: keeping
                // them is one of the allowed outcomes. Linux also makes
                // them wipe-on-fork and unaccounted.
                vma_flags |= VmaFlags::WIPEONFORK | VmaFlags::NORESERVE;
                (false, Backing::Anonymous)
            }
            _ => return Err(Errno::EINVAL),
        },
    };
    if flags & MAP_GROWSDOWN != 0 {
        vma_flags |= VmaFlags::GROWSDOWN;
    }
    if flags & MAP_NORESERVE != 0 {
        vma_flags |= VmaFlags::NORESERVE;
    }
    if flags & MAP_LOCKED != 0 {
        vma_flags |= VmaFlags::LOCKED;
    }
    // Charged against memory (the overcommit check): private writable
    // mappings and shared anonymous memory.
    let accountable = (prot.contains(Prot::WRITE) && !shared) || shared_anon;
    if accountable && !vma_flags.contains(VmaFlags::NORESERVE) {
        vma_flags |= VmaFlags::ACCOUNT;
    }
    let populate = flags & (MAP_POPULATE | MAP_NONBLOCK) == MAP_POPULATE;
    let req = MapRequest { placement, len, prot, shared, backing, kind: VmaKind::Normal, flags: vma_flags, populate };
    mm()?.map_with(req, &limits)
}

/// munmap(2)
pub fn sys_munmap(addr: usize, len: usize) -> KResult<usize> {
    mm()?.unmap(addr, len)?;
    Ok(0)
}

/// mprotect(2), checks in do_mprotect_pkey's order.
pub fn sys_mprotect(addr: usize, len: usize, prot: u32) -> KResult<usize> {
    let grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    let prot = prot & !grows;
    if grows == PROT_GROWSDOWN | PROT_GROWSUP || addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    if len == 0 {
        return Ok(0);
    }
    let end = page_align_up(len).and_then(|l| addr.checked_add(l)).ok_or(Errno::ENOMEM)?;
    if prot & !(7 | PROT_SEM) != 0 {
        return Err(Errno::EINVAL);
    }
    // No mapping grows up on x86_64.
    if grows == PROT_GROWSUP {
        let mm = mm()?;
        return Err(if mm.range_allows(addr, PAGE_SIZE, Prot::empty()) { Errno::EINVAL } else { Errno::ENOMEM });
    }
    let prot = Prot::from_bits_truncate(prot & 7);
    mm()?.protect(addr, end, prot, grows == PROT_GROWSDOWN, &current_limits())?;
    Ok(0)
}

/// mremap(2): grows or shrinks a mapping in place, or moves it (its pages
/// travel by page-table entry, never copied).
pub fn sys_mremap(old: usize, old_len: usize, new_len: usize, flags: u32, new_addr: usize) -> KResult<usize> {
    const MREMAP_MAYMOVE: u32 = 1;
    const MREMAP_FIXED: u32 = 2;
    const MREMAP_DONTUNMAP: u32 = 4;
    if flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) != 0 {
        return Err(Errno::EINVAL);
    }
    let may_move = flags & MREMAP_MAYMOVE != 0;
    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) != 0 && !may_move) || old % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    let dont_unmap = flags & MREMAP_DONTUNMAP != 0;
    let old_len = page_align_up(old_len).ok_or(Errno::EINVAL)?;
    let new_len = page_align_up(new_len).ok_or(Errno::EINVAL)?;
    if new_len == 0 || new_len > TASK_SIZE || (dont_unmap && old_len != new_len) {
        return Err(Errno::EINVAL);
    }
    if old.checked_add(old_len).is_none_or(|e| e > TASK_SIZE) {
        return Err(Errno::EINVAL);
    }
    let fixed = if flags & MREMAP_FIXED != 0 {
        if new_addr % PAGE_SIZE != 0 || new_addr > TASK_SIZE - new_len {
            return Err(Errno::EINVAL);
        }
        // Source and target may not overlap.
        if new_addr < old + old_len && old < new_addr + new_len {
            return Err(Errno::EINVAL);
        }
        Some(new_addr)
    } else {
        None
    };
    let mode = RemapMode { may_move, fixed, dont_unmap };
    mm()?.remap(old, old_len, new_len, mode, &current_limits())
}

/// madvise(2). The advice Linux treats as performance hints (NORMAL,
/// RANDOM, SEQUENTIAL, WILLNEED, COLD, PAGEOUT, MERGEABLE, UNMERGEABLE,
/// HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP) is checked and needs nothing
/// more here: no page is ever swapped, merged or dumped. The rest changes
/// what memory holds or what fork does, and is carried out.
pub fn sys_madvise(addr: usize, len: usize, advice: i32) -> KResult<usize> {
    let advice = match advice {
        // NORMAL RANDOM SEQUENTIAL WILLNEED; MERGEABLE UNMERGEABLE HUGEPAGE
        // NOHUGEPAGE DONTDUMP DODUMP; COLD PAGEOUT
        0..=3 | 12..=17 | 20 | 21 => Advice::Hint,
        4 => Advice::DontNeed { locked_too: false },
        8 => Advice::Free,
        10 => Advice::DontFork(true),
        11 => Advice::DontFork(false),
        18 => Advice::WipeOnFork(true),
        19 => Advice::WipeOnFork(false),
        22 => Advice::Populate { write: false },
        23 => Advice::Populate { write: true },
        24 => Advice::DontNeed { locked_too: true },
        // MADV_REMOVE (punching holes in tmpfs), MADV_COLLAPSE (huge
        // pages), MADV_HWPOISON, MADV_SOFT_OFFLINE and the guard-region
        // advice are not implemented: EINVAL, as on kernels built
        // without them (docs/compat-notes.tsv).
        _ => return Err(Errno::EINVAL),
    };
    if addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    let (start, end) = page_range(addr, len).ok_or(Errno::EINVAL)?;
    if start == end {
        return Ok(0);
    }
    mm()?.advise(start, end, advice)?;
    Ok(0)
}

/// msync(2): shared mappings map the page cache itself, and the in-memory
/// file systems have nowhere further to write, so once the range is
/// checked there is nothing left to do for MS_SYNC or MS_ASYNC, and
/// MS_INVALIDATE has no other copy to refresh.
pub fn sys_msync(addr: usize, len: usize, flags: i32) -> KResult<usize> {
    const MS_ASYNC: i32 = 1;
    const MS_INVALIDATE: i32 = 2;
    const MS_SYNC: i32 = 4;
    if flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0 || addr % PAGE_SIZE != 0 || (flags & MS_ASYNC != 0 && flags & MS_SYNC != 0) {
        return Err(Errno::EINVAL);
    }
    let (start, end) = page_range(addr, len).ok_or(Errno::ENOMEM)?;
    if start == end {
        return Ok(0);
    }
    mm()?.sync_check(start, end, flags == MS_ASYNC, flags & MS_INVALIDATE != 0)?;
    Ok(0)
}

/// mincore(2): one byte per page, 1 if resident. Worked out and copied in
/// chunks, so no kernel buffer grows with the caller's length.
pub fn sys_mincore(addr: usize, len: usize, vec: usize) -> KResult<usize> {
    const CHUNK_PAGES: usize = 1024;
    if addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    if addr > TASK_SIZE || len > TASK_SIZE - addr {
        return Err(Errno::ENOMEM);
    }
    let pages = len.div_ceil(PAGE_SIZE);
    if vec.checked_add(pages).is_none_or(|e| e > TASK_SIZE) {
        return Err(Errno::EFAULT);
    }
    let mm = mm()?;
    let mut buf = [0u8; CHUNK_PAGES];
    let mut done = 0;
    while done < pages {
        let n = (pages - done).min(CHUNK_PAGES);
        let valid = mm.residency(addr + done * PAGE_SIZE, &mut buf[..n]);
        write_bytes(vec + done, &buf[..valid])?;
        if valid < n {
            return Err(Errno::ENOMEM);
        }
        done += n;
    }
    Ok(0)
}

/// The page range mlock and munlock work on: `addr` rounded down, the
/// length rounded up to cover `[addr, addr + len)`.
fn lock_range_of(addr: usize, len: usize) -> KResult<(usize, usize)> {
    let start = page_align_down(addr);
    let end = addr.checked_add(len).and_then(page_align_up).ok_or(Errno::EINVAL)?;
    Ok((start, end))
}

/// mlock(2): memory is never swapped, so locking means faulting the
/// pages in now and refusing to drop them (MADV_DONTNEED).
pub fn sys_mlock(addr: usize, len: usize) -> KResult<usize> {
    sys_mlock2(addr, len, 0)
}

/// mlock2(2): MLOCK_ONFAULT locks without faulting in.
pub fn sys_mlock2(addr: usize, len: usize, flags: u32) -> KResult<usize> {
    const MLOCK_ONFAULT: u32 = 1;
    if flags & !MLOCK_ONFAULT != 0 {
        return Err(Errno::EINVAL);
    }
    let (start, end) = lock_range_of(addr, len)?;
    if start == end {
        return Ok(0);
    }
    mm()?.lock_range(start, end, true, flags & MLOCK_ONFAULT != 0, &current_limits())?;
    Ok(0)
}

/// munlock(2)
pub fn sys_munlock(addr: usize, len: usize) -> KResult<usize> {
    let (start, end) = lock_range_of(addr, len)?;
    if start == end {
        return Ok(0);
    }
    mm()?.lock_range(start, end, false, false, &current_limits())?;
    Ok(0)
}

/// mlockall(2)
pub fn sys_mlockall(flags: u32) -> KResult<usize> {
    const MCL_CURRENT: u32 = 1;
    const MCL_FUTURE: u32 = 2;
    const MCL_ONFAULT: u32 = 4;
    if flags == 0 || flags & !(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 || flags == MCL_ONFAULT {
        return Err(Errno::EINVAL);
    }
    mm()?.lock_all(flags & MCL_CURRENT != 0, flags & MCL_FUTURE != 0, flags & MCL_ONFAULT != 0, &current_limits())?;
    Ok(0)
}

/// munlockall(2)
pub fn sys_munlockall() -> KResult<usize> {
    mm()?.unlock_all();
    Ok(0)
}
