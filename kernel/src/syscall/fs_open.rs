//! open, openat2 (O_TMPFILE, RESOLVE_*), close, dup, fcntl, pipe,
//! memfd_create.

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::{base_dir, creds, file, fs_context};
use crate::errno::{Errno, KResult};
use crate::fs::file::{InodeFile, OpenFile, Opener};
use crate::fs::inode::{FileType, NewNode, SetAttr};
use crate::fs::memfd;
use crate::fs::notify;
use crate::fs::path::{PathNode, Perm, ResolveFlags, Resolver, check_permission};
use crate::fs::pipe::{Pipe, pipe_of};
use crate::mm::uaccess::{UserPtr, read_bytes, read_cstr, read_path};
use crate::process::creds::{CAP_FOWNER, Credentials};
use crate::sched::current;

/// The caller's descriptor limit (RLIMIT_NOFILE).
pub fn nofile_limit() -> usize {
    current().process.rlimit(7) as usize
}

/// Installs `file` in the caller's table at the lowest free descriptor.
pub fn install(file: Arc<OpenFile>, cloexec: bool) -> KResult<i32> {
    current().files().lock().alloc(file, cloexec, 0, nofile_limit())
}

/// openat(2) (also open and creat).
pub fn sys_openat(dirfd: i32, path: usize, flags: u32, mode: u32) -> KResult<usize> {
    let path = read_path(path)?;
    let how = OpenHow::from_open(flags | g::O_LARGEFILE, mode);
    let file = open_how(dirfd, &path, &how)?;
    Ok(install(file, how.flags & g::O_CLOEXEC as u64 != 0)? as usize)
}

/// openat2(2): `struct open_how` of `size` bytes (at least version 0's
/// 24; up to a page, where bytes the kernel does not know must be zero).
pub fn sys_openat2(dirfd: i32, path: usize, how_ptr: usize, size: usize) -> KResult<usize> {
    const OPEN_HOW_SIZE_VER0: usize = 24;
    if size < OPEN_HOW_SIZE_VER0 {
        return Err(Errno::EINVAL);
    }
    if size > crate::mm::PAGE_SIZE {
        return Err(Errno::E2BIG);
    }
    let mut how: OpenHow = UserPtr::<OpenHow>::new(how_ptr).read()?;
    // copy_struct_from_user: a larger struct is fine if the rest is zero.
    if size > OPEN_HOW_SIZE_VER0 {
        let rest = read_bytes(how_ptr + OPEN_HOW_SIZE_VER0, size - OPEN_HOW_SIZE_VER0)?;
        if rest.iter().any(|&b| b != 0) {
            return Err(Errno::E2BIG);
        }
    }
    if how.flags & g::O_PATH as u64 == 0 {
        how.flags |= g::O_LARGEFILE as u64;
    }
    let path = read_path(path)?;
    let file = open_how(dirfd, &path, &how)?;
    Ok(install(file, how.flags & g::O_CLOEXEC as u64 != 0)? as usize)
}

/// `struct open_how` (openat2): what to open and how to look it up.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct OpenHow {
    /// O_* flags.
    pub flags: u64,
    /// Creation mode (O_CREAT, O_TMPFILE).
    pub mode: u64,
    /// RESOLVE_* flags.
    pub resolve: u64,
}

/// Every flag open knows (Linux's VALID_OPEN_FLAGS).
const VALID_OPEN_FLAGS: u64 = (g::O_RDONLY
    | g::O_WRONLY
    | g::O_RDWR
    | g::O_CREAT
    | g::O_EXCL
    | g::O_NOCTTY
    | g::O_TRUNC
    | g::O_APPEND
    | g::O_NONBLOCK
    | g::O_DSYNC
    | g::__O_SYNC
    | g::FASYNC
    | g::O_DIRECT
    | g::O_LARGEFILE
    | g::O_DIRECTORY
    | g::O_NOFOLLOW
    | g::O_NOATIME
    | g::O_CLOEXEC
    | g::O_PATH
    | g::__O_TMPFILE) as u64;
/// The flags O_PATH may come with.
const O_PATH_FLAGS: u64 = (g::O_DIRECTORY | g::O_NOFOLLOW | g::O_PATH | g::O_CLOEXEC) as u64;
const RESOLVE_NO_XDEV: u64 = 0x01;
const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
const RESOLVE_NO_SYMLINKS: u64 = 0x04;
const RESOLVE_BENEATH: u64 = 0x08;
const RESOLVE_IN_ROOT: u64 = 0x10;
const RESOLVE_CACHED: u64 = 0x20;
const VALID_RESOLVE_FLAGS: u64 = 0x3f;

