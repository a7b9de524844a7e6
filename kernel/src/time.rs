//! Clocks: CLOCK_MONOTONIC from the hal's TSC clock, CLOCK_REALTIME as an
//! offset from it (set from the RTC at boot, moved by clock_settime), and
//! the CPU-time clocks of processes and threads (precise: the scheduler
//! accounts every time slice, see `Thread::cpu_time_ns`).
//!
//! [`Clock`] decodes a `clockid_t` the way Linux does, including the
//! negative ids of per-process and per-thread CPU clocks
//! (clock_getcpuclockid), and says what each clock supports.

use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicI64, Ordering};

use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};
use crate::process::{Pid, Process, Thread};

/// A point in time or a duration, as `struct timespec`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct Timespec {
    /// Seconds.
    pub sec: i64,
    /// Nanoseconds (0..1e9).
    pub nsec: i64,
}

/// `struct timeval`.
#[derive(Clone, Copy, Debug, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct Timeval {
    /// Seconds.
    pub sec: i64,
    /// Microseconds.
    pub usec: i64,
}

/// Nanoseconds per second.
pub const NSEC_PER_SEC: i64 = 1_000_000_000;

impl Timespec {
    /// From nanoseconds.
    pub fn from_ns(ns: u64) -> Timespec {
        Timespec { sec: (ns / NSEC_PER_SEC as u64) as i64, nsec: (ns % NSEC_PER_SEC as u64) as i64 }
    }

    /// To nanoseconds (negative values clamp to 0, overflow saturates).
    pub fn to_ns(self) -> u64 {
        if self.sec < 0 {
            return 0;
        }
        (self.sec as u64).saturating_mul(NSEC_PER_SEC as u64).saturating_add(self.nsec as u64)
    }

    /// Checks a user-supplied value (EINVAL on bad nanoseconds or a
    /// negative time).
    pub fn validate(self) -> KResult<Timespec> {
        if !(0..NSEC_PER_SEC).contains(&self.nsec) || self.sec < 0 {
            return Err(Errno::EINVAL);
        }
        Ok(self)
    }
}

impl Timeval {
    /// From a timespec (truncating).
    pub fn from_timespec(t: Timespec) -> Timeval {
        Timeval { sec: t.sec, usec: t.nsec / 1000 }
    }

    /// From nanoseconds (truncating to microseconds).
    pub fn from_ns(ns: u64) -> Timeval {
        Timeval::from_timespec(Timespec::from_ns(ns))
    }

    /// Checks a user-supplied interval (setitimer: EINVAL unless
    /// 0 <= usec < 1e6 and sec >= 0) and converts it to nanoseconds.
    pub fn to_ns_checked(self) -> KResult<u64> {
        if self.sec < 0 || !(0..1_000_000).contains(&self.usec) {
            return Err(Errno::EINVAL);
        }
        Ok((self.sec as u64).saturating_mul(NSEC_PER_SEC as u64).saturating_add(self.usec as u64 * 1000))
    }
}

static REALTIME_OFFSET_NS: AtomicI64 = AtomicI64::new(0);

/// Nanoseconds since boot (CLOCK_MONOTONIC).
#[inline]
pub fn monotonic_ns() -> u64 {
    kevlar_hal::arch::time::monotonic_ns()
}

/// Nanoseconds since the epoch (CLOCK_REALTIME).
pub fn realtime_ns() -> u64 {
    (monotonic_ns() as i64 + realtime_minus_monotonic()).max(0) as u64
}

/// CLOCK_REALTIME minus CLOCK_MONOTONIC, to convert deadlines.
pub fn realtime_minus_monotonic() -> i64 {
    kevlar_hal::arch::time::boot_unix_ns() as i64 + REALTIME_OFFSET_NS.load(Ordering::Relaxed)
}

/// CLOCK_REALTIME as a timespec.
pub fn realtime() -> Timespec {
    Timespec::from_ns(realtime_ns())
}

/// Sets CLOCK_REALTIME.
pub fn set_realtime_ns(ns: u64) {
    let base = kevlar_hal::arch::time::boot_unix_ns() as i64 + monotonic_ns() as i64;
    REALTIME_OFFSET_NS.store(ns as i64 - base, Ordering::Relaxed);
    crate::mm::vdso::clock_was_set();
    // Absolute real-time timerfds move with the clock, and some ask to
    // be told it was set (TFD_TIMER_CANCEL_ON_SET).
    crate::ipc::timerfd::clock_was_set();
}

