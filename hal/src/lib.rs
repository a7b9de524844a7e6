//! Kevlar's hardware layer.
//!
//! Everything that touches the machine directly lives here, and only here
//! is `unsafe` allowed: boot, CPU tables, traps and the system-call entry,
//! page tables, physical frames and the heap, context switching, user-memory
//! copies, interrupt controllers, timers, the serial console. Every unsafe
//! block carries a `// SAFETY:` comment. The API it offers the kernel is
//! safe: misuse is a panic, never memory corruption.
//!
//! The hal calls the kernel only through [`hooks::KernelHooks`] and the
//! entry point the kernel declares with [`entry_point!`].

#![no_std]
#![deny(missing_docs)]
#![allow(clippy::missing_safety_doc)]

extern crate alloc;

#[cfg(target_arch = "x86_64")]
#[path = "arch/x86_64/mod.rs"]
pub mod arch;

pub mod boot_info;
pub mod console;
pub mod hooks;
pub mod ksyms;
pub mod mem;
pub mod panic;
pub mod sync;

pub use arch::exit_qemu;

unsafe extern "Rust" {
    fn __kevlar_kernel_main() -> !;
}

fn kernel_main() -> ! {
    // SAFETY: the kernel crate defines this symbol with `entry_point!`,
    // which checks its signature.
    unsafe { __kevlar_kernel_main() }
}

/// Declares the kernel's entry point, called on the boot CPU once memory,
/// traps and timers are up (interrupts still disabled).
#[macro_export]
macro_rules! entry_point {
    ($main:path) => {
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        extern "Rust" fn __kevlar_kernel_main() -> ! {
            let main: fn() -> ! = $main;
            main()
        }
    };
}
