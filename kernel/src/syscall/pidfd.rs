//! pidfd_open, pidfd_send_signal, and the P_PIDFD target of waitid (the
//! descriptor: ipc::pidfd).

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use super::{file, install_file};
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::ipc::pidfd::PidFd;
use crate::mm::uaccess::read_bytes;
use crate::process::{Lifecycle, Pid, Process, find_process, find_thread};
use crate::sched::current;
use crate::signal::{SI_TKILL, SigInfo, valid};

/// PIDFD_NONBLOCK
const PIDFD_NONBLOCK: u32 = g::O_NONBLOCK;
const PIDFD_SIGNAL_THREAD: u32 = 1;
const PIDFD_SIGNAL_THREAD_GROUP: u32 = 2;
const PIDFD_SIGNAL_PROCESS_GROUP: u32 = 4;

/// pidfd_open(2): a pidfd for a process (a thread-group leader), living
/// or zombie; always close-on-exec. PIDFD_THREAD (Linux 6.9: a pidfd for
/// one thread) is refused with EINVAL, as kernels before it refuse it.
pub fn sys_pidfd_open(pid: Pid, flags: u32) -> KResult<usize> {
    if flags & !PIDFD_NONBLOCK != 0 {
        return Err(Errno::EINVAL);
    }
    if pid <= 0 {
        return Err(Errno::EINVAL);
    }
    let Some(p) = find_process(pid) else {
        // A thread that is not a leader has no pidfd of its own.
        return Err(if find_thread(pid).is_some() { Errno::EINVAL } else { Errno::ESRCH });
    };
    let f = OpenFile::new(PidFd::new(p), None, g::O_RDWR | (flags & PIDFD_NONBLOCK));
    Ok(install_file(f, true)? as usize)
}

/// The pidfd behind `fd` (EBADF for anything else) and its file.
fn pidfd(fd: i32) -> KResult<(Arc<OpenFile>, Arc<PidFd>)> {
    let f = file(fd)?;
    let p = f.ops_as::<PidFd>().ok_or(Errno::EBADF)?;
    Ok((f, p))
}

/// waitid(P_PIDFD): the pid to wait for, and whether the pidfd is
/// non-blocking (then waitid does not wait: EAGAIN). A reaped process
/// is no child any more (ECHILD), whatever now has its pid.
pub fn wait_target(fd: i32) -> KResult<(Pid, bool)> {
    let (f, p) = pidfd(fd)?;
    if p.process().lifecycle() == Lifecycle::Reaped {
        return Err(Errno::ECHILD);
    }
    Ok((p.process().pid, f.nonblocking()))
}

/// The pidfd's process if it has not been reaped (ESRCH).
fn live_process(p: &PidFd) -> KResult<&Arc<Process>> {
    if p.process().lifecycle() == Lifecycle::Reaped {
        return Err(Errno::ESRCH);
    }
    Ok(p.process())
}

/// pidfd_send_signal(2): kill(2) through a pidfd; the flags pick the
/// thread (the leader), the thread group (the default), or the process
/// group the process leads. With a siginfo, only a caller signalling itself may claim a
/// kernel or kill-like si_code (EPERM), as rt_sigqueueinfo.
pub fn sys_pidfd_send_signal(fd: i32, sig: u32, info: usize, flags: u32) -> KResult<usize> {
    let scope = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP;
    if flags & !scope != 0 || flags.count_ones() > 1 {
        return Err(Errno::EINVAL);
    }
    let (_, pf) = pidfd(fd)?;
    if sig != 0 && !valid(sig) {
        return Err(Errno::EINVAL);
    }
    let target = live_process(&pf)?.clone();
    let pid = target.pid;
    if info != 0 {
        let raw: [u8; 128] = read_bytes(info, 128)?.try_into().map_err(|_| Errno::EFAULT)?;
        let si = SigInfo::from_user_bytes(&raw);
        // Only the first 48 bytes are kept: for a layout Linux does not
        // know, the rest must be zero (E2BIG), as for rt_sigqueueinfo.
        if !SigInfo::known_layout(si.signo, si.code) && raw[48..].iter().any(|&b| b != 0) {
            return Err(Errno::E2BIG);
        }
        if si.signo != sig {
            return Err(Errno::EINVAL);
        }
        let me = current();
        let to_self = Arc::ptr_eq(&target, &me.process) && flags & PIDFD_SIGNAL_PROCESS_GROUP == 0;
        if !to_self && (si.code >= 0 || si.code == SI_TKILL) {
            return Err(Errno::EPERM);
        }
        // The ordinary permission check, without sending anything.
        super::signal::sys_kill(pid, 0)?;
        if sig != 0 {
            crate::signal::delivery::send_to_process(&target, si);
        }
        return Ok(0);
    }
    match flags {
        PIDFD_SIGNAL_THREAD => super::signal::sys_tgkill(pid, pid, sig),
        // The group this process leads (none: ESRCH), not the one it is in.
        PIDFD_SIGNAL_PROCESS_GROUP => super::signal::sys_kill(-pid, sig),
        _ => super::signal::sys_kill(pid, sig),
    }
}
