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
    /// Namespace flags (not supported yet).
    pub const CLONE_NEW_ANY: u64 = 0x7E02_0000 | 0x0200_0000 | 0x8000_0000;
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
    if f & CLONE_THREAD != 0 && f & CLONE_SIGHAND == 0 || f & CLONE_SIGHAND != 0 && f & CLONE_VM == 0 {
        return Err(Errno::EINVAL);
    }
    if f & CLONE_FS != 0 && f & CLONE_NEWNS != 0 {
        return Err(Errno::EINVAL);
    }
    if f & CLONE_NEW_ANY != 0 || f & CLONE_PIDFD != 0 {
        // Namespaces and pidfds come with later issues; refuse honestly.
        return Err(Errno::EINVAL);
    }
    if !crate::signal::valid(args.exit_signal) && args.exit_signal != 0 {
        return Err(Errno::EINVAL);
    }
    let cur = current();
    let parent_mm = cur.mm().ok_or(Errno::EINVAL)?;
    let mm = if f & CLONE_VM != 0 { parent_mm } else { parent_mm.fork()? };
    let files = if f & CLONE_FILES != 0 { cur.files() } else { Arc::new(SpinLock::new(cur.files().lock().clone())) };
    let fs = if f & CLONE_FS != 0 { cur.fs() } else { Arc::new(SpinLock::new(cur.fs().lock().clone())) };
    let sighand = if f & CLONE_SIGHAND != 0 { cur.sighand() } else { Arc::new(SpinLock::new(cur.sighand().lock().clone())) };

    let tid = alloc_pid()?;
    let process = if f & CLONE_THREAD != 0 {
        cur.process.clone()
    } else {
        let parent = if f & CLONE_PARENT != 0 { cur.process.parent().ok_or(Errno::EINVAL)? } else { cur.process.clone() };
        Process::new(tid, Some(&parent), args.exit_signal)
    };

    let mut child_frame = *frame;
    child_frame.rax = 0;
    if args.stack != 0 {
        child_frame.rsp = args.stack;
    }
    let tls = if f & CLONE_SETTLS != 0 { args.tls } else { fs_base() };
    let start = ThreadStart::User { frame: child_frame, fpu: FpuState::save_current(), fs_base: tls };
    let context = TaskContext::new(start).ok_or(Errno::ENOMEM)?;
    let child_mm = mm.clone();
    let thread = Thread::new(tid, process.clone(), context, ThreadResources { mm: Some(mm), files, fs, sighand, sigmask: cur.sigmask() });
    // The alternate signal stack is inherited, except by a thread that
    // shares the address space and runs on its own stack (Linux's rule).
    if f & (CLONE_VM | CLONE_VFORK) != CLONE_VM {
        *thread.altstack.lock() = *cur.altstack.lock();
    }

    if f & CLONE_PARENT_SETTID != 0 {
        UserPtr::<i32>::new(args.parent_tid as usize).write(&tid)?;
    }
    if f & CLONE_CHILD_SETTID != 0 {
        child_mm.write_user(args.child_tid as usize, &tid.to_le_bytes())?;
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
