//! signalfd, signalfd4 (reading signals: ipc::signalfd).

use linux_raw_sys::general as g;

use super::{file, install_file};
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::ipc::signalfd::SignalFd;
use crate::mm::uaccess::UserPtr;
use crate::signal::SigSet;

/// signalfd4(2): a new signalfd (fd -1) or a new mask for an existing
/// one, which is returned.
pub fn sys_signalfd4(fd: i32, mask: usize, sizemask: usize, flags: u32) -> KResult<usize> {
    if flags & !(g::O_CLOEXEC | g::O_NONBLOCK) != 0 || sizemask != core::mem::size_of::<SigSet>() {
        return Err(Errno::EINVAL);
    }
    let set: SigSet = UserPtr::<u64>::new(mask).read()?;
    if fd == -1 {
        let f = OpenFile::new(SignalFd::new(set), None, g::O_RDWR | (flags & g::O_NONBLOCK));
        return Ok(install_file(f, flags & g::O_CLOEXEC != 0)? as usize);
    }
    file(fd)?.ops_as::<SignalFd>().ok_or(Errno::EINVAL)?.set_mask(set);
    Ok(fd as usize)
}

/// signalfd(2): no flags.
pub fn sys_signalfd(fd: i32, mask: usize, sizemask: usize) -> KResult<usize> {
    sys_signalfd4(fd, mask, sizemask, 0)
}
