//! The scheduler: which thread runs on this CPU, sleeping and waking.
//!
//! Round-robin over one run queue for now (per-CPU queues and load
//! balancing arrive with SMP, issue 8). A thread's state moves
//! Running -> Runnable (preempted or woken, always together with being put
//! on the run queue, under the queue lock) -> Running, or Running ->
//! Sleeping -> Runnable. Preemption happens on the way back to user mode
//! when the timer has flagged the thread; kernel code is not preempted.

pub mod policy;
pub mod timer;
pub mod wait;

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::arch::context;
use kevlar_hal::sync::SpinLock;

use crate::process::thread::{Thread, ThreadState};

/// Timer ticks a thread may run before it is preempted.
const TIMESLICE_TICKS: u32 = 3;
/// The time slice in nanoseconds (sched_rr_get_interval).
pub const TIMESLICE_NS: u64 = TIMESLICE_TICKS as u64 * 1_000_000_000 / kevlar_hal::arch::apic::TIMER_HZ as u64;

struct RunQueue {
    queue: VecDeque<Arc<Thread>>,
}

static RUN_QUEUE: SpinLock<RunQueue> = SpinLock::new(RunQueue { queue: VecDeque::new() });

/// The thread running on each CPU (one CPU for now).
static CURRENT: SpinLock<Option<Arc<Thread>>> = SpinLock::new(None);
/// Each CPU's idle thread: runs when the queue is empty.
static IDLE: SpinLock<Option<Arc<Thread>>> = SpinLock::new(None);

/// The thread running on this CPU.
#[inline]
pub fn current() -> Arc<Thread> {
    CURRENT.lock().as_ref().expect("no current thread").clone()
}

/// The current thread, or None before the first thread exists.
pub fn try_current() -> Option<Arc<Thread>> {
    CURRENT.lock().clone()
}

/// Makes the code running on the boot CPU the idle thread and the current
/// thread.
pub fn init_boot_cpu(idle: Arc<Thread>) {
    *IDLE.lock() = Some(idle.clone());
    *CURRENT.lock() = Some(idle);
}

/// Puts a new or woken thread on the run queue.
pub fn enqueue_new(t: Arc<Thread>) {
    let mut rq = RUN_QUEUE.lock();
    t.set_state(ThreadState::Runnable);
    rq.queue.push_back(t);
}

/// Wakes `t` if it sleeps interruptibly or uninterruptibly. Returns
/// whether it was woken by this call.
pub fn wake(t: &Arc<Thread>) -> bool {
    let mut rq = RUN_QUEUE.lock();
    if t.transition(ThreadState::Sleeping, ThreadState::Runnable) {
        rq.queue.push_back(t.clone());
        return true;
    }
    false
}

/// Wakes a stopped thread (SIGCONT).
pub fn wake_stopped(t: &Arc<Thread>) {
    let mut rq = RUN_QUEUE.lock();
    if t.transition(ThreadState::Stopped, ThreadState::Runnable) {
        rq.queue.push_back(t.clone());
    }
}

/// Undoes a sleep that turned out unnecessary: the current thread set
/// itself Sleeping, then found its condition true. If a waker already made
/// it Runnable (and queued it), take it off the queue again.
pub fn cancel_sleep(me: &Arc<Thread>) {
    let mut rq = RUN_QUEUE.lock();
    match me.state() {
        ThreadState::Sleeping | ThreadState::Stopped => me.set_state(ThreadState::Running),
        ThreadState::Runnable => {
            rq.queue.retain(|t| !Arc::ptr_eq(t, me));
            me.set_state(ThreadState::Running);
        }
        _ => {}
    }
}

/// Gives up the CPU. The current thread stays runnable unless it set
/// itself Sleeping, Stopped or Dead first.
pub fn schedule() {
    let prev = current();
    let mut preempted = false;
    let next = {
        let mut rq = RUN_QUEUE.lock();
        if prev.state() == ThreadState::Running && !prev.is_idle() {
            prev.set_state(ThreadState::Runnable);
            rq.queue.push_back(prev.clone());
            preempted = true;
        }
        pick_next(&mut rq)
    };
    if Arc::ptr_eq(&prev, &next) {
        return;
    }
    if preempted {
        prev.involuntary_switches.fetch_add(1, Ordering::Relaxed);
    } else {
        prev.voluntary_switches.fetch_add(1, Ordering::Relaxed);
    }
    make_current(&next);
    SWITCHES.fetch_add(1, Ordering::Relaxed);
    // `prev` and `next` stay referenced by this stack until it resumes.
    context::switch(prev.context(), next.context());
}

