//! stat and friends, access, readlink, statfs.

use linux_raw_sys::general as g;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::{creds, file, resolve_at, resolve_at_flags};
use crate::errno::{Errno, KResult};
use crate::fs::inode::{FileType, Stat, StatFs, dev_major, dev_minor};
use crate::fs::path::{Perm, check_permission};
use crate::mm::uaccess::{UserPtr, read_path, read_path_allow_empty, write_bytes};

/// `struct stat` on x86_64.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct KStat {
    dev: u64,
    ino: u64,
    nlink: u64,
    mode: u32,
    uid: u32,
    gid: u32,
    pad0: u32,
    rdev: u64,
    size: i64,
    blksize: i64,
    blocks: i64,
    atime: i64,
    atime_nsec: i64,
    mtime: i64,
    mtime_nsec: i64,
    ctime: i64,
    ctime_nsec: i64,
    unused: [i64; 3],
}

const _: () = assert!(core::mem::size_of::<KStat>() == 144);

fn to_kstat(s: &Stat) -> KStat {
    KStat {
        dev: s.dev,
        ino: s.ino,
        nlink: s.nlink as u64,
        mode: s.mode,
        uid: s.uid,
        gid: s.gid,
        pad0: 0,
        rdev: s.rdev,
        size: s.size as i64,
        blksize: s.blksize as i64,
        blocks: s.blocks as i64,
        atime: s.atime.sec,
        atime_nsec: s.atime.nsec,
        mtime: s.mtime.sec,
        mtime_nsec: s.mtime.nsec,
        ctime: s.ctime.sec,
        ctime_nsec: s.ctime.nsec,
        unused: [0; 3],
    }
}

/// fstat(2)
pub fn sys_fstat(fd: i32, buf: usize) -> KResult<usize> {
    let st = file(fd)?.stat()?;
    UserPtr::<KStat>::new(buf).write(&to_kstat(&st))?;
    Ok(0)
}

/// Metadata of `path` relative to `dirfd`, or of `dirfd` itself with an
/// empty path and AT_EMPTY_PATH (stat family).
fn stat_at(dirfd: i32, path: usize, flags: u32) -> KResult<Stat> {
    Ok(stat_node_at(dirfd, path, flags)?.0)
}

/// The metadata and, when there is one, the path node (for its mount).
fn stat_node_at(dirfd: i32, path: usize, flags: u32) -> KResult<(Stat, Option<alloc::sync::Arc<crate::fs::path::PathNode>>)> {
    let path = read_path_allow_empty(path)?;
    if path.is_empty() && flags & g::AT_EMPTY_PATH != 0 && dirfd != super::AT_FDCWD {
        let f = file(dirfd)?;
        return Ok((f.stat()?, f.path().cloned()));
    }
    let node = resolve_at_flags(dirfd, &path, flags)?;
    Ok((node.stat(), Some(node)))
}

/// newfstatat(2) (also stat and lstat).
pub fn sys_newfstatat(dirfd: i32, path: usize, buf: usize, flags: u32) -> KResult<usize> {
    if flags & !(g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH | g::AT_NO_AUTOMOUNT) != 0 {
        return Err(Errno::EINVAL);
    }
    let st = stat_at(dirfd, path, flags)?;
    UserPtr::<KStat>::new(buf).write(&to_kstat(&st))?;
    Ok(0)
}

#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct StatxTimestamp {
    sec: i64,
    nsec: u32,
    reserved: i32,
}

/// `struct statx`.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Statx {
    mask: u32,
    blksize: u32,
    attributes: u64,
    nlink: u32,
    uid: u32,
    gid: u32,
    mode: u16,
    spare0: u16,
    ino: u64,
    size: u64,
    blocks: u64,
    attributes_mask: u64,
    atime: StatxTimestamp,
    btime: StatxTimestamp,
    ctime: StatxTimestamp,
    mtime: StatxTimestamp,
    rdev_major: u32,
    rdev_minor: u32,
    dev_major: u32,
    dev_minor: u32,
    mnt_id: u64,
    dio_mem_align: u32,
    dio_offset_align: u32,
    spare3: [u64; 12],
}

const _: () = assert!(core::mem::size_of::<Statx>() == 256);

/// STATX_BASIC_STATS: what every file system here fills.
const STATX_BASIC_STATS: u32 = 0x7ff;

