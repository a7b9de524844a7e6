//! ITIMER_REAL (setitimer, alarm): SIGALRM after a delay, optionally
//! repeating.

use alloc::sync::Arc;

use super::{SIGALRM, SigInfo};
use crate::process::Process;
use crate::sched::timer::{self, TimerAction, TimerHandle};

/// An armed real-time interval timer.
pub struct RealTimer {
    handle: TimerHandle,
    /// Re-arm period in ns (0: one-shot).
    pub interval_ns: u64,
}

impl RealTimer {
    /// Monotonic deadline of the next expiry.
    pub fn deadline(&self) -> u64 {
        self.handle.deadline()
    }
}

/// Arms (or with `value_ns` 0, disarms) the timer; returns the previous
/// (remaining ns, interval ns).
pub fn arm(p: &Arc<Process>, now: u64, value_ns: u64, interval_ns: u64) -> (u64, u64) {
    let new = (value_ns > 0).then(|| RealTimer {
        handle: timer::add(now.saturating_add(value_ns), TimerAction::RealTimer(Arc::downgrade(p))),
        interval_ns,
    });
    let old = core::mem::replace(&mut *p.real_timer.lock(), new);
    old.map_or((0, 0), |t| (t.deadline().saturating_sub(now).max(1), t.interval_ns))
}

/// Remaining (ns, interval ns) of the timer.
pub fn get(p: &Process, now: u64) -> (u64, u64) {
    p.real_timer.lock().as_ref().map_or((0, 0), |t| (t.deadline().saturating_sub(now).max(1), t.interval_ns))
}

/// Timer expiry (from the timer interrupt).
pub fn fire(p: &Arc<Process>, now: u64) {
    let rearm = {
        let mut t = p.real_timer.lock();
        match t.as_ref().map(|t| t.interval_ns) {
            Some(iv) if iv > 0 => {
                *t = Some(RealTimer { handle: timer::add(now + iv, TimerAction::RealTimer(Arc::downgrade(p))), interval_ns: iv });
                true
            }
            _ => {
                // Dropping the handle here would take the timer lock's
                // entry that was already removed: harmless.
                t.take();
                false
            }
        }
    };
    let _ = rearm;
    p.send_signal(SigInfo::kernel(SIGALRM, super::SI_KERNEL, 0));
}
