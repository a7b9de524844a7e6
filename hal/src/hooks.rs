//! The calls the hardware layer makes into the kernel.
//!
//! The hal knows nothing of processes or files; it reports events (a system
//! call, a user fault, a timer tick) through this trait, which the kernel
//! implements once and registers at boot.

use crate::arch::trap::{TrapFrame, UserFault};
use crate::sync::OnceCell;

/// Kernel entry points called from traps and thread start-up.
pub trait KernelHooks: Sync {
    /// A system call: number in `frame.rax`, arguments in rdi, rsi, rdx,
    /// r10, r8, r9; the result goes in `frame.rax`.
    fn syscall(&self, frame: &mut TrapFrame);
    /// User code raised an exception (interrupts are enabled).
    fn user_fault(&self, frame: &mut TrapFrame, fault: UserFault);
    /// A user-copy routine faulted on user address `addr`: map the page if
    /// the address space allows the access. Returns false to fail the copy.
    fn resolve_user_fault(&self, addr: usize, write: bool) -> bool;
    /// The periodic timer fired (interrupts disabled).
    fn timer_tick(&self);
    /// A device interrupt on ISA line `irq` (interrupts disabled).
    fn irq(&self, irq: u8);
    /// Last kernel step before user mode resumes with `frame`: deliver
    /// signals, reschedule. Interrupts may be enabled or disabled.
    fn return_to_user(&self, frame: &mut TrapFrame);
    /// First step of every new thread after its first switch-in.
    fn thread_start(&self);
}

static HOOKS: OnceCell<&'static dyn KernelHooks> = OnceCell::new();

/// Registers the kernel's hooks; must happen before interrupts are enabled.
pub fn register(hooks: &'static dyn KernelHooks) {
    HOOKS.set(hooks);
}

#[inline]
pub(crate) fn get() -> &'static dyn KernelHooks {
    *HOOKS.get().expect("kernel hooks not registered")
}
