//! Processes (thread groups): identity, family, state changes that parents
//! wait for, and the process table.
//!
//! Key rule (design lesson): a process's exit *always* wakes its parent's
//! wait queue; SIGCHLD's disposition only decides whether a signal is sent
//! and whether the child is reaped automatically.

pub mod creds;
pub mod exec;
pub mod exit;
pub mod fork;
pub mod thread;
pub mod wait;

use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::path::PathNode;
use crate::sched::wait::WaitQueue;
use crate::signal::{SigInfo, SigQueue, SigSet};
pub use thread::{Pid, Thread};

/// Highest pid before wrapping (Linux's default pid_max).
const PID_MAX: Pid = 32768;

/// Resource limits (getrlimit/setrlimit), soft and hard.
#[derive(Clone, Copy, Debug)]
pub struct Rlimit {
    /// Soft limit.
    pub cur: u64,
    /// Hard limit.
    pub max: u64,
}

/// RLIM_INFINITY
pub const RLIM_INFINITY: u64 = u64::MAX;
/// RLIMIT_FSIZE: largest file a process may create.
pub const RLIMIT_FSIZE: usize = 1;
/// RLIMIT_NPROC: tasks a user may own.
pub const RLIMIT_NPROC: usize = 6;
/// RLIMIT_NOFILE: descriptor limit.
pub const RLIMIT_NOFILE: usize = 7;
/// Number of resource kinds (RLIM_NLIMITS).
pub const RLIM_NLIMITS: usize = 16;

/// Linux's defaults for a first process.
pub fn default_rlimits() -> [Rlimit; RLIM_NLIMITS] {
    let inf = Rlimit { cur: RLIM_INFINITY, max: RLIM_INFINITY };
    let mut r = [inf; RLIM_NLIMITS];
    r[3] = Rlimit { cur: 8 << 20, max: RLIM_INFINITY }; // RLIMIT_STACK
    r[4] = Rlimit { cur: 0, max: RLIM_INFINITY }; // RLIMIT_CORE
    r[6] = Rlimit { cur: 3934, max: 3934 }; // RLIMIT_NPROC
    r[7] = Rlimit { cur: 1024, max: 4096 }; // RLIMIT_NOFILE
    r[8] = Rlimit { cur: 8 << 20, max: 8 << 20 }; // RLIMIT_MEMLOCK
    r[11] = Rlimit { cur: 3934, max: 3934 }; // RLIMIT_SIGPENDING
    r[12] = Rlimit { cur: 819_200, max: 819_200 }; // RLIMIT_MSGQUEUE
    r[13] = Rlimit { cur: 0, max: 0 }; // RLIMIT_NICE
    r[14] = Rlimit { cur: 0, max: 0 }; // RLIMIT_RTPRIO
    r
}

/// How a process ended or changed state, as wait4 encodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    /// exit(code)
    Exited(u8),
    /// Killed by a signal (core dumped?).
    Signaled(u32, bool),
    /// Stopped by a signal.
    Stopped(u32),
    /// Continued by SIGCONT.
    Continued,
}

impl WaitStatus {
    /// The `int` status wait4 stores.
    pub fn encode(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => (c as i32) << 8,
            WaitStatus::Signaled(s, core) => s as i32 | if core { 0x80 } else { 0 },
            WaitStatus::Stopped(s) => ((s as i32) << 8) | 0x7f,
            WaitStatus::Continued => 0xffff,
        }
    }
}

/// Lifecycle of a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// Running (or runnable, or sleeping).
    Alive,
    /// All threads exited; waiting for the parent to reap.
    Zombie(WaitStatus),
    /// Reaped (wait4 returned it): gone from the table.
    Reaped,
}

/// State a parent may observe through wait4 with WUNTRACED/WCONTINUED.
#[derive(Default)]
pub struct JobState {
    /// Stopped by this signal, not yet reported.
    pub stop_report: Option<u32>,
    /// Continued, not yet reported.
    pub continue_report: bool,
    /// Currently stopped.
    pub stopped: bool,
}

/// Resource usage figures (getrusage, wait4, /proc/PID/stat).
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    /// User time in ticks.
    pub user_ticks: u64,
    /// System time in ticks.
    pub system_ticks: u64,
    /// Page faults resolved without I/O.
    pub minor_faults: u64,
    /// Times the thread gave up the CPU to wait.
    pub voluntary_switches: u64,
    /// Times the thread was preempted.
    pub involuntary_switches: u64,
    /// Largest resident set, in pages (a maximum, not a sum).
    pub max_rss_pages: u64,
}

