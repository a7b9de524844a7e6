//! Timed events, checked on every timer tick.
//!
//! Two lists:
//! - wall-time timers, ordered by monotonic deadline: sleeping threads to
//!   wake, ITIMER_REAL, POSIX timers on the monotonic/real-time clocks;
//! - CPU-time timers, each measured against one process's or thread's CPU
//!   clock (ITIMER_VIRTUAL, ITIMER_PROF, POSIX timers on CPU clocks); on
//!   a tick only those whose clock belongs to the running thread can have
//!   advanced, so only those are looked at.
//!
//! A [`TimerHandle`] owns a registration; dropping it cancels it. Actions
//! run from the timer interrupt with no list lock held, so they may arm
//! new timers.

use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::process::Process;
use crate::process::thread::Thread;
use crate::signal::posix_timer::TimerRef;
use crate::time::{CpuClock, monotonic_ns};

/// What happens when a timer expires.
#[derive(Clone)]
pub enum TimerAction {
    /// Wake a sleeping thread.
    Wake(Weak<Thread>),
    /// Fire a process's ITIMER_REAL (SIGALRM).
    RealTimer(Weak<Process>),
    /// Fire a process's ITIMER_VIRTUAL (0) or ITIMER_PROF (1).
    CpuItimer(Weak<Process>, usize),
    /// Fire a POSIX timer of a process.
    PosixTimer(Weak<Process>, TimerRef),
    /// Tell an object its time has come (a timerfd).
    Expire(Weak<dyn Expire>),
}

/// Something told when its timer expires (from the timer interrupt, with
/// no timer-list lock held, so it may register its next expiry).
pub trait Expire: Send + Sync {
    /// The deadline passed; `now_ns` is the monotonic time.
    fn expire(self: Arc<Self>, now_ns: u64);
}

/// Pending wall-time timers, ordered by deadline then registration number.
static TIMERS: SpinLock<BTreeMap<(u64, u64), TimerAction>> = SpinLock::new(BTreeMap::new());
/// Pending CPU-time timers, by registration number.
static CPU_TIMERS: SpinLock<BTreeMap<u64, (CpuClock, u64, TimerAction)>> = SpinLock::new(BTreeMap::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A registered timer; dropping it cancels it.
pub struct TimerHandle {
    key: (u64, u64),
    cpu: bool,
}

/// Wakes `thread` at monotonic time `deadline_ns`.
pub fn wake_at(thread: &Arc<Thread>, deadline_ns: u64) -> TimerHandle {
    add(deadline_ns, TimerAction::Wake(Arc::downgrade(thread)))
}

/// Registers `action` for monotonic time `deadline_ns`.
pub fn add(deadline_ns: u64, action: TimerAction) -> TimerHandle {
    let key = (deadline_ns, NEXT_ID.fetch_add(1, Ordering::Relaxed));
    TIMERS.lock().insert(key, action);
    TimerHandle { key, cpu: false }
}

/// Registers `action` for when `clock` reaches `deadline_ns`.
pub fn add_cpu(clock: CpuClock, deadline_ns: u64, action: TimerAction) -> TimerHandle {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    CPU_TIMERS.lock().insert(id, (clock, deadline_ns, action));
    TimerHandle { key: (deadline_ns, id), cpu: true }
}

impl TimerHandle {
    /// The deadline (monotonic ns, or CPU-clock ns for a CPU timer).
    pub fn deadline(&self) -> u64 {
        self.key.0
    }
}

impl Drop for TimerHandle {
    fn drop(&mut self) {
        if self.cpu {
            CPU_TIMERS.lock().remove(&self.key.1);
        } else {
            TIMERS.lock().remove(&self.key);
        }
    }
}

/// Runs every timer that is due (timer interrupt).
pub fn run_expired() {
    let now = monotonic_ns();
    loop {
        let due = {
            let mut timers = TIMERS.lock();
            match timers.first_key_value() {
                Some((&(deadline, _), _)) if deadline <= now => timers.pop_first().map(|(_, t)| t),
                _ => None,
            }
        };
        match due {
            Some(action) => fire(action, now),
            None => break,
        }
    }
    if let Some(cur) = super::try_current() {
        if !cur.is_idle() {
            run_cpu_expired(&cur);
        }
    }
}

/// Runs the CPU-time timers whose clock is the running thread's or its
/// process's and has reached its deadline. Clocks are read with the list
/// unlocked: reading one takes other locks, and the process or thread it
/// refers to could be freed by the last reference we would hold.
fn run_cpu_expired(cur: &Arc<Thread>) {
    let armed: Vec<(u64, CpuClock, u64)> = {
        let timers = CPU_TIMERS.lock();
        if timers.is_empty() {
            return;
        }
        timers.iter().map(|(id, (clock, deadline, _))| (*id, clock.clone(), *deadline)).collect()
    };
    let due: Vec<u64> = armed
        .into_iter()
        .filter(|(_, clock, deadline)| clock.measures(cur) && clock.now_ns().is_some_and(|t| t >= *deadline))
        .map(|(id, _, _)| id)
        .collect();
    if due.is_empty() {
        return;
    }
    let actions: Vec<TimerAction> = {
        let mut timers = CPU_TIMERS.lock();
        due.iter().filter_map(|id| timers.remove(id)).map(|(_, _, a)| a).collect()
    };
    let now = monotonic_ns();
    for action in actions {
        fire(action, now);
    }
}

fn fire(action: TimerAction, now: u64) {
    match action {
        TimerAction::Wake(t) => {
            if let Some(t) = t.upgrade() {
                super::wake(&t);
            }
        }
        TimerAction::RealTimer(p) => {
            if let Some(p) = p.upgrade() {
                crate::signal::itimer::fire_real(&p, now);
            }
        }
        TimerAction::CpuItimer(p, which) => {
            if let Some(p) = p.upgrade() {
                crate::signal::itimer::fire_cpu(&p, which);
            }
        }
        TimerAction::PosixTimer(p, t) => {
            if let Some(p) = p.upgrade() {
                crate::signal::posix_timer::fire(&p, t);
            }
        }
        TimerAction::Expire(e) => {
            if let Some(e) = e.upgrade() {
                e.expire(now);
            }
        }
    }
}