/// Length of a timer tick (the coarse clocks' resolution).
pub fn tick_ns() -> u64 {
    1_000_000_000 / kevlar_hal::arch::apic::TIMER_HZ as u64
}

/// Which CPU time a CPU clock counts (the low two bits of its id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuKind {
    /// CPUCLOCK_PROF: user and system time.
    Prof,
    /// CPUCLOCK_VIRT: user time only (timer-tick sampled).
    Virt,
    /// CPUCLOCK_SCHED: time on a CPU, precise.
    Sched,
}

/// A process's or thread's CPU clock.
#[derive(Clone, Debug)]
pub enum CpuClock {
    /// All threads of a process.
    Process(Weak<Process>, CpuKind),
    /// One thread.
    Thread(Weak<Thread>, CpuKind),
}

impl CpuClock {
    /// The clock's value now, None once its process or thread is gone.
    pub fn now_ns(&self) -> Option<u64> {
        Some(match self {
            CpuClock::Process(p, kind) => process_cpu_ns(&*p.upgrade()?, *kind),
            CpuClock::Thread(t, kind) => thread_cpu_ns(&*t.upgrade()?, *kind),
        })
    }

    /// Whether `t` running moves this clock.
    pub fn measures(&self, t: &Arc<Thread>) -> bool {
        match self {
            CpuClock::Process(p, _) => p.upgrade().is_some_and(|p| Arc::ptr_eq(&p, &t.process)),
            CpuClock::Thread(x, _) => x.upgrade().is_some_and(|x| Arc::ptr_eq(&x, t)),
        }
    }
}

/// A process's CPU time of the given kind.
pub fn process_cpu_ns(p: &Process, kind: CpuKind) -> u64 {
    match kind {
        // Kevlar has no separate account of system time that is finer
        // than ticks, so PROF (user + system) is the precise total.
        CpuKind::Prof | CpuKind::Sched => p.cpu_time_ns(),
        CpuKind::Virt => crate::process::exit::total_usage(p).user_ticks * tick_ns(),
    }
}

/// A thread's CPU time of the given kind.
pub fn thread_cpu_ns(t: &Thread, kind: CpuKind) -> u64 {
    match kind {
        CpuKind::Prof | CpuKind::Sched => t.cpu_time_ns(),
        CpuKind::Virt => t.user_ticks.load(Ordering::Relaxed) * tick_ns(),
    }
}

/// A decoded `clockid_t`.
#[derive(Clone, Debug)]
pub enum Clock {
    /// CLOCK_REALTIME
    Realtime,
    /// CLOCK_MONOTONIC
    Monotonic,
    /// CLOCK_MONOTONIC_RAW
    MonotonicRaw,
    /// CLOCK_REALTIME_COARSE
    RealtimeCoarse,
    /// CLOCK_MONOTONIC_COARSE
    MonotonicCoarse,
    /// CLOCK_BOOTTIME (no suspend here, so equal to MONOTONIC)
    Boottime,
    /// CLOCK_TAI (REALTIME plus the TAI offset, which is 0 until set)
    Tai,
    /// CLOCK_REALTIME_ALARM / CLOCK_BOOTTIME_ALARM: these need an RTC
    /// that can wake the machine; there is none, and Linux without one
    /// fails them (EINVAL to read, EOPNOTSUPP to sleep or arm timers).
    Alarm,
    /// A CPU-time clock.
    Cpu(CpuClock),
}

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;
const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
const CLOCK_MONOTONIC_RAW: i32 = 4;
const CLOCK_REALTIME_COARSE: i32 = 5;
const CLOCK_MONOTONIC_COARSE: i32 = 6;
const CLOCK_BOOTTIME: i32 = 7;
const CLOCK_REALTIME_ALARM: i32 = 8;
const CLOCK_BOOTTIME_ALARM: i32 = 9;
const CLOCK_TAI: i32 = 11;

