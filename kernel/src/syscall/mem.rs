//! brk, mmap, munmap, mprotect, madvise, msync.

use alloc::sync::Arc;

use super::file;
use crate::errno::{Errno, KResult};
use crate::mm::address_space::Placement;
use crate::mm::vma::VmaKind;
use crate::mm::{AddressSpace, Backing, PAGE_SIZE, Prot, page_align_up};
use crate::sched::current;

const MAP_SHARED: u32 = 0x01;
const MAP_PRIVATE: u32 = 0x02;
const MAP_SHARED_VALIDATE: u32 = 0x03;
const MAP_FIXED: u32 = 0x10;
const MAP_ANONYMOUS: u32 = 0x20;
const MAP_FIXED_NOREPLACE: u32 = 0x10_0000;
/// Flags Linux accepts with MAP_SHARED_VALIDATE.
const MAP_KNOWN: u32 = 0x03 | 0x10 | 0x20 | 0x100 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x1_0000 | 0x2_0000 | 0x4_0000 | 0x10_0000;

fn mm() -> KResult<Arc<AddressSpace>> {
    current().mm().ok_or(Errno::EINVAL)
}

fn prot_from(p: u32) -> KResult<Prot> {
    Prot::from_bits(p & 7).filter(|_| p & !7 & !0x0300_0000 == 0).ok_or(Errno::EINVAL)
}

/// brk(2): returns the new break, or the old one if it cannot move.
pub fn sys_brk(addr: usize) -> KResult<usize> {
    Ok(mm()?.brk(addr))
}

/// mmap(2)
pub fn sys_mmap(addr: usize, len: usize, prot: u32, flags: u32, fd: i32, offset: u64) -> KResult<usize> {
    let prot = prot_from(prot)?;
    if len == 0 || offset % PAGE_SIZE as u64 != 0 {
        return Err(Errno::EINVAL);
    }
    let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
    let shared = match flags & 0x03 {
        MAP_SHARED => true,
        MAP_PRIVATE => false,
        MAP_SHARED_VALIDATE => {
            if flags & !MAP_KNOWN != 0 {
                return Err(Errno::EOPNOTSUPP);
            }
            true
        }
        _ => return Err(Errno::EINVAL),
    };
    offset.checked_add(len as u64).ok_or(Errno::EOVERFLOW)?;
    const MAP_HUGETLB: u32 = 0x4_0000;
    if flags & MAP_HUGETLB != 0 {
        // No huge pages are reserved (Linux's default nr_hugepages = 0
        // fails the same way).
        return Err(Errno::ENOMEM);
    }
    let placement = if flags & MAP_FIXED_NOREPLACE != 0 {
        Placement::FixedNoReplace(addr)
    } else if flags & MAP_FIXED != 0 {
        Placement::Fixed(addr)
    } else {
        Placement::Hint(addr)
    };
    let backing = if flags & MAP_ANONYMOUS != 0 {
        if shared {
            // Shared anonymous memory: one object both sides of a fork see.
            Backing::File { source: crate::mm::shmem::SharedAnon::new(len as u64), offset: 0, valid_len: None }
        } else {
            Backing::Anonymous
        }
    } else {
        let f = file(fd)?;
        if !f.readable() || f.is_path_only() {
            return Err(Errno::EACCES);
        }
        if shared && prot.contains(Prot::WRITE) && !f.writable() {
            return Err(Errno::EACCES);
        }
        match f.ops().mmap_source()? {
            Some(source) => Backing::File { source, offset, valid_len: None },
            None if shared => Backing::File { source: crate::mm::shmem::SharedAnon::new(len as u64), offset: 0, valid_len: None },
            None => Backing::Anonymous,
        }
    };
    mm()?.map(placement, len, prot, shared, backing, VmaKind::Normal)
}

/// munmap(2)
pub fn sys_munmap(addr: usize, len: usize) -> KResult<usize> {
    mm()?.unmap(addr, len)?;
    Ok(0)
}

/// mprotect(2)
pub fn sys_mprotect(addr: usize, len: usize, prot: u32) -> KResult<usize> {
    let prot = prot_from(prot)?;
    mm()?.protect(addr, len, prot)?;
    Ok(0)
}

/// madvise(2): MADV_DONTNEED and MADV_FREE drop private pages (the next
/// touch sees zeros or the file); the other advice only tunes
/// performance, so following none of it is correct behaviour.
pub fn sys_madvise(addr: usize, len: usize, advice: i32) -> KResult<usize> {
    const MADV_DONTNEED: i32 = 4;
    const MADV_FREE: i32 = 8;
    const MADV_REMOVE: i32 = 9;
    const MADV_HWPOISON: i32 = 100;
    if addr % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    match advice {
        MADV_DONTNEED | MADV_FREE => {
            mm()?.discard(addr, len)?;
            Ok(0)
        }
        0..=3 | 10..=25 => Ok(0), // NORMAL RANDOM SEQUENTIAL WILLNEED, DONTFORK.. etc
        MADV_REMOVE | MADV_HWPOISON => Err(Errno::EINVAL),
        _ => Err(Errno::EINVAL),
    }
}

/// msync(2): shared mappings map the page cache itself, and the in-memory
/// file systems have nowhere further to write, so flushing is complete once
/// the arguments are checked.
pub fn sys_msync(addr: usize, len: usize, flags: i32) -> KResult<usize> {
    const MS_ASYNC: i32 = 1;
    const MS_INVALIDATE: i32 = 2;
    const MS_SYNC: i32 = 4;
    if addr % PAGE_SIZE != 0 || flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0 || (flags & MS_ASYNC != 0 && flags & MS_SYNC != 0) {
        return Err(Errno::EINVAL);
    }
    let len = page_align_up(len).ok_or(Errno::ENOMEM)?;
    if !mm()?.range_allows(addr, len, Prot::empty()) {
        return Err(Errno::ENOMEM);
    }
    Ok(0)
}
