//! Threads' CPU state: kernel stacks, FPU/SSE state, and the context switch.
//!
//! A [`TaskContext`] is what the kernel's scheduler switches between. The
//! switch is a naked function so the compiler can neither reorder nor
//! tail-call it (design lesson 7), and new threads start from a frame that
//! the same module lays out. Each context carries an `on_cpu` flag: a CPU
//! switching to a context waits until the CPU that ran it has finished
//! switching away, so two CPUs can never run on one stack.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

use super::cpu::this_cpu;
use super::io::{MSR_FS_BASE, MSR_KERNEL_GS_BASE, rdmsr, wrmsr};
use super::trap::TrapFrame;
use super::{PAGE_SIZE, gdt, paging};
use crate::hooks;
use crate::mem::frame::PhysFrame;
use crate::sync::SpinLock;

/// Kernel stacks live in their own region, each with an unmapped guard page
/// below it, so an overflow faults instead of corrupting a neighbour.
const KSTACK_REGION: u64 = 0xffff_c000_0000_0000;
const KSTACK_SLOT_PAGES: usize = 16;
/// Mapped pages per kernel stack (the rest of the slot is guard).
pub const KSTACK_PAGES: usize = 8;
const KSTACK_MAX_SLOTS: usize = 1 << 20;

struct SlotAllocator {
    free: Vec<usize>,
    next: usize,
}

static SLOTS: SpinLock<SlotAllocator> = SpinLock::new(SlotAllocator { free: Vec::new(), next: 0 });

/// A kernel stack mapped in the kernel-stack region.
pub struct KernelStack {
    slot: usize,
}

impl KernelStack {
    /// Allocates and maps a stack; `None` when memory runs out.
    pub fn new() -> Option<KernelStack> {
        let slot = {
            let mut s = SLOTS.lock();
            match s.free.pop() {
                Some(slot) => slot,
                None if s.next < KSTACK_MAX_SLOTS => {
                    s.next += 1;
                    s.next - 1
                }
                None => return None,
            }
        };
        let stack = KernelStack { slot };
        for i in 0..KSTACK_PAGES {
            // Stack pages need no zeroing: every word is written before read.
            let Some(f) = PhysFrame::alloc_uninit() else {
                return None; // Drop unmaps what was mapped.
            };
            paging::map_kernel_page(stack.page_va(i), f);
        }
        Some(stack)
    }

    fn page_va(&self, i: usize) -> u64 {
        let base = KSTACK_REGION + (self.slot * KSTACK_SLOT_PAGES * PAGE_SIZE) as u64;
        base + ((KSTACK_SLOT_PAGES - KSTACK_PAGES + i) * PAGE_SIZE) as u64
    }

    /// Highest address of the stack (exclusive).
    pub fn top(&self) -> u64 {
        KSTACK_REGION + ((self.slot + 1) * KSTACK_SLOT_PAGES * PAGE_SIZE) as u64
    }
}

impl Drop for KernelStack {
    fn drop(&mut self) {
        for i in 0..KSTACK_PAGES {
            drop(paging::unmap_kernel_page(self.page_va(i)));
        }
        SLOTS.lock().free.push(self.slot);
    }
}

/// Names a fault address that hit a kernel stack's guard pages.
pub(crate) fn stack_overflow_message(addr: usize) -> Option<&'static str> {
    let addr = addr as u64;
    let end = KSTACK_REGION + (KSTACK_MAX_SLOTS * KSTACK_SLOT_PAGES * PAGE_SIZE) as u64;
    if addr < KSTACK_REGION || addr >= end {
        return None;
    }
    let in_slot = ((addr - KSTACK_REGION) as usize % (KSTACK_SLOT_PAGES * PAGE_SIZE)) / PAGE_SIZE;
    (in_slot < KSTACK_SLOT_PAGES - KSTACK_PAGES).then_some("kernel stack overflow")
}

#[repr(C, align(16))]
#[derive(Clone)]
struct FxArea([u8; 512]);

