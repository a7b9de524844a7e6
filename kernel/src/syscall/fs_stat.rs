//! stat and friends, access, readlink, statfs.

use linux_raw_sys::general as g;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use alloc::sync::Arc;

use super::{creds, file, resolve_at, resolve_at_flags};
use crate::errno::{Errno, KResult};
use crate::fs::inode::{FileType, Inode, Stat, StatFs, dev_major, dev_minor};
use crate::fs::path::{PathNode, Perm, check_permission};
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
/// empty (or, since Linux 6.11, NULL) path and AT_EMPTY_PATH (stat family).
fn stat_at(dirfd: i32, path: usize, flags: u32) -> KResult<Stat> {
    Ok(lookup_for_stat(dirfd, path, flags)?.0)
}

/// The metadata `stat_at` reports, and the path it was reached by (for
/// statx's mount facts), if any.
fn lookup_for_stat(dirfd: i32, path: usize, flags: u32) -> KResult<(Stat, Option<Arc<PathNode>>, Option<Arc<dyn Inode>>)> {
    let empty_ok = flags & g::AT_EMPTY_PATH != 0;
    let path = if path == 0 && empty_ok { alloc::vec::Vec::new() } else { read_path_allow_empty(path)? };
    if path.is_empty() && empty_ok && dirfd != super::AT_FDCWD {
        let f = file(dirfd)?;
        return Ok((f.stat()?, f.path().cloned(), f.inode().cloned()));
    }
    let node = resolve_at_flags(dirfd, &path, flags)?;
    Ok((node.stat(), Some(node.clone()), Some(node.inode.clone())))
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
const STATX_MTIME: u32 = 0x40;
const STATX_CTIME: u32 = 0x80;
const STATX_BTIME: u32 = 0x800;
const STATX_MNT_ID: u32 = 0x1000;
const STATX_MNT_ID_UNIQUE: u32 = 0x4000;
const STATX_RESERVED: u32 = 0x8000_0000;
/// STATX_ATTR_MOUNT_ROOT
const STATX_ATTR_MOUNT_ROOT: u64 = 0x2000;
/// Attributes the VFS reports for every file system: AUTOMOUNT,
/// MOUNT_ROOT, DAX.
const STATX_ATTR_VFS_MASK: u64 = 0x1000 | STATX_ATTR_MOUNT_ROOT | 0x20_0000;
/// Linux numbers unique mount ids from 2^31 (MNT_UNIQUE_ID_OFFSET).
const MNT_UNIQUE_ID_OFFSET: u64 = 1 << 31;

/// statx(2). Times, sizes and ids as stat; STATX_BTIME where the file
/// system keeps a birth time (tmpfs); a mount id (the file system's
/// instance id: one mount per file system here); the attributes the file
/// system can report; no direct-I/O alignment (no O_DIRECT support).
pub fn sys_statx(dirfd: i32, path: usize, flags: u32, mask: u32, buf: usize) -> KResult<usize> {
    const AT_STATX_SYNC_TYPE: u32 = 0x6000;
    if flags & !(g::AT_SYMLINK_NOFOLLOW | g::AT_EMPTY_PATH | g::AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE) != 0
        || flags & AT_STATX_SYNC_TYPE == AT_STATX_SYNC_TYPE
        || mask & STATX_RESERVED != 0
    {
        return Err(Errno::EINVAL);
    }
    let (st, node, inode) = lookup_for_stat(dirfd, path, flags)?;
    let traits = inode.as_ref().map(|i| i.statx_traits()).unwrap_or_default();
    let mut result = STATX_BASIC_STATS;
    let mut zero_cmtime = false;
    if traits.multigrain_times && mask & (STATX_MTIME | STATX_CTIME) == 0 {
        result &= !(STATX_MTIME | STATX_CTIME);
        zero_cmtime = true;
    }
    let btime = inode.as_ref().and_then(|i| i.birth_time()).filter(|_| mask & STATX_BTIME != 0);
    if btime.is_some() {
        result |= STATX_BTIME;
    }
    let fs_id = inode.as_ref().map(|i| i.fs_id());
    let (mnt_id, mut attributes) = match &node {
        Some(n) => (mount_id_of(n), if is_mount_root(n) { STATX_ATTR_MOUNT_ROOT } else { 0 }),
        None => (fs_id.unwrap_or(0), 0),
    };
    let mnt_id = if mask & STATX_MNT_ID_UNIQUE != 0 {
        result |= STATX_MNT_ID_UNIQUE;
        MNT_UNIQUE_ID_OFFSET + mnt_id
    } else {
        result |= STATX_MNT_ID;
        mnt_id
    };
    attributes &= STATX_ATTR_VFS_MASK;
    let ts = |t: crate::time::Timespec| StatxTimestamp { sec: t.sec, nsec: t.nsec as u32, reserved: 0 };
    let (mtime, ctime) = if zero_cmtime { (StatxTimestamp::default(), StatxTimestamp::default()) } else { (ts(st.mtime), ts(st.ctime)) };
    let sx = Statx {
        mask: result,
        attributes,
        attributes_mask: STATX_ATTR_VFS_MASK | traits.attributes_mask,
        btime: btime.map(ts).unwrap_or_default(),
        mnt_id,
        blksize: st.blksize,
        nlink: st.nlink,
        uid: st.uid,
        gid: st.gid,
        mode: st.mode as u16,
        ino: st.ino,
        size: st.size,
        blocks: st.blocks,
        atime: ts(st.atime),
        ctime,
        mtime,
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

/// The mount id statx reports (the id mountinfo shows).
fn mount_id_of(node: &PathNode) -> u64 {
    node.mnt.id as u64
}

/// Whether `node` is the root of its mount.
fn is_mount_root(node: &PathNode) -> bool {
    node.is_mount_root()
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

/// fstatfs(2): also for descriptors with no file system of their own
/// here: pipes (pipefs) and event descriptors (anonymous inodes), which
/// Linux answers from internal file systems.
pub fn sys_fstatfs(fd: i32, buf: usize) -> KResult<usize> {
    const PIPEFS_MAGIC: u64 = 0x5049_5045;
    const ANON_INODE_FS_MAGIC: u64 = 0x0904_1934;
    let f = file(fd)?;
    let ks = match f.inode() {
        Some(inode) => to_kstatfs(&inode.statfs(), inode.stat().dev, f.path().map_or(0x20, |p| statfs_flags(&p.mnt))),
        None => {
            let magic = if crate::fs::pipe::pipe_of(&f).is_some() { PIPEFS_MAGIC } else { ANON_INODE_FS_MAGIC };
            let s = StatFs { fs_type: magic, bsize: crate::mm::PAGE_SIZE as u64, namelen: 255, ..Default::default() };
            to_kstatfs(&s, 0, 0x20)
        }
    };
    UserPtr::<KStatFs>::new(buf).write(&ks)?;
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
