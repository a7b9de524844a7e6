//! inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch (the
//! instances and events: ipc::inotify; where events come from: fs::notify).

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use super::{creds, file, install_file, resolve_at};
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::fs::path::{Perm, check_permission};
use crate::ipc::inotify::{self, Inotify};
use crate::mm::uaccess::read_path;

/// inotify_init1(2): IN_CLOEXEC and IN_NONBLOCK are the only flags; the
/// descriptor is read-only.
pub fn sys_inotify_init1(flags: u32) -> KResult<usize> {
    if flags & !(g::O_CLOEXEC | g::O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let f = OpenFile::new(Inotify::new(), None, g::O_RDONLY | (flags & g::O_NONBLOCK));
    Ok(install_file(f, flags & g::O_CLOEXEC != 0)? as usize)
}

/// inotify_init(2)
pub fn sys_inotify_init() -> KResult<usize> {
    sys_inotify_init1(0)
}

/// The instance behind `fd`: EBADF if none, EINVAL if another kind.
fn instance(fd: i32) -> KResult<Arc<Inotify>> {
    file(fd)?.ops_as::<Inotify>().ok_or(Errno::EINVAL)
}

/// inotify_add_watch(2): the mask is checked first, then the descriptor,
/// then the path (which must be readable by the caller).
pub fn sys_inotify_add_watch(fd: i32, path: usize, mask: u32) -> KResult<usize> {
    inotify::check_mask(mask)?;
    let ino = instance(fd)?;
    let path = read_path(path)?;
    let node = resolve_at(super::AT_FDCWD, &path, !inotify::dont_follow(mask))?;
    let st = node.stat();
    if inotify::only_dir(mask) && !st.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    check_permission(&st, &creds(), Perm::Read)?;
    Ok(ino.add_watch(node.inode.clone(), mask)? as usize)
}

/// inotify_rm_watch(2)
pub fn sys_inotify_rm_watch(fd: i32, wd: i32) -> KResult<usize> {
    instance(fd)?.rm_watch(wd)?;
    Ok(0)
}
