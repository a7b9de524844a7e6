//! flock(2) and fcntl's lock commands (F_GETLK, F_SETLK, F_SETLKW and the
//! open-file-description forms F_OFD_*). The lock table is fs::lock.

use alloc::sync::Arc;

use linux_raw_sys::general as g;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::file;
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::fs::lock::{self, LockKind, OFFSET_MAX, Owner, RecordLock};
use crate::mm::uaccess::UserPtr;
use crate::sched::current;

/// struct flock (x86_64: l_start and l_len are 64-bit, so the "64"
/// commands are the same ones).
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Flock {
    l_type: i16,
    l_whence: i16,
    _pad0: u32,
    l_start: i64,
    l_len: i64,
    l_pid: i32,
    _pad1: u32,
}

/// flock(2)
pub fn sys_flock(fd: i32, operation: u32) -> KResult<usize> {
    // LOCK_MAND never worked; Linux ignores such requests with success.
    if operation & g::LOCK_MAND != 0 {
        return Ok(0);
    }
    let kind = match operation & !g::LOCK_NB {
        g::LOCK_SH => Some(LockKind::Read),
        g::LOCK_EX => Some(LockKind::Write),
        g::LOCK_UN => None,
        _ => return Err(Errno::EINVAL),
    };
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    let pid = current().process.pid;
    lock::flock(&f, kind, operation & g::LOCK_NB == 0, pid)?;
    Ok(0)
}

/// The lock commands of fcntl(2).
pub fn fcntl_lock(f: &Arc<OpenFile>, cmd: u32, arg: usize) -> KResult<usize> {
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    let ptr = UserPtr::<Flock>::new(arg);
    let mut fl = ptr.read()?;
    let ofd = matches!(cmd, g::F_OFD_GETLK | g::F_OFD_SETLK | g::F_OFD_SETLKW);
    let getlk = matches!(cmd, g::F_GETLK | g::F_OFD_GETLK);
    // Checks in Linux's order: F_GETLK looks at the type first, the set
    // commands at the range first; the OFD l_pid rule comes last.
    // F_OFD_GETLK accepts F_UNLCK: "which lock does this description hold
    // here" (Linux 6.10).
    if cmd == g::F_GETLK && !matches!(fl.l_type as u32, g::F_RDLCK | g::F_WRLCK) {
        return Err(Errno::EINVAL);
    }
    let (start, end) = byte_range(f, &fl)?;
    let kind = match fl.l_type as u32 {
        g::F_RDLCK => Some(LockKind::Read),
        g::F_WRLCK => Some(LockKind::Write),
        g::F_UNLCK => None,
        _ => return Err(Errno::EINVAL),
    };
    let me = current();
    let owner = if ofd { Owner::File(lock::file_id(f)) } else { Owner::Table(me.files().lock().lock_owner()) };
    let pid = me.process.pid;
    if getlk {
        if ofd && fl.l_pid != 0 {
            return Err(Errno::EINVAL);
        }
        let found = match kind {
            Some(kind) => lock::find_conflict(f, &RecordLock::new(owner, kind, start, end, pid)),
            None => lock::find_owned(f, owner, start, end),
        };
        match found {
            None => fl.l_type = g::F_UNLCK as i16,
            Some(l) => {
                fl.l_type = if l.kind == LockKind::Write { g::F_WRLCK } else { g::F_RDLCK } as i16;
                fl.l_whence = g::SEEK_SET as i16;
                fl.l_start = l.start as i64;
                fl.l_len = if l.end == OFFSET_MAX { 0 } else { (l.end - l.start + 1) as i64 };
                fl.l_pid = if matches!(l.owner, Owner::File(_)) { -1 } else { l.pid };
            }
        }
        ptr.write(&fl)?;
        return Ok(0);
    }
    // The descriptor's access mode must allow the lock's kind.
    match kind {
        Some(LockKind::Read) if !f.readable() => return Err(Errno::EBADF),
        Some(LockKind::Write) if !f.writable() => return Err(Errno::EBADF),
        _ => {}
    }
    if ofd && fl.l_pid != 0 {
        return Err(Errno::EINVAL);
    }
    let wait = matches!(cmd, g::F_SETLKW | g::F_OFD_SETLKW);
    let req = RecordLock::new(owner, kind.unwrap_or(LockKind::Read), start, end, pid);
    lock::set_record(f, req, kind.is_none(), wait)?;
    Ok(0)
}

/// The inclusive byte range a struct flock names, as Linux's
/// flock_to_posix_lock computes it (EINVAL before offset 0, EOVERFLOW past
/// the largest offset).
fn byte_range(f: &OpenFile, fl: &Flock) -> KResult<(u64, u64)> {
    let max = OFFSET_MAX as i64;
    let base: i64 = match fl.l_whence as u32 {
        g::SEEK_SET => 0,
        g::SEEK_CUR => f.offset() as i64,
        g::SEEK_END => f.stat()?.size as i64,
        _ => return Err(Errno::EINVAL),
    };
    if fl.l_start > max - base {
        return Err(Errno::EOVERFLOW);
    }
    let mut start = base + fl.l_start;
    if start < 0 {
        return Err(Errno::EINVAL);
    }
    let end;
    if fl.l_len > 0 {
        if fl.l_len - 1 > max - start {
            return Err(Errno::EOVERFLOW);
        }
        end = start + fl.l_len - 1;
    } else if fl.l_len < 0 {
        end = start - 1;
        start += fl.l_len;
        if start < 0 {
            return Err(Errno::EINVAL);
        }
    } else {
        end = max;
    }
    Ok((start as u64, end as u64))
}