impl Usage {
    /// Adds `other`'s counts to these (maximum for the resident set).
    pub fn absorb(&mut self, other: &Usage) {
        self.user_ticks += other.user_ticks;
        self.system_ticks += other.system_ticks;
        self.minor_faults += other.minor_faults;
        self.voluntary_switches += other.voluntary_switches;
        self.involuntary_switches += other.involuntary_switches;
        self.max_rss_pages = self.max_rss_pages.max(other.max_rss_pages);
    }
}

/// A thread group.
pub struct Process {
    /// Process id (the leader's tid).
    pub pid: Pid,
    parent: SpinLock<Weak<Process>>,
    children: SpinLock<Vec<Arc<Process>>>,
    threads: SpinLock<Vec<Weak<Thread>>>,
    pgid: AtomicI32,
    sid: AtomicI32,
    lifecycle: SpinLock<Lifecycle>,
    /// Stop/continue reports for the parent.
    pub job: SpinLock<JobState>,
    /// Woken whenever a child changes state (exit, stop, continue).
    pub child_events: WaitQueue,
    shared_pending: SpinLock<SigQueue>,
    shared_pending_bits: AtomicU64,
    /// Identity.
    pub creds: SpinLock<creds::Credentials>,
    /// The leader thread's command name (16 bytes, NUL-padded:
    /// /proc/PID/comm); each thread keeps its own (Thread::comm).
    pub comm: SpinLock<[u8; 16]>,
    /// The executable.
    pub exe: SpinLock<Option<Arc<PathNode>>>,
    /// Resource limits.
    pub rlimits: SpinLock<[Rlimit; RLIM_NLIMITS]>,
    /// Start time (monotonic ns).
    pub start_ns: u64,
    /// CPU time of reaped children (RUSAGE_CHILDREN).
    pub children_usage: SpinLock<Usage>,
    /// CPU time of exited threads of this process.
    pub dead_threads_usage: SpinLock<Usage>,
    /// Signal sent to the parent at exit (SIGCHLD, or clone's choice).
    pub exit_signal: ExitSignal,
    /// Exit status chosen by exit_group or a fatal signal, once set.
    pub group_exit: SpinLock<Option<WaitStatus>>,
    /// The thread in execve waiting for the others to die (Linux's
    /// group_exec_task), 0 if none: their SIGKILL ends only themselves.
    pub exec_tid: AtomicI32,
    /// Woken whenever a thread of this process exits.
    pub thread_exits: WaitQueue,
    /// Controlling terminal of the session this process belongs to.
    pub ctty: SpinLock<Option<Arc<crate::tty::Tty>>>,
    /// Its control group (inherited at fork).
    cgroup: SpinLock<Arc<crate::cgroup::Cgroup>>,
    /// PR_SET_PDEATHSIG
    pub pdeath_signal: AtomicI32,
    /// PR_SET_CHILD_SUBREAPER
    pub child_subreaper: core::sync::atomic::AtomicBool,
    /// ITIMER_REAL / alarm.
    pub real_timer: SpinLock<Option<crate::signal::itimer::RealTimer>>,
    /// Set by a successful execve (setpgid on such a child is EACCES).
    pub did_exec: core::sync::atomic::AtomicBool,
    /// Argument and environment string ranges of the running program.
    pub args: SpinLock<ArgRanges>,
    /// ITIMER_VIRTUAL and ITIMER_PROF.
    pub cpu_itimers: SpinLock<crate::signal::itimer::CpuItimers>,
    /// POSIX timers (timer_create).
    pub posix_timers: SpinLock<crate::signal::posix_timer::PosixTimers>,
    /// CPU time of the finished time slices of all its threads (ns).
    cpu_ns: AtomicU64,
}

static PROCESSES: SpinLock<BTreeMap<Pid, Weak<Process>>> = SpinLock::new(BTreeMap::new());
static THREADS: SpinLock<BTreeMap<Pid, Weak<Thread>>> = SpinLock::new(BTreeMap::new());
static LAST_PID: AtomicI32 = AtomicI32::new(0);

static FORKS: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

/// The most recently allocated pid (/proc/loadavg).
pub fn last_pid() -> Pid {
    LAST_PID.load(Ordering::Relaxed)
}

/// Threads and processes created since boot (/proc/stat "processes").
pub fn forks_total() -> u64 {
    FORKS.load(Ordering::Relaxed)
}

