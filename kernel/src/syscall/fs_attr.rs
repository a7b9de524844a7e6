//! chmod, chown, utimens, truncate, umask.

use linux_raw_sys::general as g;

use super::{creds, file, resolve_at, resolve_at_flags};
use crate::errno::{Errno, KResult};
use crate::fs::inode::{FileType, SetAttr};
use crate::fs::notify;
use crate::fs::path::{PathNode, Perm, check_permission};
use crate::process::creds::{CAP_CHOWN, CAP_FOWNER, CAP_FSETID};
use crate::mm::uaccess::{UserPtr, read_path, read_path_allow_empty};
use crate::sched::current;
use crate::time::{Timespec, Timeval, realtime};

fn chmod_node(node: &PathNode, mode: u32) -> KResult<usize> {
    node.mnt.want_write()?;
    let c = creds();
    let st = node.stat();
    if c.fsuid != st.uid && !c.capable(CAP_FOWNER) {
        return Err(Errno::EPERM);
    }
    let mut mode = mode & 0o7777;
    // A non-member of the file's group cannot set its set-group-id bit.
    if !c.in_group(st.gid) && !c.capable(CAP_FSETID) {
        mode &= !0o2000;
    }
    node.inode.set_attr(&SetAttr { mode: Some(mode), ..Default::default() })?;
    notify::attrib_changed(node);
    Ok(0)
}

