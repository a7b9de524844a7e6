//! Threads: what the scheduler runs. A thread belongs to one process
//! (thread group) and holds references to the resources it may share with
//! other threads or processes (address space, descriptors, file-system
//! context, signal handlers), each replaceable by execve or unshare.

use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, AtomicU32, AtomicU64, AtomicUsize, Ordering};

use kevlar_hal::arch::context::{HasContext, TaskContext};
use kevlar_hal::sync::SpinLock;

use super::Process;
use crate::fs::fdtable::FdTable;
use crate::fs::path::FsContext;
use crate::mm::AddressSpace;
use crate::signal::{AltStack, SigHandlers, SigInfo, SigQueue, SigSet, UNBLOCKABLE};

/// A thread or process id.
pub type Pid = i32;

/// Scheduling state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ThreadState {
    /// On a CPU now.
    Running = 0,
    /// On the run queue.
    Runnable = 1,
    /// Waiting on a wait queue or a timer.
    Sleeping = 2,
    /// Stopped by a signal (job control).
    Stopped = 3,
    /// Exited; waiting to be dropped.
    Dead = 4,
}

impl ThreadState {
    fn from_u8(v: u8) -> ThreadState {
        match v {
            0 => ThreadState::Running,
            1 => ThreadState::Runnable,
            2 => ThreadState::Sleeping,
            3 => ThreadState::Stopped,
            _ => ThreadState::Dead,
        }
    }
}

/// Descriptor table shared by CLONE_FILES.
pub type SharedFiles = Arc<SpinLock<FdTable>>;
/// File-system context shared by CLONE_FS.
pub type SharedFs = Arc<SpinLock<FsContext>>;
/// Signal dispositions shared by CLONE_SIGHAND.
pub type SharedSigHandlers = Arc<SpinLock<SigHandlers>>;

/// A schedulable thread.
pub struct Thread {
    /// Thread id (equals the pid for a process's first thread). It changes
    /// once at most: a non-leader thread that calls execve takes over the
    /// leader's id (see process::exit::de_thread).
    tid: AtomicI32,
    /// The thread group.
    pub process: Arc<Process>,
    /// Its command name (PR_SET_NAME names one thread; /proc/PID/comm
    /// shows the leader's), NUL-padded.
    comm: kevlar_hal::sync::SpinLock<[u8; 16]>,
    context: TaskContext,
    state: AtomicU8,
    is_idle: bool,
    /// Set by the timer when the time slice is used up.
    pub need_resched: AtomicBool,
    timeslice: AtomicU32,
    mm: SpinLock<Option<Arc<AddressSpace>>>,
    files: SpinLock<SharedFiles>,
    fs: SpinLock<SharedFs>,
    sighand: SpinLock<SharedSigHandlers>,
    /// Blocked signals.
    sigmask: AtomicU64,
    /// Signals sent to this thread.
    pending: SpinLock<SigQueue>,
    pending_bits: AtomicU64,
    /// Mask to restore after a handler run by sigsuspend/ppoll/pselect.
    pub saved_sigmask: SpinLock<Option<SigSet>>,
    /// Alternate signal stack.
    pub altstack: SpinLock<AltStack>,
    /// The mask in force before sigtimedwait opened it to the signals it
    /// waits for (0 otherwise): such signals are not "ignored and
    /// unblocked", so they are not dropped when sent.
    real_blocked: AtomicU64,
    /// State for resuming an interrupted call through restart_syscall.
    pub restart: SpinLock<Option<crate::signal::restart::RestartBlock>>,
    /// CPU time of this thread's finished time slices (ns).
    cpu_ns: AtomicU64,
    /// Monotonic time this thread was last switched in, 0 while it is
    /// not on a CPU.
    on_cpu_since: AtomicU64,
    /// set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken at exit.
    pub clear_child_tid: AtomicUsize,
    /// set_robust_list head: the robust futexes this thread holds, marked
    /// FUTEX_OWNER_DIED by the kernel when it dies (ipc::futex).
    pub robust_list: AtomicUsize,
    /// Timer ticks spent in user and kernel mode.
    pub user_ticks: AtomicU64,
    /// Kernel-mode ticks.
    pub system_ticks: AtomicU64,
    /// Page faults resolved (all minor: there is no swap or page cache I/O).
    pub minor_faults: AtomicU64,
    /// Switches away because the thread waited, and because it was preempted.
    pub voluntary_switches: AtomicU64,
    pub involuntary_switches: AtomicU64,
    /// Whether the thread is executing a system call now (tick accounting).
    pub in_kernel: AtomicBool,
    /// The vfork parent waits on this until the child execs or exits.
    pub vfork_done: SpinLock<Option<Arc<super::VforkDone>>>,
    /// An exit decided but not yet carried out (see process::exit).
    exit_request: SpinLock<Option<super::WaitStatus>>,
    /// Scheduling policy, priority and nice value.
    sched_params: SpinLock<crate::sched::policy::SchedParams>,
}

