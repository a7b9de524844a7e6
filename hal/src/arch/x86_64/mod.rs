//! x86_64 support: PVH boot, CPU tables, traps, system calls, paging,
//! context switching, user-memory access, interrupt controllers, timers.

pub mod apic;
pub mod boot;
pub mod context;
pub mod cpu;
pub mod gdt;
pub mod io;
pub mod irq;
pub mod paging;
pub mod pci;
pub mod serial;
pub mod syscall;
pub mod time;
pub mod trap;
pub mod usercopy;

pub use cpu::cpu_id;

/// Size of a base page.
pub const PAGE_SIZE: usize = 4096;
/// Where the kernel image is linked (physical 0 maps here).
pub const KERNEL_VMA: u64 = 0xffff_ffff_8000_0000;
/// Base of the direct map of all physical memory.
pub const DIRECT_MAP_BASE: u64 = 0xffff_8000_0000_0000;
/// First address above the user half (canonical lower half ends here).
pub const USER_END: usize = 0x0000_8000_0000_0000;

/// Kernel virtual address of a physical address, through the direct map.
#[inline]
pub const fn phys_to_virt(paddr: u64) -> u64 {
    paddr + DIRECT_MAP_BASE
}

/// Physical address of a kernel-image symbol address.
#[inline]
pub const fn image_virt_to_phys(vaddr: u64) -> u64 {
    vaddr - KERNEL_VMA
}

/// First steps on the boot stack: a console to report problems on.
pub(crate) fn early_init() {
    serial::init();
}

/// Brings the boot CPU up and hands over to the kernel.
pub(crate) fn init(info: crate::boot_info::BootInfo) -> ! {
    cpu::init_features();
    gdt::init_boot_cpu();
    cpu::init_percpu(0);
    trap::init();
    crate::boot_info::set(info);
    let info = crate::boot_info::get();
    let reserved = paging::reserved_ranges(info);
    crate::mem::frame::init(info, &reserved);
    paging::init_kernel_page_table(info);
    syscall::init();
    apic::init();
    time::init();
    crate::kernel_main()
}

/// Ends the QEMU session through the `isa-debug-exit` device (QEMU exits
/// with status `(code << 1) | 1`), then tries an ACPI power-off, then halts.
pub fn exit_qemu(code: u8) -> ! {
    io::outb(0xf4, code);
    // PIIX4 PM control on QEMU's `pc` machine: SLP_TYP=S5 | SLP_EN.
    io::outl(0x604, 0x2000);
    loop {
        irq::disable();
        cpu::halt();
    }
}
