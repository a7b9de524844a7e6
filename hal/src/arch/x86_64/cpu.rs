//! CPU feature set-up and per-CPU data (reached through GS).

use core::sync::atomic::{AtomicBool, Ordering};

use super::io::{MSR_GS_BASE, MSR_KERNEL_GS_BASE, wrmsr};

/// Per-CPU data. The syscall entry reads `kernel_rsp` and `user_rsp_scratch`
/// at fixed GS offsets, so the first fields are laid out by hand.
#[repr(C)]
pub struct PerCpu {
    /// Points to itself, so `gs:0` yields the struct's address.
    self_ptr: u64,
    /// Top of the current thread's kernel stack (syscall entry loads it).
    pub(crate) kernel_rsp: u64,
    /// Scratch slot for the user RSP during syscall entry.
    pub(crate) user_rsp_scratch: u64,
    /// This CPU's number.
    pub(crate) cpu_id: u32,
    _pad: u32,
    /// Context switched away from, released once the switch completes.
    pub(crate) prev_context: u64,
    /// Physical address of the active page table root.
    pub(crate) active_root: u64,
    /// Address of the active user table's CPU mask (0: kernel table).
    pub(crate) active_mask: u64,
    /// A finished thread switched away from, dropped after the switch.
    pub(crate) dead: Option<alloc::sync::Arc<dyn super::context::HasContext>>,
    /// The reference `switch_final` took on the next thread.
    pub(crate) handoff: Option<alloc::sync::Arc<dyn super::context::HasContext>>,
}

pub(crate) const PERCPU_KERNEL_RSP: usize = 8;
pub(crate) const PERCPU_USER_RSP: usize = 16;

const MAX_CPUS: usize = 64;

static mut PERCPU: [PerCpu; MAX_CPUS] = [const {
    PerCpu { self_ptr: 0, kernel_rsp: 0, user_rsp_scratch: 0, cpu_id: 0, _pad: 0, prev_context: 0, active_root: 0, active_mask: 0, dead: None, handoff: None }
}; MAX_CPUS];

static PERCPU_READY: AtomicBool = AtomicBool::new(false);

/// Sets up GS to point at this CPU's data.
pub(crate) fn init_percpu(cpu: u32) {
    // SAFETY: each CPU initialises only its own slot, once, at bring-up.
    unsafe {
        let slot = &mut (*core::ptr::addr_of_mut!(PERCPU))[cpu as usize];
        slot.self_ptr = slot as *mut PerCpu as u64;
        slot.cpu_id = cpu;
        wrmsr(MSR_GS_BASE, slot.self_ptr);
        wrmsr(MSR_KERNEL_GS_BASE, 0);
    }
    PERCPU_READY.store(true, Ordering::Release);
}

/// This CPU's per-CPU data.
#[inline]
pub(crate) fn this_cpu() -> &'static mut PerCpu {
    let p: u64;
    // SAFETY: GS base points at this CPU's PerCpu once `init_percpu` ran;
    // callers run with interrupts off or touch only CPU-local fields.
    unsafe {
        core::arch::asm!("mov {}, gs:[0]", out(reg) p, options(nostack, readonly, preserves_flags));
        &mut *(p as *mut PerCpu)
    }
}

/// Number of the CPU this code runs on (0 before per-CPU set-up).
#[inline]
pub fn cpu_id() -> u32 {
    if !PERCPU_READY.load(Ordering::Relaxed) {
        return 0;
    }
    let id: u32;
    // SAFETY: reads this CPU's `cpu_id` field (offset 24) through GS.
    unsafe { core::arch::asm!("mov {:e}, gs:[24]", out(reg) id, options(nostack, readonly, preserves_flags)) }
    id
}

/// Halts until the next interrupt.
#[inline]
pub fn halt() {
    // SAFETY: HLT only waits.
    unsafe { core::arch::asm!("hlt", options(nomem, nostack)) }
}

/// Runs CPUID.
pub fn cpuid(leaf: u32, subleaf: u32) -> (u32, u32, u32, u32) {
    let r = core::arch::x86_64::__cpuid_count(leaf, subleaf);
    (r.eax, r.ebx, r.ecx, r.edx)
}

fn read_cr0() -> u64 {
    let v: u64;
    // SAFETY: reading a control register has no side effect.
    unsafe { core::arch::asm!("mov {}, cr0", out(reg) v, options(nomem, nostack)) }
    v
}

fn read_cr4() -> u64 {
    let v: u64;
    // SAFETY: as above.
    unsafe { core::arch::asm!("mov {}, cr4", out(reg) v, options(nomem, nostack)) }
    v
}

/// Reads CR2, the faulting address of the last page fault.
pub(crate) fn read_cr2() -> u64 {
    let v: u64;
    // SAFETY: as above.
    unsafe { core::arch::asm!("mov {}, cr2", out(reg) v, options(nomem, nostack)) }
    v
}

/// Turns on what user programs and the kernel rely on: SSE for user code
/// (FXSAVE/FXRSTOR, unmasked SIMD exceptions), global pages, SMEP where
/// the CPU has it, write protection in ring 0.
pub(crate) fn init_features() {
    let (_, ebx7, _, _) = cpuid(7, 0);
    let mut cr0 = read_cr0();
    cr0 &= !(1 << 2); // EM off: x87 present
    cr0 |= (1 << 1) | (1 << 5) | (1 << 16); // MP, NE, WP
    let mut cr4 = read_cr4();
    cr4 |= (1 << 9) | (1 << 10) | (1 << 7); // OSFXSR, OSXMMEXCPT, PGE
    if ebx7 & (1 << 7) != 0 {
        cr4 |= 1 << 20; // SMEP
    }
    // SAFETY: these bits only enable features the CPU reports; the kernel
    // itself is built without SSE, so enabling it affects user code only.
    unsafe {
        core::arch::asm!("mov cr0, {}", in(reg) cr0, options(nostack));
        core::arch::asm!("mov cr4, {}", in(reg) cr4, options(nostack));
        core::arch::asm!("fninit", options(nostack));
    }
}

/// A 64-bit hardware random number (RDRAND), if the CPU has it.
pub fn hardware_random() -> Option<u64> {
    let (_, _, ecx, _) = cpuid(1, 0);
    if ecx & (1 << 30) == 0 {
        return None;
    }
    for _ in 0..10 {
        let (v, ok): (u64, u8);
        // SAFETY: RDRAND only writes its output register and CF.
        unsafe { core::arch::asm!("rdrand {}", "setc {}", out(reg) v, out(reg_byte) ok, options(nomem, nostack)) };
        if ok != 0 {
            return Some(v);
        }
    }
    None
}