/// A thread's x87/SSE register state, in FXSAVE format (what Linux puts
/// behind `uc_mcontext.fpregs` in a signal frame).
#[derive(Clone)]
pub struct FpuState(Box<FxArea>);

/// FXSAVE image offsets.
const FX_FCW: usize = 0;
const FX_MXCSR: usize = 24;
const FX_MXCSR_MASK: usize = 28;
/// Writable MXCSR bits (FXRSTOR faults on reserved ones).
const MXCSR_VALID: u32 = 0xffff;

impl Default for FpuState {
    fn default() -> Self {
        FpuState::new()
    }
}

impl FpuState {
    /// The state a new program starts with (FNINIT, MXCSR = 0x1f80).
    pub fn new() -> FpuState {
        let mut a = FxArea([0; 512]);
        a.0[FX_FCW..FX_FCW + 2].copy_from_slice(&0x037fu16.to_le_bytes());
        a.0[FX_MXCSR..FX_MXCSR + 4].copy_from_slice(&0x1f80u32.to_le_bytes());
        a.0[FX_MXCSR_MASK..FX_MXCSR_MASK + 4].copy_from_slice(&MXCSR_VALID.to_le_bytes());
        FpuState(Box::new(a))
    }

    /// Captures the registers of the thread running on this CPU.
    pub fn save_current() -> FpuState {
        let mut s = FpuState(Box::new(FxArea([0; 512])));
        s.save_into();
        s
    }

    fn save_into(&mut self) {
        // SAFETY: FXSAVE writes 512 bytes to a 16-aligned buffer we own.
        unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) self.0.0.as_mut_ptr(), options(nostack)) }
    }

    /// Loads this state into the registers of the thread running on this CPU.
    pub fn load(&self) {
        // SAFETY: the image is 16-aligned; its MXCSR was sanitised when it
        // came from user memory (`from_bytes`), so FXRSTOR cannot fault.
        unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) self.0.0.as_ptr(), options(nostack)) }
    }

    /// The 512-byte FXSAVE image.
    pub fn as_bytes(&self) -> &[u8; 512] {
        &self.0.0
    }

    /// A state from a user-supplied image; reserved MXCSR bits are cleared.
    pub fn from_bytes(bytes: &[u8; 512]) -> FpuState {
        let mut a = FxArea(*bytes);
        let mxcsr = u32::from_le_bytes(a.0[FX_MXCSR..FX_MXCSR + 4].try_into().unwrap()) & MXCSR_VALID;
        a.0[FX_MXCSR..FX_MXCSR + 4].copy_from_slice(&mxcsr.to_le_bytes());
        FpuState(Box::new(a))
    }
}

struct Regs {
    /// Saved kernel RSP while switched out.
    rsp: u64,
    fs_base: u64,
    user_gs_base: u64,
    fpu: FpuState,
}

/// The CPU state of one thread while it is not running.
pub struct TaskContext {
    regs: UnsafeCell<Regs>,
    on_cpu: AtomicBool,
    /// `None` for the boot CPU's initial context (it runs on the boot stack).
    kstack: Option<KernelStack>,
}

// SAFETY: `regs` is only touched by the CPU that owns the context: the one
// running it, or the one switching to it after winning `on_cpu`.
unsafe impl Sync for TaskContext {}
// SAFETY: as above.
unsafe impl Send for TaskContext {}

/// How a new thread begins.
pub enum ThreadStart {
    /// Return to user mode with these registers.
    User {
        /// The user registers (for fork: the parent's, with RAX = 0).
        frame: TrapFrame,
        /// FPU/SSE state to start with.
        fpu: FpuState,
        /// TLS base (FS).
        fs_base: u64,
    },
    /// Run a kernel function, which must never return.
    Kernel(fn() -> !),
}

impl TaskContext {
    /// The context of the code already running on this CPU's boot stack.
    pub fn for_boot_cpu() -> TaskContext {
        TaskContext {
            regs: UnsafeCell::new(Regs { rsp: 0, fs_base: 0, user_gs_base: 0, fpu: FpuState::new() }),
            on_cpu: AtomicBool::new(true),
            kstack: None,
        }
    }