impl OpenHow {
    /// open(2)'s flags and mode as openat2 would see them (build_open_how):
    /// unknown bits dropped, O_PATH keeping only its companions, and the
    /// mode only when creating.
    pub fn from_open(flags: u32, mode: u32) -> OpenHow {
        let mut flags = flags as u64 & VALID_OPEN_FLAGS;
        if flags & g::O_PATH as u64 != 0 {
            flags &= O_PATH_FLAGS;
        }
        let mode = if will_create(flags) { mode as u64 & 0o7777 } else { 0 };
        OpenHow { flags, mode, resolve: 0 }
    }

    /// Linux's build_open_flags: the checks openat2 makes of every field,
    /// which open's flags pass by construction except O_DIRECTORY|O_CREAT
    /// and the O_TMPFILE rules.
    fn check(&self) -> KResult<(u32, u32, ResolveFlags)> {
        let flags = self.flags & !(g::O_CLOEXEC as u64);
        if flags & !VALID_OPEN_FLAGS != 0 || self.resolve & !VALID_RESOLVE_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        if self.resolve & RESOLVE_BENEATH != 0 && self.resolve & RESOLVE_IN_ROOT != 0 {
            return Err(Errno::EINVAL);
        }
        if will_create(flags) {
            if self.mode & !0o7777 != 0 {
                return Err(Errno::EINVAL);
            }
        } else if self.mode != 0 {
            return Err(Errno::EINVAL);
        }
        let dir_creat = (g::O_DIRECTORY | g::O_CREAT) as u64;
        if flags & dir_creat == dir_creat {
            return Err(Errno::EINVAL);
        }
        let acc = flags as u32 & g::O_ACCMODE;
        if flags & g::__O_TMPFILE as u64 != 0 {
            if flags & g::O_DIRECTORY as u64 == 0 || !(acc == g::O_WRONLY || acc == g::O_RDWR) {
                return Err(Errno::EINVAL);
            }
        }
        if flags & g::O_PATH as u64 != 0 && flags & !O_PATH_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        let r = self.resolve;
        let resolve = ResolveFlags {
            no_xdev: r & RESOLVE_NO_XDEV != 0,
            no_magiclinks: r & RESOLVE_NO_MAGICLINKS != 0,
            no_symlinks: r & RESOLVE_NO_SYMLINKS != 0,
            beneath: r & RESOLVE_BENEATH != 0,
            in_root: r & RESOLVE_IN_ROOT != 0,
            cached: r & RESOLVE_CACHED != 0,
        };
        // There is no cached answer for creating, truncating or O_TMPFILE.
        if resolve.cached && flags & (g::O_TRUNC | g::O_CREAT | g::__O_TMPFILE) as u64 != 0 {
            return Err(Errno::EAGAIN);
        }
        // O_SYNC is __O_SYNC|O_DSYNC; keep them consistent.
        let mut flags = self.flags as u32;
        if flags & g::__O_SYNC != 0 {
            flags |= g::O_DSYNC;
        }
        Ok((flags, self.mode as u32, resolve))
    }
}

fn will_create(flags: u64) -> bool {
    flags & g::O_CREAT as u64 != 0 || flags & g::__O_TMPFILE as u64 == g::__O_TMPFILE as u64
}

/// Opens a path as openat does and returns the open file description.
pub fn open(dirfd: i32, path: &[u8], flags: u32, mode: u32) -> KResult<Arc<OpenFile>> {
    open_how(dirfd, path, &OpenHow::from_open(flags, mode))
}