impl Clock {
    /// Decodes `id` for the calling thread `me`. Unknown ids, CPU clocks
    /// of processes or threads that do not exist (or, for thread clocks,
    /// are not in the caller's process) are EINVAL.
    pub fn from_id(id: i32, me: &Arc<Thread>) -> KResult<Clock> {
        Ok(match id {
            CLOCK_REALTIME => Clock::Realtime,
            CLOCK_MONOTONIC => Clock::Monotonic,
            CLOCK_PROCESS_CPUTIME_ID => Clock::Cpu(CpuClock::Process(Arc::downgrade(&me.process), CpuKind::Sched)),
            CLOCK_THREAD_CPUTIME_ID => Clock::Cpu(CpuClock::Thread(Arc::downgrade(me), CpuKind::Sched)),
            CLOCK_MONOTONIC_RAW => Clock::MonotonicRaw,
            CLOCK_REALTIME_COARSE => Clock::RealtimeCoarse,
            CLOCK_MONOTONIC_COARSE => Clock::MonotonicCoarse,
            CLOCK_BOOTTIME => Clock::Boottime,
            CLOCK_REALTIME_ALARM | CLOCK_BOOTTIME_ALARM => Clock::Alarm,
            CLOCK_TAI => Clock::Tai,
            id if id < 0 => Clock::Cpu(decode_cpu_clock(id, me)?),
            _ => return Err(Errno::EINVAL),
        })
    }

    /// The clock's current value (clock_gettime).
    pub fn now(&self) -> KResult<Timespec> {
        Ok(match self {
            Clock::Realtime | Clock::Tai => realtime(),
            Clock::Monotonic | Clock::MonotonicRaw | Clock::Boottime => Timespec::from_ns(monotonic_ns()),
            // The coarse clocks read the time of the last tick.
            Clock::RealtimeCoarse => Timespec::from_ns(realtime_ns() / tick_ns() * tick_ns()),
            Clock::MonotonicCoarse => Timespec::from_ns(monotonic_ns() / tick_ns() * tick_ns()),
            Clock::Alarm => return Err(Errno::EINVAL),
            // A clock whose process or thread died since it was decoded.
            Clock::Cpu(c) => Timespec::from_ns(c.now_ns().ok_or(Errno::EINVAL)?),
        })
    }

    /// clock_getres.
    pub fn resolution(&self) -> KResult<Timespec> {
        Ok(match self {
            Clock::RealtimeCoarse | Clock::MonotonicCoarse => Timespec::from_ns(tick_ns()),
            Clock::Alarm => return Err(Errno::EINVAL),
            _ => Timespec { sec: 0, nsec: 1 },
        })
    }

    /// Whether sleeps and timers can use this clock (Linux has no nsleep
    /// or timer for the raw and coarse clocks, or without an RTC for the
    /// alarm clocks: EOPNOTSUPP). Thread CPU clocks support timers but
    /// not clock_nanosleep, which checks that separately.
    pub fn supports_timers(&self) -> bool {
        !matches!(self, Clock::MonotonicRaw | Clock::RealtimeCoarse | Clock::MonotonicCoarse | Clock::Alarm)
    }

    /// For wall clocks, how to turn this clock's time into monotonic time
    /// (add the result); None for CPU clocks.
    pub fn to_monotonic_offset(&self) -> Option<i64> {
        match self {
            Clock::Realtime | Clock::Tai | Clock::RealtimeCoarse => Some(-realtime_minus_monotonic()),
            Clock::Cpu(_) => None,
            _ => Some(0),
        }
    }
}

/// Decodes a negative CPU clock id: `~pid << 3 | perthread << 2 | kind`
/// (Linux's MAKE_PROCESS_CPUCLOCK / MAKE_THREAD_CPUCLOCK); pid 0 means
/// the caller.
fn decode_cpu_clock(id: i32, me: &Arc<Thread>) -> KResult<CpuClock> {
    let pid: Pid = !(id >> 3);
    let kind = match id & 3 {
        0 => CpuKind::Prof,
        1 => CpuKind::Virt,
        2 => CpuKind::Sched,
        _ => return Err(Errno::EINVAL),
    };
    if id & 4 != 0 {
        let t = if pid == 0 { me.clone() } else { crate::process::find_thread(pid).ok_or(Errno::EINVAL)? };
        if !Arc::ptr_eq(&t.process, &me.process) {
            return Err(Errno::EINVAL);
        }
        Ok(CpuClock::Thread(Arc::downgrade(&t), kind))
    } else {
        // The process table holds thread groups only, so the id of a
        // non-leader thread finds nothing here (EINVAL, as on Linux).
        let p = if pid == 0 { me.process.clone() } else { crate::process::find_process(pid).ok_or(Errno::EINVAL)? };
        Ok(CpuClock::Process(Arc::downgrade(&p), kind))
    }
}