    /// A new thread, ready to be switched to.
    pub fn new(start: ThreadStart) -> Option<TaskContext> {
        let kstack = KernelStack::new()?;
        let top = kstack.top();
        let (rsp, fs_base, fpu) = match start {
            ThreadStart::User { frame, fpu, fs_base } => {
                let frame_at = top - core::mem::size_of::<TrapFrame>() as u64;
                let switch_at = frame_at - 7 * 8;
                // SAFETY: both writes land inside the fresh, mapped stack.
                unsafe {
                    (frame_at as *mut TrapFrame).write(frame);
                    (switch_at as *mut [u64; 7]).write([0, 0, 0, 0, 0, 0, user_thread_trampoline as *const () as u64]);
                }
                (switch_at, fs_base, fpu)
            }
            ThreadStart::Kernel(entry) => {
                let switch_at = top - 9 * 8;
                // SAFETY: inside the fresh stack; r12 carries the entry.
                unsafe {
                    (switch_at as *mut [u64; 7]).write([0, 0, 0, entry as *const () as u64, 0, 0, kernel_thread_trampoline as *const () as u64]);
                }
                (switch_at, 0, FpuState::new())
            }
        };
        // A non-canonical base would make WRMSR fault in `switch`.
        let fs_base = if fs_base < super::USER_END as u64 { fs_base } else { 0 };
        Some(TaskContext {
            regs: UnsafeCell::new(Regs { rsp, fs_base, user_gs_base: 0, fpu }),
            on_cpu: AtomicBool::new(false),
            kstack: Some(kstack),
        })
    }
}

impl Drop for TaskContext {
    fn drop(&mut self) {
        assert!(!self.on_cpu.load(Ordering::Acquire), "TaskContext dropped while running");
    }
}

/// Switches from `prev` (the context running now) to `next`.
///
/// Returns when some CPU switches back to `prev`. Safe to call from any
/// kernel code: `on_cpu` makes switching to a running context wait, and the
/// saved state is only touched by the owning CPU.
pub fn switch(prev: &TaskContext, next: &TaskContext) {
    if core::ptr::eq(prev, next) {
        return;
    }
    let irq = super::irq::save_and_disable();
    debug_assert!(prev.on_cpu.load(Ordering::Relaxed), "switching away from a context that is not running");
    while next.on_cpu.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
        core::hint::spin_loop();
    }
    // SAFETY: `prev` runs on this CPU and `next` was just claimed, so this
    // CPU has exclusive use of both register sets.
    unsafe {
        let p = &mut *prev.regs.get();
        let n = &*next.regs.get();
        p.fs_base = rdmsr(MSR_FS_BASE);
        p.user_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
        p.fpu.save_into();
        wrmsr(MSR_FS_BASE, n.fs_base);
        wrmsr(MSR_KERNEL_GS_BASE, n.user_gs_base);
        n.fpu.load();
        if let Some(k) = &next.kstack {
            gdt::set_kernel_stack(k.top());
        }
        this_cpu().prev_context = prev as *const TaskContext as u64;
        switch_stacks(&mut p.rsp, n.rsp);
    }
    finish_switch();
    super::irq::restore(irq);
}

/// Something that owns a [`TaskContext`] (the kernel's thread type).
pub trait HasContext: Send + Sync {
    /// The owned context.
    fn task_context(&self) -> &TaskContext;
}

/// Switches from the current context, which will never run again, to
/// `next`. `prev` is dropped on the other side of the switch, when its stack
/// is no longer in use; `next` must be kept alive by the caller too (this
/// call releases its own reference on the other side).
pub fn switch_final(prev: Arc<dyn HasContext>, next: Arc<dyn HasContext>) -> ! {
    super::irq::disable();
    let prev_ctx: *const TaskContext = prev.task_context();
    let next_ctx: *const TaskContext = next.task_context();
    let cpu = this_cpu();
    assert!(cpu.dead.is_none() && cpu.handoff.is_none(), "switch_final: slots busy");
    cpu.dead = Some(prev);
    cpu.handoff = Some(next);
    // SAFETY: both contexts are kept alive by the Arcs just stored in this
    // CPU's slots, which `finish_switch` releases only after the switch.
    unsafe { switch(&*prev_ctx, &*next_ctx) };
    unreachable!("a finished context was switched back to");
}

