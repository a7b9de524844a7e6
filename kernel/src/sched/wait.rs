//! Wait queues: the one primitive every blocking path sleeps on.
//!
//! A sleeper registers on one or more queues, re-checks its condition,
//! then sleeps; whoever changes the state wakes the queue. Poll and epoll
//! register on the same queues as read and write, so a state change has one
//! place to wake from. Every wait is a loop around its condition, so a
//! spurious wake-up is harmless.
//!
//! Besides sleeping threads, a queue holds *watchers*: objects told of
//! every wake-up without sleeping (an epoll item watching a file, see
//! `ipc::epoll`). A wake-up may carry a key, the readiness events that
//! changed ([`WaitQueue::wake_with`], Linux's wake_up_poll key): a watcher
//! that asked for none of them is not told, which is what makes
//! edge-triggered epoll report "once per change" of the kind it watches.
//! Sleeping threads ignore the key: they re-check their own condition.
//! Watchers are held weakly and dropped from the queue once gone.

use alloc::collections::VecDeque;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;

use super::{cancel_sleep, current, schedule, timer};
use crate::errno::{Errno, KResult};
use crate::fs::file::PollEvents;
use crate::process::thread::{Thread, ThreadState};
use crate::time::monotonic_ns;

/// Told of every wake-up of the queues it watches (without sleeping).
pub trait Watcher: Send + Sync {
    /// A wake-up with `key` (empty: the waker did not say what changed).
    /// Returns whether it woke a sleeping thread somewhere, which is what
    /// counts for an exclusive watcher (EPOLLEXCLUSIVE).
    fn notify(self: Arc<Self>, key: PollEvents) -> bool;
    /// The events it cares about; a keyed wake-up with none of them is
    /// not passed on.
    fn interest(&self) -> PollEvents;
}

struct WatcherEntry {
    watcher: Weak<dyn Watcher>,
    /// Exclusive watchers are told in turn until one wakes a thread
    /// (Linux's add_wait_queue_exclusive and nr_exclusive = 1).
    exclusive: bool,
}

/// Threads waiting for some state change, and watchers of it.
#[derive(Default)]
pub struct WaitQueue {
    waiters: SpinLock<VecDeque<Arc<Thread>>>,
    watchers: SpinLock<Vec<WatcherEntry>>,
}

impl core::fmt::Debug for WaitQueue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("WaitQueue")
    }
}

impl WaitQueue {
    /// An empty queue.
    pub const fn new() -> Self {
        WaitQueue { waiters: SpinLock::new(VecDeque::new()), watchers: SpinLock::new(Vec::new()) }
    }

    /// Wakes every waiter and tells every watcher (no key: anything may
    /// have changed).
    pub fn wake_all(&self) {
        self.wake_with(PollEvents::empty());
    }

    /// Wakes every sleeping thread and tells the watchers that care about
    /// `key` (the readiness events that changed; empty for "unknown").
    /// Returns whether a thread was woken, directly or by a watcher.
    pub fn wake_with(&self, key: PollEvents) -> bool {
        let waiters = core::mem::take(&mut *self.waiters.lock());
        let mut woke = false;
        for t in waiters {
            woke |= super::wake(&t);
        }
        woke | self.notify_watchers(key)
    }

    /// Whether a thread is registered as sleeping here.
    pub fn has_sleepers(&self) -> bool {
        !self.waiters.lock().is_empty()
    }

    /// Adds a watcher (see the module header).
    pub fn add_watcher(&self, watcher: Weak<dyn Watcher>, exclusive: bool) {
        let mut w = self.watchers.lock();
        w.retain(|e| e.watcher.strong_count() > 0);
        // Linux puts exclusive entries at the tail, the others at the head.
        if exclusive {
            w.push(WatcherEntry { watcher, exclusive });
        } else {
            w.insert(0, WatcherEntry { watcher, exclusive });
        }
    }

    /// Tells the watchers, outside the queue's lock (a watcher may wake
    /// other queues, an outer epoll's among them).
    fn notify_watchers(&self, key: PollEvents) -> bool {
        let list: Vec<(Arc<dyn Watcher>, bool)> = {
            let mut w = self.watchers.lock();
            if w.is_empty() {
                return false;
            }
            w.retain(|e| e.watcher.strong_count() > 0);
            w.iter().filter_map(|e| e.watcher.upgrade().map(|a| (a, e.exclusive))).collect()
        };
        let mut woke = false;
        let mut exclusive_done = false;
        for (watcher, exclusive) in list {
            if !key.is_empty() && !key.intersects(watcher.interest()) {
                continue;
            }
            if exclusive && exclusive_done {
                continue;
            }
            let w = watcher.notify(key);
            woke |= w;
            if exclusive && w {
                exclusive_done = true;
            }
        }
        woke
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