/// fchmodat2(2) (also chmod and fchmodat).
pub fn sys_fchmodat(dirfd: i32, path: usize, mode: u32, flags: u32) -> KResult<usize> {
    if flags & !(g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path_allow_empty(path)?;
    let node = resolve_at_flags(dirfd, &path, flags)?;
    if node.stat().file_type() == Some(FileType::Symlink) {
        return Err(Errno::EOPNOTSUPP); // Linux cannot chmod a symlink either
    }
    chmod_node(&node, mode)
}

/// fchmod(2)
pub fn sys_fchmod(fd: i32, mode: u32) -> KResult<usize> {
    let f = file(fd)?;
    let node = f.path().cloned().ok_or(Errno::EBADF)?;
    chmod_node(&node, mode)
}

fn chown_node(node: &PathNode, uid: u32, gid: u32) -> KResult<usize> {
    node.mnt.want_write()?;
    let c = creds();
    let st = node.stat();
    let new_uid = (uid != u32::MAX).then_some(uid);
    let new_gid = (gid != u32::MAX).then_some(gid);
    if !c.capable(CAP_CHOWN) {
        // Only CAP_CHOWN gives files away; the owner may change the group
        // to one of its own groups.
        if new_uid.is_some_and(|u| u != st.uid) || c.fsuid != st.uid {
            return Err(Errno::EPERM);
        }
        if new_gid.is_some_and(|g| g != st.gid && !c.in_group(g)) {
            return Err(Errno::EPERM);
        }
    }
    let mut attr = SetAttr { uid: new_uid, gid: new_gid, ..Default::default() };
    // Changing the owner of a non-directory clears set-user-id, and
    // set-group-id when group-executable (as Linux's setattr_prepare).
    if (new_uid.is_some() || new_gid.is_some()) && !st.is_dir() && st.mode & 0o6000 != 0 {
        let mut m = st.mode & 0o7777 & !0o4000;
        if st.mode & 0o010 != 0 {
            m &= !0o2000;
        }
        attr.mode = Some(m);
    }
    node.inode.set_attr(&attr)?;
    notify::attrib_changed(node);
    Ok(0)
}

/// fchownat(2) (also chown and lchown).
pub fn sys_fchownat(dirfd: i32, path: usize, uid: u32, gid: u32, flags: u32) -> KResult<usize> {
    if flags & !(g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path_allow_empty(path)?;
    let node = resolve_at_flags(dirfd, &path, flags)?;
    chown_node(&node, uid, gid)
}

/// fchown(2)
pub fn sys_fchown(fd: i32, uid: u32, gid: u32) -> KResult<usize> {
    let f = file(fd)?;
    let node = f.path().cloned().ok_or(Errno::EBADF)?;
    chown_node(&node, uid, gid)
}

const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

fn set_times(node: &PathNode, times: Option<[Timespec; 2]>) -> KResult<usize> {
    let c = creds();
    let st = node.stat();
    let now = realtime();
    let is_owner = c.fsuid == st.uid || c.capable(CAP_FOWNER);
    let (atime, mtime, explicit) = match times {
        None => (Some(now), Some(now), false),
        Some([a, m]) => {
            let pick = |t: Timespec| -> KResult<Option<Timespec>> {
                match t.nsec {
                    UTIME_NOW => Ok(Some(now)),
                    UTIME_OMIT => Ok(None),
                    _ => Ok(Some(t.validate()?)),
                }
            };
            let explicit = (a.nsec != UTIME_NOW && a.nsec != UTIME_OMIT) || (m.nsec != UTIME_NOW && m.nsec != UTIME_OMIT);
            (pick(a)?, pick(m)?, explicit)
        }
    };
    if atime.is_none() && mtime.is_none() {
        return Ok(0);
    }
    node.mnt.want_write()?;
    if explicit && !is_owner {
        return Err(Errno::EPERM);
    }
    if !explicit && !is_owner {
        check_permission(&st, &c, Perm::Write)?;
    }
    node.inode.set_attr(&SetAttr { atime, mtime, ..Default::default() })?;
    notify::times_changed(node, atime.is_some(), mtime.is_some());
    Ok(0)
}

/// utimensat(2); a NULL path operates on `dirfd` itself (futimens).
pub fn sys_utimensat(dirfd: i32, path: usize, times: usize, flags: u32) -> KResult<usize> {
    if flags & !(g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let t = if times == 0 { None } else { Some(UserPtr::<[Timespec; 2]>::new(times).read()?) };
    let node = if path == 0 {
        if dirfd == super::AT_FDCWD {
            return Err(Errno::EFAULT);
        }
        file(dirfd)?.path().cloned().ok_or(Errno::EBADF)?
    } else {
        let p = read_path_allow_empty(path)?;
        resolve_at_flags(dirfd, &p, flags)?
    };
    set_times(&node, t)
}

/// utimes(2)
pub fn sys_utimes(path: usize, times: usize) -> KResult<usize> {
    let p = read_path(path)?;
    let node = resolve_at(super::AT_FDCWD, &p, true)?;
    let t = if times == 0 {
        None
    } else {
        let tv = UserPtr::<[Timeval; 2]>::new(times).read()?;
        let conv = |v: Timeval| -> KResult<Timespec> {
            if !(0..1_000_000).contains(&v.usec) {
                return Err(Errno::EINVAL);
            }
            Ok(Timespec { sec: v.sec, nsec: v.usec * 1000 })
        };
        Some([conv(tv[0])?, conv(tv[1])?])
    };
    set_times(&node, t)
}

/// utime(2)
pub fn sys_utime(path: usize, times: usize) -> KResult<usize> {
    let p = read_path(path)?;
    let node = resolve_at(super::AT_FDCWD, &p, true)?;
    let t = if times == 0 {
        None
    } else {
        let [a, m] = UserPtr::<[i64; 2]>::new(times).read()?;
        Some([Timespec { sec: a, nsec: 0 }, Timespec { sec: m, nsec: 0 }])
    };
    set_times(&node, t)
}

fn truncate_node(node: &PathNode, len: i64) -> KResult<usize> {
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    match node.stat().file_type() {
        Some(FileType::Directory) => return Err(Errno::EISDIR),
        Some(FileType::Regular) => {}
        _ => return Err(Errno::EINVAL),
    }
    node.inode.set_attr(&SetAttr { size: Some(len as u64), ..Default::default() })?;
    notify::truncated(node);
    Ok(0)
}

/// truncate(2)
pub fn sys_truncate(path: usize, len: i64) -> KResult<usize> {
    let p = read_path(path)?;
    let node = resolve_at(super::AT_FDCWD, &p, true)?;
    // Linux's order: the file's type, then a read-only mount, then access.
    match node.stat().file_type() {
        Some(FileType::Directory) => return Err(Errno::EISDIR),
        Some(FileType::Regular) => {}
        _ => return Err(Errno::EINVAL),
    }
    node.mnt.want_write()?;
    check_permission(&node.stat(), &creds(), Perm::Write)?;
    truncate_node(&node, len)
}

/// ftruncate(2)
pub fn sys_ftruncate(fd: i32, len: i64) -> KResult<usize> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    if !f.writable() {
        return Err(Errno::EINVAL);
    }
    let node = f.path().cloned().ok_or(Errno::EINVAL)?;
    truncate_node(&node, len)
}

/// umask(2)
pub fn sys_umask(mask: u32) -> KResult<usize> {
    let fs = current().fs();
    let mut f = fs.lock();
    let old = f.umask;
    f.umask = mask & 0o777;
    Ok(old as usize)
}
