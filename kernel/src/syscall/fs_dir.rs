//! Directories and names: getdents64, mkdir, mknod, unlink/rmdir, rename,
//! link, symlink, chdir, getcwd, chroot. (mount and umount2: syscall::mount.)

use alloc::sync::Arc;
use alloc::vec::Vec;

use linux_raw_sys::general as g;

use super::{creds, file, fs_context, resolve_at, resolve_at_flags, resolve_parent_at};
use crate::errno::{Errno, KResult};
use crate::fs::inode::{FileType, NewNode, RenameFlags, Stat};
use crate::fs::notify;
use crate::fs::path::{PathNode, Perm, check_permission};
use crate::mm::uaccess::{read_path, read_path_allow_empty, write_bytes};
use crate::process::creds::{CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_MKNOD, CAP_SYS_CHROOT, Credentials};
use crate::sched::current;

/// getdents64(2): entries from the file offset (a directory cursor) until
/// the buffer is full; the offset then names the first entry not returned,
/// so nothing is lost at a buffer boundary.
pub fn sys_getdents64(fd: i32, buf: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    let mut pos = f.offset();
    let mut out: Vec<u8> = Vec::new();
    loop {
        let Some((entry, next)) = f.ops().read_dir(pos)? else { break };
        let reclen = (19 + entry.name.len() + 1).next_multiple_of(8);
        if out.len() + reclen > count {
            if out.is_empty() {
                return Err(Errno::EINVAL);
            }
            break;
        }
        let start = out.len();
        out.extend_from_slice(&entry.ino.to_le_bytes());
        out.extend_from_slice(&(next as i64).to_le_bytes());
        out.extend_from_slice(&(reclen as u16).to_le_bytes());
        out.push(entry.file_type.dirent_type());
        out.extend_from_slice(&entry.name);
        out.resize(start + reclen, 0);
        pos = next;
    }
    write_bytes(buf, &out)?;
    f.set_offset(pos);
    Ok(out.len())
}

/// Checks that `creds` may add or remove entries in directory `dir`, and
/// (sticky directories) remove the entry whose metadata is `victim`.
fn check_dir_write(dir: &Stat, victim: Option<&Stat>, c: &Credentials) -> KResult<()> {
    check_permission(dir, c, Perm::Write)?;
    check_permission(dir, c, Perm::Exec)?;
    if let Some(v) = victim {
        if dir.mode & 0o1000 != 0 && !c.capable(CAP_FOWNER) && c.fsuid != v.uid && c.fsuid != dir.uid {
            return Err(Errno::EPERM);
        }
    }
    Ok(())
}

/// A new entry may be made in `p.dir`: an existing name is EEXIST first,
/// then a read-only mount is EROFS (Linux's filename_create).
fn want_create(p: &crate::fs::path::ParentAndName) -> KResult<()> {
    if p.dir.mnt.readonly() {
        if p.dir.inode.lookup(&p.name).is_ok() {
            return Err(Errno::EEXIST);
        }
        return Err(Errno::EROFS);
    }
    Ok(())
}

/// mkdirat(2)
pub fn sys_mkdirat(dirfd: i32, path: usize, mode: u32) -> KResult<usize> {
    let path = read_path(path)?;
    let p = resolve_parent_at(dirfd, &path)?;
    let c = creds();
    if p.name == b"." || p.name == b".." {
        return Err(Errno::EEXIST);
    }
    want_create(&p)?;
    check_dir_write(&p.dir.stat(), None, &c)?;
    let umask = fs_context().umask;
    let (uid, gid, mode) = super::new_inode_owner(&p.dir.stat(), &c, mode & 0o1777 & !umask, true);
    let inode = p.dir.inode.create(&p.name, NewNode::Directory, mode, uid, gid)?;
    notify::created(&p.dir, &p.name, &inode);
    Ok(0)
}

