//! PVH boot: the 32-bit entry QEMU jumps to, the switch to long mode, and
//! the reading of the `hvm_start_info` that describes memory, the command
//! line and the initrd.
//!
//! Reference: Xen's `arch-x86/hvm/start_info.h` (the PVH boot ABI) and the
//! Intel SDM vol. 3, 9.8.5 "Initializing IA-32e Mode".

use super::{KERNEL_VMA, phys_to_virt};
use crate::boot_info::{BootInfo, MemoryRegion, MemoryRegionKind};

// The Xen ELF note that makes this ELF bootable with `qemu -kernel`, the
// 32-bit entry, and the boot page tables: identity and direct map of the
// first 4 GiB, and the top 2 GiB mapped to physical 0 for the kernel image.
core::arch::global_asm!(
    r#"
    .pushsection .note.xen, "a"
    .balign 4
    .long 4                     /* namesz */
    .long 8                     /* descsz */
    .long 18                    /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .balign 4
    .quad pvh_start
    .balign 4
    .popsection

    .pushsection .boot.text, "ax"
    .code32
    .global pvh_start
pvh_start:
    cli
    cld
    movl %ebx, %ebp             /* physical address of hvm_start_info */

    /* Zero .bss (the boot stack lives there). */
    movl $(__bss_start - {kvma}), %edi
    movl $(__bss_end - {kvma}), %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    /* Four page directories of 2 MiB pages map physical 0..4 GiB. */
    movl $boot_pd, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax             /* present, writable, 2 MiB page */
    movl %eax, (%edi,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax              /* high half of the physical address */
    movl %eax, 4(%edi,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b

    /* PDPT for the low half: 4 entries -> the four page directories. */
    movl $boot_pdpt_low, %edi
    movl $boot_pd, %eax
    orl $0x3, %eax
    movl %eax, 0(%edi)
    addl $4096, %eax
    movl %eax, 8(%edi)
    addl $4096, %eax
    movl %eax, 16(%edi)
    addl $4096, %eax
    movl %eax, 24(%edi)

    /* PDPT for the top 2 GiB: entries 510, 511 -> physical 0..2 GiB. */
    movl $boot_pdpt_high, %edi
    movl $boot_pd, %eax
    orl $0x3, %eax
    movl %eax, (510*8)(%edi)
    addl $4096, %eax
    movl %eax, (511*8)(%edi)

    /* PML4: identity (0), direct map (256), kernel image (511). */
    movl $boot_pml4, %edi
    movl $boot_pdpt_low, %eax
    orl $0x3, %eax
    movl %eax, 0(%edi)
    movl %eax, (256*8)(%edi)
    movl $boot_pdpt_high, %eax
    orl $0x3, %eax
    movl %eax, (511*8)(%edi)

    movl %edi, %cr3
    movl %cr4, %eax
    orl $(1 << 5), %eax          /* PAE */
    movl %eax, %cr4
    movl $0xC0000080, %ecx       /* EFER */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax   /* LME, NXE */
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16) | 1), %eax  /* PG, WP, PE */
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $boot_long_mode

    .code64
boot_long_mode:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq ${stack} + {stack_size}, %rsp
    xorl %edi, %edi
    movl %ebp, %edi              /* zero-extended start_info address */
    xorl %ebp, %ebp              /* terminates backtraces */
    movabsq ${entry}, %rax
    call *%rax
2:  hlt
    jmp 2b

    .popsection

    .pushsection .boot.data, "aw"
    .balign 4096
boot_pml4:      .fill 512, 8, 0
boot_pdpt_low:  .fill 512, 8, 0
boot_pdpt_high: .fill 512, 8, 0
boot_pd:        .fill 2048, 8, 0
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff     /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff     /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
    .popsection
    "#,
    kvma = const KERNEL_VMA,
    entry = sym pvh_entry64,
    stack = sym BOOT_STACK,
    stack_size = const BOOT_STACK_SIZE,
    options(att_syntax)
);

