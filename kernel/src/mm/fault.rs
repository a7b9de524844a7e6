//! Page faults: from user mode (delivered as signals when unresolvable) and
//! from the kernel's user-copy routines (resolved or turned into EFAULT).

use super::address_space::{Access, FaultError};
use crate::sched::current;

/// Resolves a fault of the current thread at `addr`.
pub fn handle_user_fault(addr: usize, access: Access) -> Result<(), FaultError> {
    let thread = current();
    let mm = thread.mm().ok_or(FaultError::Unmapped)?;
    mm.handle_fault(addr, access)
}
