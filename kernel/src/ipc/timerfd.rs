//! timerfd(2): a timer whose expirations are read from a descriptor.
//!
//! A [`TimerFd`] keeps its next expiry in its own clock's nanoseconds and
//! registers a monotonic-time wake-up with `sched::timer` for it
//! (`Expire`). Expirations are counted lazily as well: whoever looks
//! (read, poll, gettime, the timer interrupt) first catches the count up
//! with the clock, so results do not depend on when the tick came. An
//! interval timer counts every period that passed.
//!
//! CLOCK_REALTIME timers are absolute in real time: when the clock is set,
//! their wake-ups are recomputed, and those armed with
//! TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET are cancelled: readable,
//! and their next read fails once with ECANCELED (they stay armed).
//! CLOCK_BOOTTIME is CLOCK_MONOTONIC here (nothing suspends), and the
//! *_ALARM clocks behave as their plain clocks (no suspend to wake from)
//! but need CAP_WAKE_ALARM as on Linux.

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::sched::timer::{self, Expire, TimerAction, TimerHandle};
use crate::sched::wait::WaitQueue;
use crate::time::{Timespec, monotonic_ns, realtime_ns};

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;
const CLOCK_BOOTTIME: i32 = 7;
const CLOCK_REALTIME_ALARM: i32 = 8;
const CLOCK_BOOTTIME_ALARM: i32 = 9;
/// timerfd_settime flags.
pub const TFD_TIMER_ABSTIME: u32 = 1;
/// Cancel on a change of CLOCK_REALTIME.
pub const TFD_TIMER_CANCEL_ON_SET: u32 = 2;


/// The clock a timer counts on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clock {
    Realtime,
    Monotonic,
}

impl Clock {
    fn now(self) -> u64 {
        match self {
            Clock::Realtime => realtime_ns(),
            Clock::Monotonic => monotonic_ns(),
        }
    }

    /// The monotonic time at which this clock will read `t`.
    fn to_monotonic(self, t: u64) -> u64 {
        match self {
            Clock::Realtime => {
                let (real, mono) = (realtime_ns(), monotonic_ns());
                if t >= real { mono.saturating_add(t - real) } else { mono.saturating_sub(real - t) }
            }
            Clock::Monotonic => t,
        }
    }
}

struct State {
    /// Next expiry on the timer's clock; None when disarmed.
    next: Option<u64>,
    interval_ns: u64,
    /// Expirations not read yet.
    ticks: u64,
    /// Armed with TFD_TIMER_CANCEL_ON_SET (absolute, real time).
    cancel_on_set: bool,
    /// The clock was set since: the next read is ECANCELED.
    canceled: bool,
    wakeup: Option<TimerHandle>,
}

/// A timerfd.
pub struct TimerFd {
    clock: Clock,
    state: SpinLock<State>,
    waiters: WaitQueue,
    me: Weak<TimerFd>,
}

/// Real-time timerfds, told when the clock is set.
static REALTIME_TIMERS: SpinLock<Vec<Weak<TimerFd>>> = SpinLock::new(Vec::new());

/// An itimerspec as the user passes it.
#[derive(Clone, Copy, Default, zerocopy::FromBytes, zerocopy::IntoBytes, zerocopy::Immutable)]
#[repr(C)]
pub struct ItimerSpec {
    /// it_interval
    pub interval: Timespec,
    /// it_value
    pub value: Timespec,
}

impl TimerFd {
    /// timerfd_create: checks the clock (EINVAL) and the right to alarm
    /// clocks (EPERM).
    pub fn new(clock_id: i32) -> KResult<Arc<TimerFd>> {
        let clock = match clock_id {
            CLOCK_REALTIME | CLOCK_REALTIME_ALARM => Clock::Realtime,
            CLOCK_MONOTONIC | CLOCK_BOOTTIME | CLOCK_BOOTTIME_ALARM => Clock::Monotonic,
            _ => return Err(Errno::EINVAL),
        };
        if matches!(clock_id, CLOCK_REALTIME_ALARM | CLOCK_BOOTTIME_ALARM) && !crate::syscall::creds().capable(linux_raw_sys::general::CAP_WAKE_ALARM) {
            return Err(Errno::EPERM);
        }
        let t = Arc::new_cyclic(|me| TimerFd {
            clock,
            state: SpinLock::new(State { next: None, interval_ns: 0, ticks: 0, cancel_on_set: false, canceled: false, wakeup: None }),
            waiters: WaitQueue::new(),
            me: me.clone(),
        });
        if clock == Clock::Realtime {
            let mut list = REALTIME_TIMERS.lock();
            list.retain(|w| w.strong_count() > 0);
            list.push(Arc::downgrade(&t));
        }
        Ok(t)
    }

