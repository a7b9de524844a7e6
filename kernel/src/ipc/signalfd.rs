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
use crate::signal::{SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SigInfo, SigSet, UNBLOCKABLE, sig_bit};

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

    /// Takes one pending signal of the set from the caller's queues.
    fn take_one(&self) -> Option<SigInfo> {
        current().dequeue_signal_masked(!self.mask())
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

/// The record read for one signal (Linux's signalfd_copyinfo: which
/// fields are filled depends on the kind of signal).
fn encode(info: &SigInfo) -> [u8; SIGINFO_SIZE] {
    let mut b = [0u8; SIGINFO_SIZE];
    b[0..4].copy_from_slice(&info.signo.to_le_bytes());
    b[4..8].copy_from_slice(&info.errno.to_le_bytes());
    b[8..12].copy_from_slice(&info.code.to_le_bytes());
    let fault = matches!(info.signo, SIGSEGV | SIGBUS | SIGILL | SIGFPE | SIGTRAP) && info.code > 0;
    if fault {
        b[72..80].copy_from_slice(&info.addr.to_le_bytes()); // ssi_addr
        return b;
    }
    b[12..16].copy_from_slice(&(info.pid as u32).to_le_bytes()); // ssi_pid
    b[16..20].copy_from_slice(&info.uid.to_le_bytes()); // ssi_uid
    if info.signo == SIGCHLD && info.code > 0 {
        b[40..44].copy_from_slice(&info.status.to_le_bytes()); // ssi_status
    } else if info.code < 0 {
        // Queued with a value (sigqueue, timers, message queues).
        b[44..48].copy_from_slice(&(info.value as u32).to_le_bytes()); // ssi_int
        b[48..56].copy_from_slice(&info.value.to_le_bytes()); // ssi_ptr
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
}
