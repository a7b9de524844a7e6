//! Block devices: disks addressed by 512-byte sector, and the table of
//! the ones the kernel found (vda, vdb, ... in discovery order).
//!
//! Drivers (virtio-blk) implement [`BlockDevice`]; file systems reach a
//! disk through the table by name or device number. Requests are whole
//! sectors; `flush` makes every completed write durable (a device with a
//! volatile write cache turns it into a cache flush), which is what the
//! ext4 journal's ordering relies on.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;

use crate::errno::KResult;

pub mod file;
pub mod virtio_blk;

/// Bytes per sector (the unit of every request).
pub const SECTOR: usize = 512;

/// A disk.
pub trait BlockDevice: Send + Sync {
    /// Size in sectors.
    fn sectors(&self) -> u64;
    /// Logical block size the device reports (BLKSSZGET): 512 unless the
    /// device says otherwise.
    fn logical_block_size(&self) -> u32 {
        SECTOR as u32
    }
    /// Whether writes are refused (a read-only device: EROFS).
    fn read_only(&self) -> bool {
        false
    }
    /// Reads `buf.len() / SECTOR` sectors from `sector` (EIO on failure).
    fn read(&self, sector: u64, buf: &mut [u8]) -> KResult<()>;
    /// Writes `buf.len() / SECTOR` sectors at `sector`.
    fn write(&self, sector: u64, buf: &[u8]) -> KResult<()>;
    /// Makes every completed write durable.
    fn flush(&self) -> KResult<()>;
}

/// A disk the kernel knows, with its name and device number.
#[derive(Clone)]
pub struct Disk {
    /// "vda", "vdb", ...
    pub name: String,
    /// Major and minor (virtio-blk disks are 253:0, 253:16, ...).
    pub major: u32,
    pub minor: u32,
    pub device: Arc<dyn BlockDevice>,
}

static DISKS: SpinLock<Vec<Disk>> = SpinLock::new(Vec::new());

/// Adds a disk to the table.
pub fn register(disk: Disk) {
    DISKS.lock().push(disk);
}

/// Every disk, in discovery order.
pub fn disks() -> Vec<Disk> {
    DISKS.lock().clone()
}

/// The disk with this device number.
pub fn by_dev(major: u32, minor: u32) -> Option<Disk> {
    DISKS.lock().iter().find(|d| d.major == major && d.minor == minor).cloned()
}

/// The disk with this name ("vda").
pub fn by_name(name: &str) -> Option<Disk> {
    DISKS.lock().iter().find(|d| d.name == name).cloned()
}
