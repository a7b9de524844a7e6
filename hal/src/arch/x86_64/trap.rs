//! Interrupt descriptor table, the common trap entry, and dispatch of
//! exceptions and interrupts to the kernel.
//!
//! Every entry from user mode (exception, interrupt or system call) builds
//! the same [`TrapFrame`] on the thread's kernel stack, so the kernel sees
//! one register layout for signals, fork and ptrace-like inspection.

use core::fmt;

use super::cpu::read_cr2;
use super::gdt::{IST_DOUBLE_FAULT, KERNEL_CS, USER_CS, USER_DS};
use crate::hooks;

/// Saved user (or interrupted kernel) registers, in stack order.
#[repr(C)]
#[derive(Clone, Copy, Default)]
#[allow(missing_docs)]
pub struct TrapFrame {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    /// Vector number, or [`SYSCALL_VECTOR`] for a system call.
    pub vector: u64,
    /// The CPU's error code; for a system call, its original number
    /// (Linux's orig_ax), which a restart puts back into RAX.
    pub error_code: u64,
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

/// `TrapFrame::vector` of a frame built by the SYSCALL entry.
pub const SYSCALL_VECTOR: u64 = 0x100;

/// RFLAGS bits user code may change through sigreturn or ptrace
/// (CF PF AF ZF SF TF DF OF AC ID and friends; not IF, IOPL, VM, NT).
pub const USER_RFLAGS_MASK: u64 = 0x25_4dd5;

impl TrapFrame {
    /// A frame that enters user mode at `rip` with stack `rsp`.
    pub fn new_user(rip: u64, rsp: u64) -> TrapFrame {
        TrapFrame { rip, rsp, cs: USER_CS as u64, ss: USER_DS as u64, rflags: 0x202, ..Default::default() }
    }

    /// Whether the trap came from user mode.
    pub fn is_user(&self) -> bool {
        self.cs & 3 == 3
    }

    /// Makes the frame safe to return to user mode with: user segments,
    /// interrupts on, privileged flags cleared. Used after user space
    /// supplied register values (sigreturn).
    pub fn sanitize_for_user(&mut self) {
        self.cs = USER_CS as u64;
        self.ss = USER_DS as u64;
        self.rflags = (self.rflags & USER_RFLAGS_MASK) | 0x202;
    }
}

impl fmt::Debug for TrapFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "RIP={:016x} RSP={:016x} RFLAGS={:016x} CS={:x} SS={:x}", self.rip, self.rsp, self.rflags, self.cs, self.ss)?;
        writeln!(f, "RAX={:016x} RBX={:016x} RCX={:016x} RDX={:016x}", self.rax, self.rbx, self.rcx, self.rdx)?;
        writeln!(f, "RSI={:016x} RDI={:016x} RBP={:016x} R8 ={:016x}", self.rsi, self.rdi, self.rbp, self.r8)?;
        writeln!(f, "R9 ={:016x} R10={:016x} R11={:016x} R12={:016x}", self.r9, self.r10, self.r11, self.r12)?;
        write!(f, "R13={:016x} R14={:016x} R15={:016x} VEC={} ERR={:x}", self.r13, self.r14, self.r15, self.vector, self.error_code)
    }
}

/// A CPU exception raised by user code, for the kernel to turn into a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserFault {
    /// #PF: `addr` faulted; `write`/`exec` say how, `present` whether a
    /// page was mapped (a protection fault).
    #[allow(missing_docs)]
    PageFault { addr: usize, write: bool, exec: bool, present: bool },
    /// #DE divide error.
    DivideError,
    /// #UD invalid opcode.
    InvalidOpcode,
    /// #GP general protection.
    GeneralProtection,
    /// #BP int3 / #DB debug trap.
    Breakpoint,
    /// #MF / #XM floating point or SIMD exception.
    FloatingPoint,
    /// #AC alignment check, #SS stack fault, #OF, #BR and similar.
    Other(u8),
}

// One stub per vector: push a dummy error code where the CPU pushes none,
// push the vector number, jump to the common entry.
macro_rules! trap_stubs {
    ($($n:literal),*) => {
        core::arch::global_asm!(
            ".pushsection .text.trap_stubs, \"ax\"",
            $(
                concat!(".global trap_stub_", $n),
                concat!("trap_stub_", $n, ":"),
                concat!(".if ", $n, " != 8 && ", $n, " != 10 && ", $n, " != 11 && ", $n, " != 12 && ", $n, " != 13 && ", $n, " != 14 && ", $n, " != 17 && ", $n, " != 21 && ", $n, " != 29 && ", $n, " != 30"),
                "push 0",
                ".endif",
                concat!("push ", $n),
                "jmp trap_common",
            )*
            ".popsection",
            ".pushsection .rodata.trap_stub_table, \"a\"",
            ".balign 8",
            ".global trap_stub_table",
            "trap_stub_table:",
            $( concat!(".quad trap_stub_", $n), )*
            ".popsection",
        );
    };
}

trap_stubs!(
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
    32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60,
    61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89,
    90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114,
    115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137,
    138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160,
    161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183,
    184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206,
    207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229,
    230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252,
    253, 254, 255
);

