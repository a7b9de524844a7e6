//! futex(2)

use crate::errno::{Errno, KResult};
use crate::ipc::futex::{self, FUTEX_CMD_MASK, FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAKE, FUTEX_WAKE_BITSET};
use crate::mm::uaccess::UserPtr;
use crate::sched::current;
use crate::time::{Timespec, monotonic_ns};

/// futex(2): WAIT, WAKE and their BITSET forms (any bitset treated as all
/// bits; REQUEUE, WAKE_OP and PI operations come with issue 3).
pub fn sys_futex(uaddr: usize, op: u32, val: u32, timeout: usize, _uaddr2: usize, val3: u32) -> KResult<usize> {
    const FUTEX_CLOCK_REALTIME: u32 = 256;
    let mm = current().mm().ok_or(Errno::EINVAL)?;
    match op & FUTEX_CMD_MASK {
        cmd @ (FUTEX_WAIT | FUTEX_WAIT_BITSET) => {
            if cmd == FUTEX_WAIT_BITSET && val3 == 0 {
                return Err(Errno::EINVAL);
            }
            let deadline = if timeout == 0 {
                None
            } else {
                let t = UserPtr::<Timespec>::new(timeout).read()?.validate()?;
                Some(if cmd == FUTEX_WAIT {
                    monotonic_ns().saturating_add(t.to_ns()) // relative
                } else if op & FUTEX_CLOCK_REALTIME != 0 {
                    monotonic_ns().saturating_add(t.to_ns().saturating_sub(crate::time::realtime_ns()))
                } else {
                    t.to_ns() // absolute CLOCK_MONOTONIC
                })
            };
            match futex::wait(&mm, uaddr, val, deadline) {
                Err(e) if e == Errno::ERESTARTSYS => Err(Errno::EINTR),
                r => r,
            }
        }
        cmd @ (FUTEX_WAKE | FUTEX_WAKE_BITSET) => {
            if cmd == FUTEX_WAKE_BITSET && val3 == 0 {
                return Err(Errno::EINVAL);
            }
            if uaddr % 4 != 0 {
                return Err(Errno::EINVAL);
            }
            Ok(futex::wake(&mm, uaddr, val))
        }
        _ => Err(Errno::ENOSYS),
    }
}