/// Allocates an unused thread/process id.
pub fn alloc_pid() -> KResult<Pid> {
    FORKS.fetch_add(1, Ordering::Relaxed);
    let threads = THREADS.lock();
    let procs = PROCESSES.lock();
    for _ in 0..PID_MAX {
        let mut next = LAST_PID.load(Ordering::Relaxed) + 1;
        if next >= PID_MAX {
            next = 300; // Linux's RESERVED_PIDS: wrap to 300
        }
        LAST_PID.store(next, Ordering::Relaxed);
        if !threads.contains_key(&next) && !procs.contains_key(&next) {
            return Ok(next);
        }
    }
    Err(Errno::EAGAIN)
}

/// Registers a thread in the tid table.
pub fn register_thread(t: &Arc<Thread>) {
    THREADS.lock().insert(t.tid(), Arc::downgrade(t));
}

/// Removes a thread from the tid table.
pub fn unregister_thread(tid: Pid) {
    THREADS.lock().remove(&tid);
}

/// Gives thread `t` the id `tid` (execve from a non-leader thread takes
/// over the leader's id, which its process keeps reserved).
fn rename_thread(t: &Arc<Thread>, tid: Pid) {
    let mut threads = THREADS.lock();
    threads.remove(&t.tid());
    t.set_tid(tid);
    threads.insert(tid, Arc::downgrade(t));
}

/// The thread with id `tid`.
pub fn find_thread(tid: Pid) -> Option<Arc<Thread>> {
    THREADS.lock().get(&tid).and_then(|w| w.upgrade())
}

/// The (living or zombie) process with id `pid`.
pub fn find_process(pid: Pid) -> Option<Arc<Process>> {
    PROCESSES.lock().get(&pid).and_then(|w| w.upgrade())
}

/// Every process in the table.
pub fn all_processes() -> Vec<Arc<Process>> {
    PROCESSES.lock().values().filter_map(|w| w.upgrade()).collect()
}

/// The living processes of process group `pgid`.
pub fn process_group(pgid: Pid) -> Vec<Arc<Process>> {
    all_processes().into_iter().filter(|p| p.pgid() == pgid && p.is_alive()).collect()
}

/// Whether process group `pgid` is orphaned: no member has a parent in
/// the same session but another group (POSIX; such a group gets no job
/// control signals from its terminal).
pub fn pgrp_is_orphaned(pgid: Pid) -> bool {
    !process_group(pgid).iter().any(|p| p.parent().is_some_and(|par| par.pgid() != pgid && par.sid() == p.sid()))
}

/// A command name as the kernel keeps it: at most 15 bytes, NUL-padded.
pub fn comm_bytes(name: &[u8]) -> [u8; 16] {
    let mut c = [0u8; 16];
    let n = name.iter().position(|&b| b == 0).unwrap_or(name.len()).min(15);
    c[..n].copy_from_slice(&name[..n]);
    c
}

/// The processes of group `pgid`, zombies included (kill(2) reports
/// success for a group whose members have died but are not yet reaped).
pub fn process_group_with_zombies(pgid: Pid) -> Vec<Arc<Process>> {
    all_processes().into_iter().filter(|p| p.pgid() == pgid).collect()
}

impl Process {
    /// A new process; `parent` None only for init and the idle process.
    pub fn new(pid: Pid, parent: Option<&Arc<Process>>, exit_signal: u32) -> Arc<Process> {
        let (pgid, sid, creds, comm, exe, rlimits, ctty) = match parent {
            Some(p) => (p.pgid(), p.sid(), p.creds.lock().clone(), *p.comm.lock(), p.exe.lock().clone(), *p.rlimits.lock(), p.ctty.lock().clone()),
            None => (pid, pid, creds::Credentials::root(), [0u8; 16], None, default_rlimits(), None),
        };
        let p = Arc::new(Process {
            pid,
            parent: SpinLock::new(parent.map(Arc::downgrade).unwrap_or_default()),
            children: SpinLock::new(Vec::new()),
            threads: SpinLock::new(Vec::new()),
            pgid: AtomicI32::new(pgid),
            sid: AtomicI32::new(sid),
            lifecycle: SpinLock::new(Lifecycle::Alive),
            job: SpinLock::new(JobState::default()),
            child_events: WaitQueue::new(),
            shared_pending: SpinLock::new(SigQueue::default()),
            shared_pending_bits: AtomicU64::new(0),
            creds: SpinLock::new(creds),
            comm: SpinLock::new(comm),
            exe: SpinLock::new(exe),
            rlimits: SpinLock::new(rlimits),
            start_ns: crate::time::monotonic_ns(),
            children_usage: SpinLock::new(Usage::default()),
            dead_threads_usage: SpinLock::new(Usage::default()),
            exit_signal: ExitSignal(AtomicU32::new(exit_signal)),
            group_exit: SpinLock::new(None),
            exec_tid: AtomicI32::new(0),
            thread_exits: WaitQueue::new(),
            ctty: SpinLock::new(ctty),
            cgroup: SpinLock::new(parent.map_or_else(crate::cgroup::root, |p| p.cgroup())),
            pdeath_signal: AtomicI32::new(0),
            child_subreaper: core::sync::atomic::AtomicBool::new(false),
            real_timer: SpinLock::new(None),
            did_exec: core::sync::atomic::AtomicBool::new(false),
            args: SpinLock::new(parent.map(|p| *p.args.lock()).unwrap_or_default()),
            cpu_itimers: SpinLock::new(Default::default()),
            posix_timers: SpinLock::new(Default::default()),
            cpu_ns: AtomicU64::new(0),
        });
        if pid > 0 {
            PROCESSES.lock().insert(pid, Arc::downgrade(&p));
        }
        if let Some(parent) = parent {
            parent.children.lock().push(p.clone());
        }
        p
    }