/// mknodat(2)
pub fn sys_mknodat(dirfd: i32, path: usize, mode: u32, dev: u64) -> KResult<usize> {
    let path = read_path(path)?;
    let ft = match mode & 0o170000 {
        0 => FileType::Regular,
        m => FileType::from_mode(m).ok_or(Errno::EINVAL)?,
    };
    let c = creds();
    let node = match ft {
        FileType::Regular => NewNode::File,
        FileType::Directory => return Err(Errno::EPERM),
        FileType::Symlink => return Err(Errno::EINVAL),
        FileType::CharDevice | FileType::BlockDevice => {
            if !c.capable(CAP_MKNOD) {
                return Err(Errno::EPERM);
            }
            // The user ABI's dev_t is the glibc encoding; convert to ours.
            let major = ((dev >> 8) & 0xfff) as u32 | (((dev >> 32) & !0xfff) as u32);
            let minor = (dev & 0xff) as u32 | (((dev >> 12) & !0xff) as u32);
            NewNode::Special(ft, crate::fs::inode::make_dev(major, minor))
        }
        FileType::Fifo | FileType::Socket => NewNode::Special(ft, 0),
    };
    make_node_at(dirfd, &path, node, mode & 0o7777, &c)?;
    Ok(0)
}

/// Makes a new non-directory entry at `path` with permission bits `perm`
/// less the umask (mknod's work, also bind's for a socket file).
fn make_node_at(dirfd: i32, path: &[u8], node: NewNode, perm: u32, c: &Credentials) -> KResult<Arc<dyn crate::fs::inode::Inode>> {
    let p = resolve_parent_at(dirfd, path)?;
    want_create(&p)?;
    check_dir_write(&p.dir.stat(), None, c)?;
    let umask = fs_context().umask;
    let (uid, gid, mode) = super::new_inode_owner(&p.dir.stat(), c, perm & !umask, false);
    let inode = p.dir.inode.create(&p.name, node, mode, uid, gid)?;
    notify::created(&p.dir, &p.name, &inode);
    Ok(inode)
}

/// bind(2) of an AF_UNIX path: the socket file, mode 0777 less the umask.
pub fn make_socket_file(path: &[u8]) -> KResult<Arc<dyn crate::fs::inode::Inode>> {
    make_node_at(super::AT_FDCWD, path, NewNode::Special(FileType::Socket, 0), 0o777, &creds())
}

/// For a socket already bound: EADDRINUSE if `path` is taken (Linux tries
/// to make the file before it notices), the path's error if its directory
/// cannot be reached, else Ok.
pub fn check_socket_file_free(path: &[u8]) -> KResult<()> {
    let p = resolve_parent_at(super::AT_FDCWD, path)?;
    if p.dir.inode.lookup(&p.name).is_ok() { Err(Errno::EADDRINUSE) } else { Ok(()) }
}

/// connect(2) or sendto(2) to an AF_UNIX path: the socket inode there,
/// which the caller must be allowed to write (ECONNREFUSED if the file
/// is not a socket).
pub fn lookup_socket_file(path: &[u8]) -> KResult<Arc<dyn crate::fs::inode::Inode>> {
    let node = resolve_at(super::AT_FDCWD, path, true)?;
    let st = node.inode.stat();
    check_permission(&st, &creds(), Perm::Write)?;
    if st.file_type() != Some(FileType::Socket) {
        return Err(Errno::ECONNREFUSED);
    }
    Ok(node.inode.clone())
}