/// Releases the context this CPU switched away from (it may now run
/// elsewhere), and drops a finished thread's references.
fn finish_switch() {
    let cpu = this_cpu();
    let prev = core::mem::replace(&mut cpu.prev_context, 0) as *const TaskContext;
    if !prev.is_null() {
        // SAFETY: the switching code keeps `prev` alive until its `on_cpu`
        // is cleared (the kernel holds it until after `switch` returns on
        // the new side, `switch_final` holds it in `dead`, and Drop refuses
        // a running context).
        unsafe { (*prev).on_cpu.store(false, Ordering::Release) };
    }
    let dead = cpu.dead.take();
    let handoff = cpu.handoff.take();
    drop(handoff);
    drop(dead);
}

/// Saves callee-saved registers on the current stack, stores RSP in
/// `*prev_rsp`, loads `next_rsp` and pops the next thread's registers.
#[unsafe(naked)]
unsafe extern "C" fn switch_stacks(prev_rsp: *mut u64, next_rsp: u64) {
    core::arch::naked_asm!(
        "push rbp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "mov [rdi], rsp",
        "mov rsp, rsi",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}

/// First code of a new user thread: RSP points at its TrapFrame.
#[unsafe(naked)]
unsafe extern "C" fn user_thread_trampoline() {
    core::arch::naked_asm!(
        "mov rdi, rsp",
        "call {start}",
        "jmp trap_return",
        start = sym user_thread_start,
    )
}

extern "C" fn user_thread_start(frame: &mut TrapFrame) {
    finish_switch();
    let hooks = hooks::get();
    hooks.thread_start();
    hooks.return_to_user(frame);
}

/// First code of a new kernel thread: R12 holds its entry function.
#[unsafe(naked)]
unsafe extern "C" fn kernel_thread_trampoline() {
    core::arch::naked_asm!(
        "xor ebp, ebp",
        "mov rdi, r12",
        "call {start}",
        "ud2",
        start = sym kernel_thread_start,
    )
}

extern "C" fn kernel_thread_start(entry: usize) -> ! {
    // SAFETY: `TaskContext::new` stored a `fn() -> !` in R12, passed here.
    let entry: fn() -> ! = unsafe { core::mem::transmute::<usize, fn() -> !>(entry) };
    finish_switch();
    hooks::get().thread_start();
    super::irq::enable();
    entry()
}

/// Sets the FS base (user TLS pointer) of the running thread. A value
/// outside the user half is refused (WRMSR would fault on a non-canonical
/// one).
pub fn set_fs_base(value: u64) -> Result<(), ()> {
    if value >= super::USER_END as u64 {
        return Err(());
    }
    // SAFETY: a canonical user address; FS base only affects user-mode
    // FS-relative accesses (the kernel never uses FS).
    unsafe { wrmsr(MSR_FS_BASE, value) };
    Ok(())
}

/// FS base of the running thread.
pub fn fs_base() -> u64 {
    rdmsr(MSR_FS_BASE)
}

/// Sets the user GS base of the running thread (held in KERNEL_GS_BASE
/// while in the kernel, swapped in on return). Refused outside the user half.
pub fn set_user_gs_base(value: u64) -> Result<(), ()> {
    if value >= super::USER_END as u64 {
        return Err(());
    }
    // SAFETY: a canonical user address; only affects user GS accesses.
    unsafe { wrmsr(MSR_KERNEL_GS_BASE, value) };
    Ok(())
}

/// User GS base of the running thread.
pub fn user_gs_base() -> u64 {
    rdmsr(MSR_KERNEL_GS_BASE)
}