    /// Its control group.
    pub fn cgroup(&self) -> Arc<crate::cgroup::Cgroup> {
        self.cgroup.lock().clone()
    }

    /// Moves it to another control group.
    pub fn set_cgroup(&self, group: Arc<crate::cgroup::Cgroup>) {
        *self.cgroup.lock() = group;
    }

    /// The parent, if still there.
    pub fn parent(&self) -> Option<Arc<Process>> {
        self.parent.lock().upgrade()
    }

    /// getppid: 0 when there is no parent (init).
    pub fn ppid(&self) -> Pid {
        self.parent().map_or(0, |p| p.pid)
    }

    /// The children (living and zombie).
    pub fn children(&self) -> Vec<Arc<Process>> {
        self.children.lock().clone()
    }

    /// Removes a reaped child.
    pub fn remove_child(&self, pid: Pid) {
        self.children.lock().retain(|c| c.pid != pid);
    }

    /// Adopts `child` (reparenting at exit).
    pub fn adopt(self: &Arc<Self>, child: Arc<Process>) {
        *child.parent.lock() = Arc::downgrade(self);
        self.children.lock().push(child);
    }

    /// Takes all children (for reparenting).
    pub fn take_children(&self) -> Vec<Arc<Process>> {
        core::mem::take(&mut *self.children.lock())
    }

    /// Adds a thread.
    pub fn add_thread(&self, t: &Arc<Thread>) {
        self.threads.lock().push(Arc::downgrade(t));
    }

    /// Removes a thread; returns how many remain.
    pub fn remove_thread(&self, tid: Pid) -> usize {
        let mut ts = self.threads.lock();
        ts.retain(|w| w.upgrade().is_some_and(|t| t.tid() != tid));
        ts.len()
    }

    /// The living threads.
    pub fn threads(&self) -> Vec<Arc<Thread>> {
        self.threads.lock().iter().filter_map(|w| w.upgrade()).collect()
    }

    /// Process group id.
    pub fn pgid(&self) -> Pid {
        self.pgid.load(Ordering::Relaxed)
    }

    /// Sets the process group.
    pub fn set_pgid(&self, pgid: Pid) {
        self.pgid.store(pgid, Ordering::Relaxed);
    }

    /// Session id.
    pub fn sid(&self) -> Pid {
        self.sid.load(Ordering::Relaxed)
    }

    /// Starts a new session (setsid).
    pub fn set_sid(&self, sid: Pid) {
        self.sid.store(sid, Ordering::Relaxed);
    }

    /// Lifecycle state.
    pub fn lifecycle(&self) -> Lifecycle {
        *self.lifecycle.lock()
    }

    /// Sets the lifecycle state.
    pub fn set_lifecycle(&self, l: Lifecycle) {
        *self.lifecycle.lock() = l;
        if l == Lifecycle::Reaped {
            PROCESSES.lock().remove(&self.pid);
        }
        // Exit and reaping make pidfds readable.
        crate::ipc::pidfd::lifecycle_changed(self);
    }

    /// Whether the process has not exited.
    pub fn is_alive(&self) -> bool {
        self.lifecycle() == Lifecycle::Alive
    }

    /// Pending set shared by the process.
    pub fn shared_pending_bits(&self) -> SigSet {
        self.shared_pending_bits.load(Ordering::Acquire)
    }

    fn take_shared_signal(&self, mask: SigSet) -> Option<SigInfo> {
        let mut p = self.shared_pending.lock();
        let r = p.take(mask);
        self.shared_pending_bits.store(p.bits(), Ordering::Release);
        r
    }

