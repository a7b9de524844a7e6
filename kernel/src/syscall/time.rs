//! Clocks and sleeps.

use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::process::exit::total_usage;
use crate::sched::current;
use crate::sched::wait::sleep_until;
use crate::time::{Timespec, Timeval, monotonic_ns, realtime, realtime_ns, set_realtime_ns};

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

fn ticks_ns(t: u64) -> u64 {
    t * (1_000_000_000 / kevlar_hal::arch::apic::TIMER_HZ as u64)
}

fn clock_now(clock: i32) -> KResult<Timespec> {
    Ok(match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE | CLOCK_REALTIME_ALARM | CLOCK_TAI => realtime(),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME | CLOCK_BOOTTIME_ALARM => {
            Timespec::from_ns(monotonic_ns())
        }
        CLOCK_PROCESS_CPUTIME_ID => {
            let u = total_usage(&current().process);
            Timespec::from_ns(ticks_ns(u.user_ticks + u.system_ticks))
        }
        CLOCK_THREAD_CPUTIME_ID => {
            let me = current();
            let t = me.user_ticks.load(core::sync::atomic::Ordering::Relaxed) + me.system_ticks.load(core::sync::atomic::Ordering::Relaxed);
            Timespec::from_ns(ticks_ns(t))
        }
        _ => return Err(Errno::EINVAL),
    })
}

/// clock_gettime(2)
pub fn sys_clock_gettime(clock: i32, tp: usize) -> KResult<usize> {
    let t = clock_now(clock)?;
    UserPtr::<Timespec>::new(tp).write(&t)?;
    Ok(0)
}

/// clock_getres(2)
pub fn sys_clock_getres(clock: i32, res: usize) -> KResult<usize> {
    clock_now(clock)?;
    let r = match clock {
        CLOCK_REALTIME_COARSE | CLOCK_MONOTONIC_COARSE => Timespec { sec: 0, nsec: 1_000_000_000 / kevlar_hal::arch::apic::TIMER_HZ as i64 },
        _ => Timespec { sec: 0, nsec: 1 },
    };
    UserPtr::<Timespec>::new(res).write_if_nonnull(&r)?;
    Ok(0)
}

/// clock_settime(2)
pub fn sys_clock_settime(clock: i32, tp: usize) -> KResult<usize> {
    let t = UserPtr::<Timespec>::new(tp).read()?.validate()?;
    if clock != CLOCK_REALTIME {
        return Err(Errno::EINVAL);
    }
    if !super::creds().capable(crate::process::creds::CAP_SYS_TIME) {
        return Err(Errno::EPERM);
    }
    set_realtime_ns(t.to_ns());
    Ok(0)
}

/// gettimeofday(2)
pub fn sys_gettimeofday(tv: usize, tz: usize) -> KResult<usize> {
    UserPtr::<Timeval>::new(tv).write_if_nonnull(&Timeval::from_timespec(realtime()))?;
    UserPtr::<[i32; 2]>::new(tz).write_if_nonnull(&[0, 0])?;
    Ok(0)
}

/// settimeofday(2)
pub fn sys_settimeofday(tv: usize, _tz: usize) -> KResult<usize> {
    if !super::creds().capable(crate::process::creds::CAP_SYS_TIME) {
        return Err(Errno::EPERM);
    }
    if tv != 0 {
        let t = UserPtr::<Timeval>::new(tv).read()?;
        if t.sec < 0 || !(0..1_000_000).contains(&t.usec) {
            return Err(Errno::EINVAL);
        }
        set_realtime_ns(t.sec as u64 * 1_000_000_000 + t.usec as u64 * 1000);
    }
    Ok(0)
}

/// time(2)
pub fn sys_time(tloc: usize) -> KResult<usize> {
    let now = (realtime_ns() / 1_000_000_000) as i64;
    UserPtr::<i64>::new(tloc).write_if_nonnull(&now)?;
    Ok(now as usize)
}

fn sleep_for(req: Timespec, rem: usize) -> KResult<usize> {
    let start = monotonic_ns();
    let deadline = start.saturating_add(req.to_ns());
    match sleep_until(deadline) {
        Ok(()) => Ok(0),
        Err(e) => {
            let left = deadline.saturating_sub(monotonic_ns());
            UserPtr::<Timespec>::new(rem).write_if_nonnull(&Timespec::from_ns(left))?;
            // Interrupted by a handler: EINTR; by a stop/continue: the
            // sleep restarts (for its full length: a known gap, see
            // docs/compat.md).
            if e == Errno::ERESTARTSYS { Err(Errno::ERESTARTNOHAND) } else { Err(e) }
        }
    }
}

/// nanosleep(2)
pub fn sys_nanosleep(req: usize, rem: usize) -> KResult<usize> {
    let t = UserPtr::<Timespec>::new(req).read()?.validate()?;
    sleep_for(t, rem)
}

/// clock_nanosleep(2)
pub fn sys_clock_nanosleep(clock: i32, flags: u32, req: usize, rem: usize) -> KResult<usize> {
    const TIMER_ABSTIME: u32 = 1;
    let t = UserPtr::<Timespec>::new(req).read()?.validate()?;
    if matches!(clock, CLOCK_THREAD_CPUTIME_ID) {
        return Err(Errno::EINVAL);
    }
    let now = clock_now(clock)?;
    if flags & TIMER_ABSTIME != 0 {
        let left = t.to_ns().saturating_sub(now.to_ns());
        return match sleep_until(monotonic_ns().saturating_add(left)) {
            Ok(()) => Ok(0),
            Err(_) => Err(Errno::ERESTARTNOHAND),
        };
    }
    sleep_for(t, rem)
}
