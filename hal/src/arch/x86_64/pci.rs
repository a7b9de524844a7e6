//! PCI configuration space through the legacy mechanism (ports 0xCF8 and
//! 0xCFC), enough to find devices and read their BARs.

use super::io::{inl, outl};
use crate::sync::SpinLock;

const CONFIG_ADDRESS: u16 = 0xcf8;
const CONFIG_DATA: u16 = 0xcfc;

/// The address/data port pair is one shared register: one user at a time.
static CONFIG: SpinLock<()> = SpinLock::new(());

fn address(bus: u8, dev: u8, func: u8, offset: u8) -> u32 {
    0x8000_0000 | (bus as u32) << 16 | ((dev & 0x1f) as u32) << 11 | ((func & 7) as u32) << 8 | (offset & 0xfc) as u32
}

/// Reads the 32-bit configuration register at `offset` (4-byte aligned).
pub fn read32(bus: u8, dev: u8, func: u8, offset: u8) -> u32 {
    let _g = CONFIG.lock();
    outl(CONFIG_ADDRESS, address(bus, dev, func, offset));
    inl(CONFIG_DATA)
}

/// Writes the 32-bit configuration register at `offset`.
pub fn write32(bus: u8, dev: u8, func: u8, offset: u8, value: u32) {
    let _g = CONFIG.lock();
    outl(CONFIG_ADDRESS, address(bus, dev, func, offset));
    outl(CONFIG_DATA, value);
}
