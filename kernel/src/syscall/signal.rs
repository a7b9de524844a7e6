//! Signal system calls, and the interval timers (setitimer, alarm).

use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::arch::trap::TrapFrame;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::creds;
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::{UserPtr, read_into, write_bytes};
use crate::process::{self, Lifecycle, Pid, Process};
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::signal::delivery::{send_to_thread, take_signal};
use crate::signal::frame::StackT;
use crate::signal::itimer::Which;
use crate::signal::restart::RestartBlock;
use crate::signal::*;
use crate::time::{Timespec, Timeval, monotonic_ns};

/// rt_sigaction(2)
pub fn sys_rt_sigaction(sig: u32, act: usize, oldact: usize, sigsetsize: usize) -> KResult<usize> {
    if sigsetsize != 8 || !valid(sig) {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let handlers = me.sighand();
    let old = handlers.lock().get(sig);
    if act != 0 {
        if sig == SIGKILL || sig == SIGSTOP {
            return Err(Errno::EINVAL);
        }
        let a = UserPtr::<KernelSigaction>::new(act).read()?;
        let new = SigAction { handler: a.handler, flags: a.flags & KNOWN_SA_FLAGS, restorer: a.restorer, mask: a.mask & !UNBLOCKABLE };
        handlers.lock().set(sig, new);
        // Setting SIG_IGN (or SIG_DFL for a default-ignored signal)
        // discards what is pending, for the process and every thread
        // (POSIX).
        if handlers.lock().is_ignored(sig) {
            for t in me.process.threads() {
                t.discard_signals(sig_bit(sig));
            }
            me.process.discard_shared_signals(sig_bit(sig));
        }
    }
    if oldact != 0 {
        let k = KernelSigaction { handler: old.handler, flags: old.flags, restorer: old.restorer, mask: old.mask };
        UserPtr::<KernelSigaction>::new(oldact).write(&k)?;
    }
    Ok(0)
}

/// rt_sigprocmask(2)
pub fn sys_rt_sigprocmask(how: i32, set: usize, oldset: usize, sigsetsize: usize) -> KResult<usize> {
    const SIG_BLOCK: i32 = 0;
    const SIG_UNBLOCK: i32 = 1;
    const SIG_SETMASK: i32 = 2;
    if sigsetsize != 8 {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let old = me.sigmask();
    if set != 0 {
        let s = UserPtr::<u64>::new(set).read()?;
        let new = match how {
            SIG_BLOCK => old | s,
            SIG_UNBLOCK => old & !s,
            SIG_SETMASK => s,
            _ => return Err(Errno::EINVAL),
        };
        me.set_sigmask(new);
    }
    UserPtr::<u64>::new(oldset).write_if_nonnull(&old)?;
    Ok(0)
}

/// rt_sigreturn(2)
pub fn sys_rt_sigreturn(frame: &mut TrapFrame) -> KResult<usize> {
    let me = current();
    match crate::signal::frame::sigreturn(&me, frame) {
        Ok(rax) => Ok(rax as usize),
        Err(_) => {
            // A corrupt frame: Linux forces SIGSEGV.
            crate::process::exit::exit_group(crate::process::WaitStatus::Signaled(SIGSEGV, false));
            Ok(0)
        }
    }
}

/// rt_sigpending(2): blocked signals that are pending; a smaller set size
/// gets the first bytes.
pub fn sys_rt_sigpending(set: usize, sigsetsize: usize) -> KResult<usize> {
    if sigsetsize > 8 {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let pending = me.pending_set() & me.sigmask();
    write_bytes(set, &pending.to_le_bytes()[..sigsetsize])?;
    Ok(0)
}

/// rt_sigsuspend(2): waits for a signal with a temporary mask; the old
/// mask comes back after the handler runs.
pub fn sys_rt_sigsuspend(mask: usize, sigsetsize: usize) -> KResult<usize> {
    if sigsetsize != 8 {
        return Err(Errno::EINVAL);
    }
    let m = UserPtr::<u64>::new(mask).read()?;
    let me = current();
    let old = me.sigmask();
    me.set_sigmask(m);
    *me.saved_sigmask.lock() = Some(old);
    let q = WaitQueue::new();
    let _ = q.wait_until(|| None::<()>);
    Err(Errno::ERESTARTNOHAND)
}

/// pause(2)
pub fn sys_pause() -> KResult<usize> {
    let q = WaitQueue::new();
    let _ = q.wait_until(|| None::<()>);
    Err(Errno::ERESTARTNOHAND)
}

/// sigaltstack(2): the new setting is read first, applied, and only then
/// is the old one written (so a bad `old` pointer still sets the stack).
pub fn sys_sigaltstack(ss: usize, old: usize, user_sp: u64) -> KResult<usize> {
    let me = current();
    let new = if ss != 0 { Some(UserPtr::<StackT>::new(ss).read()?) } else { None };
    let before = {
        let mut alt = me.altstack.lock();
        let before = StackT::describe(&alt, user_sp);
        if let Some(n) = new {
            alt.set(n.to_altstack(), user_sp)?;
        }
        before
    };
    UserPtr::<StackT>::new(old).write_if_nonnull(&before)?;
    Ok(0)
}

/// Whether the caller may signal `target` (kill(2) permission rules).
fn may_signal(target: &Process, sig: u32) -> bool {
    let c = creds();
    if c.capable(crate::process::creds::CAP_KILL) {
        return true;
    }
    let t = target.creds.lock();
    if c.euid == t.uid || c.euid == t.suid || c.uid == t.uid || c.uid == t.suid {
        return true;
    }
    // SIGCONT within the same session is always allowed.
    sig == SIGCONT && target.sid() == current().process.sid()
}

/// Sends `info` (or, with signal 0, only checks that it could) to `p`,
/// which may be a zombie: that still "receives" signals, to no effect,
/// until it is reaped.
fn signal_process(p: &Arc<Process>, info: SigInfo) -> KResult<()> {
    let sig = info.signo;
    if sig != 0 && !valid(sig) {
        return Err(Errno::EINVAL);
    }
    if !may_signal(p, sig) {
        return Err(Errno::EPERM);
    }
    if sig != 0 && p.is_alive() {
        p.send_signal(info);
    }
    Ok(())
}

/// The info kill() attaches: SI_USER with the sender's pid and uid.
fn kill_info(sig: u32) -> SigInfo {
    let me = current();
    let uid = me.process.creds.lock().uid;
    SigInfo::user(sig, me.process.pid, uid)
}

fn signal_group(procs: Vec<Arc<Process>>, sig: u32) -> KResult<usize> {
    if procs.is_empty() {
        return Err(Errno::ESRCH);
    }
    let mut sent = false;
    let mut err = Errno::EPERM;
    for p in procs {
        match signal_process(&p, kill_info(sig)) {
            Ok(()) => sent = true,
            Err(e) => err = e,
        }
    }
    if sent { Ok(0) } else { Err(err) }
}

/// The members of process group `pgid`, zombies included.
fn group_members(pgid: Pid) -> Vec<Arc<Process>> {
    process::all_processes().into_iter().filter(|p| p.pgid() == pgid && p.lifecycle() != Lifecycle::Reaped).collect()
}

/// kill(2). The signal number is checked per target, after the target is
/// found, so a missing target is ESRCH whatever the number.
pub fn sys_kill(pid: Pid, sig: u32) -> KResult<usize> {
    let me = current();
    match pid {
        p if p > 0 => {
            let target = process::find_process(p).ok_or(Errno::ESRCH)?;
            signal_process(&target, kill_info(sig)).map(|_| 0)
        }
        0 => signal_group(group_members(me.process.pgid()), sig),
        -1 => {
            // Everyone but init and the caller. Unlike a process group,
            // targets refusing permission do not make it fail (Linux
            // reports only other errors, and ESRCH when nobody is there).
            let all: Vec<_> =
                process::all_processes().into_iter().filter(|p| p.pid > 1 && p.pid != me.process.pid && p.lifecycle() != Lifecycle::Reaped).collect();
            if all.is_empty() {
                return Err(Errno::ESRCH);
            }
            let mut result = Ok(0);
            for p in all {
                match signal_process(&p, kill_info(sig)) {
                    Err(e) if e != Errno::EPERM => result = Err(e),
                    _ => {}
                }
            }
            result
        }
        // -INT_MIN does not exist.
        Pid::MIN => Err(Errno::ESRCH),
        p => signal_group(group_members(-p), sig),
    }
}

/// tgkill(2) (and tkill, with `tgid` -1).
pub fn sys_tgkill(tgid: Pid, tid: Pid, sig: u32) -> KResult<usize> {
    if (sig != 0 && !valid(sig)) || tid <= 0 || (tgid != -1 && tgid <= 0) {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let uid = me.process.creds.lock().uid;
    let info = SigInfo { signo: sig, code: SI_TKILL, pid: me.process.pid, uid, ..Default::default() };
    thread_signal(tgid, tid, info)
}

/// Sends `info` to thread `tid` (of process `tgid` unless -1), or checks
/// that it could for signal 0.
fn thread_signal(tgid: Pid, tid: Pid, info: SigInfo) -> KResult<usize> {
    let t = process::find_thread(tid).ok_or(Errno::ESRCH)?;
    if tgid != -1 && t.process.pid != tgid {
        return Err(Errno::ESRCH);
    }
    if !may_signal(&t.process, info.signo) {
        return Err(Errno::EPERM);
    }
    if info.signo != 0 {
        send_to_thread(&t, info);
    }
    Ok(0)
}

/// Reads a user siginfo for rt_sigqueueinfo: not even root may pretend to
/// be the kernel or kill()/tgkill() (si_code >= 0 or SI_TKILL) towards
/// anyone but itself. The signal sent is `sig`, which also becomes
/// si_signo; the rest is passed on as given.
fn read_queued_info(to_self: bool, sig: u32, uinfo: usize) -> KResult<SigInfo> {
    let mut b = [0u8; 128];
    read_into(uinfo, &mut b)?;
    let info = SigInfo::from_user_bytes(&b);
    if !SigInfo::known_layout(sig, info.code) && b[48..].iter().any(|&x| x != 0) {
        return Err(Errno::E2BIG);
    }
    if (info.code >= 0 || info.code == SI_TKILL) && !to_self {
        return Err(Errno::EPERM);
    }
    Ok(SigInfo { signo: sig, ..info })
}

/// rt_sigqueueinfo(2)
pub fn sys_rt_sigqueueinfo(pid: Pid, sig: u32, uinfo: usize) -> KResult<usize> {
    let info = read_queued_info(pid == current().process.pid, sig, uinfo)?;
    let target = if pid > 0 { process::find_process(pid) } else { None };
    let target = target.ok_or(Errno::ESRCH)?;
    signal_process(&target, info).map(|_| 0)
}

/// rt_tgsigqueueinfo(2)
pub fn sys_rt_tgsigqueueinfo(tgid: Pid, tid: Pid, sig: u32, uinfo: usize) -> KResult<usize> {
    if tgid <= 0 || tid <= 0 {
        return Err(Errno::EINVAL);
    }
    let info = read_queued_info(tid == current().tid(), sig, uinfo)?;
    if sig != 0 && !valid(sig) {
        return Err(Errno::EINVAL);
    }
    thread_signal(tgid, tid, info)
}

/// rt_sigtimedwait(2): takes a pending signal of `set` without running
/// its handler, waiting for one up to the timeout (EAGAIN when it runs
/// out); another signal that runs a handler interrupts with EINTR.
pub fn sys_rt_sigtimedwait(set: usize, uinfo: usize, uts: usize, sigsetsize: usize) -> KResult<usize> {
    if sigsetsize != 8 {
        return Err(Errno::EINVAL);
    }
    let wanted = UserPtr::<u64>::new(set).read()? & !UNBLOCKABLE;
    let deadline = if uts != 0 {
        let t = UserPtr::<Timespec>::new(uts).read()?.validate()?;
        Some(monotonic_ns().saturating_add(t.to_ns()))
    } else {
        None
    };
    let me = current();
    let take = || take_signal(&me, !wanted);
    let info = match take() {
        Some(info) => info,
        None if deadline.is_some_and(|d| d <= monotonic_ns()) => return Err(Errno::EAGAIN),
        None => {
            // Open the mask to the awaited signals so that sending one
            // wakes this thread, remembering the real mask so they are not
            // mistaken for unblocked ignored signals and dropped.
            let old = me.sigmask();
            me.set_real_blocked(old);
            me.set_sigmask(old & !wanted);
            let r = WaitQueue::new().wait_until_deadline(deadline, take);
            me.set_sigmask(old);
            me.set_real_blocked(0);
            match r {
                Ok(info) => info,
                Err(e) if e == Errno::ETIMEDOUT => return Err(Errno::EAGAIN),
                Err(e) if e == Errno::ERESTARTSYS => return Err(Errno::EINTR),
                Err(e) => return Err(e),
            }
        }
    };
    if uinfo != 0 {
        write_bytes(uinfo, &info.to_bytes())?;
    }
    Ok(info.signo as usize)
}

/// restart_syscall(2): resumes the call saved in the thread's restart
/// block; with none it fails with EINTR (Linux's do_no_restart_syscall).
pub fn sys_restart_syscall() -> KResult<usize> {
    let me = current();
    let block = me.restart.lock().take();
    match block {
        Some(RestartBlock::Sleep { deadline_ns, rem }) => super::time::resume_sleep(deadline_ns, rem),
        Some(RestartBlock::CpuSleep { clock, deadline_ns, rem }) => super::time::cpu_sleep(&me, clock, deadline_ns, rem),
        Some(RestartBlock::Poll { fds, nfds, deadline_ns }) => super::poll::resume_poll(fds, nfds, deadline_ns),
        None => Err(Errno::EINTR),
    }
}

/// alarm(2): returns the seconds left on the previous alarm, rounded to
/// the nearest second but never 0 while one was pending (Linux's
/// alarm_setitimer).
pub fn sys_alarm(secs: u32) -> KResult<usize> {
    let me = current();
    let (left, _) = itimer::arm(&me.process, Which::Real, secs as u64 * 1_000_000_000, 0);
    let (whole, frac) = (left / 1_000_000_000, left % 1_000_000_000);
    let rounded = if (whole == 0 && frac > 0) || frac >= 500_000_000 { whole + 1 } else { whole };
    Ok(rounded as usize)
}

#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct ITimerVal {
    interval: Timeval,
    value: Timeval,
}

impl ITimerVal {
    /// Time left and interval; an armed timer never reads as 0 (1 us at
    /// least, as Linux reports one that is about to fire).
    fn from_setting((left, iv): itimer::Setting) -> ITimerVal {
        let left = if left > 0 { left.max(1000) } else { 0 };
        ITimerVal { interval: Timeval::from_ns(iv), value: Timeval::from_ns(left) }
    }
}

/// setitimer(2). A NULL new value disarms the timer: an old Linux
/// misfeature that it still keeps.
pub fn sys_setitimer(which: i32, new: usize, old: usize) -> KResult<usize> {
    let (value_ns, interval_ns) = if new != 0 {
        let v = UserPtr::<ITimerVal>::new(new).read()?;
        (v.value.to_ns_checked()?, v.interval.to_ns_checked()?)
    } else {
        (0, 0)
    };
    let which = Which::from_raw(which).ok_or(Errno::EINVAL)?;
    let me = current();
    let prev = itimer::arm(&me.process, which, value_ns, interval_ns);
    UserPtr::<ITimerVal>::new(old).write_if_nonnull(&ITimerVal::from_setting(prev))?;
    Ok(0)
}

/// getitimer(2)
pub fn sys_getitimer(which: i32, cur: usize) -> KResult<usize> {
    let which = Which::from_raw(which).ok_or(Errno::EINVAL)?;
    let me = current();
    UserPtr::<ITimerVal>::new(cur).write(&ITimerVal::from_setting(itimer::get(&me.process, which)))?;
    Ok(0)
}
