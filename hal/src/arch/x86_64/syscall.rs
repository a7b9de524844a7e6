//! SYSCALL/SYSRET entry.
//!
//! The entry builds a [`TrapFrame`] identical to the one an interrupt from
//! user mode builds, turns interrupts back on (system calls are
//! preemptible by interrupts from the first day: design lesson 2) and calls
//! the kernel. The exit takes the fast SYSRET path when the frame still
//! holds what SYSCALL left (RCX = RIP, R11 = RFLAGS, canonical user RIP),
//! and IRETQ otherwise (after sigreturn, execve or a signal delivery).

use super::cpu::{PERCPU_KERNEL_RSP, PERCPU_USER_RSP};
use super::gdt::{KERNEL_CS, USER_CS, USER_DS};
use super::io::{MSR_EFER, MSR_FMASK, MSR_LSTAR, MSR_STAR, rdmsr, wrmsr};
use super::trap::{SYSCALL_VECTOR, TrapFrame};
use crate::hooks;

/// RFLAGS bits cleared on entry: TF, IF, DF, IOPL, NT, AC (Linux's 0x47700;
/// a DF left set once made `rep stos` run backwards: design lesson 1).
const SYSCALL_RFLAGS_MASK: u64 = 0x47700;

pub(crate) fn init() {
    let star = ((KERNEL_CS as u64) << 32) | (((USER_DS as u64 - 8) & !3) << 48);
    // SAFETY: points SYSCALL at `syscall_entry` with the selectors the GDT
    // defines; EFER.SCE turns the instruction on.
    unsafe {
        wrmsr(MSR_STAR, star);
        wrmsr(MSR_LSTAR, syscall_entry as *const () as u64);
        wrmsr(MSR_FMASK, SYSCALL_RFLAGS_MASK);
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);
    }
    debug_assert_eq!((USER_DS as u64 - 8) + 16 | 3, USER_CS as u64);
}

unsafe extern "C" {
    fn syscall_entry();
}

core::arch::global_asm!(
    r#"
    .pushsection .text.syscall_entry, "ax"
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:{user_rsp}
    movq %gs:{kernel_rsp}, %rsp
    pushq ${user_ds}
    pushq %gs:{user_rsp}
    pushq %r11
    pushq ${user_cs}
    pushq %rcx
    pushq %rax                  /* error-code slot: the system call number, kept
                                   for restarts (Linux's orig_ax) */
    pushq ${vector}
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    sti
    call {dispatch}
    testb %al, %al
    jz trap_return              /* IRETQ path, also does CLI */
    cli
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    movq 40(%rsp), %rsp         /* user RSP: vector, error, RIP, CS, RFLAGS, RSP */
    swapgs
    sysretq
    .popsection
    "#,
    user_rsp = const PERCPU_USER_RSP,
    kernel_rsp = const PERCPU_KERNEL_RSP,
    user_ds = const USER_DS,
    user_cs = const USER_CS,
    vector = const SYSCALL_VECTOR,
    dispatch = sym syscall_dispatch,
    options(att_syntax)
);

/// Runs the system call; returns whether SYSRET may be used to return.
extern "C" fn syscall_dispatch(frame: &mut TrapFrame) -> bool {
    let hooks = hooks::get();
    hooks.syscall(frame);
    hooks.return_to_user(frame);
    frame.rcx == frame.rip
        && frame.r11 == frame.rflags
        && frame.cs == USER_CS as u64
        && frame.ss == USER_DS as u64
        && frame.rip < 0x0000_7fff_ffff_f000
        && frame.rflags & (1 << 8 | 1 << 16) == 0 // no TF, RF
}
