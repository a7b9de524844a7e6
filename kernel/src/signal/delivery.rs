//! Sending signals and acting on them on the way back to user mode.

use alloc::sync::Arc;

use kevlar_hal::arch::trap::{SYSCALL_VECTOR, TrapFrame};
use linux_raw_sys::general::__NR_restart_syscall;

use super::*;
use crate::errno::Errno;
use crate::process::exit::exit_group;
use crate::process::{Process, Thread, WaitStatus};
use crate::sched::{self, current};

const STOP_SIGNALS: SigSet = sig_bit(SIGSTOP) | sig_bit(SIGTSTP) | sig_bit(SIGTTIN) | sig_bit(SIGTTOU);

/// Effects that happen at send time, whatever the target's mask: SIGCONT
/// resumes a stopped process and cancels pending stops; a stop signal
/// cancels a pending SIGCONT. Returns false if the signal is to be dropped
/// (ignored and not blocked, as Linux drops it).
fn prepare_send(p: &Arc<Process>, sig: u32, blocked_everywhere: bool) -> bool {
    if sig == SIGCONT {
        for t in p.threads() {
            t.discard_signals(STOP_SIGNALS);
        }
        p.discard_shared_signals(STOP_SIGNALS);
        let was_stopped = {
            let mut job = p.job.lock();
            let was = job.stopped;
            if was {
                job.stopped = false;
                job.stop_report = None;
                job.continue_report = true;
            }
            was
        };
        if was_stopped {
            for t in p.threads() {
                sched::wake_stopped(&t);
            }
            notify_parent_job_change(p, CLD_CONTINUED, SIGCONT);
        }
    } else if sig_bit(sig) & STOP_SIGNALS != 0 {
        for t in p.threads() {
            t.discard_signals(sig_bit(SIGCONT));
        }
        p.discard_shared_signals(sig_bit(SIGCONT));
    }
    if sig == SIGKILL {
        for t in p.threads() {
            sched::wake_stopped(&t);
        }
        return true;
    }
    let ignored = p.threads().first().is_some_and(|t| t.sighand().lock().is_ignored(sig));
    !(ignored && !blocked_everywhere)
}

/// Whether `t` blocks `sig` for the purpose of dropping ignored signals:
/// its mask, or the mask it had before sigtimedwait opened it to the
/// signals it waits for (Linux's real_blocked), since the wait must still
/// see e.g. a default-ignored SIGCHLD.
fn blocks(t: &Thread, sig: u32) -> bool {
    (t.sigmask() | t.real_blocked()) & sig_bit(sig) != 0
}

/// kill(2) to a process: queued process-wide; one thread that does not
/// block it is woken to take it.
pub fn send_to_process(p: &Arc<Process>, info: SigInfo) {
    if !p.is_alive() {
        return;
    }
    let threads = p.threads();
    let blocked_everywhere = threads.iter().all(|t| blocks(t, info.signo));
    if !prepare_send(p, info.signo, blocked_everywhere) {
        return;
    }
    p.queue_shared(info);
    crate::ipc::signalfd::signal_queued(info.signo);
    if info.signo == SIGKILL {
        for t in &threads {
            t.kick();
        }
    } else if let Some(t) = threads.iter().find(|t| t.sigmask() & sig_bit(info.signo) == 0) {
        t.kick();
    }
}

/// tgkill(2)/tkill(2): a signal for one thread.
pub fn send_to_thread(t: &Arc<Thread>, info: SigInfo) {
    let p = t.process.clone();
    if !p.is_alive() {
        return;
    }
    if !prepare_send(&p, info.signo, blocks(t, info.signo)) {
        return;
    }
    t.send_signal(info);
    crate::ipc::signalfd::signal_queued(info.signo);
}

/// Tells the parent that `p` stopped or continued.
fn notify_parent_job_change(p: &Arc<Process>, code: i32, sig: u32) {
    let Some(parent) = p.parent() else { return };
    let nocldstop = parent.threads().first().is_some_and(|t| t.sighand().lock().get(SIGCHLD).flags & SA_NOCLDSTOP != 0);
    if !nocldstop {
        let info = SigInfo { signo: SIGCHLD, code, pid: p.pid, status: sig as i32, ..Default::default() };
        parent.send_signal(info);
    }
    parent.child_events.wake_all();
}

/// Takes the next signal `me` may receive with `blocked` masked out,
/// skipping stale POSIX-timer signals (their timer was deleted or re-armed
/// since; Linux drops those at this point too) and recording the overrun
/// of fresh ones for timer_getoverrun.
pub fn take_signal(me: &Thread, blocked: SigSet) -> Option<SigInfo> {
    loop {
        let info = me.dequeue_signal_masked(blocked)?;
        match info.timer {
            Some(t) if !posix_timer::on_dequeue(&me.process, t, info.overrun) => continue,
            _ => return Some(info),
        }
    }
}

