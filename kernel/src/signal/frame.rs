//! The x86_64 signal frame (`struct rt_sigframe`), built on the user stack
//! so nested signals nest naturally, and rt_sigreturn, which unwinds it.
//!
//! Layout from Linux's arch/x86/include/asm/sigframe.h and uapi
//! sigcontext.h: the return address (sa_restorer), a `ucontext` whose
//! `uc_mcontext` holds the registers, then the siginfo; the FXSAVE image
//! sits below the frame, 64-byte aligned, pointed to by `fpstate`.

use alloc::sync::Arc;

use kevlar_hal::arch::context::FpuState;
use kevlar_hal::arch::trap::TrapFrame;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::{AltStack, SA_NODEFER, SA_ONSTACK, SigAction, SigInfo, sig_bit};
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::{UserPtr, read_into, write_bytes};
use crate::process::Thread;

/// `struct sigcontext` (64-bit).
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct SigContext {
    r8: u64,
    r9: u64,
    r10: u64,
    r11: u64,
    r12: u64,
    r13: u64,
    r14: u64,
    r15: u64,
    rdi: u64,
    rsi: u64,
    rbp: u64,
    rbx: u64,
    rdx: u64,
    rax: u64,
    rcx: u64,
    rsp: u64,
    rip: u64,
    eflags: u64,
    cs: u16,
    gs: u16,
    fs: u16,
    ss: u16,
    err: u64,
    trapno: u64,
    oldmask: u64,
    cr2: u64,
    fpstate: u64,
    reserved: [u64; 8],
}

/// `stack_t`.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct StackT {
    /// ss_sp
    pub sp: u64,
    /// ss_flags
    pub flags: i32,
    _pad: i32,
    /// ss_size
    pub size: u64,
}

impl StackT {
    /// What sigaltstack reports for `alt` when the stack pointer is `sp`.
    pub fn describe(alt: &AltStack, sp: u64) -> StackT {
        StackT { sp: alt.sp, flags: alt.flags_at(sp), _pad: 0, size: alt.size }
    }

    /// The setting itself, as saved in a frame's `uc_stack` for
    /// rt_sigreturn to re-apply.
    fn saved(alt: &AltStack) -> StackT {
        StackT { sp: alt.sp, flags: alt.flags, _pad: 0, size: alt.size }
    }

    /// As an [`AltStack`] setting.
    pub fn to_altstack(self) -> AltStack {
        AltStack { sp: self.sp, size: self.size, flags: self.flags }
    }
}

/// The kernel's `struct ucontext`.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct UContext {
    flags: u64,
    link: u64,
    stack: StackT,
    mcontext: SigContext,
    sigmask: u64,
}

/// `struct rt_sigframe` for x86_64.
#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct RtSigFrame {
    pretcode: u64,
    uc: UContext,
    info: [u8; 128],
}

const _: () = assert!(core::mem::size_of::<SigContext>() == 256);
const _: () = assert!(core::mem::size_of::<UContext>() == 304);
const _: () = assert!(core::mem::size_of::<RtSigFrame>() == 440);

/// uc_flags: UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (as Linux sets them).
const UC_FLAGS: u64 = 0x2 | 0x4;
/// Bytes below the stack pointer that leaf functions may use (ABI red zone).
const RED_ZONE: u64 = 128;

