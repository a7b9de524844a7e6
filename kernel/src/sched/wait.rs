//! Wait queues: the one primitive every blocking path sleeps on.
//!
//! A sleeper registers on one or more queues, re-checks its condition,
//! then sleeps; whoever changes the state wakes the queue. Poll and epoll
//! register on the same queues as read and write, so a state change has one
//! place to wake from. Every wait is a loop around its condition, so a
//! spurious wake-up is harmless.

use alloc::collections::VecDeque;
use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;

use super::{cancel_sleep, current, schedule, timer};
use crate::errno::{Errno, KResult};
use crate::process::thread::{Thread, ThreadState};
use crate::time::monotonic_ns;

/// Threads waiting for some state change.
#[derive(Default)]
pub struct WaitQueue {
    waiters: SpinLock<VecDeque<Arc<Thread>>>,
}

impl core::fmt::Debug for WaitQueue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("WaitQueue")
    }
}

impl WaitQueue {
    /// An empty queue.
    pub const fn new() -> Self {
        WaitQueue { waiters: SpinLock::new(VecDeque::new()) }
    }

    /// Wakes every waiter.
    pub fn wake_all(&self) {
        let waiters = core::mem::take(&mut *self.waiters.lock());
        for t in waiters {
            super::wake(&t);
        }
    }

    /// Wakes the first waiter that is actually asleep.
    pub fn wake_one(&self) {
        loop {
            let Some(t) = self.waiters.lock().pop_front() else { return };
            if super::wake(&t) {
                return;
            }
        }
    }

    fn add(&self, t: &Arc<Thread>) {
        let mut w = self.waiters.lock();
        if !w.iter().any(|x| Arc::ptr_eq(x, t)) {
            w.push_back(t.clone());
        }
    }

    fn remove(&self, t: &Arc<Thread>) {
        self.waiters.lock().retain(|x| !Arc::ptr_eq(x, t));
    }

    /// Sleeps until `cond` yields a value. Interruptible: returns
    /// `ERESTARTSYS` when a signal arrives (the syscall layer turns it into
    /// EINTR or a restart).
    pub fn wait_until<T>(&self, cond: impl FnMut() -> Option<T>) -> KResult<T> {
        sleep_on(&[self], None, cond)
    }

    /// Like [`WaitQueue::wait_until`], but gives up at monotonic time
    /// `deadline_ns` with `ETIMEDOUT`.
    pub fn wait_until_deadline<T>(&self, deadline_ns: Option<u64>, cond: impl FnMut() -> Option<T>) -> KResult<T> {
        sleep_on(&[self], deadline_ns, cond)
    }
}

/// Why a sleep ended without the condition coming true is reported as an
/// errno: `ERESTARTSYS` for a signal, `ETIMEDOUT` for the deadline.
pub fn sleep_on<T>(queues: &[&WaitQueue], deadline_ns: Option<u64>, mut cond: impl FnMut() -> Option<T>) -> KResult<T> {
    let me = current();
    let _timer = deadline_ns.map(|d| timer::wake_at(&me, d));
    let result = loop {
        if let Some(v) = cond() {
            break Ok(v);
        }
        if me.has_pending_signal() {
            break Err(Errno::ERESTARTSYS);
        }
        if deadline_ns.is_some_and(|d| monotonic_ns() >= d) {
            break Err(Errno::ETIMEDOUT);
        }
        for q in queues {
            q.add(&me);
        }
        me.set_state(ThreadState::Sleeping);
        // Re-check after registering: a wake-up between the first check
        // and the registration would otherwise be lost.
        if let Some(v) = cond() {
            cancel_sleep(&me);
            break Ok(v);
        }
        if me.has_pending_signal() || deadline_ns.is_some_and(|d| monotonic_ns() >= d) {
            cancel_sleep(&me);
            continue;
        }
        schedule();
    };
    for q in queues {
        q.remove(&me);
    }
    result
}

/// Sleeps until monotonic time `deadline_ns`; `ERESTARTSYS` if a signal
/// comes first.
pub fn sleep_until(deadline_ns: u64) -> KResult<()> {
    let q = WaitQueue::new();
    match q.wait_until_deadline(Some(deadline_ns), || None::<()>) {
        Err(e) if e == Errno::ETIMEDOUT => Ok(()),
        other => other,
    }
}