/// Called on every return to user mode: restarts an interrupted system
/// call and acts on every deliverable signal. As on Linux, each signal
/// with a handler gets its frame built on top of the previous one before
/// any handler runs, so with several pending the last one taken runs
/// first (a handler's mask decides what may still be taken after it).
pub fn on_return_to_user(frame: &mut TrapFrame) {
    let me = current();
    let mut handled = false;
    loop {
        let Some(info) = take_signal(&me, me.sigmask()) else { break };
        let sig = info.signo;
        let action = me.sighand().lock().get(sig);
        match action.handler {
            SIG_IGN => continue,
            SIG_DFL => match default_action(sig) {
                DefaultAction::Ignore | DefaultAction::Continue => continue,
                DefaultAction::Stop => {
                    // POSIX: the terminal stop signals are discarded in an
                    // orphaned group, which no shell would ever continue.
                    if sig != SIGSTOP && crate::process::pgrp_is_orphaned(me.process.pgid()) {
                        continue;
                    }
                    stop_current(sig);
                    continue;
                }
                DefaultAction::Terminate | DefaultAction::Core => {
                    exit_group(WaitStatus::Signaled(sig, false));
                    return;
                }
            },
            _ => {
                handle_restart(frame, Some(&action));
                if frame::setup(&me, frame, &info, &action).is_err() {
                    // The frame could not be written (bad or exhausted
                    // stack): SIGSEGV by force, which kills.
                    exit_group(WaitStatus::Signaled(SIGSEGV, false));
                    return;
                }
                if action.flags & SA_RESETHAND != 0 {
                    // Only the handler goes back to SIG_DFL; the flags
                    // and mask stay as they were (Linux's SA_ONESHOT).
                    let handlers = me.sighand();
                    let mut h = handlers.lock();
                    let mut a = h.get(sig);
                    if a.handler == action.handler {
                        a.handler = SIG_DFL;
                        h.set(sig, a);
                    }
                }
                handled = true;
            }
        }
    }
    if handled {
        return;
    }
    handle_restart(frame, None);
    // sigsuspend/ppoll: no handler ran, so the temporary mask goes now.
    if let Some(m) = me.saved_sigmask.lock().take() {
        me.set_sigmask(m);
    }
}

/// If the frame returns from a system call that asked to be restarted,
/// either restart it (back up over SYSCALL) or turn it into EINTR.
/// `handler` is the action about to run, None when none does.
fn handle_restart(frame: &mut TrapFrame, handler: Option<&SigAction>) {
    if frame.vector != SYSCALL_VECTOR {
        return;
    }
    let ret = frame.rax as i64;
    const SYSCALL_INSN_LEN: u64 = 2;
    let restart = match -ret {
        512 => handler.is_none_or(|a| a.flags & SA_RESTART != 0), // ERESTARTSYS
        513 => true,                                              // ERESTARTNOINTR
        514 => handler.is_none(),                                 // ERESTARTNOHAND
        516 if handler.is_none() => {
            // ERESTART_RESTARTBLOCK: continue through restart_syscall with
            // the state the call saved.
            frame.rax = __NR_restart_syscall as u64;
            frame.rip -= SYSCALL_INSN_LEN;
            frame.vector = 0;
            return;
        }
        516 => false,
        _ => return,
    };
    if restart {
        frame.rax = frame.error_code; // the original system call number
        frame.rip -= SYSCALL_INSN_LEN;
    } else {
        frame.rax = (-(Errno::EINTR.code() as i64)) as u64;
    }
    // Only once per system call exit.
    frame.vector = 0;
}

/// Stops the current process until SIGCONT (or SIGKILL).
fn stop_current(sig: u32) {
    let me = current();
    let p = me.process.clone();
    {
        let mut job = p.job.lock();
        job.stopped = true;
        job.stop_report = Some(sig);
        job.continue_report = false;
    }
    notify_parent_job_change(&p, CLD_STOPPED, sig);
    loop {
        if !p.job.lock().stopped || me.pending_set() & sig_bit(SIGKILL) != 0 {
            break;
        }
        me.set_state(crate::process::thread::ThreadState::Stopped);
        if !p.job.lock().stopped || me.pending_set() & sig_bit(SIGKILL) != 0 {
            sched::cancel_sleep(&me);
            break;
        }
        sched::schedule();
    }
}
