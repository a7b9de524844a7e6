//! Interval timers (setitimer, getitimer, alarm): one of each kind per
//! process, inherited by neither fork nor anything else, kept by execve.
//!
//! - ITIMER_REAL counts wall time (the monotonic clock) and sends SIGALRM;
//! - ITIMER_VIRTUAL counts the process's user time, SIGVTALRM;
//! - ITIMER_PROF counts its user and system time, SIGPROF.
//!
//! Each armed timer is a registration in the timer lists of
//! [`crate::sched::timer`]; a periodic one re-arms itself when it fires.

use alloc::sync::Arc;

use super::{SI_KERNEL, SIGALRM, SIGPROF, SIGVTALRM, SigInfo};
use crate::process::Process;
use crate::sched::timer::{self, TimerAction, TimerHandle};
use crate::time::{CpuClock, CpuKind, monotonic_ns, process_cpu_ns};

/// setitimer's `which`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// ITIMER_REAL
    Real,
    /// ITIMER_VIRTUAL
    Virtual,
    /// ITIMER_PROF
    Prof,
}

impl Which {
    /// From setitimer's argument.
    pub fn from_raw(which: i32) -> Option<Which> {
        match which {
            0 => Some(Which::Real),
            1 => Some(Which::Virtual),
            2 => Some(Which::Prof),
            _ => None,
        }
    }
}

/// An armed timer.
pub struct Armed {
    handle: TimerHandle,
    /// Re-arm period in ns (0: one-shot).
    interval_ns: u64,
}

/// ITIMER_REAL's state.
pub type RealTimer = Armed;

/// ITIMER_VIRTUAL's and ITIMER_PROF's state (index 0 and 1).
#[derive(Default)]
pub struct CpuItimers([Option<Armed>; 2]);

/// A setting as setitimer reports it: time left and interval, in ns.
pub type Setting = (u64, u64);

/// Arms (or with `value_ns` 0, disarms) a timer; returns the old setting.
pub fn arm(p: &Arc<Process>, which: Which, value_ns: u64, interval_ns: u64) -> Setting {
    // CPU time is sampled at timer ticks (user time) and checked at ticks,
    // so the first expiry of a CPU timer is put one tick later: it must
    // never come before the time asked for (as Linux's set_cpu_itimer).
    let first = if which == Which::Real { value_ns } else { value_ns.saturating_add(crate::time::tick_ns()) };
    let new = (value_ns > 0).then(|| Armed { handle: register(p, which, first), interval_ns });
    let old = match which {
        Which::Real => core::mem::replace(&mut *p.real_timer.lock(), new),
        Which::Virtual | Which::Prof => core::mem::replace(&mut p.cpu_itimers.lock().0[cpu_index(which)], new),
    };
    describe(p, which, old.as_ref())
}

/// The current setting of a timer.
pub fn get(p: &Arc<Process>, which: Which) -> Setting {
    match which {
        Which::Real => describe(p, which, p.real_timer.lock().as_ref()),
        Which::Virtual | Which::Prof => describe(p, which, p.cpu_itimers.lock().0[cpu_index(which)].as_ref()),
    }
}

fn cpu_index(which: Which) -> usize {
    if which == Which::Virtual { 0 } else { 1 }
}

fn cpu_kind(which: Which) -> CpuKind {
    if which == Which::Virtual { CpuKind::Virt } else { CpuKind::Prof }
}

/// The timer's clock now: monotonic time or the process's CPU time.
fn clock_now(p: &Process, which: Which) -> u64 {
    match which {
        Which::Real => monotonic_ns(),
        Which::Virtual | Which::Prof => process_cpu_ns(p, cpu_kind(which)),
    }
}

/// Registers an expiry `after_ns` from now on the timer's clock.
fn register(p: &Arc<Process>, which: Which, after_ns: u64) -> TimerHandle {
    register_at(p, which, clock_now(p, which).saturating_add(after_ns))
}

/// Registers an expiry when the timer's clock reaches `deadline`.
fn register_at(p: &Arc<Process>, which: Which, deadline: u64) -> TimerHandle {
    match which {
        Which::Real => timer::add(deadline, TimerAction::RealTimer(Arc::downgrade(p))),
        Which::Virtual | Which::Prof => {
            let kind = cpu_kind(which);
            timer::add_cpu(CpuClock::Process(Arc::downgrade(p), kind), deadline, TimerAction::CpuItimer(Arc::downgrade(p), cpu_index(which)))
        }
    }
}

/// Time left (at least 1 ns while armed: an armed timer never reads as
/// disarmed) and interval.
fn describe(p: &Process, which: Which, t: Option<&Armed>) -> Setting {
    let Some(t) = t else { return (0, 0) };
    (t.handle.deadline().saturating_sub(clock_now(p, which)).max(1), t.interval_ns)
}

/// ITIMER_REAL expired (timer interrupt).
pub fn fire_real(p: &Arc<Process>, _now: u64) {
    expire(p, Which::Real, SIGALRM);
}

/// ITIMER_VIRTUAL (0) or ITIMER_PROF (1) expired (timer interrupt).
pub fn fire_cpu(p: &Arc<Process>, index: usize) {
    if index == 0 {
        expire(p, Which::Virtual, SIGVTALRM);
    } else {
        expire(p, Which::Prof, SIGPROF);
    }
}

fn expire(p: &Arc<Process>, which: Which, sig: u32) {
    if !p.is_alive() {
        return;
    }
    // The registration that fired is already off the list; re-arm a
    // periodic timer one period after the expiry it was due at (skipping
    // periods already past, so the period does not drift), or forget a
    // one-shot one.
    let rearm = |slot: &mut Option<Armed>| match slot.as_ref().map(|t| (t.handle.deadline(), t.interval_ns)) {
        Some((due, iv)) if iv > 0 => {
            let late = clock_now(p, which).saturating_sub(due);
            let next = due.saturating_add(iv.saturating_mul(late / iv + 1));
            *slot = Some(Armed { handle: register_at(p, which, next), interval_ns: iv });
        }
        _ => *slot = None,
    };
    match which {
        Which::Real => rearm(&mut p.real_timer.lock()),
        Which::Virtual | Which::Prof => rearm(&mut p.cpu_itimers.lock().0[cpu_index(which)]),
    }
    p.send_signal(SigInfo::kernel(sig, SI_KERNEL, 0));
}