/// Ends the current (dead) thread: switches away for good. The thread's
/// last reference is dropped on the other side, once its stack is idle.
pub fn exit_current() -> ! {
    let me = current();
    me.set_state(ThreadState::Dead);
    let next = pick_next(&mut RUN_QUEUE.lock());
    make_current(&next);
    context::switch_final(me, next)
}

/// The next thread to run (the idle thread when none is runnable), marked
/// Running with a fresh time slice.
fn pick_next(rq: &mut RunQueue) -> Arc<Thread> {
    // Real-time threads first: the highest priority, earliest queued.
    let best = rq.queue.iter().enumerate().max_by_key(|(i, t)| (t.sched_params().rank(), core::cmp::Reverse(*i))).map(|(i, _)| i);
    let next = match best.and_then(|i| rq.queue.remove(i)) {
        Some(t) => t,
        None => IDLE.lock().clone().expect("no idle thread"),
    };
    next.set_state(ThreadState::Running);
    next.reset_timeslice(TIMESLICE_TICKS);
    next
}

/// Loads `next`'s address space and records it as this CPU's thread,
/// moving the CPU-time clock from the previous thread to `next`.
fn make_current(next: &Arc<Thread>) {
    next.activate_address_space();
    let now = crate::time::monotonic_ns();
    let mut cur = CURRENT.lock();
    if let Some(prev) = cur.as_ref() {
        prev.stop_cpu_clock(now);
    }
    next.start_cpu_clock(now);
    *cur = Some(next.clone());
}

/// CPU time by kind, in timer ticks (/proc/stat).
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuTicks {
    /// In user mode.
    pub user: u64,
    /// In the kernel for a thread.
    pub system: u64,
    /// Idle.
    pub idle: u64,
}

static USER_TICKS: AtomicU64 = AtomicU64::new(0);
static SYSTEM_TICKS: AtomicU64 = AtomicU64::new(0);
static IDLE_TICKS: AtomicU64 = AtomicU64::new(0);
static SWITCHES: AtomicU64 = AtomicU64::new(0);

/// CPU time since boot by kind.
pub fn cpu_ticks() -> CpuTicks {
    CpuTicks { user: USER_TICKS.load(Ordering::Relaxed), system: SYSTEM_TICKS.load(Ordering::Relaxed), idle: IDLE_TICKS.load(Ordering::Relaxed) }
}

/// Context switches since boot.
pub fn context_switches() -> u64 {
    SWITCHES.load(Ordering::Relaxed)
}

/// Timer tick: wake expired sleepers, account the time slice.
pub fn tick() {
    timer::run_expired();
    if let Some(cur) = CURRENT.lock().as_ref() {
        let counter = if cur.is_idle() {
            &IDLE_TICKS
        } else if cur.in_kernel.load(Ordering::Relaxed) {
            &SYSTEM_TICKS
        } else {
            &USER_TICKS
        };
        counter.fetch_add(1, Ordering::Relaxed);
        cur.account_tick();
        if cur.is_idle() {
            if !RUN_QUEUE.lock().queue.is_empty() {
                cur.need_resched.store(true, Ordering::Relaxed);
            }
        } else if cur.timeslice_expired() {
            // SCHED_FIFO runs until it blocks or a higher priority comes;
            // everyone else yields to any runnable thread of at least its
            // own rank when the slice ends.
            let params = cur.sched_params();
            let rank = params.rank();
            let fifo = params.policy == policy::SCHED_FIFO;
            let contender = RUN_QUEUE.lock().queue.iter().map(|t| t.sched_params().rank()).max();
            if contender.is_some_and(|r| if fifo { r > rank } else { r >= rank }) {
                cur.need_resched.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// The idle loop of the boot CPU: halt until there is work.
pub fn idle_loop() -> ! {
    loop {
        let has_work = !RUN_QUEUE.lock().queue.is_empty();
        if has_work {
            schedule();
        } else {
            kevlar_hal::arch::irq::disable();
            if RUN_QUEUE.lock().queue.is_empty() {
                kevlar_hal::arch::irq::enable_and_halt();
            } else {
                kevlar_hal::arch::irq::enable();
            }
        }
    }
}

/// Number of runnable threads waiting (for /proc/loadavg-like figures).
pub fn nr_runnable() -> usize {
    RUN_QUEUE.lock().queue.len()
}