/// statx(2)
pub fn sys_statx(dirfd: i32, path: usize, flags: u32, _mask: u32, buf: usize) -> KResult<usize> {
    const AT_STATX_SYNC_TYPE: u32 = 0x6000;
    if flags & !(g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH | g::AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE) != 0
        || flags & AT_STATX_SYNC_TYPE == AT_STATX_SYNC_TYPE
    {
        return Err(Errno::EINVAL);
    }
    const STATX_MNT_ID: u32 = 0x1000;
    const STATX_ATTR_MOUNT_ROOT: u64 = 0x2000;
    let (st, node) = stat_node_at(dirfd, path, flags)?;
    let ts = |t: crate::time::Timespec| StatxTimestamp { sec: t.sec, nsec: t.nsec as u32, reserved: 0 };
    // Linux always reports the mount id, and whether this is a mount's
    // root (STATX_ATTR_MOUNT_ROOT).
    let (mask, mnt_id, attributes, attributes_mask) = match &node {
        Some(n) => (STATX_BASIC_STATS | STATX_MNT_ID, n.mnt.id as u64, if n.is_mount_root() { STATX_ATTR_MOUNT_ROOT } else { 0 }, STATX_ATTR_MOUNT_ROOT),
        None => (STATX_BASIC_STATS, 0, 0, 0),
    };
    let sx = Statx {
        mask,
        mnt_id,
        attributes,
        attributes_mask,
        blksize: st.blksize,
        nlink: st.nlink,
        uid: st.uid,
        gid: st.gid,
        mode: st.mode as u16,
        ino: st.ino,
        size: st.size,
        blocks: st.blocks,
        atime: ts(st.atime),
        ctime: ts(st.ctime),
        mtime: ts(st.mtime),
        rdev_major: dev_major(st.rdev),
        rdev_minor: dev_minor(st.rdev),
        dev_major: dev_major(st.dev),
        dev_minor: dev_minor(st.dev),
        ..Default::default()
    };
    UserPtr::<Statx>::new(buf).write(&sx)?;
    Ok(0)
}

/// `struct statfs` on x86_64.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct KStatFs {
    f_type: i64,
    bsize: i64,
    blocks: u64,
    bfree: u64,
    bavail: u64,
    files: u64,
    ffree: u64,
    fsid: [i32; 2],
    namelen: i64,
    frsize: i64,
    flags: i64,
    spare: [i64; 4],
}

/// f_flags: ST_VALID and the mount's flags (ST_RDONLY also for a
/// read-only file system).
fn statfs_flags(m: &crate::fs::mount::Mount) -> i64 {
    let mut f = m.flags();
    if m.readonly() {
        f |= crate::fs::mount::MountFlags::READONLY;
    }
    (0x20 | f.statfs_bits()) as i64
}

fn to_kstatfs(s: &StatFs, dev: u64, flags: i64) -> KStatFs {
    KStatFs {
        f_type: s.fs_type as i64,
        bsize: s.bsize as i64,
        blocks: s.blocks,
        bfree: s.bfree,
        bavail: s.bavail,
        files: s.files,
        ffree: s.ffree,
        fsid: [dev as i32, (dev >> 32) as i32],
        namelen: s.namelen as i64,
        frsize: s.bsize as i64,
        flags,
        spare: [0; 4],
    }
}

/// statfs(2)
pub fn sys_statfs(path: usize, buf: usize) -> KResult<usize> {
    let path = read_path(path)?;
    let node = resolve_at(super::AT_FDCWD, &path, true)?;
    let s = node.inode.statfs();
    UserPtr::<KStatFs>::new(buf).write(&to_kstatfs(&s, node.stat().dev, statfs_flags(&node.mnt)))?;
    Ok(0)
}

/// fstatfs(2)
pub fn sys_fstatfs(fd: i32, buf: usize) -> KResult<usize> {
    let f = file(fd)?;
    let inode = f.inode().ok_or(Errno::ENOSYS)?;
    let s = inode.statfs();
    let flags = f.path().map_or(0x1020, |p| statfs_flags(&p.mnt));
    UserPtr::<KStatFs>::new(buf).write(&to_kstatfs(&s, inode.stat().dev, flags))?;
    Ok(0)
}

/// faccessat2(2) (also access and faccessat): checks with the real ids
/// unless AT_EACCESS.
pub fn sys_faccessat(dirfd: i32, path: usize, mode: u32, flags: u32) -> KResult<usize> {
    if mode & !7 != 0 || flags & !(g::AT_EACCESS | g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path_allow_empty(path)?;
    let node = resolve_at_flags(dirfd, &path, flags)?;
    let mut c = creds();
    if flags & g::AT_EACCESS == 0 {
        // Check as the real user, with the capabilities that user would
        // have (do_faccessat's override credentials).
        c.fsuid = c.uid;
        c.fsgid = c.gid;
        c.cap_effective = if c.uid == 0 { c.cap_permitted } else { 0 };
    }
    let st = node.stat();
    if mode & 4 != 0 {
        check_permission(&st, &c, Perm::Read)?;
    }
    if mode & 2 != 0 {
        check_permission(&st, &c, Perm::Write)?;
    }
    if mode & 1 != 0 {
        check_permission(&st, &c, Perm::Exec)?;
    }
    // SuS requires reporting a read-only file system for W_OK.
    if mode & 2 != 0 && matches!(st.file_type(), Some(FileType::Regular | FileType::Directory | FileType::Symlink)) {
        node.mnt.want_write()?;
    }
    Ok(0)
}

/// readlinkat(2)
pub fn sys_readlinkat(dirfd: i32, path: usize, buf: usize, size: usize) -> KResult<usize> {
    if (size as isize) <= 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path_allow_empty(path)?;
    let node = resolve_at_flags(dirfd, &path, g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH)?;
    if node.stat().file_type() != Some(FileType::Symlink) {
        return Err(Errno::EINVAL);
    }
    let target = node.inode.read_link()?;
    let n = target.len().min(size);
    write_bytes(buf, &target[..n])?;
    Ok(n)
}
