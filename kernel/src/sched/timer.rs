//! Timed wake-ups: sleeping threads with a deadline are woken by the timer
//! tick once the monotonic clock passes it.

use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::process::Process;
use crate::process::thread::Thread;
use crate::time::monotonic_ns;

/// What happens when a timer expires.
#[derive(Clone)]
pub enum TimerAction {
    /// Wake a sleeping thread.
    Wake(Weak<Thread>),
    /// Fire a process's ITIMER_REAL (SIGALRM).
    RealTimer(Weak<Process>),
    /// Tell an object its time has come (a timerfd).
    Expire(Weak<dyn Expire>),
}

/// Something told when its timer expires (from the timer interrupt, with
/// no timer-list lock held, so it may register its next expiry).
pub trait Expire: Send + Sync {
    /// The deadline passed; `now_ns` is the monotonic time.
    fn expire(self: Arc<Self>, now_ns: u64);
}

/// Pending timers, ordered by deadline then registration number.
static TIMERS: SpinLock<BTreeMap<(u64, u64), TimerAction>> = SpinLock::new(BTreeMap::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A registered wake-up; dropping it cancels the wake-up.
pub struct TimerHandle {
    key: (u64, u64),
}

/// Wakes `thread` at monotonic time `deadline_ns`.
pub fn wake_at(thread: &Arc<Thread>, deadline_ns: u64) -> TimerHandle {
    add(deadline_ns, TimerAction::Wake(Arc::downgrade(thread)))
}

/// Registers `action` for monotonic time `deadline_ns`.
pub fn add(deadline_ns: u64, action: TimerAction) -> TimerHandle {
    let key = (deadline_ns, NEXT_ID.fetch_add(1, Ordering::Relaxed));
    TIMERS.lock().insert(key, action);
    TimerHandle { key }
}

impl TimerHandle {
    /// The deadline.
    pub fn deadline(&self) -> u64 {
        self.key.0
    }
}

impl Drop for TimerHandle {
    fn drop(&mut self) {
        TIMERS.lock().remove(&self.key);
    }
}

/// Wakes every thread whose deadline has passed (timer interrupt).
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
            Some(TimerAction::Wake(t)) => {
                if let Some(t) = t.upgrade() {
                    super::wake(&t);
                }
            }
            Some(TimerAction::RealTimer(p)) => {
                if let Some(p) = p.upgrade() {
                    crate::signal::itimer::fire(&p, now);
                }
            }
            Some(TimerAction::Expire(e)) => {
                if let Some(e) = e.upgrade() {
                    e.expire(now);
                }
            }
            None => break,
        }
    }
}
