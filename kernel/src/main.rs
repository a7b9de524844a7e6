//! Kevlar: a Linux-compatible kernel in safe Rust.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

extern crate alloc;

use kevlar_hal as hal;

hal::entry_point!(kernel_main);

fn kernel_main() -> ! {
    hal::println!("kevlar: hello, cmdline='{}'", hal::boot_info::get().cmdline());
    let v = alloc::vec![1, 2, 3];
    hal::println!("heap ok {:?}", v);
    hal::exit_qemu(0)
}