impl HasContext for Thread {
    fn task_context(&self) -> &TaskContext {
        &self.context
    }
}

/// The resources a new thread starts with.
pub struct ThreadResources {
    /// Address space (None for kernel threads).
    pub mm: Option<Arc<AddressSpace>>,
    /// Descriptor table.
    pub files: SharedFiles,
    /// File-system context.
    pub fs: SharedFs,
    /// Signal dispositions.
    pub sighand: SharedSigHandlers,
    /// Initial signal mask.
    pub sigmask: SigSet,
    /// Scheduling parameters (inherited at fork).
    pub sched_params: crate::sched::policy::SchedParams,
}

impl Thread {
    /// A new thread with a ready context.
    pub fn new(tid: Pid, process: Arc<Process>, context: TaskContext, res: ThreadResources) -> Arc<Thread> {
        Self::build(tid, process, context, res, false)
    }

    /// Its command name without padding.
    pub fn comm(&self) -> alloc::vec::Vec<u8> {
        let c = *self.comm.lock();
        let n = c.iter().position(|&b| b == 0).unwrap_or(16);
        c[..n].to_vec()
    }

    /// Names the thread (PR_SET_NAME, execve, a write to its comm file);
    /// the leader's name is the process's too.
    pub fn set_comm(&self, name: &[u8]) {
        let c = super::comm_bytes(name);
        *self.comm.lock() = c;
        if self.tid() == self.process.pid {
            *self.process.comm.lock() = c;
        }
    }

    /// The idle thread of the boot CPU (it is the boot code itself).
    pub fn new_idle(process: Arc<Process>, res: ThreadResources) -> Arc<Thread> {
        Self::build(0, process, TaskContext::for_boot_cpu(), res, true)
    }

    fn build(tid: Pid, process: Arc<Process>, context: TaskContext, res: ThreadResources, is_idle: bool) -> Arc<Thread> {
        let state = if is_idle { ThreadState::Running } else { ThreadState::Runnable };
        let comm = *process.comm.lock();
        Arc::new(Thread {
            tid: AtomicI32::new(tid),
            process,
            comm: kevlar_hal::sync::SpinLock::new(comm),
            context,
            state: AtomicU8::new(state as u8),
            is_idle,
            need_resched: AtomicBool::new(false),
            timeslice: AtomicU32::new(0),
            mm: SpinLock::new(res.mm),
            files: SpinLock::new(res.files),
            fs: SpinLock::new(res.fs),
            sighand: SpinLock::new(res.sighand),
            sigmask: AtomicU64::new(res.sigmask),
            pending: SpinLock::new(SigQueue::default()),
            pending_bits: AtomicU64::new(0),
            saved_sigmask: SpinLock::new(None),
            altstack: SpinLock::new(AltStack { flags: crate::signal::SS_DISABLE, ..Default::default() }),
            real_blocked: AtomicU64::new(0),
            restart: SpinLock::new(None),
            cpu_ns: AtomicU64::new(0),
            on_cpu_since: AtomicU64::new(0),
            clear_child_tid: AtomicUsize::new(0),
            robust_list: AtomicUsize::new(0),
            user_ticks: AtomicU64::new(0),
            system_ticks: AtomicU64::new(0),
            minor_faults: AtomicU64::new(0),
            voluntary_switches: AtomicU64::new(0),
            involuntary_switches: AtomicU64::new(0),
            in_kernel: AtomicBool::new(false),
            vfork_done: SpinLock::new(None),
            exit_request: SpinLock::new(None),
            sched_params: SpinLock::new(res.sched_params),
        })
    }

    /// Thread id.
    pub fn tid(&self) -> Pid {
        self.tid.load(Ordering::Relaxed)
    }

    /// Takes a new thread id (execve from a non-leader thread becomes the
    /// leader). The caller re-registers the thread under it.
    pub(super) fn set_tid(&self, tid: Pid) {
        self.tid.store(tid, Ordering::Relaxed);
    }

    /// Whether this is an idle thread.
    pub fn is_idle(&self) -> bool {
        self.is_idle
    }

    /// The saved CPU context.
    pub fn context(&self) -> &TaskContext {
        &self.context
    }

    /// Scheduling state.
    pub fn state(&self) -> ThreadState {
        ThreadState::from_u8(self.state.load(Ordering::Acquire))
    }

