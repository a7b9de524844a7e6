//! POSIX per-process timers (timer_create, timer_settime, timer_gettime,
//! timer_getoverrun, timer_delete).
//!
//! A process owns its timers ([`PosixTimers`], ids from 0 up); fork gives
//! the child none and execve deletes them. An armed timer is one
//! registration in [`crate::sched::timer`] (the wall-time list for the
//! real-time, monotonic, boot-time and TAI clocks, the CPU-time list for
//! CPU clocks), re-armed one period later when it fires.
//!
//! Notification: none (SIGEV_NONE), a signal to the process
//! (SIGEV_SIGNAL, also what SIGEV_THREAD asks of the kernel) or to one of
//! its threads (SIGEV_THREAD_ID, on which libc builds SIGEV_THREAD). The
//! signal carries SI_TIMER, the timer id and sigev_value. While it waits
//! in a queue, further expiries only count overruns on it; when it is
//! taken, its overrun count becomes what timer_getoverrun reports.
//! Re-arming or deleting a timer starts a new generation: a signal still
//! queued from the old one is dropped when it would be taken (as on
//! Linux since 6.13).

use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};

use super::{SI_TIMER, SIGALRM, SigInfo, valid};
use crate::errno::{Errno, KResult};
use crate::process::{Process, Thread};
use crate::sched::timer::{self, TimerAction, TimerHandle};
use crate::time::{Clock, CpuClock, monotonic_ns};

/// Identifies one generation of one timer (carried by its signals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerRef {
    /// The timer id (si_timerid).
    pub id: i32,
    /// The generation: bumped by every timer_settime and by delete.
    pub seq: u32,
}

/// How a timer tells its owner it expired.
#[derive(Clone, Debug)]
pub enum Notify {
    /// SIGEV_NONE: nothing; the timer can only be read.
    None,
    /// SIGEV_SIGNAL: `signo` with `value` to the whole process.
    Process {
        /// Signal number.
        signo: u32,
        /// sigev_value.
        value: u64,
    },
    /// SIGEV_THREAD_ID: `signo` with `value` to one thread.
    Thread {
        /// Signal number.
        signo: u32,
        /// sigev_value.
        value: u64,
        /// The thread.
        thread: Weak<Thread>,
    },
}

struct Armed {
    handle: TimerHandle,
    interval_ns: u64,
}

struct PosixTimer {
    clock: Clock,
    notify: Notify,
    seq: u32,
    armed: Option<Armed>,
    overrun_last: i32,
}

/// A process's timers.
#[derive(Default)]
pub struct PosixTimers {
    next_id: i32,
    timers: BTreeMap<i32, PosixTimer>,
}

/// A timer setting in nanoseconds: time to the next expiry and interval.
#[derive(Clone, Copy, Debug, Default)]
pub struct Setting {
    /// Time left (0: disarmed).
    pub value_ns: u64,
    /// Period (0: one-shot).
    pub interval_ns: u64,
}

/// timer_create: a new disarmed timer on `clock`; `notify` None means the
/// default (SIGALRM to the process, the id as value).
pub fn create(p: &Arc<Process>, clock: Clock, notify: Option<Notify>) -> KResult<i32> {
    let mut all = p.posix_timers.lock();
    // Ids count up from 0, skipping ones still in use after wrapping.
    let mut id = all.next_id;
    while all.timers.contains_key(&id) {
        id = id.checked_add(1).unwrap_or(0);
    }
    all.next_id = id.checked_add(1).unwrap_or(0);
    let notify = notify.unwrap_or(Notify::Process { signo: SIGALRM, value: id as u32 as u64 });
    all.timers.insert(id, PosixTimer { clock, notify, seq: 0, armed: None, overrun_last: 0 });
    Ok(id)
}

/// timer_delete.
pub fn delete(p: &Process, id: i32) -> KResult<()> {
    p.posix_timers.lock().timers.remove(&id).map(|_| ()).ok_or(Errno::EINVAL)
}

/// execve: the new program starts without timers.
pub fn delete_all(p: &Process) {
    let old = core::mem::take(&mut p.posix_timers.lock().timers);
    drop(old);
}

/// timer_gettime.
pub fn get(p: &Process, id: i32) -> KResult<Setting> {
    let all = p.posix_timers.lock();
    let t = all.timers.get(&id).ok_or(Errno::EINVAL)?;
    Ok(setting(t))
}

/// timer_getoverrun: the overrun count of the last signal taken.
pub fn overrun(p: &Process, id: i32) -> KResult<i32> {
    Ok(p.posix_timers.lock().timers.get(&id).ok_or(Errno::EINVAL)?.overrun_last)
}

