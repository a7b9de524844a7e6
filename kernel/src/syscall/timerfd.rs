//! timerfd_create, timerfd_settime, timerfd_gettime (the timer:
//! ipc::timerfd).

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use super::{file, install_file};
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::ipc::timerfd::{ItimerSpec, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, TimerFd};
use crate::mm::uaccess::UserPtr;

/// timerfd_create(2)
pub fn sys_timerfd_create(clock_id: i32, flags: u32) -> KResult<usize> {
    if flags & !(g::O_CLOEXEC | g::O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let f = OpenFile::new(TimerFd::new(clock_id)?, None, g::O_RDWR | (flags & g::O_NONBLOCK));
    Ok(install_file(f, flags & g::O_CLOEXEC != 0)? as usize)
}

/// The timerfd behind `fd`: EBADF if none, EINVAL if another kind.
fn timerfd(fd: i32) -> KResult<Arc<TimerFd>> {
    file(fd)?.ops_as::<TimerFd>().ok_or(Errno::EINVAL)
}

/// timerfd_settime(2): the new value is read and checked before the
/// descriptor is looked at, as on Linux.
pub fn sys_timerfd_settime(fd: i32, flags: u32, new: usize, old: usize) -> KResult<usize> {
    let spec = UserPtr::<ItimerSpec>::new(new).read()?;
    if flags & !(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) != 0 {
        return Err(Errno::EINVAL);
    }
    spec.value.validate()?;
    spec.interval.validate()?;
    let t = timerfd(fd)?;
    let before = t.set(flags, spec);
    UserPtr::<ItimerSpec>::new(old).write_if_nonnull(&before)?;
    Ok(0)
}

/// timerfd_gettime(2)
pub fn sys_timerfd_gettime(fd: i32, cur: usize) -> KResult<usize> {
    let t = timerfd(fd)?;
    UserPtr::<ItimerSpec>::new(cur).write(&t.get())?;
    Ok(0)
}