/// Opens a path as openat2 does.
pub fn open_how(dirfd: i32, path: &[u8], how: &OpenHow) -> KResult<Arc<OpenFile>> {
    let (flags, mode, resolve) = how.check()?;
    let creds = creds();
    let fs = fs_context();
    // A scoped lookup starts at (and is confined to) the directory
    // descriptor even for an absolute path.
    let scoped = resolve.beneath || resolve.in_root;
    let base = base_dir(&fs, dirfd, if scoped { b"" } else { path })?;
    let resolver = Resolver::with_flags(&fs, &creds, resolve, &base);
    // Access mode 3 is Linux's "neither read nor write" (ioctl only); it
    // needs read and write permission.
    let acc = flags & g::O_ACCMODE;
    if flags & g::__O_TMPFILE == g::__O_TMPFILE {
        return open_tmpfile(&resolver, &base, path, flags, mode, &creds, fs.umask);
    }
    let follow = flags & g::O_NOFOLLOW == 0;
    let (node, created) = if flags & g::O_CREAT != 0 {
        open_or_create(&resolver, &base, path, flags, mode, &creds, fs.umask)?
    } else {
        (resolver.resolve(&base, path, follow)?, false)
    };
    let st = node.stat();
    let ft = st.file_type();
    if flags & g::O_PATH != 0 {
        if flags & g::O_DIRECTORY != 0 && ft != Some(FileType::Directory) {
            return Err(Errno::ENOTDIR);
        }
        let ops = InodeFile::new(node.inode.clone());
        return Ok(OpenFile::new(ops, Some(node), g::O_PATH | (flags & g::O_CLOEXEC)));
    }
    if flags & g::O_DIRECTORY != 0 && ft != Some(FileType::Directory) {
        return Err(Errno::ENOTDIR);
    }
    if ft == Some(FileType::Symlink) {
        return Err(Errno::ELOOP); // O_NOFOLLOW on a symlink
    }
    let wants_write = acc == g::O_WRONLY || acc == g::O_RDWR || acc == 3;
    // Truncation asks the mount for writing before any access check.
    if flags & g::O_TRUNC != 0 && ft == Some(FileType::Regular) && !created {
        node.mnt.want_write()?;
    }
    // O_TRUNC asks for write access (build_open_flags), so a directory
    // refuses it too.
    if ft == Some(FileType::Directory) && (wants_write || flags & (g::O_CREAT | g::O_TRUNC) != 0) {
        return Err(Errno::EISDIR);
    }
    // nodev: device nodes on this mount cannot be opened (may_open).
    if matches!(ft, Some(FileType::CharDevice | FileType::BlockDevice)) && node.mnt.flags().contains(crate::fs::mount::MountFlags::NODEV) {
        return Err(Errno::EACCES);
    }
    if acc == g::O_RDONLY || acc == g::O_RDWR || acc == 3 {
        check_permission(&st, &creds, Perm::Read)?;
    }
    if wants_write || (flags & g::O_TRUNC != 0) {
        check_permission(&st, &creds, Perm::Write)?;
    }
    // O_NOATIME is for the owner (or CAP_FOWNER) only.
    if flags & g::O_NOATIME != 0 && creds.fsuid != st.uid && !creds.capable(CAP_FOWNER) {
        return Err(Errno::EPERM);
    }
    // Writing to a file (not a device or FIFO) needs a writable mount.
    if wants_write && matches!(ft, Some(FileType::Regular | FileType::Directory | FileType::Symlink)) {
        node.mnt.want_write()?;
    }
    let ops = match node.inode.open_special(flags)? {
        Some(ops) => ops,
        None => InodeFile::new(node.inode.clone()),
    };
    let truncate = flags & g::O_TRUNC != 0 && wants_write && ft == Some(FileType::Regular);
    if truncate {
        node.inode.set_attr(&SetAttr { size: Some(0), ..Default::default() })?;
    }
    let file = OpenFile::with_opener(ops, Some(node.clone()), flags, Opener::of(&creds));
    notify::opened(&file);
    // Linux truncates after the open event, and never a file it created.
    if truncate && !created {
        notify::truncated(&node);
    }
    Ok(file)
}

/// O_TMPFILE: an unnamed file in the directory `path` names (vfs_tmpfile:
/// the directory must be writable and searchable; the mode takes the
/// umask). Without O_EXCL, linkat may give it a name later.
fn open_tmpfile(resolver: &Resolver, base: &Arc<PathNode>, path: &[u8], flags: u32, mode: u32, creds: &Credentials, umask: u32) -> KResult<Arc<OpenFile>> {
    let dir = resolver.resolve(base, path, true)?;
    if !dir.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    // Creating needs a writable mount (EROFS before EACCES).
    dir.mnt.want_write()?;
    let dst = dir.stat();
    check_permission(&dst, creds, Perm::Write)?;
    check_permission(&dst, creds, Perm::Exec)?;
    let (uid, gid, mode) = super::new_inode_owner(&dst, creds, mode & 0o7777 & !umask, false);
    let inode = dir.inode.create_tmpfile(mode, uid, gid, flags & g::O_EXCL == 0)?;
    let name = alloc::format!("#{}", inode.stat().ino).into_bytes();
    let node = dir.child(&name, inode.clone());
    let file = OpenFile::with_opener(InodeFile::new(inode), Some(node), flags & !g::O_EXCL, Opener::of(creds));
    notify::opened(&file);
    Ok(file)
}

