//! Clocks, sleeps and POSIX timers.
//!
//! Clock ids are decoded once by [`Clock::from_id`]; sleeps are waits with
//! a monotonic deadline (CPU-clock sleeps with a CPU-time timer), and an
//! interrupted relative sleep resumes through a restart block.

use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::process::Thread;
use crate::sched::current;
use crate::sched::timer::{self, TimerAction};
use crate::sched::wait::{WaitQueue, sleep_until};
use crate::signal::posix_timer;
use crate::signal::restart::{self, RestartBlock};
use crate::time::{Clock, Timespec, Timeval, monotonic_ns, realtime, realtime_ns, set_realtime_ns};

/// TIMER_ABSTIME (clock_nanosleep, timer_settime).
const TIMER_ABSTIME: u32 = 1;
const CLOCK_REALTIME: i32 = 0;
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

/// clock_gettime(2)
pub fn sys_clock_gettime(clock: i32, tp: usize) -> KResult<usize> {
    let t = Clock::from_id(clock, &current())?.now()?;
    UserPtr::<Timespec>::new(tp).write(&t)?;
    Ok(0)
}

/// clock_getres(2)
pub fn sys_clock_getres(clock: i32, res: usize) -> KResult<usize> {
    let r = Clock::from_id(clock, &current())?.resolution()?;
    UserPtr::<Timespec>::new(res).write_if_nonnull(&r)?;
    Ok(0)
}

/// clock_settime(2): only CLOCK_REALTIME can be set, by root. CPU clocks
/// given by number exist but can never be set (EPERM); every other clock
/// has no setter (EINVAL, before the argument is even read).
pub fn sys_clock_settime(clock: i32, tp: usize) -> KResult<usize> {
    if clock < 0 {
        Clock::from_id(clock, &current())?;
        UserPtr::<Timespec>::new(tp).read()?;
        return Err(Errno::EPERM);
    }
    if clock != CLOCK_REALTIME {
        return Err(Errno::EINVAL);
    }
    let t = UserPtr::<Timespec>::new(tp).read()?.validate()?;
    if !super::creds().capable(crate::process::creds::CAP_SYS_TIME) {
        return Err(Errno::EPERM);
    }
    set_realtime_ns(t.to_ns());
    Ok(0)
}

/// The kernel's time zone (`struct timezone`: minutes west of UTC, DST
/// kind), which only settimeofday sets and gettimeofday reports; the
/// clocks themselves are always UTC.
static TIMEZONE: SpinLock<[i32; 2]> = SpinLock::new([0, 0]);

/// gettimeofday(2)
pub fn sys_gettimeofday(tv: usize, tz: usize) -> KResult<usize> {
    UserPtr::<Timeval>::new(tv).write_if_nonnull(&Timeval::from_timespec(realtime()))?;
    UserPtr::<[i32; 2]>::new(tz).write_if_nonnull(&TIMEZONE.lock())?;
    Ok(0)
}

/// settimeofday(2): sets the time, the time zone, or both (root only).
/// A zone more than 15 hours from UTC is EINVAL.
pub fn sys_settimeofday(tv: usize, tz: usize) -> KResult<usize> {
    let time_ns = if tv != 0 { Some(UserPtr::<Timeval>::new(tv).read()?.to_ns_checked()?) } else { None };
    let zone = if tz != 0 { Some(UserPtr::<[i32; 2]>::new(tz).read()?) } else { None };
    if !super::creds().capable(crate::process::creds::CAP_SYS_TIME) {
        return Err(Errno::EPERM);
    }
    if let Some(z) = zone {
        if !(-15 * 60..=15 * 60).contains(&z[0]) {
            return Err(Errno::EINVAL);
        }
        *TIMEZONE.lock() = z;
    }
    if let Some(ns) = time_ns {
        set_realtime_ns(ns);
    }
    Ok(0)
}

/// time(2)
pub fn sys_time(tloc: usize) -> KResult<usize> {
    let now = (realtime_ns() / 1_000_000_000) as i64;
    UserPtr::<i64>::new(tloc).write_if_nonnull(&now)?;
    Ok(now as usize)
}

/// nanosleep(2): a relative sleep on CLOCK_MONOTONIC.
pub fn sys_nanosleep(req: usize, rem: usize) -> KResult<usize> {
    let t = UserPtr::<Timespec>::new(req).read()?.validate()?;
    resume_sleep(monotonic_ns().saturating_add(t.to_ns()), rem)
}

/// Sleeps until monotonic `deadline_ns` (first call or resumed by
/// restart_syscall). Interrupted, it writes the time left to `rem` and
/// asks to be resumed: a handler makes that EINTR, a stop and continue
/// makes it sleep on until the same deadline.
pub fn resume_sleep(deadline_ns: u64, rem: usize) -> KResult<usize> {
    match sleep_until(deadline_ns) {
        Ok(()) => Ok(0),
        Err(e) if e == Errno::ERESTARTSYS => {
            let left = deadline_ns.saturating_sub(monotonic_ns());
            UserPtr::<Timespec>::new(rem).write_if_nonnull(&Timespec::from_ns(left))?;
            Err(restart::save(RestartBlock::Sleep { deadline_ns, rem }))
        }
        Err(e) => Err(e),
    }
}