const BOOT_STACK_SIZE: usize = 64 * 1024;

/// The boot CPU's stack until it runs its first thread (then its idle
/// thread keeps running on it).
#[repr(C, align(4096))]
struct BootStack([u8; BOOT_STACK_SIZE]);
static mut BOOT_STACK: BootStack = BootStack([0; BOOT_STACK_SIZE]);

/// Magic value of `hvm_start_info.magic`.
const HVM_START_MAGIC: u32 = 0x336e_c578;

/// `struct hvm_start_info` (version 1).
#[repr(C)]
#[derive(Clone, Copy)]
struct HvmStartInfo {
    magic: u32,
    version: u32,
    flags: u32,
    nr_modules: u32,
    modlist_paddr: u64,
    cmdline_paddr: u64,
    rsdp_paddr: u64,
    memmap_paddr: u64,
    memmap_entries: u32,
    reserved: u32,
}

/// `struct hvm_modlist_entry`.
#[repr(C)]
#[derive(Clone, Copy)]
struct HvmModlistEntry {
    paddr: u64,
    size: u64,
    cmdline_paddr: u64,
    reserved: u64,
}

/// `struct hvm_memmap_table_entry` (E820 types).
#[repr(C)]
#[derive(Clone, Copy)]
struct HvmMemmapEntry {
    addr: u64,
    size: u64,
    kind: u32,
    reserved: u32,
}

/// 64-bit entry from the boot trampoline; runs on the boot stack with the
/// boot page tables (first 4 GiB direct-mapped).
extern "C" fn pvh_entry64(start_info_paddr: u64) -> ! {
    super::early_init();
    let info = read_start_info(start_info_paddr);
    super::init(info)
}

fn read_start_info(paddr: u64) -> BootInfo {
    // SAFETY: the PVH ABI puts a valid hvm_start_info at `paddr` (below
    // 4 GiB, which the boot tables direct-map); it is only read.
    let si: HvmStartInfo = unsafe { core::ptr::read(phys_to_virt(paddr) as *const HvmStartInfo) };
    if si.magic != HVM_START_MAGIC {
        panic!("PVH: bad start_info magic {:#x}", si.magic);
    }
    let mut info = BootInfo::empty();
    if si.cmdline_paddr != 0 {
        info.set_cmdline(read_c_string(si.cmdline_paddr));
    }
    if si.nr_modules > 0 && si.modlist_paddr != 0 {
        // SAFETY: the module list is part of the PVH start info block.
        let m: HvmModlistEntry =
            unsafe { core::ptr::read(phys_to_virt(si.modlist_paddr) as *const HvmModlistEntry) };
        info.initrd = Some((m.paddr, m.size));
    }
    if si.version >= 1 && si.memmap_paddr != 0 {
        for i in 0..si.memmap_entries as u64 {
            let at = si.memmap_paddr + i * core::mem::size_of::<HvmMemmapEntry>() as u64;
            // SAFETY: `memmap_entries` entries follow `memmap_paddr`.
            let e: HvmMemmapEntry = unsafe { core::ptr::read(phys_to_virt(at) as *const HvmMemmapEntry) };
            let kind = match e.kind {
                1 => MemoryRegionKind::Usable,
                3 => MemoryRegionKind::AcpiReclaimable,
                _ => MemoryRegionKind::Reserved,
            };
            info.push_region(MemoryRegion { start: e.addr, len: e.size, kind });
        }
    }
    info.rsdp_paddr = (si.rsdp_paddr != 0).then_some(si.rsdp_paddr);
    info
}

fn read_c_string(paddr: u64) -> &'static [u8] {
    let base = phys_to_virt(paddr) as *const u8;
    let mut len = 0;
    // SAFETY: the command line is a NUL-terminated string in guest memory;
    // capped at 4 KiB so a missing terminator cannot run away.
    unsafe {
        while len < 4096 && *base.add(len) != 0 {
            len += 1;
        }
        core::slice::from_raw_parts(base, len)
    }
}