// The common entry saves the general registers below the vector and error
// code, swaps GS when coming from user mode, and calls `trap_dispatch`.
// The same exit path (`trap_return`) also starts new user threads.
core::arch::global_asm!(
    r#"
    .pushsection .text.trap_common, "ax"
    .global trap_common
trap_common:
    testb $3, 24(%rsp)          /* CS of the interrupted context */
    jz 1f
    swapgs
1:  pushq %rax
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
    cld
    movq %rsp, %rdi
    call {dispatch}
    .global trap_return
trap_return:
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
    addq $16, %rsp              /* vector, error code */
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq
    .popsection
    "#,
    dispatch = sym trap_dispatch,
    options(att_syntax)
);

#[repr(C, packed)]
#[derive(Clone, Copy)]
struct IdtEntry {
    offset_lo: u16,
    selector: u16,
    ist: u8,
    type_attr: u8,
    offset_mid: u16,
    offset_hi: u32,
    zero: u32,
}

static mut IDT: [IdtEntry; 256] =
    [IdtEntry { offset_lo: 0, selector: 0, ist: 0, type_attr: 0, offset_mid: 0, offset_hi: 0, zero: 0 }; 256];

unsafe extern "C" {
    static trap_stub_table: [u64; 256];
}

/// Fills and loads the IDT. All gates are interrupt gates (IF cleared on
/// entry); handlers re-enable interrupts where it is safe.
pub(crate) fn init() {
    // SAFETY: runs once at boot on the boot CPU, before interrupts are on.
    unsafe {
        let idt = &mut *core::ptr::addr_of_mut!(IDT);
        for (i, e) in idt.iter_mut().enumerate() {
            let addr = trap_stub_table[i];
            // int3 may be raised from user mode (DPL 3); everything else
            // only by hardware or the kernel.
            let dpl: u8 = if i == 3 || i == 4 { 3 } else { 0 };
            *e = IdtEntry {
                offset_lo: addr as u16,
                selector: KERNEL_CS,
                ist: if i == 8 { IST_DOUBLE_FAULT } else { 0 },
                type_attr: 0x8e | (dpl << 5),
                offset_mid: (addr >> 16) as u16,
                offset_hi: (addr >> 32) as u32,
                zero: 0,
            };
        }
        load_idt();
    }
}

/// Loads the IDT on this CPU.
pub(crate) fn load_idt() {
    #[repr(C, packed)]
    struct Ptr {
        limit: u16,
        base: u64,
    }
    let ptr = Ptr { limit: (256 * 16 - 1) as u16, base: core::ptr::addr_of!(IDT) as u64 };
    // SAFETY: the IDT is a static filled by `init`.
    unsafe { core::arch::asm!("lidt [{}]", in(reg) &ptr, options(nostack)) }
}

const VEC_PAGE_FAULT: u64 = 14;
/// First vector used for hardware interrupts.
pub const IRQ_BASE: u64 = 32;

extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    let vector = frame.vector;
    if vector >= IRQ_BASE {
        super::apic::handle_interrupt(vector as u8, frame);
    } else if frame.is_user() {
        user_exception(frame);
    } else {
        kernel_exception(frame);
    }
    if frame.is_user() {
        hooks::get().return_to_user(frame);
    }
}

fn user_exception(frame: &mut TrapFrame) {
    let fault = match frame.vector {
        VEC_PAGE_FAULT => {
            let err = frame.error_code;
            UserFault::PageFault {
                addr: read_cr2() as usize,
                present: err & 1 != 0,
                write: err & 2 != 0,
                exec: err & 16 != 0,
            }
        }
        0 => UserFault::DivideError,
        1 | 3 => UserFault::Breakpoint,
        6 => UserFault::InvalidOpcode,
        13 => UserFault::GeneralProtection,
        16 | 19 => UserFault::FloatingPoint,
        v => UserFault::Other(v as u8),
    };
    super::irq::enable();
    hooks::get().user_fault(frame, fault);
    super::irq::disable();
}

fn kernel_exception(frame: &mut TrapFrame) {
    if frame.vector == VEC_PAGE_FAULT {
        let addr = read_cr2() as usize;
        if super::usercopy::handle_kernel_fault(frame, addr) {
            return;
        }
        if let Some(msg) = super::context::stack_overflow_message(addr) {
            crate::panic::panic_with_frame(frame, format_args!("{msg} (page fault at {addr:#x})"));
        }
        crate::panic::panic_with_frame(frame, format_args!("kernel page fault at {addr:#x} (error {:#x})", frame.error_code));
    }
    let name = EXCEPTION_NAMES.get(frame.vector as usize).copied().unwrap_or("exception");
    crate::panic::panic_with_frame(frame, format_args!("kernel {} (vector {})", name, frame.vector));
}

const EXCEPTION_NAMES: [&str; 22] = [
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection fault",
    "page fault",
    "reserved",
    "x87 FP exception",
    "alignment check",
    "machine check",
    "SIMD FP exception",
    "virtualization",
    "control protection",
];
