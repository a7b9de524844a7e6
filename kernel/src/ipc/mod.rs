//! Inter-process communication and event descriptors.
//!
//! Futexes, and the descriptors that turn events into readable files:
//! eventfd (a counter), timerfd (timer expirations), signalfd (pending
//! signals), inotify (file-system changes), pidfd (a process's exit), and
//! epoll (readiness of other descriptors). Pipes live in fs::pipe as they
//! are also FIFOs in the file tree.
//!
//! Readiness, for all of them: each object has a `WaitQueue` that its
//! state changes wake, with a key naming what changed (IN for "readable
//! now", OUT for "writable now"); read, poll, select and epoll all sleep
//! on or watch that same queue (see sched::wait and epoll).

pub mod epoll;
pub mod eventfd;
pub mod futex;
pub mod inotify;
pub mod pidfd;
pub mod signalfd;
pub mod timerfd;

use crate::fs::inode::Stat;

/// What fstat shows for an event descriptor: Linux's shared anonymous
/// inode (anon_inodefs), mode 0600 without a file type.
pub fn anon_stat() -> Stat {
    Stat { dev: crate::fs::inode::make_dev(0, 15), ino: 1, mode: 0o600, nlink: 1, blksize: 4096, ..Default::default() }
}
