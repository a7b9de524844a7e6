//! Restart blocks: how a sleep interrupted by a signal that runs no
//! handler (a stop and continue, an ignored signal) carries on for the
//! time that was left instead of starting over.
//!
//! The interrupted call saves what it needs in its thread's
//! [`RestartBlock`] and fails with ERESTART_RESTARTBLOCK. On the way out,
//! [`super::delivery`] either turns that into EINTR (a handler runs) or
//! points the thread back at the SYSCALL instruction with RAX =
//! `restart_syscall`, whose handler (in the system-call layer) takes the
//! block and resumes the saved operation. This is Linux's restart_block
//! design.

use crate::errno::Errno;
use crate::sched::current;

/// What an interrupted call needs to resume.
#[derive(Clone, Copy, Debug)]
pub enum RestartBlock {
    /// nanosleep / clock_nanosleep (relative): sleep until `deadline_ns`
    /// on the monotonic clock, writing the time left to `rem` if
    /// interrupted again.
    Sleep {
        /// Monotonic deadline.
        deadline_ns: u64,
        /// User address of the `rem` timespec (0: none).
        rem: usize,
    },
    /// poll: the same descriptors, until the same deadline (if any).
    Poll {
        /// User address of the pollfd array.
        fds: usize,
        /// Number of entries.
        nfds: usize,
        /// Monotonic deadline (None: no timeout).
        deadline_ns: Option<u64>,
    },
    /// clock_nanosleep (relative) on a CPU-time clock.
    CpuSleep {
        /// The clock id as the caller gave it.
        clock: i32,
        /// Deadline on that clock.
        deadline_ns: u64,
        /// User address of `rem` (0: none).
        rem: usize,
    },
}

/// Saves `block` for the current thread and returns the error that asks
/// for it to be used.
pub fn save(block: RestartBlock) -> Errno {
    *current().restart.lock() = Some(block);
    Errno::ERESTART_RESTARTBLOCK
}