    /// Counts the expirations that are due; true if some were.
    fn catch_up(&self, st: &mut State, now: u64) -> bool {
        let Some(next) = st.next else { return false };
        if now < next {
            return false;
        }
        if st.interval_ns == 0 {
            st.ticks += 1;
            st.next = None;
        } else {
            let n = (now - next) / st.interval_ns + 1;
            st.ticks += n;
            st.next = Some(next + n * st.interval_ns);
        }
        true
    }

    /// Registers the wake-up for the next expiry (replacing the old one).
    fn schedule(&self, st: &mut State) {
        st.wakeup = st.next.map(|next| {
            let weak: Weak<dyn Expire> = self.me.clone();
            timer::add(self.clock.to_monotonic(next), TimerAction::Expire(weak))
        });
    }

    /// Catches up and, if anything expired, re-registers and wakes.
    fn refresh(&self) {
        let fired = {
            let mut st = self.state.lock();
            let fired = self.catch_up(&mut st, self.clock.now());
            if fired {
                self.schedule(&mut st);
            }
            fired
        };
        if fired {
            self.waiters.wake_with(PollEvents::IN);
        }
    }

    /// timerfd_settime: arms (a zero value disarms), returns the old
    /// setting. Pending expirations and a cancellation are dropped.
    pub fn set(&self, flags: u32, new: ItimerSpec) -> ItimerSpec {
        let old = self.get();
        let mut st = self.state.lock();
        st.ticks = 0;
        st.canceled = false;
        st.interval_ns = new.interval.to_ns();
        st.cancel_on_set = self.clock == Clock::Realtime && flags & TFD_TIMER_ABSTIME != 0 && flags & TFD_TIMER_CANCEL_ON_SET != 0;
        st.next = if new.value == Timespec::default() {
            None
        } else if flags & TFD_TIMER_ABSTIME != 0 {
            Some(new.value.to_ns())
        } else {
            Some(self.clock.now().saturating_add(new.value.to_ns()))
        };
        self.catch_up(&mut st, self.clock.now());
        self.schedule(&mut st);
        let ready = st.ticks > 0;
        drop(st);
        if ready {
            self.waiters.wake_with(PollEvents::IN);
        }
        old
    }

    /// timerfd_gettime: the time left (relative) and the interval.
    pub fn get(&self) -> ItimerSpec {
        self.refresh();
        let st = self.state.lock();
        let left = st.next.map_or(0, |n| n.saturating_sub(self.clock.now()));
        ItimerSpec { interval: Timespec::from_ns(st.interval_ns), value: Timespec::from_ns(left) }
    }

    /// CLOCK_REALTIME was set: move the wake-up, cancel if asked to.
    fn clock_set(&self) {
        let canceled = {
            let mut st = self.state.lock();
            self.schedule(&mut st);
            // Armed or not: the flags given to the last settime decide.
            if st.cancel_on_set {
                st.canceled = true;
                st.ticks += 1;
                true
            } else {
                false
            }
        };
        if canceled {
            self.waiters.wake_with(PollEvents::IN);
        }
    }

    /// Takes the expiration count (or the cancellation); None if there is
    /// nothing yet.
    fn take(&self) -> Option<KResult<u64>> {
        let mut st = self.state.lock();
        if self.catch_up(&mut st, self.clock.now()) {
            self.schedule(&mut st);
        }
        if st.canceled {
            st.canceled = false;
            st.ticks = 0;
            return Some(Err(Errno::ECANCELED));
        }
        if st.ticks == 0 {
            return None;
        }
        Some(Ok(core::mem::take(&mut st.ticks)))
    }
}

impl Expire for TimerFd {
    fn expire(self: Arc<Self>, _now_ns: u64) {
        self.refresh();
    }
}

/// The clock was set (clock_settime, settimeofday).
pub fn clock_was_set() {
    let timers: Vec<Arc<TimerFd>> = REALTIME_TIMERS.lock().iter().filter_map(|w| w.upgrade()).collect();
    for t in timers {
        t.clock_set();
    }
}

impl FileOps for TimerFd {
    /// The count as 8 bytes (EINVAL for a smaller buffer).
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        let n = match self.take() {
            Some(r) => r?,
            None if file.nonblocking() => return Err(Errno::EAGAIN),
            None => self.waiters.wait_until(|| self.take())??,
        };
        buf[..8].copy_from_slice(&n.to_ne_bytes());
        Ok(8)
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn poll(&self) -> PollEvents {
        self.refresh();
        let st = self.state.lock();
        // Plain IN, as Linux's timerfd.
        if st.ticks > 0 { PollEvents::IN } else { PollEvents::empty() }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.waiters)
    }

    fn seek_is_noop(&self) -> bool {
        true
    }

    fn stat(&self) -> Option<crate::fs::inode::Stat> {
        Some(super::anon_stat())
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("[timerfd]")
    }
}
