//! signalfd(2): pending signals read as data.
//!
//! A [`SignalFd`] holds a set of signals. Reading it takes pending
//! signals in that set from the *reader's* own queues (thread-directed
//! first, then process-wide: the queues signal delivery takes from), as
//! `struct signalfd_siginfo` records; the signals should be blocked, or
//! delivery may take them first. Readable while such a signal is pending
//! for the thread that looks.
//!
//! Readiness depends on who asks, so there is no per-object state to
//! change: signal sending calls [`signal_queued`], which wakes the
//! signalfds whose set holds the signal (Linux wakes the sighand's
//! signalfd_wqh). A thread asleep in read or poll is also woken by the
//! signal itself.

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::signal::{SI_KERNEL, SI_TIMER, SI_USER, SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SigInfo, SigSet, UNBLOCKABLE, sig_bit};

/// SIGIO (SIGPOLL)
const SIGIO: u32 = 29;

/// sizeof(struct signalfd_siginfo)
pub const SIGINFO_SIZE: usize = 128;

/// Signalfds in existence (weakly), for [`signal_queued`].
static SIGNALFDS: SpinLock<Vec<Weak<SignalFd>>> = SpinLock::new(Vec::new());
static COUNT: AtomicUsize = AtomicUsize::new(0);

/// A signalfd.
pub struct SignalFd {
    mask: AtomicU64,
    waiters: WaitQueue,
}

impl SignalFd {
    /// A signalfd for `mask` (SIGKILL and SIGSTOP are dropped from it).
    pub fn new(mask: SigSet) -> Arc<SignalFd> {
        let s = Arc::new(SignalFd { mask: AtomicU64::new(mask & !UNBLOCKABLE), waiters: WaitQueue::new() });
        let mut list = SIGNALFDS.lock();
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(&s));
        COUNT.store(list.len(), Ordering::Relaxed);
        s
    }

    /// Replaces the set (signalfd on an existing descriptor).
    pub fn set_mask(&self, mask: SigSet) {
        self.mask.store(mask & !UNBLOCKABLE, Ordering::Relaxed);
        self.waiters.wake_with(PollEvents::IN);
    }

    fn mask(&self) -> SigSet {
        self.mask.load(Ordering::Relaxed)
    }

    /// Takes one pending signal of the set from the caller's queues, as
    /// delivery takes them (stale timer signals are skipped).
    fn take_one(&self) -> Option<SigInfo> {
        crate::signal::delivery::take_signal(&current(), !self.mask())
    }
}

/// A signal was queued: wake the signalfds that include it.
pub fn signal_queued(sig: u32) {
    if COUNT.load(Ordering::Relaxed) == 0 {
        return;
    }
    let targets: Vec<Arc<SignalFd>> = SIGNALFDS.lock().iter().filter_map(|w| w.upgrade()).filter(|s| s.mask() & sig_bit(sig) != 0).collect();
    for s in targets {
        s.waiters.wake_with(PollEvents::IN);
    }
}

/// The record read for one signal: the fields of the siginfo's union,
/// laid out by si_code as Linux's siginfo_layout chooses it, moved to
/// their struct signalfd_siginfo places (Linux's signalfd_copyinfo).
fn encode(info: &SigInfo) -> [u8; SIGINFO_SIZE] {
    let si = info.to_bytes();
    let mut b = [0u8; SIGINFO_SIZE];
    // ssi_signo, ssi_errno, ssi_code
    b[0..12].copy_from_slice(&si[0..12]);
    let mut put = |to: usize, from: usize, len: usize| b[to..to + len].copy_from_slice(&si[from..from + len]);
    let kernel_generated = info.code > SI_USER && info.code < SI_KERNEL;
    match info.signo {
        SIGSEGV | SIGBUS | SIGILL | SIGFPE | SIGTRAP if kernel_generated => put(72, 16, 8), // ssi_addr
        SIGCHLD if kernel_generated => {
            put(12, 16, 4); // ssi_pid
            put(16, 20, 4); // ssi_uid
            put(40, 24, 4); // ssi_status
            put(56, 32, 8); // ssi_utime
            put(64, 40, 8); // ssi_stime
        }
        SIGIO if kernel_generated => {
            put(28, 16, 4); // ssi_band
            put(20, 24, 4); // ssi_fd
        }
        _ if info.code == SI_TIMER => {
            put(24, 16, 4); // ssi_tid
            put(32, 20, 4); // ssi_overrun
            put(44, 24, 4); // ssi_int
            put(48, 24, 8); // ssi_ptr
        }
        _ => {
            put(12, 16, 4); // ssi_pid
            put(16, 20, 4); // ssi_uid
            if info.code < 0 {
                // Queued with a value (sigqueue, tkill, message queues).
                put(44, 24, 4); // ssi_int
                put(48, 24, 8); // ssi_ptr
            }
        }
    }
    b
}

impl FileOps for SignalFd {
    /// Whole records only (EINVAL below one); waits for the first signal
    /// unless non-blocking, then takes what else is pending.
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        let count = buf.len() / SIGINFO_SIZE;
        if count == 0 {
            return Err(Errno::EINVAL);
        }
        let first = match self.take_one() {
            Some(i) => i,
            None if file.nonblocking() => return Err(Errno::EAGAIN),
            None => self.waiters.wait_until(|| self.take_one())?,
        };
        buf[..SIGINFO_SIZE].copy_from_slice(&encode(&first));
        let mut n = 1;
        while n < count {
            let Some(info) = self.take_one() else { break };
            buf[n * SIGINFO_SIZE..(n + 1) * SIGINFO_SIZE].copy_from_slice(&encode(&info));
            n += 1;
        }
        Ok(n * SIGINFO_SIZE)
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn poll(&self) -> PollEvents {
        // Plain IN, as Linux's signalfd.
        if current().pending_set() & self.mask() != 0 { PollEvents::IN } else { PollEvents::empty() }
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
        Some("[signalfd]")
    }
}