/// timer_settime: arms (value 0: disarms) the timer; `absolute` means the
/// value is a time on the timer's clock. Returns the old setting.
pub fn set(p: &Arc<Process>, id: i32, value_ns: u64, interval_ns: u64, absolute: bool) -> KResult<Setting> {
    let mut all = p.posix_timers.lock();
    let t = all.timers.get_mut(&id).ok_or(Errno::EINVAL)?;
    let old = setting(t);
    t.seq = t.seq.wrapping_add(1);
    t.armed = None;
    if value_ns > 0 {
        let now = clock_now(&t.clock);
        let deadline = if absolute {
            match t.clock.to_monotonic_offset() {
                Some(off) => (value_ns as i64).saturating_add(off).max(0) as u64,
                None => value_ns,
            }
        } else {
            now.saturating_add(value_ns)
        };
        let handle = register(p, &t.clock, TimerRef { id, seq: t.seq }, deadline);
        t.armed = Some(Armed { handle, interval_ns });
    }
    Ok(old)
}

/// The timer's expiry (timer interrupt).
pub fn fire(p: &Arc<Process>, r: TimerRef) {
    let (notify, expiries) = {
        let mut all = p.posix_timers.lock();
        let Some(t) = all.timers.get_mut(&r.id).filter(|t| t.seq == r.seq) else { return };
        let Some(armed) = t.armed.take() else { return };
        let due = armed.handle.deadline();
        let iv = armed.interval_ns;
        let mut expiries = 1;
        if iv > 0 && p.is_alive() {
            // Periods that went by before this tick count as expiries too;
            // the next one is due a whole number of periods after `due`.
            let late = clock_now(&t.clock).saturating_sub(due);
            expiries += late / iv;
            let next = due.saturating_add(iv.saturating_mul(late / iv + 1));
            t.armed = Some(Armed { handle: register(p, &t.clock, r, next), interval_ns: iv });
        }
        (t.notify.clone(), expiries)
    };
    let overrun = (expiries - 1).min(i32::MAX as u64) as i32;
    let info = |signo: u32, value: u64| SigInfo { signo, code: SI_TIMER, value, overrun, timer: Some(r), ..Default::default() };
    match notify {
        Notify::None => {}
        Notify::Process { signo, value } => {
            if !p.add_timer_overrun(r, expiries) {
                p.send_signal(info(signo, value));
            }
        }
        Notify::Thread { signo, value, thread } => {
            if let Some(t) = thread.upgrade() {
                if !t.add_timer_overrun(r, expiries) {
                    super::delivery::send_to_thread(&t, info(signo, value));
                }
            }
        }
    }
}

/// A signal of timer `r` with `overrun` is being taken: returns false if
/// it is stale (to be dropped), else records the overrun.
pub fn on_dequeue(p: &Process, r: TimerRef, overrun: i32) -> bool {
    let mut all = p.posix_timers.lock();
    match all.timers.get_mut(&r.id) {
        Some(t) if t.seq == r.seq => {
            t.overrun_last = overrun;
            true
        }
        _ => false,
    }
}

/// Decodes `struct sigevent` fields (Linux's good_sigevent): EINVAL for
/// unknown kinds, bad signal numbers, or a thread outside the caller's
/// process.
pub fn notify_from_sigevent(me: &Arc<Thread>, value: u64, signo: i32, kind: i32, tid: i32) -> KResult<Notify> {
    const SIGEV_SIGNAL: i32 = 0;
    const SIGEV_NONE: i32 = 1;
    const SIGEV_THREAD: i32 = 2;
    const SIGEV_THREAD_ID: i32 = 4;
    let signal = || if signo > 0 && valid(signo as u32) { Ok(signo as u32) } else { Err(Errno::EINVAL) };
    match kind {
        SIGEV_NONE => Ok(Notify::None),
        // SIGEV_THREAD is libc's business; the kernel treats it as a
        // process-directed signal.
        SIGEV_SIGNAL | SIGEV_THREAD => Ok(Notify::Process { signo: signal()?, value }),
        SIGEV_THREAD_ID => {
            let t = crate::process::find_thread(tid).filter(|t| Arc::ptr_eq(&t.process, &me.process)).ok_or(Errno::EINVAL)?;
            Ok(Notify::Thread { signo: signal()?, value, thread: Arc::downgrade(&t) })
        }
        _ => Err(Errno::EINVAL),
    }
}

/// The timer's clock now, in the domain its deadlines use: monotonic
/// time for wall clocks, the CPU time for CPU clocks.
fn clock_now(c: &Clock) -> u64 {
    match c {
        Clock::Cpu(cpu) => cpu.now_ns().unwrap_or(0),
        _ => monotonic_ns(),
    }
}

fn register(p: &Arc<Process>, c: &Clock, r: TimerRef, deadline: u64) -> TimerHandle {
    let action = TimerAction::PosixTimer(Arc::downgrade(p), r);
    match c {
        Clock::Cpu(cpu) => timer::add_cpu(CpuClock::clone(cpu), deadline, action),
        _ => timer::add(deadline, action),
    }
}

fn setting(t: &PosixTimer) -> Setting {
    let Some(a) = &t.armed else { return Setting::default() };
    let left = a.handle.deadline().saturating_sub(clock_now(&t.clock));
    // Due but not yet handled by the next tick: still armed, so never 0.
    Setting { value_ns: left.max(1), interval_ns: a.interval_ns }
}
