//! Futexes: sleeping on a user-space word.
//!
//! Waiters are keyed by (address space, address) for now, which is exact
//! for FUTEX_PRIVATE_FLAG futexes and for threads of one process; futexes
//! in memory shared between processes (keyed by the physical page) come
//! with issue 3.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::mm::AddressSpace;
use crate::mm::uaccess::UserPtr;
use crate::sched::wait::WaitQueue;

/// futex operations (the command part of `op`).
pub const FUTEX_WAIT: u32 = 0;
/// FUTEX_WAKE
pub const FUTEX_WAKE: u32 = 1;
/// FUTEX_REQUEUE
pub const FUTEX_REQUEUE: u32 = 3;
/// FUTEX_CMP_REQUEUE
pub const FUTEX_CMP_REQUEUE: u32 = 4;
/// FUTEX_WAKE_OP
pub const FUTEX_WAKE_OP: u32 = 5;
/// FUTEX_WAIT_BITSET
pub const FUTEX_WAIT_BITSET: u32 = 9;
/// FUTEX_WAKE_BITSET
pub const FUTEX_WAKE_BITSET: u32 = 10;
/// FUTEX_PRIVATE_FLAG
pub const FUTEX_PRIVATE_FLAG: u32 = 128;
/// FUTEX_CLOCK_REALTIME
pub const FUTEX_CLOCK_REALTIME: u32 = 256;
/// Both modifier flags: the command is what is left (a mask that forgot
/// FUTEX_CLOCK_REALTIME made glibc's NPTL abort: design lesson).
pub const FUTEX_CMD_MASK: u32 = !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

type Key = (usize, usize);

struct Bucket {
    queue: Arc<WaitQueue>,
    /// Wake-up tokens per waiter generation: a wake counts here so a
    /// waiter that re-checks sees it was woken.
    wakes: u64,
    waiters: u64,
}

static FUTEXES: SpinLock<BTreeMap<Key, Bucket>> = SpinLock::new(BTreeMap::new());

fn key(mm: &Arc<AddressSpace>, uaddr: usize) -> Key {
    (Arc::as_ptr(mm) as usize, uaddr)
}

/// FUTEX_WAIT: sleeps while `*uaddr == expected`, until woken, a signal,
/// or `deadline_ns` (monotonic).
pub fn wait(mm: &Arc<AddressSpace>, uaddr: usize, expected: u32, deadline_ns: Option<u64>) -> KResult<usize> {
    if uaddr % 4 != 0 {
        return Err(Errno::EINVAL);
    }
    let k = key(mm, uaddr);
    let (queue, ticket) = {
        let mut f = FUTEXES.lock();
        let b = f.entry(k).or_insert_with(|| Bucket { queue: Arc::new(WaitQueue::new()), wakes: 0, waiters: 0 });
        b.waiters += 1;
        (b.queue.clone(), b.wakes)
    };
    let value = UserPtr::<u32>::new(uaddr).read();
    let result = match value {
        Err(e) => Err(e),
        Ok(v) if v != expected => Err(Errno::EAGAIN),
        Ok(_) => queue
            .wait_until_deadline(deadline_ns, || {
                let f = FUTEXES.lock();
                f.get(&k).is_some_and(|b| b.wakes > ticket).then_some(0usize)
            })
            .map_err(|e| if e == Errno::ETIMEDOUT { Errno::ETIMEDOUT } else { e }),
    };
    let mut f = FUTEXES.lock();
    if let Some(b) = f.get_mut(&k) {
        b.waiters -= 1;
        if b.waiters == 0 {
            f.remove(&k);
        }
    }
    result
}

/// FUTEX_WAKE: wakes up to `count` waiters; returns how many were waiting
/// (an upper bound of those woken).
pub fn wake(mm: &Arc<AddressSpace>, uaddr: usize, count: u32) -> usize {
    let k = key(mm, uaddr);
    let queue = {
        let mut f = FUTEXES.lock();
        let Some(b) = f.get_mut(&k) else { return 0 };
        b.wakes += 1;
        let n = b.waiters.min(count as u64) as usize;
        (b.queue.clone(), n)
    };
    // Waking all and letting them re-check is correct if not minimal; the
    // count returned is the number allowed through.
    queue.0.wake_all();
    queue.1
}
