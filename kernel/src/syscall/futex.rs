//! futex(2), set_robust_list(2), get_robust_list(2).
//!
//! This file decodes the arguments (which depend on the command: the
//! fourth argument is a timeout pointer for the waiting commands and a
//! count for the others) and checks them in Linux's order; the futex
//! machinery itself is in ipc::futex.

use core::sync::atomic::Ordering;

use crate::errno::{Errno, KResult};
use crate::ipc::futex::*;
use crate::mm::uaccess::UserPtr;
use crate::process::{Pid, find_thread};
use crate::sched::current;
use crate::time::{Timespec, monotonic_ns, realtime_ns};

/// futex(2)
pub fn sys_futex(uaddr: usize, op: u32, val: u32, timeout: usize, uaddr2: usize, val3: u32) -> KResult<usize> {
    let cmd = op & FUTEX_CMD_MASK;
    let realtime = op & FUTEX_CLOCK_REALTIME != 0;
    // The timeout is read (and checked) before anything else.
    let deadline = if timeout != 0 && has_timeout(cmd) { Some(deadline_ns(cmd, realtime, timeout)?) } else { None };
    if realtime && !matches!(cmd, FUTEX_WAIT_BITSET | FUTEX_WAIT_REQUEUE_PI | FUTEX_LOCK_PI2) {
        return Err(Errno::ENOSYS);
    }
    let me = current();
    let mm = me.mm().ok_or(Errno::EINVAL)?;
    let shared = op & FUTEX_PRIVATE_FLAG == 0;
    let at = |addr: usize| Futex::resolve(&mm, addr, shared);
    // For the commands without a timeout, the fourth argument is a count.
    let val2 = timeout as u32;
    let tid = me.tid();
    drop(me);
    match cmd {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            let bitset = if cmd == FUTEX_WAIT { FUTEX_BITSET_MATCH_ANY } else { val3 };
            if bitset == 0 {
                return Err(Errno::EINVAL);
            }
            match wait(&at(uaddr)?, val, bitset, deadline, tid) {
                // Without a timeout the wait restarts after a handler with
                // SA_RESTART; with one, it fails with EINTR after any
                // handler (Linux restarts it then only when no handler ran,
                // through its restart block).
                Err(e) if e == Errno::ERESTARTSYS && deadline.is_some() => Err(Errno::ERESTARTNOHAND),
                r => r,
            }
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET => {
            let bitset = if cmd == FUTEX_WAKE { FUTEX_BITSET_MATCH_ANY } else { val3 };
            if bitset == 0 {
                return Err(Errno::EINVAL);
            }
            wake(&at(uaddr)?, val, bitset)
        }
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            // The counts are ints: negative ones are refused first.
            let (nr_wake, nr_requeue) = (val as i32, val2 as i32);
            if nr_wake < 0 || nr_requeue < 0 {
                return Err(Errno::EINVAL);
            }
            let cmp = (cmd == FUTEX_CMP_REQUEUE).then_some(val3);
            requeue(&at(uaddr)?, &at(uaddr2)?, nr_wake as usize, nr_requeue as usize, cmp)
        }
        FUTEX_WAKE_OP => {
            let (f1, f2) = (at(uaddr)?, at(uaddr2)?);
            wake_op(&f1, &f2, val, val2, WakeOp::decode(val3))
        }
        FUTEX_LOCK_PI | FUTEX_LOCK_PI2 => lock_pi(&at(uaddr)?, tid, deadline, false),
        FUTEX_TRYLOCK_PI => lock_pi(&at(uaddr)?, tid, None, true),
        FUTEX_UNLOCK_PI => unlock_pi(&mm, uaddr, shared, tid),
        // FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI (condition
        // variables over PI mutexes; neither glibc nor musl uses them) are
        // not implemented, and neither are the removed FUTEX_FD and
        // unknown commands.
        _ => Err(Errno::ENOSYS),
    }
}

/// The commands whose fourth argument is a timeout.
fn has_timeout(cmd: u32) -> bool {
    matches!(cmd, FUTEX_WAIT | FUTEX_LOCK_PI | FUTEX_LOCK_PI2 | FUTEX_WAIT_BITSET | FUTEX_WAIT_REQUEUE_PI)
}

/// The monotonic deadline a timeout argument stands for: FUTEX_WAIT's is
/// relative, the others absolute, on CLOCK_REALTIME for FUTEX_LOCK_PI and
/// with FUTEX_CLOCK_REALTIME, else CLOCK_MONOTONIC. A realtime deadline is
/// converted once, when the call starts (a later clock_settime does not
/// move it, unlike on Linux).
fn deadline_ns(cmd: u32, realtime: bool, timeout: usize) -> KResult<u64> {
    let t = UserPtr::<Timespec>::new(timeout).read()?.validate()?.to_ns();
    let now = monotonic_ns();
    Ok(if cmd == FUTEX_WAIT {
        now.saturating_add(t)
    } else if cmd == FUTEX_LOCK_PI || realtime {
        now.saturating_add(t.saturating_sub(realtime_ns()))
    } else {
        t
    })
}

/// set_robust_list(2): registers the calling thread's robust futex list,
/// walked when it dies (ipc::futex).
pub fn sys_set_robust_list(head: usize, len: usize) -> KResult<usize> {
    if len != ROBUST_LIST_HEAD_SIZE {
        return Err(Errno::EINVAL);
    }
    current().robust_list.store(head, Ordering::Relaxed);
    Ok(0)
}

/// get_robust_list(2): the list head of thread `tid` (0: the caller).
pub fn sys_get_robust_list(tid: Pid, head_ptr: usize, len_ptr: usize) -> KResult<usize> {
    let me = current();
    let target = if tid == 0 { me.clone() } else { find_thread(tid).ok_or(Errno::ESRCH)? };
    if !may_inspect(&me, &target) {
        return Err(Errno::EPERM);
    }
    let head = target.robust_list.load(Ordering::Relaxed);
    UserPtr::<usize>::new(len_ptr).write(&ROBUST_LIST_HEAD_SIZE)?;
    UserPtr::<usize>::new(head_ptr).write(&head)?;
    Ok(0)
}

/// Linux asks ptrace_may_access(PTRACE_MODE_READ_REALCREDS): the same
/// thread group, a privileged caller, or one whose real ids match all of
/// the target's.
fn may_inspect(me: &crate::process::Thread, target: &crate::process::Thread) -> bool {
    if alloc::sync::Arc::ptr_eq(&me.process, &target.process) {
        return true;
    }
    let c = me.process.creds.lock().clone();
    if c.euid == 0 {
        return true;
    }
    let t = target.process.creds.lock();
    [t.uid, t.euid, t.suid].iter().all(|&u| u == c.uid) && [t.gid, t.egid, t.sgid].iter().all(|&g| g == c.gid)
}