    /// Discards process-wide pending signals in `set`.
    pub fn discard_shared_signals(&self, set: SigSet) {
        let mut p = self.shared_pending.lock();
        p.discard(set);
        self.shared_pending_bits.store(p.bits(), Ordering::Release);
    }

    /// Sends a signal to the process (kill): queued process-wide, one
    /// thread that does not block it is woken.
    pub fn send_signal(self: &Arc<Self>, info: SigInfo) {
        crate::signal::delivery::send_to_process(self, info);
    }

    /// Queues a process-wide signal (used by the delivery module).
    pub fn queue_shared(&self, info: SigInfo) {
        let mut p = self.shared_pending.lock();
        p.push(info);
        self.shared_pending_bits.store(p.bits(), Ordering::Release);
    }

    /// If a timer signal from `t` waits in the process-wide queue, counts
    /// `expiries` more overruns on it.
    pub fn add_timer_overrun(&self, t: crate::signal::posix_timer::TimerRef, expiries: u64) -> bool {
        self.shared_pending.lock().add_timer_overrun(t, expiries)
    }

    /// Adds a finished time slice of one of its threads.
    pub fn add_cpu_ns(&self, ns: u64) {
        self.cpu_ns.fetch_add(ns, Ordering::Relaxed);
    }

    /// CPU time used by all its threads so far (ns), running slices
    /// included (CLOCK_PROCESS_CPUTIME_ID).
    pub fn cpu_time_ns(&self) -> u64 {
        let now = crate::time::monotonic_ns();
        let running: u64 = self.threads().iter().map(|t| t.running_slice_ns(now)).sum();
        self.cpu_ns.load(Ordering::Relaxed) + running
    }

    /// Sets the command name of the process and its leader thread.
    pub fn set_comm(&self, name: &[u8]) {
        match self.threads().into_iter().find(|t| t.tid() == self.pid) {
            Some(leader) => leader.set_comm(name),
            None => *self.comm.lock() = comm_bytes(name),
        }
    }

    /// The command name (its leader thread's) without padding.
    pub fn comm(&self) -> Vec<u8> {
        let c = *self.comm.lock();
        let n = c.iter().position(|&b| b == 0).unwrap_or(16);
        c[..n].to_vec()
    }

    /// Soft limit of resource `r`.
    pub fn rlimit(&self, r: usize) -> u64 {
        self.rlimits.lock()[r].cur
    }
}

/// Where a program's argument and environment strings live in its memory.
#[derive(Clone, Copy, Debug, Default)]
pub struct ArgRanges {
    /// First argument byte.
    pub arg_start: u64,
    /// End of the arguments.
    pub arg_end: u64,
    /// First environment byte.
    pub env_start: u64,
    /// End of the environment.
    pub env_end: u64,
}

/// The signal a process's parent gets when it ends: clone's choice (0 for
/// none), and SIGCHLD after any execve (Linux's de_thread resets it: a
/// new program is an ordinary child, whatever made its process). It
/// compares with a signal number directly.
pub struct ExitSignal(AtomicU32);

impl ExitSignal {
    /// The signal number (0: none).
    pub fn get(&self) -> u32 {
        self.0.load(Ordering::Relaxed)
    }

    /// Sets it (execve).
    pub fn set(&self, sig: u32) {
        self.0.store(sig, Ordering::Relaxed);
    }
}

impl PartialEq<u32> for ExitSignal {
    fn eq(&self, sig: &u32) -> bool {
        self.get() == *sig
    }
}

/// Completion a vfork parent sleeps on.
#[derive(Default)]
pub struct VforkDone {
    done: core::sync::atomic::AtomicBool,
    queue: WaitQueue,
}

impl VforkDone {
    /// Marks the child as having exec'd or exited, waking the parent.
    pub fn complete(&self) {
        self.done.store(true, Ordering::Release);
        self.queue.wake_all();
    }

    /// Waits for completion; killable only (Linux's vfork wait): other
    /// signals wait until the child has exec'd or exited, a SIGKILL (or
    /// the end of the process) ends the wait, and the caller dies on its
    /// way back to user mode.
    pub fn wait(&self) {
        let me = crate::sched::current();
        loop {
            let r = self.queue.wait_until(|| self.done.load(Ordering::Acquire).then_some(()));
            if r.is_ok() || self.done.load(Ordering::Acquire) {
                return;
            }
            if me.pending_set() & crate::signal::sig_bit(crate::signal::SIGKILL) != 0 {
                return;
            }
            crate::sched::schedule();
        }
    }
}
