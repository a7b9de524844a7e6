//! 16550 UART on COM1: the kernel console.

use super::io::{inb, outb};

const COM1: u16 = 0x3F8;

/// Programs COM1 for 115200 8N1 with FIFOs, receive interrupt enabled.
pub fn init() {
    outb(COM1 + 1, 0x00); // interrupts off while programming
    outb(COM1 + 3, 0x80); // DLAB
    outb(COM1, 0x01); // divisor 1: 115200 baud
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); // 8N1
    outb(COM1 + 2, 0xC7); // FIFO on, cleared, 14-byte threshold
    outb(COM1 + 4, 0x0B); // DTR, RTS, OUT2 (routes the IRQ)
}

/// Turns on the receive-data interrupt (IRQ 4).
pub fn enable_rx_interrupt() {
    outb(COM1 + 1, 0x01);
}

/// Writes one byte, waiting for the transmitter.
pub fn write_byte(b: u8) {
    while inb(COM1 + 5) & 0x20 == 0 {
        core::hint::spin_loop();
    }
    outb(COM1, b);
}

/// Reads one received byte, if any.
pub fn read_byte() -> Option<u8> {
    (inb(COM1 + 5) & 1 != 0).then(|| inb(COM1))
}
