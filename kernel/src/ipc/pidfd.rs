//! pidfd: a descriptor for a process (pidfd_open(2)).
//!
//! A [`PidFd`] holds its process (the `Process` object, never just a pid
//! number that could be reused). It is readable once the process has
//! exited (a zombie) and also reports HUP once it has been reaped, as
//! Linux's pidfd_poll. Process lifecycle changes call
//! [`lifecycle_changed`], which wakes the pidfds of that process.

use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::process::{Lifecycle, Process};
use crate::sched::wait::WaitQueue;

/// Pidfds in existence (weakly), for [`lifecycle_changed`].
static PIDFDS: SpinLock<Vec<Weak<PidFd>>> = SpinLock::new(Vec::new());

/// A pidfd.
pub struct PidFd {
    process: Arc<Process>,
    waiters: WaitQueue,
}

impl PidFd {
    /// A pidfd for `process`.
    pub fn new(process: Arc<Process>) -> Arc<PidFd> {
        let p = Arc::new(PidFd { process, waiters: WaitQueue::new() });
        let mut list = PIDFDS.lock();
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(&p));
        p
    }

    /// The process.
    pub fn process(&self) -> &Arc<Process> {
        &self.process
    }
}

/// `p` became a zombie or was reaped.
pub fn lifecycle_changed(p: &Process) {
    let targets: Vec<Arc<PidFd>> = {
        let list = PIDFDS.lock();
        if list.is_empty() {
            return;
        }
        list.iter().filter_map(|w| w.upgrade()).filter(|f| core::ptr::eq(Arc::as_ptr(&f.process), p)).collect()
    };
    for f in targets {
        f.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM | PollEvents::HUP);
    }
}

impl FileOps for PidFd {
    fn read(&self, _file: &OpenFile, _offset: &mut u64, _buf: &mut [u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn poll(&self) -> PollEvents {
        match self.process.lifecycle() {
            Lifecycle::Alive => PollEvents::empty(),
            Lifecycle::Zombie(_) => PollEvents::IN | PollEvents::RDNORM,
            Lifecycle::Reaped => PollEvents::IN | PollEvents::RDNORM | PollEvents::HUP,
        }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.waiters)
    }

    fn stat(&self) -> Option<crate::fs::inode::Stat> {
        Some(super::anon_stat())
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("[pidfd]")
    }
}
