//! The block device the file system lives on.
//!
//! The library does all its I/O through [`BlockDevice`]. Requests are byte
//! ranges, but the library only ever issues whole file-system blocks (1 KiB
//! to 64 KiB, aligned to their size) plus the 1 KiB superblock at byte 1024,
//! so every offset and length is a multiple of 512 and an implementation on
//! top of a sector device needs no read-modify-write.

use alloc::vec::Vec;

use crate::error::{Error, Result};

/// A device addressed by byte offset.
///
/// Ordering contract: writes issued before a `flush` that returned `Ok` are
/// durable; the journal relies on it (data, then journal blocks, flush,
/// commit block, flush, then the blocks in place). A device with a volatile
/// write cache must make `flush` a cache flush; one without can return at
/// once.
pub trait BlockDevice {
    /// Size of the device in bytes.
    fn size(&self) -> u64;
    /// Fill `buf` from the device starting at byte `offset`.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()>;
    /// Write `buf` to the device starting at byte `offset`.
    fn write_at(&mut self, offset: u64, buf: &[u8]) -> Result<()>;
    /// Make every completed write durable.
    fn flush(&mut self) -> Result<()>;
}

impl<T: BlockDevice + ?Sized> BlockDevice for &mut T {
    fn size(&self) -> u64 {
        (**self).size()
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        (**self).read_at(offset, buf)
    }
    fn write_at(&mut self, offset: u64, buf: &[u8]) -> Result<()> {
        (**self).write_at(offset, buf)
    }
    fn flush(&mut self) -> Result<()> {
        (**self).flush()
    }
}

/// A device held in memory: for tests, and for images loaded whole.
#[derive(Clone, Debug, Default)]
pub struct MemDevice {
    /// The device's bytes.
    pub data: Vec<u8>,
    /// Number of flushes seen (tests use it to check ordering).
    pub flushes: u64,
}

impl MemDevice {
    /// A device holding `data`.
    pub fn new(data: Vec<u8>) -> MemDevice {
        MemDevice { data, flushes: 0 }
    }

    fn range(&self, offset: u64, len: usize) -> Result<core::ops::Range<usize>> {
        let start = usize::try_from(offset).map_err(|_| Error::Io)?;
        let end = start.checked_add(len).ok_or(Error::Io)?;
        if end > self.data.len() {
            return Err(Error::Io);
        }
        Ok(start..end)
    }
}

impl BlockDevice for MemDevice {
    fn size(&self) -> u64 {
        self.data.len() as u64
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        let r = self.range(offset, buf.len())?;
        buf.copy_from_slice(&self.data[r]);
        Ok(())
    }
    fn write_at(&mut self, offset: u64, buf: &[u8]) -> Result<()> {
        let r = self.range(offset, buf.len())?;
        self.data[r].copy_from_slice(buf);
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        self.flushes += 1;
        Ok(())
    }
}