/// The O_CREAT part of open: the existing file, or a new one (then
/// `true`). A dangling symlink in the last component is followed and its
/// target created (unless O_EXCL or O_NOFOLLOW), as on Linux.
fn open_or_create(resolver: &Resolver, base: &Arc<PathNode>, path: &[u8], flags: u32, mode: u32, creds: &Credentials, umask: u32) -> KResult<(Arc<PathNode>, bool)> {
    let p = resolver.resolve_parent(base, path)?;
    if p.trailing_slash {
        return Err(Errno::EISDIR);
    }
    let (mut dir, mut name) = (p.dir, p.name);
    let mut links = 0;
    loop {
        if name.is_empty() || name == b"." || name == b".." {
            // Not a name to create: whatever it is exists.
            return Ok((resolver.resolve(&dir, if name.is_empty() { b"." } else { &name }, true)?, false));
        }
        match dir.inode.lookup(&name) {
            Ok(_) if flags & g::O_EXCL != 0 => return Err(Errno::EEXIST),
            Ok(existing) => {
                let is_link = existing.stat().file_type() == Some(FileType::Symlink);
                if !is_link || flags & g::O_NOFOLLOW != 0 {
                    return Ok((resolver.resolve(&dir, &name, false)?, false));
                }
                match resolver.link_parent(&dir, &existing, &mut links)? {
                    Ok(target) => {
                        if target.trailing_slash {
                            return Err(Errno::EISDIR);
                        }
                        (dir, name) = (target.dir, target.name);
                    }
                    // A magic link reaches an object that exists.
                    Err(node) => return Ok((node, false)),
                }
            }
            Err(e) if e == Errno::ENOENT => return Ok((create_in(&dir, &name, mode, creds, umask)?, true)),
            Err(e) => return Err(e),
        }
    }
}

fn create_in(dir: &Arc<PathNode>, name: &[u8], mode: u32, creds: &Credentials, umask: u32) -> KResult<Arc<PathNode>> {
    dir.mnt.want_write()?;
    let dst = dir.stat();
    check_permission(&dst, creds, Perm::Write)?;
    check_permission(&dst, creds, Perm::Exec)?;
    let (uid, gid, mode) = super::new_inode_owner(&dst, creds, mode & 0o7777 & !umask, false);
    let inode = dir.inode.create(name, NewNode::File, mode, uid, gid)?;
    notify::created(dir, name, &inode);
    Ok(dir.child(name, inode))
}

/// close(2)
pub fn sys_close(fd: i32) -> KResult<usize> {
    let f = current().files().lock().remove(fd)?;
    drop(f);
    Ok(0)
}

/// close_range(2)
pub fn sys_close_range(first: u32, last: u32, flags: u32) -> KResult<usize> {
    const CLOSE_RANGE_UNSHARE: u32 = 2;
    const CLOSE_RANGE_CLOEXEC: u32 = 4;
    if flags & !(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) != 0 || first > last {
        return Err(Errno::EINVAL);
    }
    let me = current();
    if flags & CLOSE_RANGE_UNSHARE != 0 {
        let copy = me.files().lock().clone();
        me.set_files(Arc::new(kevlar_hal::sync::SpinLock::new(copy)));
    }
    let files = me.files();
    if flags & CLOSE_RANGE_CLOEXEC != 0 {
        files.lock().set_cloexec_range(first as usize, last as usize);
    } else {
        let closed = files.lock().take_range(first as usize, last as usize);
        drop(closed);
    }
    Ok(0)
}

/// dup(2)
pub fn sys_dup(fd: i32) -> KResult<usize> {
    let f = file(fd)?;
    Ok(install(f, false)? as usize)
}

/// dup2(2)
pub fn sys_dup2(old: i32, new: i32) -> KResult<usize> {
    if old == new {
        file(old)?;
        return Ok(new as usize);
    }
    sys_dup3(old, new, 0)
}

/// dup3(2)
pub fn sys_dup3(old: i32, new: i32, flags: u32) -> KResult<usize> {
    if flags & !g::O_CLOEXEC != 0 || old == new {
        return Err(Errno::EINVAL);
    }
    let f = file(old)?;
    let replaced = current().files().lock().install_at(new, f, flags & g::O_CLOEXEC != 0, nofile_limit())?;
    drop(replaced);
    Ok(new as usize)
}

