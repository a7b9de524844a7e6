//! Kernel panics: message, registers, a symbolized backtrace, then QEMU
//! exits with a failure status.

use core::fmt;
use core::sync::atomic::{AtomicBool, Ordering};

use crate::arch::trap::TrapFrame;
use crate::console::write_fmt_unlocked as out;

static PANICKING: AtomicBool = AtomicBool::new(false);

/// QEMU debug-exit code of a kernel panic (QEMU status 3).
pub const PANIC_EXIT_CODE: u8 = 1;

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::arch::irq::disable();
    if PANICKING.swap(true, Ordering::SeqCst) {
        out(format_args!("\npanic while panicking: {}\n", info.message()));
        crate::arch::exit_qemu(PANIC_EXIT_CODE);
    }
    out(format_args!("\n[kevlar] KERNEL PANIC on cpu {}: {}\n", crate::arch::cpu_id(), info.message()));
    if let Some(loc) = info.location() {
        out(format_args!("  at {}:{}:{}\n", loc.file(), loc.line(), loc.column()));
    }
    let rbp: u64;
    // SAFETY: reads the frame pointer register.
    unsafe { core::arch::asm!("mov {}, rbp", out(reg) rbp, options(nomem, nostack)) };
    backtrace(rbp, None);
    crate::arch::exit_qemu(PANIC_EXIT_CODE)
}

/// Panics with the registers of a trap (kernel exceptions).
pub(crate) fn panic_with_frame(frame: &TrapFrame, msg: fmt::Arguments<'_>) -> ! {
    crate::arch::irq::disable();
    PANICKING.store(true, Ordering::SeqCst);
    out(format_args!("\n[kevlar] KERNEL PANIC on cpu {}: {}\n{:?}\n", crate::arch::cpu_id(), msg, frame));
    backtrace(frame.rbp, Some(frame.rip));
    crate::arch::exit_qemu(PANIC_EXIT_CODE)
}

fn plausible_frame(rbp: u64) -> bool {
    rbp % 8 == 0 && rbp >= 0xffff_8000_0000_0000 && crate::arch::paging::kernel_translate(rbp).is_some()
}

/// Prints the call chain by following saved frame pointers (the kernel is
/// built with `-C force-frame-pointers=yes`).
fn backtrace(mut rbp: u64, first_pc: Option<u64>) {
    out(format_args!("backtrace:\n"));
    let mut n = 0;
    if let Some(pc) = first_pc {
        print_frame(n, pc, false);
        n += 1;
    }
    while n < 48 && plausible_frame(rbp) && plausible_frame(rbp + 8) {
        // SAFETY: `rbp` is an aligned, mapped kernel address (checked).
        let (next, ret) = unsafe { (*(rbp as *const u64), *((rbp + 8) as *const u64)) };
        if ret == 0 {
            break;
        }
        print_frame(n, ret, true);
        n += 1;
        if next <= rbp {
            break;
        }
        rbp = next;
    }
}

fn print_frame(n: usize, pc: u64, is_return_addr: bool) {
    // A return address points after the call; look up the call itself.
    let lookup = if is_return_addr { pc - 1 } else { pc };
    match crate::ksyms::lookup(lookup) {
        Some((name, off)) => out(format_args!("  #{n:<2} {pc:#018x} {:#}+{off:#x}\n", rustc_demangle::demangle(name))),
        None => out(format_args!("  #{n:<2} {pc:#018x} ?\n")),
    }
}
