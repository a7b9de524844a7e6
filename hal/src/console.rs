//! The kernel console: formatted output to the serial port.

use core::fmt::{self, Write};

use crate::sync::SpinLock;

static CONSOLE_LOCK: SpinLock<()> = SpinLock::new(());

struct Serial;

impl Write for Serial {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_bytes(s.as_bytes());
        Ok(())
    }
}

/// Writes raw bytes to the console, turning `\n` into `\r\n`.
pub fn write_bytes(bytes: &[u8]) {
    for &b in bytes {
        if b == b'\n' {
            crate::arch::serial::write_byte(b'\r');
        }
        crate::arch::serial::write_byte(b);
    }
}

/// Writes formatted text under the console lock (so lines do not interleave).
pub fn write_fmt(args: fmt::Arguments<'_>) {
    let _guard = CONSOLE_LOCK.lock();
    let _ = Serial.write_fmt(args);
}

/// Writes without taking the console lock: for the panic path only, where
/// the lock may be held by the code that panicked.
pub fn write_fmt_unlocked(args: fmt::Arguments<'_>) {
    let _ = Serial.write_fmt(args);
}

/// Prints to the kernel console.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::write_fmt(format_args!($($arg)*)) };
}

/// Prints a line to the kernel console.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => { $crate::console::write_fmt(format_args!("{}\n", format_args!($($arg)*))) };
}
