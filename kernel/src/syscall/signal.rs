//! Signal system calls.

use alloc::sync::Arc;

use kevlar_hal::arch::trap::TrapFrame;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::creds;
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::process::{self, Pid, Process};
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::signal::frame::StackT;
use crate::signal::*;
use crate::time::{Timeval, monotonic_ns};

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
        let new = SigAction { handler: a.handler, flags: a.flags, restorer: a.restorer, mask: a.mask & !UNBLOCKABLE };
        handlers.lock().set(sig, new);
        // Setting SIG_IGN (or SIG_DFL for a default-ignored signal)
        // discards what is pending (POSIX).
        if handlers.lock().is_ignored(sig) {
            me.discard_signals(sig_bit(sig));
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

/// rt_sigpending(2)
pub fn sys_rt_sigpending(set: usize, sigsetsize: usize) -> KResult<usize> {
    if sigsetsize > 8 {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let pending = me.pending_set() & me.sigmask();
    UserPtr::<u64>::new(set).write(&pending)?;
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

/// sigaltstack(2)
pub fn sys_sigaltstack(ss: usize, old: usize, user_sp: u64) -> KResult<usize> {
    const MINSIGSTKSZ: u64 = 2048;
    let me = current();
    let cur = *me.altstack.lock();
    if old != 0 {
        UserPtr::<StackT>::new(old).write(&StackT::describe(&cur, user_sp))?;
    }
    if ss != 0 {
        let n = UserPtr::<StackT>::new(ss).read()?;
        if cur.contains(user_sp) {
            return Err(Errno::EPERM);
        }
        let mode = n.flags & !SS_AUTODISARM;
        if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
            return Err(Errno::EINVAL);
        }
        let mut alt = me.altstack.lock();
        if mode == SS_DISABLE {
            *alt = AltStack { sp: 0, size: 0, flags: SS_DISABLE };
        } else {
            if n.size < MINSIGSTKSZ {
                return Err(Errno::ENOMEM);
            }
            *alt = AltStack { sp: n.sp, size: n.size, flags: n.flags & SS_AUTODISARM };
        }
    }
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

fn signal_process(p: &Arc<Process>, sig: u32) -> KResult<()> {
    if !may_signal(p, sig) {
        return Err(Errno::EPERM);
    }
    if sig != 0 {
        let me = current();
        p.send_signal(SigInfo::user(sig, me.process.pid, me.process.creds.lock().uid));
    }
    Ok(())
}

fn signal_group(procs: alloc::vec::Vec<Arc<Process>>, sig: u32) -> KResult<usize> {
    if procs.is_empty() {
        return Err(Errno::ESRCH);
    }
    let mut sent = false;
    let mut err = Errno::EPERM;
    for p in procs {
        match signal_process(&p, sig) {
            Ok(()) => sent = true,
            Err(e) => err = e,
        }
    }
    if sent { Ok(0) } else { Err(err) }
}

/// kill(2)
pub fn sys_kill(pid: Pid, sig: u32) -> KResult<usize> {
    if sig != 0 && !valid(sig) {
        return Err(Errno::EINVAL);
    }
    let me = current();
    match pid {
        p if p > 0 => {
            // A zombie still exists until reaped: the signal is accepted
            // and discarded.
            let target = process::find_process(p).ok_or(Errno::ESRCH)?;
            signal_process(&target, sig).map(|_| 0)
        }
        0 => signal_group(process::process_group_with_zombies(me.process.pgid()), sig),
        -1 => {
            let all = process::all_processes()
                .into_iter()
                .filter(|p| p.pid > 1 && p.pid != me.process.pid && p.is_alive())
                .collect();
            signal_group(all, sig)
        }
        p => signal_group(process::process_group_with_zombies(-p), sig),
    }
}

/// tgkill(2) (and tkill, with `tgid` -1).
pub fn sys_tgkill(tgid: Pid, tid: Pid, sig: u32) -> KResult<usize> {
    if (sig != 0 && !valid(sig)) || tid <= 0 || (tgid != -1 && tgid <= 0) {
        return Err(Errno::EINVAL);
    }
    let t = process::find_thread(tid).ok_or(Errno::ESRCH)?;
    if tgid != -1 && t.process.pid != tgid {
        return Err(Errno::ESRCH);
    }
    if !may_signal(&t.process, sig) {
        return Err(Errno::EPERM);
    }
    if sig != 0 {
        let me = current();
        let info = SigInfo { signo: sig, code: SI_TKILL, pid: me.process.pid, uid: me.process.creds.lock().uid, ..Default::default() };
        crate::signal::delivery::send_to_thread(&t, info);
    }
    Ok(0)
}

/// alarm(2): returns the seconds left on the previous alarm (rounded up).
pub fn sys_alarm(secs: u32) -> KResult<usize> {
    let me = current();
    let now = monotonic_ns();
    let (left, _) = itimer::arm(&me.process, now, secs as u64 * 1_000_000_000, 0);
    Ok(left.div_ceil(1_000_000_000) as usize)
}

#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct ITimerVal {
    interval: Timeval,
    value: Timeval,
}

fn tv_ns(t: Timeval) -> KResult<u64> {
    if t.sec < 0 || !(0..1_000_000).contains(&t.usec) {
        return Err(Errno::EINVAL);
    }
    Ok(t.sec as u64 * 1_000_000_000 + t.usec as u64 * 1000)
}

fn ns_tv(ns: u64) -> Timeval {
    Timeval { sec: (ns / 1_000_000_000) as i64, usec: ((ns % 1_000_000_000) / 1000) as i64 }
}

/// setitimer(2): ITIMER_REAL only (ITIMER_VIRTUAL/PROF: EINVAL, listed in
/// docs/compat.md).
pub fn sys_setitimer(which: i32, new: usize, old: usize) -> KResult<usize> {
    if which != 0 {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let now = monotonic_ns();
    let (left, iv) = if new != 0 {
        let v = UserPtr::<ITimerVal>::new(new).read()?;
        itimer::arm(&me.process, now, tv_ns(v.value)?, tv_ns(v.interval)?)
    } else {
        itimer::get(&me.process, now)
    };
    UserPtr::<ITimerVal>::new(old).write_if_nonnull(&ITimerVal { interval: ns_tv(iv), value: ns_tv(left) })?;
    Ok(0)
}

/// getitimer(2)
pub fn sys_getitimer(which: i32, cur: usize) -> KResult<usize> {
    if which != 0 {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let (left, iv) = itimer::get(&me.process, monotonic_ns());
    UserPtr::<ITimerVal>::new(cur).write(&ITimerVal { interval: ns_tv(iv), value: ns_tv(left) })?;
    Ok(0)
}