/// Builds the frame for `info` and points `frame` at the handler. The
/// mask the frame saves (and rt_sigreturn restores) is the one a
/// sigsuspend-like call replaced, if any, else the current mask.
pub fn setup(me: &Arc<Thread>, frame: &mut TrapFrame, info: &SigInfo, action: &SigAction) -> KResult<()> {
    let alt = *me.altstack.lock();
    let was_on_alt = alt.contains(frame.rsp);
    let use_alt = action.flags & SA_ONSTACK != 0 && alt.usable_from(frame.rsp);
    let mut sp = if use_alt { alt.top() } else { frame.rsp - RED_ZONE };

    // FXSAVE image, 64-byte aligned, below the frame.
    sp = (sp - 512) & !63;
    let fp_addr = sp;
    let frame_addr = ((sp - core::mem::size_of::<RtSigFrame>() as u64) & !15) - 8;
    // A nested frame must not run off the bottom of the alternate stack
    // into whatever lies below (Linux gives up with SIGSEGV too).
    if was_on_alt && !alt.contains(frame_addr) {
        return Err(Errno::EFAULT);
    }
    let fpu = FpuState::save_current();
    write_bytes(fp_addr as usize, fpu.as_bytes())?;

    let saved_mask = me.saved_sigmask.lock().take().unwrap_or_else(|| me.sigmask());
    let sf = RtSigFrame {
        pretcode: action.restorer,
        uc: UContext {
            flags: UC_FLAGS,
            link: 0,
            stack: StackT::saved(&alt),
            mcontext: SigContext {
                r8: frame.r8,
                r9: frame.r9,
                r10: frame.r10,
                r11: frame.r11,
                r12: frame.r12,
                r13: frame.r13,
                r14: frame.r14,
                r15: frame.r15,
                rdi: frame.rdi,
                rsi: frame.rsi,
                rbp: frame.rbp,
                rbx: frame.rbx,
                rdx: frame.rdx,
                rax: frame.rax,
                rcx: frame.rcx,
                rsp: frame.rsp,
                rip: frame.rip,
                eflags: frame.rflags,
                cs: frame.cs as u16,
                gs: 0,
                fs: 0,
                ss: frame.ss as u16,
                err: if frame.vector == 14 { frame.error_code } else { 0 },
                trapno: if frame.vector < 32 { frame.vector } else { 0 },
                oldmask: saved_mask,
                cr2: info.addr,
                fpstate: fp_addr,
                reserved: [0; 8],
            },
            sigmask: saved_mask,
        },
        info: info.to_bytes(),
    };
    UserPtr::<RtSigFrame>::new(frame_addr as usize).write(&sf)?;
    me.altstack.lock().disarm_for_handler();

    // While the handler runs: the mask in force now (a sigsuspend mask if
    // one is in force), plus sa_mask, plus the signal itself unless
    // SA_NODEFER.
    let mut mask = me.sigmask() | action.mask;
    if action.flags & SA_NODEFER == 0 {
        mask |= sig_bit(info.signo);
    }
    me.set_sigmask(mask);

    frame.rsp = frame_addr;
    frame.rip = action.handler;
    frame.rdi = info.signo as u64;
    frame.rsi = frame_addr + core::mem::offset_of!(RtSigFrame, info) as u64;
    frame.rdx = frame_addr + core::mem::offset_of!(RtSigFrame, uc) as u64;
    frame.rax = 0;
    frame.rflags &= !((1 << 10) | (1 << 8) | (1 << 16)); // DF, TF, RF
    frame.vector = 0; // no syscall restart logic for the handler's entry
    Ok(())
}

/// rt_sigreturn: restores the context saved by [`setup`]. The frame's
/// return address was popped by the handler's `ret`, so the frame starts 8
/// bytes below the current stack pointer.
pub fn sigreturn(me: &Arc<Thread>, frame: &mut TrapFrame) -> KResult<u64> {
    let frame_addr = frame.rsp - 8;
    let sf: RtSigFrame = UserPtr::<RtSigFrame>::new(frame_addr as usize).read()?;
    let m = &sf.uc.mcontext;
    frame.r8 = m.r8;
    frame.r9 = m.r9;
    frame.r10 = m.r10;
    frame.r11 = m.r11;
    frame.r12 = m.r12;
    frame.r13 = m.r13;
    frame.r14 = m.r14;
    frame.r15 = m.r15;
    frame.rdi = m.rdi;
    frame.rsi = m.rsi;
    frame.rbp = m.rbp;
    frame.rbx = m.rbx;
    frame.rdx = m.rdx;
    frame.rax = m.rax;
    frame.rcx = m.rcx;
    frame.rsp = m.rsp;
    frame.rip = m.rip;
    frame.rflags = m.eflags;
    frame.sanitize_for_user();
    frame.vector = 0; // never restart "the system call" rt_sigreturn was
    me.set_sigmask(sf.uc.sigmask);
    if m.fpstate != 0 {
        let mut buf = [0u8; 512];
        read_into(m.fpstate as usize, &mut buf)?;
        FpuState::from_bytes(&buf).load();
    }
    // Re-apply the alternate stack saved in the frame, by sigaltstack's
    // rules; a refusal (returning onto the stack itself, a bad setting)
    // leaves the current one, as Linux squashes those errors.
    let _ = me.altstack.lock().set(sf.uc.stack.to_altstack(), frame.rsp);
    // A restart block left by an interrupted sleep belongs to the code
    // this frame interrupted, not to whatever runs next.
    me.restart.lock().take();
    Ok(frame.rax)
}
