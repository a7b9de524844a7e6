//! fork, vfork and clone: new processes and threads.

use alloc::sync::Arc;

use kevlar_hal::arch::context::{FpuState, TaskContext, ThreadStart, fs_base};
use kevlar_hal::arch::trap::TrapFrame;
use kevlar_hal::sync::SpinLock;

use super::thread::{Pid, Thread, ThreadResources};
use super::{Process, VforkDone, alloc_pid, register_thread};
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::sched::{current, enqueue_new};

/// clone(2) flags (linux/sched.h).
pub mod flags {
    /// Share the address space.
    pub const CLONE_VM: u64 = 0x100;
    /// Share cwd, root, umask.
    pub const CLONE_FS: u64 = 0x200;
    /// Share the descriptor table.
    pub const CLONE_FILES: u64 = 0x400;
    /// Share signal dispositions.
    pub const CLONE_SIGHAND: u64 = 0x800;
    /// Return a pidfd (not supported yet).
    pub const CLONE_PIDFD: u64 = 0x1000;
    /// Parent sleeps until the child execs or exits.
    pub const CLONE_VFORK: u64 = 0x4000;
    /// Same parent as the caller.
    pub const CLONE_PARENT: u64 = 0x8000;
    /// Same thread group.
    pub const CLONE_THREAD: u64 = 0x1_0000;
    /// New mount namespace.
    pub const CLONE_NEWNS: u64 = 0x2_0000;
    /// Share System V semaphore undo lists.
    pub const CLONE_SYSVSEM: u64 = 0x4_0000;
    /// Set the TLS base.
    pub const CLONE_SETTLS: u64 = 0x8_0000;
    /// Store the tid in the parent's memory.
    pub const CLONE_PARENT_SETTID: u64 = 0x10_0000;
    /// Clear the tid in the child's memory at exit and futex-wake.
    pub const CLONE_CHILD_CLEARTID: u64 = 0x20_0000;
    /// Ignored by Linux.
    pub const CLONE_DETACHED: u64 = 0x40_0000;
    /// Store the tid in the child's memory.
    pub const CLONE_CHILD_SETTID: u64 = 0x100_0000;
    /// New user namespace.
    pub const CLONE_NEWUSER: u64 = 0x1000_0000;
    /// New pid namespace.
    pub const CLONE_NEWPID: u64 = 0x2000_0000;
    /// Share the I/O context: nothing to share without an I/O scheduler,
    /// so accepted without effect.
    pub const CLONE_IO: u64 = 0x8000_0000;
    /// clone3: reset handled signals to SIG_DFL in the child.
    pub const CLONE_CLEAR_SIGHAND: u64 = 1 << 32;
    /// clone3: start the child in a cgroup (not supported).
    pub const CLONE_INTO_CGROUP: u64 = 1 << 33;
    /// clone3: new time namespace (in clone(2) this bit is part of the exit
    /// signal).
    pub const CLONE_NEWTIME: u64 = 0x80;
    /// Namespace flags (not supported yet): NEWNS, NEWCGROUP, NEWUTS,
    /// NEWIPC, NEWUSER, NEWPID, NEWNET.
    pub const CLONE_NEW_ANY: u64 = 0x7E02_0000;
}
use flags::*;

/// Arguments of clone/clone3.
#[derive(Clone, Copy, Debug, Default)]
pub struct CloneArgs {
    /// CLONE_* flags (low byte: exit signal for clone).
    pub flags: u64,
    /// New stack pointer (0: same as the parent).
    pub stack: u64,
    /// CLONE_PARENT_SETTID target.
    pub parent_tid: u64,
    /// CLONE_CHILD_SETTID / CLEARTID target.
    pub child_tid: u64,
    /// CLONE_SETTLS value.
    pub tls: u64,
    /// Signal for the parent at exit.
    pub exit_signal: u32,
}

