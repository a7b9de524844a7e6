//! eventfd, eventfd2 (the counter: ipc::eventfd).

use linux_raw_sys::general as g;

use super::install_file;
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::ipc::eventfd::EventFd;

/// EFD_SEMAPHORE
const EFD_SEMAPHORE: u32 = 1;

/// eventfd2(2)
pub fn sys_eventfd2(initval: u32, flags: u32) -> KResult<usize> {
    if flags & !(EFD_SEMAPHORE | g::O_CLOEXEC | g::O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let f = OpenFile::new(EventFd::new(initval, flags & EFD_SEMAPHORE != 0), None, g::O_RDWR | (flags & g::O_NONBLOCK));
    Ok(install_file(f, flags & g::O_CLOEXEC != 0)? as usize)
}

/// eventfd(2): no flags.
pub fn sys_eventfd(initval: u32) -> KResult<usize> {
    sys_eventfd2(initval, 0)
}
