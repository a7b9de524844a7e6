//! Exit: a thread ends, and with the last thread the process becomes a
//! zombie for its parent to reap.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

use kevlar_hal::sync::SpinLock;

use super::{Lifecycle, Pid, Process, Thread, Usage, WaitStatus, find_process, unregister_thread};
use crate::errno::{Errno, KResult};
use crate::fs::fdtable::FdTable;
use crate::sched::{current, exit_current};
use crate::signal::{CLD_DUMPED, CLD_EXITED, CLD_KILLED, SA_NOCLDWAIT, SI_KERNEL, SIG_IGN, SIGCHLD, SIGCONT, SIGHUP, SIGKILL, SigInfo, sig_bit};

// Exit is requested where it is decided (a system call, a fatal signal)
// and carried out by `exit_if_requested` on the way back to user mode,
// at the outermost level of the kernel stack. A diverging exit called from
// deep inside would strand the `Arc`s that the callers' frames hold (the
// thread itself among them), and with them its kernel stack.

/// exit_group(2) or a fatal signal: every thread of the process ends with
/// `status` (the first status chosen wins). Takes effect on the return to
/// user mode.
pub fn exit_group(status: WaitStatus) {
    let me = current();
    let p = &me.process;
    let exec_tid = p.exec_tid.load(Ordering::Acquire);
    if exec_tid != 0 && exec_tid != me.tid() {
        // Killed by another thread's execve (Linux: a zapped thread of a
        // group exec ends alone, it does not end the process).
        me.request_exit(status);
        return;
    }
    let first = {
        let mut g = p.group_exit.lock();
        let first = g.is_none();
        g.get_or_insert(status);
        first
    };
    if first {
        // The other threads' SIGKILLs bring them here too; only the first
        // caller needs to send them.
        for t in p.threads() {
            if !Arc::ptr_eq(&t, &me) {
                kill_thread(&t);
            }
        }
    }
    me.request_exit(status);
}

/// Makes `t` end: SIGKILL, which interrupts any sleep and cannot be
/// blocked, and which also resumes a stopped thread.
fn kill_thread(t: &Arc<Thread>) {
    t.send_signal(SigInfo::kernel(SIGKILL, 0, 0));
    crate::sched::wake_stopped(t);
}

/// exit(2): ends the calling thread on the return to user mode.
pub fn exit_thread(status: WaitStatus) {
    current().request_exit(status);
}

/// execve's first step in a multi-threaded process (Linux's de_thread):
/// kills every other thread, waits until they are gone, and if the caller
/// is not the leader, gives it the leader's id, so the process keeps its
/// pid. Fails (EAGAIN) if the process is already exiting, or is being
/// killed meanwhile; the caller then returns and dies on its way out.
pub fn de_thread() -> KResult<()> {
    let me = current();
    let p = me.process.clone();
    if p.threads().len() > 1 {
        if p.group_exit.lock().is_some() || p.exec_tid.compare_exchange(0, me.tid(), Ordering::AcqRel, Ordering::Acquire).is_err() {
            return Err(Errno::EAGAIN);
        }
        for t in p.threads() {
            if !Arc::ptr_eq(&t, &me) {
                kill_thread(&t);
            }
        }
        // Killable only: other signals stay pending until after the exec.
        loop {
            let r = p.thread_exits.wait_until(|| (p.threads().len() == 1).then_some(()));
            if r.is_ok() {
                break;
            }
            if me.pending_set() & sig_bit(SIGKILL) != 0 || p.group_exit.lock().is_some() {
                p.exec_tid.store(0, Ordering::Release);
                return Err(Errno::EAGAIN);
            }
            // Another signal is pending: let the dying threads run.
            crate::sched::schedule();
        }
        p.exec_tid.store(0, Ordering::Release);
    }
    if me.tid() != p.pid {
        super::rename_thread(&me, p.pid);
    }
    Ok(())
}

/// Carries out a requested exit. Call only where the stack holds no
/// references (the end of the return-to-user hook).
pub fn exit_if_requested() {
    let status = current().take_exit_request();
    if let Some(status) = status {
        do_exit(status);
    }
}

/// Ends the current thread; the last thread ends the process.
fn do_exit(status: WaitStatus) -> ! {
    let me = current();
    let process = me.process.clone();

    if let Some(mm) = me.mm() {
        // Robust and PI futexes the thread still holds (Linux: before the
        // tid word, in exit_mm).
        crate::ipc::futex::release_on_exit(&me, &mm);
        // CLONE_CHILD_CLEARTID: zero the tid word and wake one waiter (how
        // pthread_join learns a thread is gone). Linux skips it when no
        // other thread or process uses the memory: nobody could see it.
        let ctid = me.clear_child_tid.swap(0, Ordering::Relaxed);
        // Users of the address space: this thread's own reference and the
        // clone just taken do not count.
        if ctid != 0 && Arc::strong_count(&mm) > 2 {
            crate::ipc::futex::clear_tid_word(&mm, ctid);
        }
    }
    if let Some(done) = me.vfork_done.lock().take() {
        done.complete();
    }
    {
        let own = me.usage();
        process.dead_threads_usage.lock().absorb(&own);
    }
    let remaining = process.remove_thread(me.tid());
    unregister_thread(me.tid());
    process.thread_exits.wake_all();

    // Release what the thread holds now, not when its memory is freed.
    // The descriptor table may be shared (CLONE_FILES): dropping this
    // reference closes the files only if it was the last one.
    drop(me.set_files(Arc::new(SpinLock::new(FdTable::new()))));
    drop(me.take_mm());
    // The working and root directories too (Linux's exit_fs), so a zombie
    // keeps no mount busy: the thread keeps only its namespace's root.
    let parked = {
        let fs = me.fs();
        let fs = fs.lock();
        crate::fs::path::FsContext::parked(&fs)
    };
    drop(me.set_fs(Arc::new(SpinLock::new(parked))));
    if remaining == 0 {
        // exit_group's status, else the last thread's own (also when the
        // leader ended earlier with another code, as on Linux).
        let status = process.group_exit.lock().unwrap_or(status);
        process_exit(&process, status);
    }
    drop(process);
    drop(me);
    exit_current()
}