/// unlinkat(2) (also unlink and rmdir).
pub fn sys_unlinkat(dirfd: i32, path: usize, flags: u32) -> KResult<usize> {
    if flags & !g::AT_REMOVEDIR != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path(path)?;
    let p = resolve_parent_at(dirfd, &path)?;
    let rmdir = flags & g::AT_REMOVEDIR != 0;
    if rmdir && p.name == b"." {
        return Err(Errno::EINVAL);
    }
    if rmdir && p.name == b".." {
        return Err(Errno::ENOTEMPTY);
    }
    p.dir.mnt.want_write()?;
    if !rmdir && p.trailing_slash {
        let victim = p.dir.inode.lookup(&p.name)?;
        return Err(if victim.stat().is_dir() { Errno::EISDIR } else { Errno::ENOTDIR });
    }
    let victim = p.dir.inode.lookup(&p.name)?;
    let vst = victim.stat();
    if rmdir && !vst.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    let ns = fs_context().ns;
    if crate::fs::mount::is_mountpoint(&ns, crate::fs::mount::key_of(&victim)) {
        return Err(Errno::EBUSY);
    }
    check_dir_write(&p.dir.stat(), Some(&vst), &creds())?;
    p.dir.inode.unlink(&p.name, rmdir)?;
    notify::removed(&p.dir, &p.name, &victim, rmdir);
    Ok(0)
}

/// renameat2(2) (also rename and renameat).
pub fn sys_renameat2(olddirfd: i32, oldpath: usize, newdirfd: i32, newpath: usize, flags: u32) -> KResult<usize> {
    const RENAME_NOREPLACE: u32 = 1;
    const RENAME_EXCHANGE: u32 = 2;
    const RENAME_WHITEOUT: u32 = 4;
    if flags & !(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) != 0
        || (flags & RENAME_EXCHANGE != 0 && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT) != 0)
    {
        return Err(Errno::EINVAL);
    }
    if flags & RENAME_WHITEOUT != 0 {
        return Err(Errno::EINVAL); // overlay whiteouts: not on tmpfs here
    }
    let oldpath = read_path(oldpath)?;
    let newpath = read_path(newpath)?;
    let op = resolve_parent_at(olddirfd, &oldpath)?;
    let np = resolve_parent_at(newdirfd, &newpath)?;
    if !Arc::ptr_eq(&op.dir.mnt, &np.dir.mnt) {
        return Err(Errno::EXDEV);
    }
    for n in [&op.name, &np.name] {
        if n.as_slice() == b"." || n.as_slice() == b".." {
            return Err(Errno::EBUSY);
        }
    }
    op.dir.mnt.want_write()?;
    let src = op.dir.inode.lookup(&op.name)?;
    let sst = src.stat();
    let ns = fs_context().ns;
    let busy = |k| crate::fs::mount::is_mountpoint(&ns, k);
    if busy(crate::fs::mount::key_of(&src)) || np.dir.inode.lookup(&np.name).is_ok_and(|d| busy(crate::fs::mount::key_of(&d))) {
        return Err(Errno::EBUSY);
    }
    if (op.trailing_slash || np.trailing_slash) && !sst.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    if src.fs_id() != np.dir.inode.fs_id() {
        return Err(Errno::EXDEV);
    }
    let c = creds();
    check_dir_write(&op.dir.stat(), Some(&sst), &c)?;
    let dst = np.dir.inode.lookup(&np.name).ok();
    check_dir_write(&np.dir.stat(), dst.as_ref().map(|d| d.stat()).as_ref(), &c)?;
    let rf = RenameFlags { no_replace: flags & RENAME_NOREPLACE != 0, exchange: flags & RENAME_EXCHANGE != 0 };
    op.dir.inode.rename(&op.name, &np.dir.inode, &np.name, rf)?;
    // Renaming a file onto another link of itself changes nothing.
    if dst.as_ref().is_some_and(|d| Arc::ptr_eq(d, &src)) {
        return Ok(0);
    }
    if rf.exchange {
        let other = dst.as_ref().expect("exchange needs a target");
        notify::renamed(&op.dir, &op.name, &np.dir, &np.name, &src, None);
        notify::renamed(&np.dir, &np.name, &op.dir, &op.name, other, None);
    } else {
        notify::renamed(&op.dir, &op.name, &np.dir, &np.name, &src, dst.as_ref());
    }
    Ok(0)
}

