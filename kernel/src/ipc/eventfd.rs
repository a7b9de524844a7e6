//! eventfd(2): a 64-bit counter as a file.
//!
//! A write adds its 8-byte value; a read takes the whole count (or 1, in
//! semaphore mode) and blocks at 0. The count never reaches 2^64 - 1: a
//! write that would pass 2^64 - 2 blocks until a read makes room. Readable
//! while the count is non-zero, writable while 1 more fits. A write wakes
//! with key IN and a read with key OUT, so an edge-triggered watcher of
//! one direction is not told of the other (as Linux's eventfd).

use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::sched::wait::WaitQueue;

/// The largest count (ULLONG_MAX - 1).
const MAX: u64 = u64::MAX - 1;

/// An eventfd.
pub struct EventFd {
    count: SpinLock<u64>,
    semaphore: bool,
    waiters: WaitQueue,
}

impl EventFd {
    /// A counter starting at `initval`.
    pub fn new(initval: u32, semaphore: bool) -> Arc<EventFd> {
        Arc::new(EventFd { count: SpinLock::new(initval as u64), semaphore, waiters: WaitQueue::new() })
    }

    fn try_take(&self) -> Option<u64> {
        let mut c = self.count.lock();
        if *c == 0 {
            return None;
        }
        let v = if self.semaphore { 1 } else { *c };
        *c -= v;
        Some(v)
    }

    fn try_add(&self, v: u64) -> Option<()> {
        let mut c = self.count.lock();
        if MAX - *c < v {
            return None;
        }
        *c += v;
        Some(())
    }
}

impl EventFd {
    /// Takes the value (or 1, as a semaphore), waiting unless non-blocking.
    fn take(&self, file: &OpenFile) -> KResult<u64> {
        let v = match self.try_take() {
            Some(v) => v,
            None if file.nonblocking() => return Err(Errno::EAGAIN),
            None => self.waiters.wait_until(|| self.try_take())?,
        };
        self.waiters.wake_with(PollEvents::OUT);
        Ok(v)
    }
}

impl FileOps for EventFd {
    /// Needs 8 bytes at least; delivers exactly 8.
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        let v = self.take(file)?;
        buf[..8].copy_from_slice(&v.to_ne_bytes());
        Ok(8)
    }

    /// read(2) straight into the caller's 8 bytes (no bounce buffer).
    fn read_user(&self, file: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        if len < 8 {
            return Some(Err(Errno::EINVAL));
        }
        Some(self.take(file).and_then(|v| crate::mm::uaccess::UserPtr::<u64>::new(addr).write(&v)).map(|_| 8))
    }

    /// write(2) straight from the caller's 8 bytes.
    fn write_user(&self, file: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        if len != 8 {
            return Some(Err(Errno::EINVAL));
        }
        Some(crate::mm::uaccess::UserPtr::<u64>::new(addr).read().and_then(|v| self.write(file, &mut 0, &v.to_ne_bytes())))
    }

    /// Takes exactly 8 bytes (Linux refuses other sizes with EINVAL).
    fn write(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        let bytes: [u8; 8] = buf.try_into().map_err(|_| Errno::EINVAL)?;
        let v = u64::from_ne_bytes(bytes);
        if v == u64::MAX {
            return Err(Errno::EINVAL);
        }
        match self.try_add(v) {
            Some(()) => {}
            None if file.nonblocking() => return Err(Errno::EAGAIN),
            None => self.waiters.wait_until(|| self.try_add(v))?,
        }
        // Even a write of 0 is an edge for IN, as on Linux.
        self.waiters.wake_with(PollEvents::IN);
        Ok(8)
    }

    fn poll(&self) -> PollEvents {
        let c = *self.count.lock();
        // Plain IN and OUT, without RDNORM/WRNORM, as Linux's eventfd.
        let mut ev = PollEvents::empty();
        if c > 0 {
            ev |= PollEvents::IN;
        }
        if c < MAX {
            ev |= PollEvents::OUT;
        }
        ev
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
        Some("[eventfd]")
    }
}
