//! Page faults: from user mode (delivered as signals when unresolvable) and
//! from the kernel's user-copy routines (resolved or turned into EFAULT).

use super::address_space::{Access, FaultError};
use crate::sched::current;
use crate::signal::{SIGKILL, SI_KERNEL, SigInfo};

/// Resolves a fault of the current thread at `addr`.
///
/// When no memory is left for the page, the faulting process is killed
/// with SIGKILL (Linux's OOM killer picks a victim by size; here it is the
/// process that needed the page, which is deterministic and never the
/// kernel). This holds for faults in user copies too: the system call
/// then fails with EFAULT and the process dies on its way out of it.
pub fn handle_user_fault(addr: usize, access: Access) -> Result<(), FaultError> {
    let thread = current();
    let mm = thread.mm().ok_or(FaultError::Unmapped)?;
    let result = mm.handle_fault(addr, access);
    match result {
        Ok(()) => {
            thread.minor_faults.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        }
        Err(FaultError::OutOfMemory) => oom_kill_current(),
        Err(_) => {}
    }
    result
}

/// Kills the current process because memory ran out while it needed a
/// page (a fault, or faulting pages in for MAP_POPULATE, mlock or
/// madvise): SIGKILL, delivered on its way back to user mode.
pub fn oom_kill_current() {
    current().process.send_signal(SigInfo::kernel(SIGKILL, SI_KERNEL, 0));
}