fn process_exit(process: &Arc<Process>, status: WaitStatus) {
    if process.pid == 1 {
        kevlar_hal::println!("[kevlar] init exited ({:?}): attempted to kill init", status);
        kevlar_hal::exit_qemu(if status == WaitStatus::Exited(0) { 0 } else { 2 });
    }
    // The executable goes with the last thread (a zombie's /proc/PID/exe
    // is ENOENT on Linux too), so the file system it is on can be
    // unmounted as soon as the parent knows the child exited.
    drop(process.exe.lock().take());
    // Children go to the nearest subreaper, or init.
    let reaper = find_reaper(process);
    let orphans = process.take_children();
    let mut zombie_orphans = false;
    // Groups this exit may leave orphaned: our own, if our parent tied it
    // to the session, and each child's that we tied (checked below).
    let mut linked_groups = Vec::new();
    if process.parent().is_some_and(|par| par.pgid() != process.pgid() && par.sid() == process.sid()) {
        linked_groups.push(process.pgid());
    }
    for c in orphans {
        zombie_orphans |= !c.is_alive();
        if c.is_alive() && c.pgid() != process.pgid() && c.sid() == process.sid() {
            linked_groups.push(c.pgid());
        }
        let sig = c.pdeath_signal.load(Ordering::Relaxed);
        if sig > 0 && c.is_alive() {
            c.send_signal(SigInfo::kernel(sig as u32, 0, 0));
        }
        if let Some(r) = &reaper {
            r.adopt(c);
        }
    }
    if zombie_orphans {
        if let Some(r) = &reaper {
            r.child_events.wake_all();
        }
    }

    // A session leader's exit hangs up its controlling terminal.
    if process.sid() == process.pid {
        let tty = process.ctty.lock().take();
        if let Some(tty) = tty {
            tty.disassociate(process.sid(), true);
        }
    }

    process.cgroup().charge_exit(&total_usage(&process));
    process.set_lifecycle(Lifecycle::Zombie(status));
    linked_groups.sort_unstable();
    linked_groups.dedup();
    for pgid in linked_groups {
        hang_up_if_orphaned(pgid);
    }
    let Some(parent) = process.parent() else { return };
    let handlers = parent.threads().first().map(|t| t.sighand());
    let (ignores_chld, nocldwait) = match &handlers {
        Some(h) => {
            let a = h.lock().get(SIGCHLD);
            (a.handler == SIG_IGN, a.flags & SA_NOCLDWAIT != 0)
        }
        None => (false, false),
    };
    if process.exit_signal == SIGCHLD && (ignores_chld || nocldwait) {
        // Auto-reap: the parent never sees a zombie, and (as on Linux)
        // the child's usage never reaches RUSAGE_CHILDREN, which counts
        // only children waited for.
        parent.remove_child(process.pid);
        process.set_lifecycle(Lifecycle::Reaped);
    } else if process.exit_signal != 0 {
        let (code, st) = match status {
            WaitStatus::Exited(c) => (CLD_EXITED, c as i32),
            WaitStatus::Signaled(s, core) => (if core { CLD_DUMPED } else { CLD_KILLED }, s as i32),
            _ => (CLD_EXITED, 0),
        };
        let uid = process.creds.lock().uid;
        let info = SigInfo { signo: process.exit_signal.get(), code, pid: process.pid, uid, status: st, ..Default::default() };
        parent.send_signal(info);
    }
    // Always, whatever SIGCHLD's disposition: waiters must see the exit.
    parent.child_events.wake_all();
}

/// POSIX job control: a process group that has just become orphaned and
/// has stopped members gets SIGHUP then SIGCONT, or nobody would ever be
/// able to continue them.
fn hang_up_if_orphaned(pgid: Pid) {
    let members = super::process_group(pgid);
    if !members.iter().any(|m| m.job.lock().stopped) || !super::pgrp_is_orphaned(pgid) {
        return;
    }
    for sig in [SIGHUP, SIGCONT] {
        for m in &members {
            m.send_signal(SigInfo::kernel(sig, SI_KERNEL, 0));
        }
    }
}

fn find_reaper(process: &Arc<Process>) -> Option<Arc<Process>> {
    let mut at = process.parent();
    while let Some(p) = at {
        if p.child_subreaper.load(Ordering::Relaxed) && p.is_alive() {
            return Some(p);
        }
        at = p.parent();
    }
    find_process(1)
}

/// Resource usage of a process: its exited threads plus the living ones,
/// and the peak resident set of every address space it has had.
pub fn total_usage(process: &Process) -> Usage {
    let mut u = *process.dead_threads_usage.lock();
    for t in process.threads() {
        u.absorb(&t.usage());
        if let Some(mm) = t.mm() {
            u.max_rss_pages = u.max_rss_pages.max(mm.resident_pages().1 as u64);
        }
    }
    u
}