    /// Sets the scheduling state.
    pub fn set_state(&self, s: ThreadState) {
        self.state.store(s as u8, Ordering::Release);
    }

    /// Moves from `from` to `to` if the state is `from`.
    pub fn transition(&self, from: ThreadState, to: ThreadState) -> bool {
        self.state.compare_exchange(from as u8, to as u8, Ordering::AcqRel, Ordering::Acquire).is_ok()
    }

    /// Starts a new time slice.
    pub fn reset_timeslice(&self, ticks: u32) {
        self.timeslice.store(ticks, Ordering::Relaxed);
        self.need_resched.store(false, Ordering::Relaxed);
    }

    /// Charges one tick; called from the timer interrupt.
    pub fn account_tick(&self) {
        let left = self.timeslice.load(Ordering::Relaxed);
        self.timeslice.store(left.saturating_sub(1), Ordering::Relaxed);
        if !self.is_idle {
            if self.in_kernel.load(Ordering::Relaxed) {
                self.system_ticks.fetch_add(1, Ordering::Relaxed);
            } else {
                self.user_ticks.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Whether the time slice is used up.
    pub fn timeslice_expired(&self) -> bool {
        self.timeslice.load(Ordering::Relaxed) == 0
    }

    /// Loads this thread's page table (or the kernel's).
    pub fn activate_address_space(&self) {
        match self.mm.lock().as_ref() {
            Some(mm) => mm.activate(),
            None => kevlar_hal::arch::paging::activate_kernel_table(),
        }
    }

    /// The address space.
    pub fn mm(&self) -> Option<Arc<AddressSpace>> {
        self.mm.lock().clone()
    }

    /// Replaces the address space (execve), returning the old one.
    pub fn replace_mm(&self, mm: Arc<AddressSpace>) -> Option<Arc<AddressSpace>> {
        let old = self.mm.lock().replace(mm);
        self.activate_address_space();
        self.retire_mm(old.as_ref());
        old
    }

    /// Drops the address space (exit).
    pub fn take_mm(&self) -> Option<Arc<AddressSpace>> {
        let old = self.mm.lock().take();
        kevlar_hal::arch::paging::activate_kernel_table();
        self.retire_mm(old.as_ref());
        old
    }

    /// Keeps the peak resident set of an address space this thread leaves
    /// behind: ru_maxrss covers the process's whole life, across execve.
    fn retire_mm(&self, old: Option<&Arc<AddressSpace>>) {
        if let Some(old) = old {
            let peak = old.resident_pages().1 as u64;
            let mut u = self.process.dead_threads_usage.lock();
            u.max_rss_pages = u.max_rss_pages.max(peak);
        }
    }

    /// This thread's own counts (its CPU time, faults and switches).
    pub fn usage(&self) -> super::Usage {
        super::Usage {
            user_ticks: self.user_ticks.load(Ordering::Relaxed),
            system_ticks: self.system_ticks.load(Ordering::Relaxed),
            minor_faults: self.minor_faults.load(Ordering::Relaxed),
            voluntary_switches: self.voluntary_switches.load(Ordering::Relaxed),
            involuntary_switches: self.involuntary_switches.load(Ordering::Relaxed),
            max_rss_pages: 0,
        }
    }

    /// The descriptor table.
    pub fn files(&self) -> SharedFiles {
        self.files.lock().clone()
    }

    /// Replaces the descriptor table (unshare, exit).
    pub fn set_files(&self, f: SharedFiles) -> SharedFiles {
        core::mem::replace(&mut *self.files.lock(), f)
    }

    /// The file-system context.
    pub fn fs(&self) -> SharedFs {
        self.fs.lock().clone()
    }

    /// Replaces the file-system context (unshare).
    pub fn set_fs(&self, f: SharedFs) -> SharedFs {
        core::mem::replace(&mut *self.fs.lock(), f)
    }

    /// The signal dispositions.
    pub fn sighand(&self) -> SharedSigHandlers {
        self.sighand.lock().clone()
    }

    /// Replaces the dispositions (execve un-shares them).
    pub fn set_sighand(&self, h: SharedSigHandlers) {
        *self.sighand.lock() = h;
    }

    /// The blocked set.
    pub fn sigmask(&self) -> SigSet {
        self.sigmask.load(Ordering::Relaxed)
    }

    /// Sets the blocked set (SIGKILL and SIGSTOP can never be blocked).
    pub fn set_sigmask(&self, mask: SigSet) {
        self.sigmask.store(mask & !UNBLOCKABLE, Ordering::Relaxed);
    }

    /// Queues a signal for this thread and wakes it.
    pub fn send_signal(self: &Arc<Self>, info: SigInfo) {
        {
            let mut p = self.pending.lock();
            p.push(info);
            self.pending_bits.store(p.bits(), Ordering::Release);
        }
        self.kick();
    }

    /// Wakes the thread so it notices a signal (if it is not blocked).
    pub fn kick(self: &Arc<Self>) {
        crate::sched::wake(self);
    }

    /// Whether an unblocked signal is pending for this thread or process.
    pub fn has_pending_signal(&self) -> bool {
        let pending = self.pending_bits.load(Ordering::Acquire) | self.process.shared_pending_bits();
        pending & !self.sigmask() != 0
    }

    /// Pending set of this thread and its process (sigpending).
    pub fn pending_set(&self) -> SigSet {
        self.pending_bits.load(Ordering::Acquire) | self.process.shared_pending_bits()
    }

    /// Takes the next deliverable signal, thread-directed ones first.
    pub fn dequeue_signal(&self) -> Option<SigInfo> {
        self.dequeue_signal_masked(self.sigmask())
    }

    /// Takes the next pending signal not in `mask`, thread-directed ones
    /// first (sigtimedwait passes the complement of the set it waits for).
    pub fn dequeue_signal_masked(&self, mask: SigSet) -> Option<SigInfo> {
        {
            let mut p = self.pending.lock();
            if let Some(info) = p.take(mask) {
                self.pending_bits.store(p.bits(), Ordering::Release);
                return Some(info);
            }
        }
        self.process.take_shared_signal(mask)
    }

    /// Scheduling parameters.
    pub fn sched_params(&self) -> crate::sched::policy::SchedParams {
        *self.sched_params.lock()
    }

    /// Replaces the scheduling parameters.
    pub fn set_sched_params(&self, p: crate::sched::policy::SchedParams) {
        *self.sched_params.lock() = p;
    }

    /// Asks for this thread to exit on its way back to user mode.
    pub fn request_exit(&self, status: super::WaitStatus) {
        self.exit_request.lock().get_or_insert(status);
    }

    /// Whether an exit is pending.
    pub fn exit_requested(&self) -> bool {
        self.exit_request.lock().is_some()
    }

    /// Takes the pending exit status, if any.
    pub fn take_exit_request(&self) -> Option<super::WaitStatus> {
        self.exit_request.lock().take()
    }

    /// See the `real_blocked` field.
    pub fn real_blocked(&self) -> SigSet {
        self.real_blocked.load(Ordering::Relaxed)
    }

    /// Sets the mask sigtimedwait replaced (0 when it returns).
    pub fn set_real_blocked(&self, mask: SigSet) {
        self.real_blocked.store(mask, Ordering::Relaxed);
    }

    /// If a timer signal from `t` waits in this thread's own queue,
    /// counts `expiries` more overruns on it.
    pub fn add_timer_overrun(&self, t: crate::signal::posix_timer::TimerRef, expiries: u64) -> bool {
        self.pending.lock().add_timer_overrun(t, expiries)
    }

    /// CPU time used so far (ns), the running slice included.
    pub fn cpu_time_ns(&self) -> u64 {
        let since = self.on_cpu_since.load(Ordering::Acquire);
        let running = if since == 0 { 0 } else { crate::time::monotonic_ns().saturating_sub(since) };
        self.cpu_ns.load(Ordering::Relaxed) + running
    }

    /// Nanoseconds of the slice now running (0 when not on a CPU).
    pub fn running_slice_ns(&self, now: u64) -> u64 {
        let since = self.on_cpu_since.load(Ordering::Acquire);
        if since == 0 { 0 } else { now.saturating_sub(since) }
    }

    /// The scheduler switches this thread in at monotonic time `now`.
    pub fn start_cpu_clock(&self, now: u64) {
        if !self.is_idle {
            self.on_cpu_since.store(now.max(1), Ordering::Release);
        }
    }

    /// The scheduler switches this thread out: its slice is added to its
    /// own and its process's CPU time.
    pub fn stop_cpu_clock(&self, now: u64) {
        let since = self.on_cpu_since.swap(0, Ordering::AcqRel);
        if since != 0 {
            let d = now.saturating_sub(since);
            self.cpu_ns.fetch_add(d, Ordering::Relaxed);
            self.process.add_cpu_ns(d);
        }
    }

    /// Discards pending signals in `set` (a stop discards SIGCONT and
    /// vice versa).
    pub fn discard_signals(&self, set: SigSet) {
        let mut p = self.pending.lock();
        p.discard(set);
        self.pending_bits.store(p.bits(), Ordering::Release);
    }
}