/// Creates a thread or process that resumes user mode with `frame` (RAX
/// set to 0). Returns the new tid.
pub fn clone(frame: &TrapFrame, args: CloneArgs) -> KResult<Pid> {
    let f = args.flags;
    let cur = current();
    check_flags(f, cur.process.pid)?;
    if f & CLONE_THREAD != 0 && (cur.process.group_exit.lock().is_some() || cur.process.exec_tid.load(core::sync::atomic::Ordering::Acquire) != 0) {
        // The process is being killed (exit_group, or another thread's
        // execve): a new thread would miss the SIGKILLs already sent. The
        // caller dies on its way out; the restart is never seen.
        return Err(Errno::ERESTARTNOINTR);
    }
    // A thread never signals anyone when it ends (Linux sets its exit
    // signal to -1); only a new process's matters.
    if f & CLONE_THREAD == 0 && !crate::signal::valid(args.exit_signal) && args.exit_signal != 0 {
        return Err(Errno::EINVAL);
    }
    check_nproc_limit(&cur)?;
    let parent_mm = cur.mm().ok_or(Errno::EINVAL)?;
    let mm = if f & CLONE_VM != 0 { parent_mm } else { parent_mm.fork()? };
    let files = if f & CLONE_FILES != 0 { cur.files() } else { Arc::new(SpinLock::new(cur.files().lock().clone())) };
    let fs = if f & CLONE_FS != 0 {
        cur.fs()
    } else if f & CLONE_NEWNS != 0 {
        let ctx = cur.fs().lock().clone();
        Arc::new(SpinLock::new(ctx.with_new_namespace()?))
    } else {
        Arc::new(SpinLock::new(cur.fs().lock().clone()))
    };
    let sighand = if f & CLONE_SIGHAND != 0 {
        cur.sighand()
    } else {
        let mut handlers = cur.sighand().lock().clone();
        if f & CLONE_CLEAR_SIGHAND != 0 {
            // Handled signals back to SIG_DFL, ignored ones stay ignored:
            // the same rule as execve.
            handlers.reset_for_exec();
        }
        Arc::new(SpinLock::new(handlers))
    };

    let mut child_frame = *frame;
    child_frame.rax = 0;
    if args.stack != 0 {
        child_frame.rsp = args.stack;
    }
    let tls = if f & CLONE_SETTLS != 0 { args.tls } else { fs_base() };
    let start = ThreadStart::User { frame: child_frame, fpu: FpuState::save_current(), fs_base: tls };
    let context = TaskContext::new(start).ok_or(Errno::ENOMEM)?;
    // Everything that can fail without a trace is done: a process made now
    // is seen at once in the process table and its parent's children.
    let tid = alloc_pid()?;
    let process = if f & CLONE_THREAD != 0 {
        cur.process.clone()
    } else {
        let parent = if f & CLONE_PARENT != 0 { cur.process.parent().ok_or(Errno::EINVAL)? } else { cur.process.clone() };
        Process::new(tid, Some(&parent), args.exit_signal)
    };
    let child_mm = mm.clone();
    let thread = Thread::new(tid, process.clone(), context, ThreadResources { mm: Some(mm), files, fs, sighand, sigmask: cur.sigmask(), sched_params: cur.sched_params().for_child() });
    // A new task is named as the thread that made it.
    thread.set_comm(&cur.comm());
    // The alternate signal stack is inherited, except by a thread that
    // shares the address space and runs on its own stack (Linux's rule).
    if f & (CLONE_VM | CLONE_VFORK) != CLONE_VM {
        *thread.altstack.lock() = *cur.altstack.lock();
    }

    // Linux ignores faults on both tid stores: the child exists by now.
    if f & CLONE_PARENT_SETTID != 0 {
        let _ = UserPtr::<i32>::new(args.parent_tid as usize).write(&tid);
    }
    if f & CLONE_CHILD_SETTID != 0 {
        let _ = child_mm.write_user(args.child_tid as usize, &tid.to_le_bytes());
    }
    if f & CLONE_CHILD_CLEARTID != 0 {
        thread.clear_child_tid.store(args.child_tid as usize, core::sync::atomic::Ordering::Relaxed);
    }
    let vfork = (f & CLONE_VFORK != 0).then(|| Arc::new(VforkDone::default()));
    *thread.vfork_done.lock() = vfork.clone();

    register_thread(&thread);
    process.add_thread(&thread);
    enqueue_new(thread);
    if let Some(done) = vfork {
        done.wait();
    }
    Ok(tid)
}

/// RLIMIT_NPROC: a user other than root may not own more tasks than the
/// limit, unless the caller has CAP_SYS_RESOURCE or CAP_SYS_ADMIN.
fn check_nproc_limit(cur: &Thread) -> KResult<()> {
    use super::creds::{CAP_SYS_ADMIN, CAP_SYS_RESOURCE};
    let (uid, exempt) = {
        let c = cur.process.creds.lock();
        (c.uid, c.uid == 0 || c.capable(CAP_SYS_RESOURCE) || c.capable(CAP_SYS_ADMIN))
    };
    let limit = cur.process.rlimit(super::RLIMIT_NPROC);
    if exempt || limit == super::RLIM_INFINITY {
        return Ok(());
    }
    let tasks: usize = super::all_processes()
        .iter()
        .filter(|p| p.is_alive() && p.creds.lock().uid == uid)
        .map(|p| p.threads().len())
        .sum();
    if tasks as u64 >= limit { Err(Errno::EAGAIN) } else { Ok(()) }
}

/// The flag combinations Linux's copy_process refuses, in its order, then
/// the features Kevlar does not have yet (namespaces, pidfds, cgroups),
/// refused honestly with EINVAL.
fn check_flags(f: u64, caller_pid: Pid) -> KResult<()> {
    let both = |a: u64, b: u64| f & (a | b) == a | b;
    if both(CLONE_NEWNS, CLONE_FS) || both(CLONE_NEWUSER, CLONE_FS) {
        return Err(Errno::EINVAL);
    }
    // Threads share the handlers, and shared handlers need shared memory.
    if f & CLONE_THREAD != 0 && f & CLONE_SIGHAND == 0 || f & CLONE_SIGHAND != 0 && f & CLONE_VM == 0 {
        return Err(Errno::EINVAL);
    }
    // init can have no siblings.
    if f & CLONE_PARENT != 0 && caller_pid == 1 {
        return Err(Errno::EINVAL);
    }
    if f & CLONE_THREAD != 0 && f & (CLONE_NEWUSER | CLONE_NEWPID) != 0 {
        return Err(Errno::EINVAL);
    }
    if f & ((CLONE_NEW_ANY & !CLONE_NEWNS) | CLONE_PIDFD | CLONE_INTO_CGROUP) != 0 {
        return Err(Errno::EINVAL);
    }
    if f & CLONE_NEWNS != 0 && !current().process.creds.lock().capable(crate::process::creds::CAP_SYS_ADMIN) {
        return Err(Errno::EPERM);
    }
    Ok(())
}
