//! Global descriptor table and task-state segment.
//!
//! Selectors match Linux's (`arch/x86/include/asm/segment.h`), since they
//! are visible to user space in signal frames: kernel CS 0x10, kernel DS
//! 0x18, 32-bit user CS 0x23, user DS 0x2b, user CS 0x33. That order is
//! also what SYSCALL/SYSRET need (STAR bases 0x10 and 0x20).

use super::cpu::this_cpu;

/// Kernel code selector.
pub const KERNEL_CS: u16 = 0x10;
/// Kernel data selector.
pub const KERNEL_DS: u16 = 0x18;
/// User data/stack selector.
pub const USER_DS: u16 = 0x2b;
/// User 64-bit code selector.
pub const USER_CS: u16 = 0x33;
const TSS_SEL: u16 = 0x40;

/// 64-bit task-state segment (Intel SDM vol. 3, 8.7): 104 bytes with
/// 64-bit fields at 4-byte alignment, so it is kept as bytes.
#[repr(C, align(16))]
struct Tss([u8; 104]);

impl Tss {
    const RSP0: usize = 4;
    const IST1: usize = 36;
    const IOMAP_BASE: usize = 102;

    const fn new() -> Tss {
        let mut b = [0u8; 104];
        // No I/O permission bitmap: its offset points past the segment.
        b[Self::IOMAP_BASE] = 104;
        Tss(b)
    }

    fn set_u64(&mut self, offset: usize, v: u64) {
        self.0[offset..offset + 8].copy_from_slice(&v.to_le_bytes());
    }
}

#[repr(C, align(16))]
struct Stack([u8; 16384]);

const MAX_CPUS: usize = 64;

static mut TSS: [Tss; MAX_CPUS] = [const { Tss::new() }; MAX_CPUS];
static mut GDT: [[u64; 10]; MAX_CPUS] = [[0; 10]; MAX_CPUS];
/// Stack for double faults (IST1): a kernel stack overflow lands here.
static mut DOUBLE_FAULT_STACKS: [Stack; 2] = [const { Stack([0; 16384]) }; 2];

/// Index of the IST slot used by the double-fault handler.
pub const IST_DOUBLE_FAULT: u8 = 1;

#[repr(C, packed)]
struct DescriptorPointer {
    limit: u16,
    base: u64,
}

/// Loads this CPU's GDT and TSS and reloads the segment registers.
pub(crate) fn init_boot_cpu() {
    let cpu = 0usize;
    // SAFETY: runs once per CPU during bring-up, before interrupts are on;
    // the tables are statics that live for the kernel's lifetime.
    unsafe {
        let tss = &mut (*core::ptr::addr_of_mut!(TSS))[cpu];
        let df_stack = &(*core::ptr::addr_of!(DOUBLE_FAULT_STACKS))[cpu.min(1)];
        tss.set_u64(Tss::IST1 + 8 * (IST_DOUBLE_FAULT as usize - 1), df_stack.0.as_ptr_range().end as u64);
        let tss_addr = tss as *const Tss as u64;
        let gdt = &mut (*core::ptr::addr_of_mut!(GDT))[cpu];
        gdt[0] = 0;
        gdt[1] = 0;
        gdt[2] = 0x00af_9a00_0000_ffff; // 0x10 kernel code, 64-bit
        gdt[3] = 0x00cf_9200_0000_ffff; // 0x18 kernel data
        gdt[4] = 0x00cf_fa00_0000_ffff; // 0x20 user code, 32-bit
        gdt[5] = 0x00cf_f200_0000_ffff; // 0x28 user data
        gdt[6] = 0x00af_fa00_0000_ffff; // 0x30 user code, 64-bit
        gdt[7] = 0;
        let limit = 103u64; // 104-byte TSS
        gdt[8] = (limit & 0xffff)
            | ((tss_addr & 0xff_ffff) << 16)
            | (0x89 << 40) // present, 64-bit TSS (available)
            | (((tss_addr >> 24) & 0xff) << 56);
        gdt[9] = tss_addr >> 32;
        let ptr = DescriptorPointer { limit: (core::mem::size_of::<[u64; 10]>() - 1) as u16, base: gdt.as_ptr() as u64 };
        core::arch::asm!(
            "lgdt [{ptr}]",
            "push {cs}",
            "lea {tmp}, [rip + 2f]",
            "push {tmp}",
            "retfq",
            "2:",
            "mov ds, {ds:x}",
            "mov es, {ds:x}",
            "mov ss, {ds:x}",
            "ltr {tss:x}",
            ptr = in(reg) &ptr,
            cs = in(reg) KERNEL_CS as u64,
            ds = in(reg) KERNEL_DS as u64,
            tss = in(reg) TSS_SEL as u64,
            tmp = out(reg) _,
        );
    }
}

/// Sets the stack the CPU switches to on an interrupt from user mode, and
/// the one the syscall entry loads: both are the current thread's kernel
/// stack top.
pub(crate) fn set_kernel_stack(top: u64) {
    let cpu = this_cpu();
    cpu.kernel_rsp = top;
    // SAFETY: only this CPU writes its own TSS, with interrupts disabled
    // (called from the context switch).
    unsafe {
        let tss = &mut (*core::ptr::addr_of_mut!(TSS))[cpu.cpu_id as usize];
        tss.set_u64(Tss::RSP0, top);
    }
}
