//! epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait,
//! epoll_pwait2 (the instance itself: ipc::epoll).

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use super::{file, install_file};
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::ipc::epoll::{EPOLLEXCLUSIVE, EVENT_SIZE, EXCLUSIVE_OK_BITS, Epoll};
use crate::mm::uaccess::{UserPtr, read_bytes};
use crate::sched::current;
use crate::signal::{SigSet, UNBLOCKABLE};
use crate::time::{Timespec, monotonic_ns};

const EPOLL_CTL_ADD: u32 = 1;
const EPOLL_CTL_DEL: u32 = 2;
const EPOLL_CTL_MOD: u32 = 3;
const EPOLLWAKEUP: u32 = 1 << 29;
/// Most events one wait may ask for (EP_MAX_EVENTS).
const MAX_EVENTS: i32 = i32::MAX / EVENT_SIZE as i32;

/// epoll_create(2): the size only has to be positive.
pub fn sys_epoll_create(size: i32) -> KResult<usize> {
    if size <= 0 {
        return Err(Errno::EINVAL);
    }
    sys_epoll_create1(0)
}

/// epoll_create1(2): EPOLL_CLOEXEC is the only flag.
pub fn sys_epoll_create1(flags: u32) -> KResult<usize> {
    if flags & !g::O_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    let f = OpenFile::new(Epoll::new(), None, g::O_RDWR);
    Ok(install_file(f, flags & g::O_CLOEXEC != 0)? as usize)
}

/// A descriptor epoll may use: O_PATH ones count as closed (EBADF).
fn usable_file(fd: i32) -> KResult<Arc<OpenFile>> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    Ok(f)
}

/// epoll_ctl(2), with Linux's order of checks: the event is read first
/// (EFAULT), then the descriptors (EBADF), whether the target can be
/// polled (EPERM), whether epfd is an epoll other than the target
/// (EINVAL), and the EPOLLEXCLUSIVE rules (EINVAL).
pub fn sys_epoll_ctl(epfd: i32, op: u32, fd: i32, event: usize) -> KResult<usize> {
    let (mut events, data) = if op != EPOLL_CTL_DEL {
        let raw = read_bytes(event, EVENT_SIZE)?;
        let events = u32::from_le_bytes(raw[..4].try_into().expect("4 bytes"));
        let data = u64::from_le_bytes(raw[4..].try_into().expect("8 bytes"));
        (events, data)
    } else {
        (0, 0)
    };
    let ep_file = usable_file(epfd)?;
    let target = usable_file(fd)?;
    if target.ops().wait_queue().is_none() {
        return Err(Errno::EPERM);
    }
    let ep = ep_file.ops_as::<Epoll>().ok_or(Errno::EINVAL)?;
    if Arc::ptr_eq(&ep_file, &target) {
        return Err(Errno::EINVAL);
    }
    if op != EPOLL_CTL_DEL && events & EPOLLEXCLUSIVE != 0 {
        if op == EPOLL_CTL_MOD || (op == EPOLL_CTL_ADD && (target.ops_as::<Epoll>().is_some() || events & !EXCLUSIVE_OK_BITS != 0)) {
            return Err(Errno::EINVAL);
        }
    }
    // EPOLLWAKEUP needs CAP_BLOCK_SUSPEND; without it the bit is dropped.
    if events & EPOLLWAKEUP != 0 && !super::creds().capable(g::CAP_BLOCK_SUSPEND) {
        events &= !EPOLLWAKEUP;
    }
    match op {
        EPOLL_CTL_ADD => ep.add(fd, &target, events, data)?,
        EPOLL_CTL_DEL => ep.remove(fd, &target)?,
        EPOLL_CTL_MOD => ep.modify(fd, &target, events, data)?,
        _ => return Err(Errno::EINVAL),
    }
    Ok(0)
}

/// The checks of every epoll_wait form, then the wait. `deadline`:
/// None waits forever, Some(0) does not wait.
fn do_wait(epfd: i32, events: usize, maxevents: i32, deadline: Option<u64>) -> KResult<usize> {
    if maxevents <= 0 || maxevents > MAX_EVENTS {
        return Err(Errno::EINVAL);
    }
    // Only the range is checked up front (Linux's access_ok); a bad
    // mapping shows when an event is copied.
    let end = events.checked_add(maxevents as usize * EVENT_SIZE).ok_or(Errno::EFAULT)?;
    if end > kevlar_hal::arch::USER_END {
        return Err(Errno::EFAULT);
    }
    let ep = usable_file(epfd)?.ops_as::<Epoll>().ok_or(Errno::EINVAL)?;
    ep.wait(events, maxevents as usize, deadline)
}

fn deadline_after_ms(timeout_ms: i32) -> Option<u64> {
    match timeout_ms {
        t if t < 0 => None,
        0 => Some(0),
        t => Some(monotonic_ns() + t as u64 * 1_000_000),
    }
}

/// Runs `f` with a temporary signal mask, as epoll_pwait does: if the
/// wait was interrupted (EINTR) the old mask comes back only after the
/// handler ran (the signal frame restores it); otherwise at once.
fn with_mask(sigmask: usize, sigsetsize: usize, f: impl FnOnce() -> KResult<usize>) -> KResult<usize> {
    if sigmask == 0 {
        return f();
    }
    if sigsetsize != core::mem::size_of::<SigSet>() {
        return Err(Errno::EINVAL);
    }
    let mask: SigSet = UserPtr::<u64>::new(sigmask).read()?;
    let me = current();
    let old = me.sigmask();
    me.set_sigmask(mask & !UNBLOCKABLE);
    let r = f();
    if r == Err(Errno::EINTR) {
        *me.saved_sigmask.lock() = Some(old);
    } else {
        me.set_sigmask(old);
    }
    r
}

/// epoll_wait(2)
pub fn sys_epoll_wait(epfd: i32, events: usize, maxevents: i32, timeout_ms: i32) -> KResult<usize> {
    do_wait(epfd, events, maxevents, deadline_after_ms(timeout_ms))
}

/// epoll_pwait(2)
pub fn sys_epoll_pwait(epfd: i32, events: usize, maxevents: i32, timeout_ms: i32, sigmask: usize, sigsetsize: usize) -> KResult<usize> {
    let deadline = deadline_after_ms(timeout_ms);
    with_mask(sigmask, sigsetsize, || do_wait(epfd, events, maxevents, deadline))
}

/// epoll_pwait2(2): the timeout is a timespec (NULL: no timeout).
pub fn sys_epoll_pwait2(epfd: i32, events: usize, maxevents: i32, timeout: usize, sigmask: usize, sigsetsize: usize) -> KResult<usize> {
    let deadline = if timeout == 0 {
        None
    } else {
        let t = UserPtr::<Timespec>::new(timeout).read()?.validate()?;
        let ns = t.to_ns();
        Some(if ns == 0 { 0 } else { monotonic_ns().saturating_add(ns) })
    };
    with_mask(sigmask, sigsetsize, || do_wait(epfd, events, maxevents, deadline))
}
