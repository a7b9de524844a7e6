//! open, close, dup, fcntl, pipe.

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use super::{creds, file, fs_context, resolve_at, resolve_parent_at};
use crate::errno::{Errno, KResult};
use crate::fs::file::{InodeFile, OpenFile};
use crate::fs::inode::{FileType, NewNode, SetAttr};
use crate::fs::notify;
use crate::fs::path::{Perm, check_permission};
use crate::fs::pipe::{Pipe, pipe_of};
use crate::mm::uaccess::{UserPtr, read_path};
use crate::sched::current;

/// The caller's descriptor limit (RLIMIT_NOFILE).
pub fn nofile_limit() -> usize {
    current().process.rlimit(7) as usize
}

/// Installs `file` in the caller's table at the lowest free descriptor.
pub fn install(file: Arc<OpenFile>, cloexec: bool) -> KResult<i32> {
    current().files().lock().alloc(file, cloexec, 0, nofile_limit())
}

/// openat(2)
pub fn sys_openat(dirfd: i32, path: usize, flags: u32, mode: u32) -> KResult<usize> {
    let path = read_path(path)?;
    let file = open(dirfd, &path, flags, mode)?;
    Ok(install(file, flags & g::O_CLOEXEC != 0)? as usize)
}

/// Opens a path as openat does and returns the open file description.
pub fn open(dirfd: i32, path: &[u8], flags: u32, mode: u32) -> KResult<Arc<OpenFile>> {
    let creds = creds();
    // Access mode 3 is Linux's "neither read nor write" (ioctl only); it
    // needs read and write permission.
    let acc = flags & g::O_ACCMODE;
    if flags & g::__O_TMPFILE == g::__O_TMPFILE {
        return Err(Errno::EOPNOTSUPP); // O_TMPFILE: issue 4
    }
    let follow = flags & g::O_NOFOLLOW == 0;
    let (node, created) = if flags & g::O_CREAT != 0 && flags & g::O_PATH == 0 {
        open_or_create(dirfd, path, flags, mode, &creds, 0)?
    } else {
        (resolve_at(dirfd, path, follow)?, false)
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
    if ft == Some(FileType::Symlink) {
        return Err(Errno::ELOOP); // O_NOFOLLOW on a symlink
    }
    if flags & g::O_DIRECTORY != 0 && ft != Some(FileType::Directory) {
        return Err(Errno::ENOTDIR);
    }
    let wants_write = acc == g::O_WRONLY || acc == g::O_RDWR || acc == 3;
    // Truncation asks the mount for writing before any access check.
    if flags & g::O_TRUNC != 0 && ft == Some(FileType::Regular) && !created {
        node.mnt.want_write()?;
    }
    if ft == Some(FileType::Directory) && (wants_write || flags & g::O_CREAT != 0) {
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
    let file = OpenFile::new(ops, Some(node.clone()), flags);
    notify::opened(&file);
    // Linux truncates after the open event, and never a file it created.
    if truncate && !created {
        notify::truncated(&node);
    }
    Ok(file)
}

/// The O_CREAT part of open: the existing file, or a new one (then
/// `true`). A dangling symlink in the last component is followed and its
/// target created (unless O_EXCL or O_NOFOLLOW), as on Linux.
fn open_or_create(dirfd: i32, path: &[u8], flags: u32, mode: u32, creds: &crate::process::creds::Credentials, depth: u32) -> KResult<(Arc<crate::fs::path::PathNode>, bool)> {
    let p = resolve_parent_at(dirfd, path)?;
    if p.trailing_slash {
        return Err(Errno::EISDIR);
    }
    match p.dir.inode.lookup(&p.name) {
        Ok(_) if flags & g::O_EXCL != 0 => Err(Errno::EEXIST),
        Ok(existing) => {
            let is_link = existing.stat().file_type() == Some(FileType::Symlink);
            if is_link && flags & g::O_NOFOLLOW == 0 && resolve_at(dirfd, path, true).is_err_and(|e| e == Errno::ENOENT) {
                if depth >= 40 {
                    return Err(Errno::ELOOP);
                }
                // Create the link's target, relative to the link's directory.
                let target = existing.read_link()?;
                let dir_fd_path = p.dir.clone();
                let fs = fs_context();
                let c = super::creds();
                let base = if target.first() == Some(&b'/') { fs.root.clone() } else { dir_fd_path };
                let tp = crate::fs::path::Resolver::new(&fs, &c).resolve_parent(&base, &target)?;
                tp.dir.mnt.want_write()?;
                return Ok((create_in(&tp.dir, &tp.name, mode, creds)?, true));
            }
            Ok((resolve_at(dirfd, path, flags & g::O_NOFOLLOW == 0)?, false))
        }
        Err(e) if e == Errno::ENOENT => {
            p.dir.mnt.want_write()?;
            Ok((create_in(&p.dir, &p.name, mode, creds)?, true))
        }
        Err(e) => Err(e),
    }
}

fn create_in(dir: &Arc<crate::fs::path::PathNode>, name: &[u8], mode: u32, creds: &crate::process::creds::Credentials) -> KResult<Arc<crate::fs::path::PathNode>> {
    let dst = dir.stat();
    check_permission(&dst, creds, Perm::Write)?;
    check_permission(&dst, creds, Perm::Exec)?;
    let umask = fs_context().umask;
    let inode = dir.inode.create(name, NewNode::File, mode & 0o7777 & !umask, creds.fsuid, creds.fsgid)?;
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
            f.set_status_flags(arg as u32);
            Ok(0)
        }
        g::F_GETPIPE_SZ => Ok(pipe_of(&f).ok_or(Errno::EBADF)?.size()),
        g::F_SETPIPE_SZ => pipe_of(&f).ok_or(Errno::EBADF)?.set_size(arg as u32),
        g::F_GETLK | g::F_SETLK | g::F_SETLKW | g::F_OFD_GETLK | g::F_OFD_SETLK | g::F_OFD_SETLKW => super::lock::fcntl_lock(&f, cmd, arg),
        // Leases, seals: issue 4 (docs/compat.md).
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
