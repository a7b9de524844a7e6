//! Clocks: CLOCK_MONOTONIC from the hal's TSC clock, CLOCK_REALTIME as an
//! offset from it (set from the RTC at boot, moved by clock_settime).

use core::sync::atomic::{AtomicI64, Ordering};

use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};

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

const NSEC_PER_SEC: i64 = 1_000_000_000;

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
}

static REALTIME_OFFSET_NS: AtomicI64 = AtomicI64::new(0);

/// Nanoseconds since boot (CLOCK_MONOTONIC).
#[inline]
pub fn monotonic_ns() -> u64 {
    kevlar_hal::arch::time::monotonic_ns()
}

/// Nanoseconds since the epoch (CLOCK_REALTIME).
pub fn realtime_ns() -> u64 {
    let base = kevlar_hal::arch::time::boot_unix_ns() as i64 + REALTIME_OFFSET_NS.load(Ordering::Relaxed);
    (base + monotonic_ns() as i64).max(0) as u64
}

/// CLOCK_REALTIME as a timespec.
pub fn realtime() -> Timespec {
    Timespec::from_ns(realtime_ns())
}

/// Sets CLOCK_REALTIME.
pub fn set_realtime_ns(ns: u64) {
    let base = kevlar_hal::arch::time::boot_unix_ns() as i64 + monotonic_ns() as i64;
    REALTIME_OFFSET_NS.store(ns as i64 - base, Ordering::Relaxed);
    // Absolute real-time timerfds move with the clock, and some ask to
    // be told it was set (TFD_TIMER_CANCEL_ON_SET).
    crate::ipc::timerfd::clock_was_set();
}
