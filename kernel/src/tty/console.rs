//! The serial console: ttyS0 (4:64), also reached as /dev/console.

use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;

use super::{Termios, Tty, TtyDriver};
use crate::fs::inode::make_dev;

/// Major and minor of ttyS0.
const TTYS0: (u32, u32) = (4, 64);

static CONSOLE: SpinLock<Option<Arc<Tty>>> = SpinLock::new(None);

/// The serial port as a terminal's output.
struct SerialDriver;

impl TtyDriver for SerialDriver {
    fn write_out(&self, bytes: &[u8]) {
        for &b in bytes {
            kevlar_hal::arch::serial::write_byte(b);
        }
    }
}

/// The console terminal.
pub fn console() -> Arc<Tty> {
    CONSOLE.lock().get_or_insert_with(|| Tty::new(Arc::new(SerialDriver), make_dev(TTYS0.0, TTYS0.1), Termios::linux_default())).clone()
}

/// Serial receive interrupt: received bytes go to the console. When its
/// input queue is full they are dropped, as a UART overrun drops them.
pub fn serial_interrupt() {
    let tty = console();
    while let Some(b) = kevlar_hal::arch::serial::read_byte() {
        tty.receive(&[b]);
    }
}