/// clock_nanosleep(2)
pub fn sys_clock_nanosleep(clock_id: i32, flags: u32, req: usize, rem: usize) -> KResult<usize> {
    let me = current();
    let clock = Clock::from_id(clock_id, &me)?;
    // The thread clock has no sleep (EOPNOTSUPP), and Linux refuses a
    // CPU clock of the calling thread given by number with EINVAL.
    if !clock.supports_timers() || clock_id == CLOCK_THREAD_CPUTIME_ID {
        return Err(Errno::EOPNOTSUPP);
    }
    let t = UserPtr::<Timespec>::new(req).read()?.validate()?;
    if let Clock::Cpu(cpu) = &clock {
        // Sleeping until one's own CPU clock advances would never end.
        if cpu.measures(&me) && matches!(cpu, crate::time::CpuClock::Thread(..)) {
            return Err(Errno::EINVAL);
        }
        let now = cpu.now_ns().ok_or(Errno::EINVAL)?;
        if flags & TIMER_ABSTIME != 0 {
            return match cpu_sleep(&me, clock_id, t.to_ns(), 0) {
                Err(e) if e == Errno::ERESTART_RESTARTBLOCK => Err(Errno::ERESTARTNOHAND),
                r => r,
            };
        }
        return cpu_sleep(&me, clock_id, now.saturating_add(t.to_ns()), rem);
    }
    if flags & TIMER_ABSTIME != 0 {
        // An absolute sleep simply runs again with the same arguments
        // after an interruption; `rem` is not touched.
        let off = clock.to_monotonic_offset().unwrap_or(0);
        let deadline = (t.to_ns() as i64).saturating_add(off).max(0) as u64;
        return match sleep_until(deadline) {
            Ok(()) => Ok(0),
            Err(e) if e == Errno::ERESTARTSYS => Err(Errno::ERESTARTNOHAND),
            Err(e) => Err(e),
        };
    }
    resume_sleep(monotonic_ns().saturating_add(t.to_ns()), rem)
}

/// Sleeps until the CPU clock `clock_id` (of some process) reaches
/// `deadline_ns`: a CPU-time timer wakes the sleeper when it does.
pub fn cpu_sleep(me: &Arc<Thread>, clock_id: i32, deadline_ns: u64, rem: usize) -> KResult<usize> {
    let Clock::Cpu(cpu) = Clock::from_id(clock_id, me)? else { return Err(Errno::EINVAL) };
    let q = WaitQueue::new();
    let _wake = timer::add_cpu(cpu.clone(), deadline_ns, TimerAction::Wake(Arc::downgrade(me)));
    let reached = || cpu.now_ns().is_none_or(|now| now >= deadline_ns).then_some(());
    match q.wait_until(reached) {
        Ok(()) => Ok(0),
        Err(e) if e == Errno::ERESTARTSYS => {
            let left = deadline_ns.saturating_sub(cpu.now_ns().unwrap_or(deadline_ns));
            UserPtr::<Timespec>::new(rem).write_if_nonnull(&Timespec::from_ns(left))?;
            Err(restart::save(RestartBlock::CpuSleep { clock: clock_id, deadline_ns, rem }))
        }
        Err(e) => Err(e),
    }
}

/// `struct sigevent` (x86_64): the union after the first 16 bytes holds
/// the thread id for SIGEV_THREAD_ID.
#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct SigEvent {
    value: u64,
    signo: i32,
    notify: i32,
    tid: i32,
    _pad: [i32; 11],
}

/// `struct itimerspec`.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct ItimerSpec {
    interval: Timespec,
    value: Timespec,
}

impl ItimerSpec {
    fn from_setting(s: posix_timer::Setting) -> ItimerSpec {
        ItimerSpec { interval: Timespec::from_ns(s.interval_ns), value: Timespec::from_ns(s.value_ns) }
    }
}

/// timer_create(2)
pub fn sys_timer_create(clock_id: i32, sevp: usize, id_out: usize) -> KResult<usize> {
    let ev = if sevp != 0 { Some(UserPtr::<SigEvent>::new(sevp).read()?) } else { None };
    let me = current();
    let clock = Clock::from_id(clock_id, &me)?;
    if !clock.supports_timers() {
        return Err(Errno::EOPNOTSUPP);
    }
    let notify = match ev {
        Some(e) => Some(posix_timer::notify_from_sigevent(&me, e.value, e.signo, e.notify, e.tid)?),
        None => None,
    };
    let id = posix_timer::create(&me.process, clock, notify)?;
    if let Err(e) = UserPtr::<i32>::new(id_out).write(&id) {
        let _ = posix_timer::delete(&me.process, id);
        return Err(e);
    }
    Ok(0)
}

/// timer_settime(2)
pub fn sys_timer_settime(id: i32, flags: u32, new: usize, old: usize) -> KResult<usize> {
    if new == 0 {
        return Err(Errno::EINVAL);
    }
    let spec = UserPtr::<ItimerSpec>::new(new).read()?;
    let value = spec.value.validate()?;
    let interval = spec.interval.validate()?;
    let me = current();
    let prev = posix_timer::set(&me.process, id, value.to_ns(), interval.to_ns(), flags & TIMER_ABSTIME != 0)?;
    UserPtr::<ItimerSpec>::new(old).write_if_nonnull(&ItimerSpec::from_setting(prev))?;
    Ok(0)
}

/// timer_gettime(2)
pub fn sys_timer_gettime(id: i32, cur: usize) -> KResult<usize> {
    let s = posix_timer::get(&current().process, id)?;
    UserPtr::<ItimerSpec>::new(cur).write(&ItimerSpec::from_setting(s))?;
    Ok(0)
}

/// timer_getoverrun(2)
pub fn sys_timer_getoverrun(id: i32) -> KResult<usize> {
    posix_timer::overrun(&current().process, id).map(|n| n as usize)
}

/// timer_delete(2)
pub fn sys_timer_delete(id: i32) -> KResult<usize> {
    posix_timer::delete(&current().process, id).map(|_| 0)
}
