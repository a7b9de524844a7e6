//! The alternate signal stack (sigaltstack(2)).
//!
//! One set of rules, used by the system call, by frame set-up and by
//! rt_sigreturn (which re-applies the stack saved in the frame's
//! `uc_stack`), following Linux's do_sigaltstack:
//! - the stack cannot be changed while the thread runs on it (EPERM);
//! - SS_DISABLE clears it; otherwise it must be at least MINSIGSTKSZ;
//! - with SS_AUTODISARM the stack is cleared whenever a signal frame is
//!   built (and put back by rt_sigreturn), so a handler may leave it with
//!   swapcontext and a nested signal starts afresh.

use crate::errno::{Errno, KResult};

/// SS_ONSTACK
pub const SS_ONSTACK: i32 = 1;
/// SS_DISABLE
pub const SS_DISABLE: i32 = 2;
/// SS_AUTODISARM
pub const SS_AUTODISARM: i32 = 1 << 31;
/// MINSIGSTKSZ on x86_64.
pub const MINSIGSTKSZ: u64 = 2048;

/// A thread's alternate signal stack, as last set. Disabled means
/// `size == 0` (`sp` 0, `flags` SS_DISABLE).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AltStack {
    /// ss_sp
    pub sp: u64,
    /// ss_size
    pub size: u64,
    /// ss_flags as given when it was set (SS_AUTODISARM is the only bit
    /// that keeps a meaning afterwards).
    pub flags: i32,
}

impl AltStack {
    /// No alternate stack.
    pub const DISABLED: AltStack = AltStack { sp: 0, size: 0, flags: SS_DISABLE };

    /// Whether `sp` is on this stack. An SS_AUTODISARM stack never counts:
    /// it was cleared when the handler started, so a stack pointer inside
    /// it means user code switched there on its own.
    pub fn contains(&self, sp: u64) -> bool {
        if self.flags & SS_AUTODISARM != 0 {
            return false;
        }
        self.size != 0 && sp > self.sp && sp - self.sp <= self.size
    }

    /// The `ss_flags` sigaltstack reports when the thread's stack pointer
    /// is `sp`: SS_DISABLE, SS_ONSTACK or 0, plus SS_AUTODISARM if set.
    pub fn flags_at(&self, sp: u64) -> i32 {
        let state = if self.size == 0 {
            SS_DISABLE
        } else if self.contains(sp) {
            SS_ONSTACK
        } else {
            0
        };
        state | (self.flags & SS_AUTODISARM)
    }

    /// Whether a handler with SA_ONSTACK should switch to this stack now.
    pub fn usable_from(&self, sp: u64) -> bool {
        self.size != 0 && !self.contains(sp)
    }

    /// Top of the stack (frames grow down from here).
    pub fn top(&self) -> u64 {
        self.sp + self.size
    }

    /// Applies a new setting requested while the stack pointer is `sp`.
    pub fn set(&mut self, new: AltStack, sp: u64) -> KResult<()> {
        if self.contains(sp) {
            return Err(Errno::EPERM);
        }
        let mode = new.flags & !SS_AUTODISARM;
        if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
            return Err(Errno::EINVAL);
        }
        if mode == SS_DISABLE {
            *self = AltStack { sp: 0, size: 0, flags: new.flags };
        } else {
            if new.size < MINSIGSTKSZ {
                return Err(Errno::ENOMEM);
            }
            *self = new;
        }
        Ok(())
    }

    /// Frame set-up with SS_AUTODISARM: the stack is cleared until
    /// rt_sigreturn puts back the copy saved in the frame.
    pub fn disarm_for_handler(&mut self) {
        if self.flags & SS_AUTODISARM != 0 {
            *self = AltStack::DISABLED;
        }
    }
}