/// fcntl(2)
pub fn sys_fcntl(fd: i32, cmd: u32, arg: usize) -> KResult<usize> {
    let me = current();
    let f = file(fd)?;
    // An O_PATH descriptor answers only the descriptor-level commands.
    if f.is_path_only() && !matches!(cmd, g::F_DUPFD | g::F_DUPFD_CLOEXEC | g::F_GETFD | g::F_SETFD | g::F_GETFL) {
        return Err(Errno::EBADF);
    }
    match cmd {
        g::F_DUPFD | g::F_DUPFD_CLOEXEC => {
            let limit = nofile_limit();
            if arg >= limit {
                return Err(Errno::EINVAL);
            }
            Ok(me.files().lock().alloc(f, cmd == g::F_DUPFD_CLOEXEC, arg, limit)? as usize)
        }
        g::F_GETFD => Ok(me.files().lock().cloexec(fd)? as usize),
        g::F_SETFD => {
            me.files().lock().set_cloexec(fd, arg as u32 & g::FD_CLOEXEC != 0)?;
            Ok(0)
        }
        g::F_GETFL => Ok(f.flags() as usize),
        g::F_SETFL => {
            // O_NOATIME can only be set by the owner or CAP_FOWNER.
            if arg as u32 & g::O_NOATIME != 0 && f.flags() & g::O_NOATIME == 0 {
                let c = creds();
                if f.stat().is_ok_and(|st| st.uid != c.fsuid) && !c.capable(CAP_FOWNER) {
                    return Err(Errno::EPERM);
                }
            }
            f.set_status_flags(arg as u32);
            Ok(0)
        }
        g::F_GETPIPE_SZ => Ok(pipe_of(&f).ok_or(Errno::EBADF)?.size()),
        g::F_SETPIPE_SZ => pipe_of(&f).ok_or(Errno::EBADF)?.set_size(arg as u32),
        // Seals (memfd and every tmpfs file): fs::memfd.
        g::F_ADD_SEALS => memfd::add_seals(&f, arg as u32).map(|()| 0),
        g::F_GET_SEALS => memfd::get_seals(&f).map(|s| s as usize),
        g::F_GETLK | g::F_SETLK | g::F_SETLKW | g::F_OFD_GETLK | g::F_OFD_SETLK | g::F_OFD_SETLKW => super::lock::fcntl_lock(&f, cmd, arg),
        // Leases (docs/compat.md).
        _ => Err(Errno::EINVAL),
    }
}

/// pipe2(2). O_DIRECT makes the write end write packets (fs::pipe);
/// O_NOTIFICATION_PIPE (watch queues) is not supported: EINVAL, as a
/// kernel without CONFIG_WATCH_QUEUE answers.
pub fn sys_pipe2(fds: usize, flags: u32) -> KResult<usize> {
    if flags & !(g::O_CLOEXEC | g::O_NONBLOCK | g::O_DIRECT) != 0 {
        return Err(Errno::EINVAL);
    }
    let (r, w) = Pipe::new();
    let rf = OpenFile::new(r, None, g::O_RDONLY | (flags & g::O_NONBLOCK));
    let wf = OpenFile::new(w, None, g::O_WRONLY | (flags & (g::O_NONBLOCK | g::O_DIRECT)));
    let cloexec = flags & g::O_CLOEXEC != 0;
    let me = current();
    let files = me.files();
    let limit = nofile_limit();
    let (rfd, wfd) = {
        let mut t = files.lock();
        let rfd = t.alloc(rf, cloexec, 0, limit)?;
        match t.alloc(wf, cloexec, 0, limit) {
            Ok(wfd) => (rfd, wfd),
            Err(e) => {
                let _ = t.remove(rfd);
                return Err(e);
            }
        }
    };
    if let Err(e) = UserPtr::<[i32; 2]>::new(fds).write(&[rfd, wfd]) {
        let mut t = files.lock();
        let _ = t.remove(rfd);
        let _ = t.remove(wfd);
        return Err(e);
    }
    Ok(0)
}

/// memfd_create(2): flags first (EINVAL), then the name (EFAULT, EINVAL
/// beyond 249 bytes), as Linux checks them.
pub fn sys_memfd_create(name: usize, flags: u32) -> KResult<usize> {
    memfd::check_flags(flags)?;
    let name = read_cstr(name, memfd::NAME_MAX_LEN + 1, Errno::EINVAL)?;
    let c = creds();
    let file = memfd::create(&name, flags, c.fsuid, c.fsgid)?;
    Ok(install(file, flags & memfd::MFD_CLOEXEC != 0)? as usize)
}
