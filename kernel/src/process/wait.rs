//! wait4 and waitid: reaping children and observing stops and continues.

use alloc::sync::Arc;

use super::exit::total_usage;
use super::{Lifecycle, Pid, Process, Usage, WaitStatus};
use crate::errno::{Errno, KResult};
use crate::sched::current;
use crate::signal::SIGCHLD;

/// wait options (linux/wait.h).
pub const WNOHANG: u32 = 1;
/// Report stopped children.
pub const WUNTRACED: u32 = 2;
/// waitid: report exited children.
pub const WEXITED: u32 = 4;
/// Report continued children.
pub const WCONTINUED: u32 = 8;
/// Leave the child waitable.
pub const WNOWAIT: u32 = 0x0100_0000;
/// Only "clone" children (exit signal other than SIGCHLD).
pub const WCLONE: u32 = 0x8000_0000;
/// Any child, clone or not.
pub const WALL: u32 = 0x4000_0000;
/// Do not wait for children of other threads (accepted, no effect yet).
pub const WNOTHREAD: u32 = 0x2000_0000;

/// Which children to wait for.
#[derive(Clone, Copy, Debug)]
pub enum WaitTarget {
    /// Any child.
    Any,
    /// The child with this pid.
    Pid(Pid),
    /// Children in this process group.
    Pgid(Pid),
}

/// A reported state change.
#[derive(Clone, Copy, Debug)]
pub struct WaitResult {
    /// The child.
    pub pid: Pid,
    /// What happened.
    pub status: WaitStatus,
    /// Its uid (waitid's si_uid).
    pub uid: u32,
    /// Its CPU time (wait4's rusage).
    pub usage: Usage,
}

fn matches(child: &Process, target: WaitTarget, options: u32) -> bool {
    let ok = match target {
        WaitTarget::Any => true,
        WaitTarget::Pid(p) => child.pid == p,
        WaitTarget::Pgid(g) => child.pgid() == g,
    };
    if !ok {
        return false;
    }
    if options & WALL != 0 {
        return true;
    }
    let is_clone = child.exit_signal != SIGCHLD;
    is_clone == (options & WCLONE != 0)
}

/// Waits for a child matching `target` to change state as `options`
/// allow. `Ok(None)` with WNOHANG when nothing is ready.
pub fn wait(target: WaitTarget, options: u32) -> KResult<Option<WaitResult>> {
    let me = current();
    let proc = me.process.clone();
    proc.child_events.wait_until(|| scan(&proc, target, options))?
}

fn scan(proc: &Arc<Process>, target: WaitTarget, options: u32) -> Option<KResult<Option<WaitResult>>> {
    let children: alloc::vec::Vec<_> = proc.children().into_iter().filter(|c| matches(c, target, options)).collect();
    if children.is_empty() {
        return Some(Err(Errno::ECHILD));
    }
    for c in &children {
        let uid = c.creds.lock().uid;
        if options & WEXITED != 0 {
            if let Lifecycle::Zombie(status) = c.lifecycle() {
                let usage = total_usage(c);
                if options & WNOWAIT == 0 {
                    c.set_lifecycle(Lifecycle::Reaped);
                    proc.remove_child(c.pid);
                    let mut all = usage;
                    all.absorb(&c.children_usage.lock());
                    proc.children_usage.lock().absorb(&all);
                }
                return Some(Ok(Some(WaitResult { pid: c.pid, status, uid, usage })));
            }
        }
        let mut job = c.job.lock();
        if options & WUNTRACED != 0 {
            if let Some(sig) = job.stop_report {
                if options & WNOWAIT == 0 {
                    job.stop_report = None;
                }
                return Some(Ok(Some(WaitResult { pid: c.pid, status: WaitStatus::Stopped(sig), uid, usage: Usage::default() })));
            }
        }
        if options & WCONTINUED != 0 && job.continue_report {
            if options & WNOWAIT == 0 {
                job.continue_report = false;
            }
            return Some(Ok(Some(WaitResult { pid: c.pid, status: WaitStatus::Continued, uid, usage: Usage::default() })));
        }
    }
    if options & WNOHANG != 0 {
        return Some(Ok(None));
    }
    None
}
