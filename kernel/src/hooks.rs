//! The kernel's side of the hal's hooks: system calls, faults, interrupts
//! and the return to user mode.

use kevlar_hal::arch::trap::{TrapFrame, UserFault};
use kevlar_hal::hooks::KernelHooks;

use crate::mm::address_space::{Access, FaultError};
use crate::sched::{self, current};
use crate::signal::*;

/// The hook table registered with the hal.
pub struct Hooks;

impl KernelHooks for Hooks {
    fn syscall(&self, frame: &mut TrapFrame) {
        let me = current();
        me.in_kernel.store(true, core::sync::atomic::Ordering::Relaxed);
        drop(me);
        crate::syscall::dispatch(frame);
    }

    fn user_fault(&self, frame: &mut TrapFrame, fault: UserFault) {
        let info = match fault {
            UserFault::PageFault { addr, write, exec, .. } => {
                let access = if exec {
                    Access::Exec
                } else if write {
                    Access::Write
                } else {
                    Access::Read
                };
                match crate::mm::fault::handle_user_fault(addr, access) {
                    Ok(()) => return,
                    Err(FaultError::Unmapped) => SigInfo::kernel(SIGSEGV, SEGV_MAPERR, addr as u64),
                    Err(FaultError::Protection) => SigInfo::kernel(SIGSEGV, SEGV_ACCERR, addr as u64),
                    Err(FaultError::BeyondFile) => SigInfo::kernel(SIGBUS, BUS_ADRERR, addr as u64),
                    Err(FaultError::OutOfMemory) => SigInfo::kernel(SIGKILL, SI_KERNEL, 0),
                }
            }
            UserFault::DivideError => SigInfo::kernel(SIGFPE, FPE_INTDIV, frame.rip),
            UserFault::InvalidOpcode => SigInfo::kernel(SIGILL, ILL_ILLOPN, frame.rip),
            UserFault::GeneralProtection => SigInfo::kernel(SIGSEGV, SI_KERNEL, 0),
            UserFault::Breakpoint => SigInfo::kernel(SIGTRAP, SI_KERNEL, 0),
            UserFault::FloatingPoint => SigInfo::kernel(SIGFPE, 0, frame.rip),
            UserFault::Other(17) => SigInfo::kernel(SIGBUS, SI_KERNEL, 0),
            UserFault::Other(_) => SigInfo::kernel(SIGSEGV, SI_KERNEL, 0),
        };
        force_signal(info);
    }

    fn resolve_user_fault(&self, addr: usize, write: bool) -> bool {
        let access = if write { Access::Write } else { Access::Read };
        crate::mm::fault::handle_user_fault(addr, access).is_ok()
    }

    fn timer_tick(&self) {
        sched::tick();
    }

    fn irq(&self, irq: u8) {
        if irq == 4 {
            crate::tty::console::serial_interrupt();
        }
    }

    fn return_to_user(&self, frame: &mut TrapFrame) {
        kevlar_hal::arch::irq::enable();
        {
            let me = current();
            if me.need_resched.load(core::sync::atomic::Ordering::Relaxed) {
                sched::schedule();
            }
            // Signal work only when there is some: a deliverable signal, a
            // system call asking to be restarted (-ERESTART*), or a
            // temporary mask (sigsuspend, ppoll) to put back.
            let restart_code = frame.vector == kevlar_hal::arch::trap::SYSCALL_VECTOR && (512..=516).contains(&(-(frame.rax as i64)));
            if !me.exit_requested() && (me.has_pending_signal() || restart_code || me.saved_sigmask.lock().is_some()) {
                crate::signal::delivery::on_return_to_user(frame);
            }
            me.in_kernel.store(false, core::sync::atomic::Ordering::Relaxed);
        }
        // Nothing is held here: safe to end the thread.
        crate::process::exit::exit_if_requested();
    }

    fn thread_start(&self) {}
}

/// A signal caused by the thread's own fault: if it is blocked or ignored,
/// it would loop forever, so (as Linux's force_sig_fault) the default
/// action is restored and the signal unblocked.
fn force_signal(info: SigInfo) {
    let me = current();
    let sig = info.signo;
    {
        let h = me.sighand();
        let mut h = h.lock();
        let blocked = me.sigmask() & sig_bit(sig) != 0;
        if blocked || h.get(sig).handler == SIG_IGN {
            h.set(sig, SigAction::default());
            me.set_sigmask(me.sigmask() & !sig_bit(sig));
        }
    }
    me.send_signal(info);
}
