//! Scheduling system calls: policies, real-time priorities, nice values,
//! CPU affinity.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::creds;
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::process::creds::CAP_SYS_NICE;
use crate::process::{self, Pid, Thread};
use crate::sched::current;
use crate::sched::policy::*;
use crate::time::Timespec;

/// The thread `pid` names (0: the caller).
fn thread(pid: Pid) -> KResult<Arc<Thread>> {
    match pid {
        0 => Ok(current()),
        p if p < 0 => Err(Errno::EINVAL),
        p => process::find_thread(p).ok_or(Errno::ESRCH),
    }
}

/// Whether the caller may change `t`'s scheduling (same user, or root).
fn may_change(t: &Thread) -> bool {
    let c = creds();
    let tc = t.process.creds.lock();
    c.capable(CAP_SYS_NICE) || c.euid == tc.uid || c.euid == tc.euid
}

fn check_params(policy: u32, priority: i32) -> KResult<()> {
    let (lo, hi) = priority_range(policy).ok_or(Errno::EINVAL)?;
    if priority < lo as i32 || priority > hi as i32 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// sched_setscheduler(2)
pub fn sys_sched_setscheduler(pid: Pid, policy: i32, param: usize) -> KResult<usize> {
    if policy < 0 || param == 0 {
        return Err(Errno::EINVAL);
    }
    let reset = policy as u32 & SCHED_RESET_ON_FORK != 0;
    let policy = policy as u32 & !SCHED_RESET_ON_FORK;
    let prio = UserPtr::<i32>::new(param).read()?;
    let t = thread(pid)?;
    check_params(policy, prio)?;
    if !may_change(&t) || (policy == SCHED_FIFO || policy == SCHED_RR) && !creds().capable(CAP_SYS_NICE) {
        return Err(Errno::EPERM);
    }
    let old = t.sched_params();
    t.set_sched_params(SchedParams { policy, rt_priority: prio as u32, nice: old.nice, reset_on_fork: reset });
    Ok(0)
}

/// sched_getscheduler(2)
pub fn sys_sched_getscheduler(pid: Pid) -> KResult<usize> {
    let p = thread(pid)?.sched_params();
    Ok((p.policy | if p.reset_on_fork { SCHED_RESET_ON_FORK } else { 0 }) as usize)
}

/// sched_setparam(2)
pub fn sys_sched_setparam(pid: Pid, param: usize) -> KResult<usize> {
    if param == 0 {
        return Err(Errno::EINVAL);
    }
    let prio = UserPtr::<i32>::new(param).read()?;
    let t = thread(pid)?;
    let old = t.sched_params();
    check_params(old.policy, prio)?;
    if !may_change(&t) || old.is_realtime() && !creds().capable(CAP_SYS_NICE) {
        return Err(Errno::EPERM);
    }
    t.set_sched_params(SchedParams { rt_priority: prio as u32, ..old });
    Ok(0)
}

/// sched_getparam(2)
pub fn sys_sched_getparam(pid: Pid, param: usize) -> KResult<usize> {
    if param == 0 {
        return Err(Errno::EINVAL);
    }
    let p = thread(pid)?.sched_params();
    UserPtr::<i32>::new(param).write(&(p.rt_priority as i32))?;
    Ok(0)
}

/// sched_get_priority_max(2)
pub fn sys_sched_get_priority_max(policy: i32) -> KResult<usize> {
    priority_range(policy as u32).map(|(_, hi)| hi as usize).ok_or(Errno::EINVAL)
}

/// sched_get_priority_min(2)
pub fn sys_sched_get_priority_min(policy: i32) -> KResult<usize> {
    priority_range(policy as u32).map(|(lo, _)| lo as usize).ok_or(Errno::EINVAL)
}

/// sched_rr_get_interval(2): the round-robin time slice.
pub fn sys_sched_rr_get_interval(pid: Pid, tp: usize) -> KResult<usize> {
    let p = thread(pid)?.sched_params();
    let ns = if p.policy == SCHED_FIFO { 0 } else { crate::sched::TIMESLICE_NS };
    UserPtr::<Timespec>::new(tp).write(&Timespec::from_ns(ns))?;
    Ok(0)
}

const PRIO_PROCESS: i32 = 0;
const PRIO_PGRP: i32 = 1;
const PRIO_USER: i32 = 2;

/// The threads `which`/`who` select for get/setpriority.
fn priority_targets(which: i32, who: i32) -> KResult<Vec<Arc<Thread>>> {
    let me = current();
    let procs: Vec<Arc<process::Process>> = match which {
        PRIO_PROCESS => {
            if who == 0 {
                return Ok(alloc::vec![me]);
            }
            return Ok(process::find_thread(who).into_iter().collect());
        }
        PRIO_PGRP => process::process_group(if who == 0 { me.process.pgid() } else { who }),
        PRIO_USER => {
            let uid = if who == 0 { me.process.creds.lock().uid } else { who as u32 };
            process::all_processes().into_iter().filter(|p| p.is_alive() && p.creds.lock().uid == uid).collect()
        }
        _ => return Err(Errno::EINVAL),
    };
    Ok(procs.iter().flat_map(|p| p.threads()).collect())
}

/// getpriority(2): the kernel returns 20 - nice (1..40), libc converts.
pub fn sys_getpriority(which: i32, who: i32) -> KResult<usize> {
    let targets = priority_targets(which, who)?;
    let best = targets.iter().map(|t| t.sched_params().nice).min().ok_or(Errno::ESRCH)?;
    Ok((20 - best) as usize)
}

/// setpriority(2)
pub fn sys_setpriority(which: i32, who: i32, nice: i32) -> KResult<usize> {
    let targets = priority_targets(which, who)?;
    if targets.is_empty() {
        return Err(Errno::ESRCH);
    }
    let nice = nice.clamp(NICE_MIN, NICE_MAX);
    let c = creds();
    for t in &targets {
        if !may_change(t) {
            return Err(Errno::EPERM);
        }
        // Raising priority (lowering nice) needs privilege (RLIMIT_NICE 0).
        if nice < t.sched_params().nice && !c.capable(CAP_SYS_NICE) {
            return Err(Errno::EACCES);
        }
    }
    for t in targets {
        t.set_sched_params(SchedParams { nice, ..t.sched_params() });
    }
    Ok(0)
}