/// linkat(2) (also link).
pub fn sys_linkat(olddirfd: i32, oldpath: usize, newdirfd: i32, newpath: usize, flags: u32) -> KResult<usize> {
    if flags & !(g::AT_SYMLINK_FOLLOW | g::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let oldpath = read_path_allow_empty(oldpath)?;
    let newpath = read_path(newpath)?;
    let follow = flags & g::AT_SYMLINK_FOLLOW != 0;
    let src = if oldpath.is_empty() {
        // AT_EMPTY_PATH links the file behind the descriptor: allowed with
        // CAP_DAC_READ_SEARCH, or to whoever opened it (same credentials).
        if flags & g::AT_EMPTY_PATH != 0 && olddirfd != super::AT_FDCWD {
            let c = creds();
            let opener = file(olddirfd)?.opener();
            if !c.capable(CAP_DAC_READ_SEARCH) && opener != Some(crate::fs::file::Opener::of(&c)) {
                return Err(Errno::ENOENT);
            }
        }
        resolve_at_flags(olddirfd, &oldpath, flags)?
    } else {
        resolve_at(olddirfd, &oldpath, follow)?
    };
    if src.is_dir() {
        return Err(Errno::EPERM);
    }
    let np = resolve_parent_at(newdirfd, &newpath)?;
    if np.trailing_slash {
        return Err(Errno::ENOENT);
    }
    want_create(&np)?;
    if !Arc::ptr_eq(&src.mnt, &np.dir.mnt) || src.inode.fs_id() != np.dir.inode.fs_id() {
        return Err(Errno::EXDEV);
    }
    check_dir_write(&np.dir.stat(), None, &creds())?;
    np.dir.inode.link(&np.name, &src.inode)?;
    notify::linked(&np.dir, &np.name, &src.inode);
    Ok(0)
}

/// symlinkat(2) (also symlink).
pub fn sys_symlinkat(target: usize, newdirfd: i32, linkpath: usize) -> KResult<usize> {
    let target = read_path(target)?;
    let linkpath = read_path(linkpath)?;
    let p = resolve_parent_at(newdirfd, &linkpath)?;
    if p.trailing_slash {
        return Err(Errno::ENOENT);
    }
    want_create(&p)?;
    let c = creds();
    check_dir_write(&p.dir.stat(), None, &c)?;
    let (uid, gid, _) = super::new_inode_owner(&p.dir.stat(), &c, 0o777, false);
    let inode = p.dir.inode.create(&p.name, NewNode::Symlink(target), 0o777, uid, gid)?;
    notify::created(&p.dir, &p.name, &inode);
    Ok(0)
}

fn set_cwd(node: Arc<PathNode>) -> KResult<usize> {
    if !node.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    check_permission(&node.stat(), &creds(), Perm::Exec)?;
    current().fs().lock().cwd = node;
    Ok(0)
}

/// chdir(2)
pub fn sys_chdir(path: usize) -> KResult<usize> {
    let path = read_path(path)?;
    set_cwd(resolve_at(super::AT_FDCWD, &path, true)?)
}

/// fchdir(2)
pub fn sys_fchdir(fd: i32) -> KResult<usize> {
    let node = file(fd)?.path().cloned().ok_or(Errno::ENOTDIR)?;
    set_cwd(node)
}

/// chroot(2)
pub fn sys_chroot(path: usize) -> KResult<usize> {
    let path = read_path(path)?;
    let node = resolve_at(super::AT_FDCWD, &path, true)?;
    if !node.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    check_permission(&node.stat(), &creds(), Perm::Exec)?;
    if !creds().capable(CAP_SYS_CHROOT) {
        return Err(Errno::EPERM);
    }
    current().fs().lock().root = node;
    Ok(0)
}

/// getcwd(2): returns the length including the NUL.
pub fn sys_getcwd(buf: usize, size: usize) -> KResult<usize> {
    let fs = fs_context();
    // A removed working directory has no path any more.
    if fs.cwd.stat().nlink == 0 {
        return Err(Errno::ENOENT);
    }
    let mut path = fs.cwd.path_from(&fs.root);
    path.push(0);
    if path.len() > size {
        return Err(Errno::ERANGE);
    }
    write_bytes(buf, &path)?;
    Ok(path.len())
}
