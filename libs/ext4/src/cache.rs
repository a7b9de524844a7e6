//! The metadata block cache.
//!
//! Every metadata block (superblock, descriptors, bitmaps, inode tables,
//! directory, extent-tree and xattr blocks) is read and changed here. A
//! changed block is "dirty" and stays pinned in memory until the running
//! transaction commits: with a journal nothing reaches its home location
//! before its copy is safely in the log. Clean blocks are evicted,
//! oldest first, when the cache grows past its capacity.
//!
//! File data does not pass through this cache: the kernel's page cache
//! sits above the library, and data blocks go straight to the device.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use crate::device::BlockDevice;
use crate::error::{Error, Result};

struct Buf {
    data: Vec<u8>,
    dirty: bool,
    /// The checksum was checked (or the contents are our own).
    verified: bool,
    stamp: u64,
}

/// The device and its metadata cache.
pub struct Disk<D> {
    pub dev: D,
    pub block_size: usize,
    pub blocks_count: u64,
    bufs: BTreeMap<u64, Buf>,
    clock: u64,
    capacity: usize,
    dirty: usize,
    /// Counters for tests and benchmarks.
    pub reads: u64,
    pub writes: u64,
}

impl<D: BlockDevice> Disk<D> {
    pub fn new(dev: D, block_size: usize, blocks_count: u64, capacity: usize) -> Disk<D> {
        Disk {
            dev,
            block_size,
            blocks_count,
            bufs: BTreeMap::new(),
            clock: 0,
            capacity: capacity.max(64),
            dirty: 0,
            reads: 0,
            writes: 0,
        }
    }

    fn check(&self, blk: u64) -> Result<()> {
        if blk == 0 || blk >= self.blocks_count {
            return Err(Error::Corrupt("block number out of range"));
        }
        Ok(())
    }

    fn load(&mut self, blk: u64) -> Result<&mut Buf> {
        self.check(blk)?;
        self.load_any(blk)
    }

    /// The block holding the superblock (block 0 with blocks over 1 KiB),
    /// which `check` keeps away from every other path.
    pub fn modify_super(&mut self, blk: u64) -> Result<&mut [u8]> {
        let b = self.load_any(blk)?;
        let newly = !b.dirty;
        b.dirty = true;
        if newly {
            self.dirty += 1;
        }
        Ok(&mut self.bufs.get_mut(&blk).ok_or(Error::Io)?.data)
    }

    fn load_any(&mut self, blk: u64) -> Result<&mut Buf> {
        if blk >= self.blocks_count {
            return Err(Error::Corrupt("block number out of range"));
        }
        self.clock += 1;
        let stamp = self.clock;
        if !self.bufs.contains_key(&blk) {
            self.evict_if_full();
            let mut data = vec![0u8; self.block_size];
            self.dev.read_at(blk * self.block_size as u64, &mut data)?;
            self.reads += 1;
            self.bufs.insert(blk, Buf { data, dirty: false, verified: false, stamp });
        }
        let b = self.bufs.get_mut(&blk).ok_or(Error::Io)?;
        b.stamp = stamp;
        Ok(b)
    }

    /// A metadata block's contents.
    pub fn read(&mut self, blk: u64) -> Result<&[u8]> {
        Ok(&self.load(blk)?.data)
    }

    /// A metadata block to change; it becomes part of the transaction.
    pub fn modify(&mut self, blk: u64) -> Result<&mut [u8]> {
        let b = self.load(blk)?;
        let newly = !b.dirty;
        b.dirty = true;
        b.verified = true;
        if newly {
            self.dirty += 1;
        }
        Ok(&mut self.bufs.get_mut(&blk).ok_or(Error::Io)?.data)
    }

    /// A newly allocated metadata block, zero-filled without reading it.
    pub fn zeroed(&mut self, blk: u64) -> Result<&mut [u8]> {
        self.check(blk)?;
        self.clock += 1;
        let stamp = self.clock;
        let bs = self.block_size;
        match self.bufs.get_mut(&blk) {
            Some(b) => {
                b.data.iter_mut().for_each(|x| *x = 0);
                b.stamp = stamp;
                b.verified = true;
                if !b.dirty {
                    b.dirty = true;
                    self.dirty += 1;
                }
            }
            None => {
                self.evict_if_full();
                self.bufs.insert(blk, Buf { data: vec![0u8; bs], dirty: true, verified: true, stamp });
                self.dirty += 1;
            }
        }
        Ok(&mut self.bufs.get_mut(&blk).ok_or(Error::Io)?.data)
    }

    /// Whether a cached block's checksum was already checked.
    pub fn is_verified(&self, blk: u64) -> bool {
        self.bufs.get(&blk).is_some_and(|b| b.verified)
    }

    /// Record that a cached block's checksum was checked.
    pub fn set_verified(&mut self, blk: u64) {
        if let Some(b) = self.bufs.get_mut(&blk) {
            b.verified = true;
        }
    }

    /// Drop a block that was freed: its contents no longer matter.
    pub fn forget(&mut self, blk: u64) {
        if let Some(b) = self.bufs.remove(&blk) {
            if b.dirty {
                self.dirty -= 1;
            }
        }
    }

    /// Number of dirty blocks (the size of the running transaction).
    pub fn dirty_count(&self) -> usize {
        self.dirty
    }

    /// The dirty blocks in block order, with their contents.
    pub fn dirty_blocks(&self) -> impl Iterator<Item = (u64, &[u8])> {
        self.bufs.iter().filter(|(_, b)| b.dirty).map(|(&k, b)| (k, &b.data[..]))
    }

    /// Mark every block clean after the transaction reached its home.
    pub fn mark_all_clean(&mut self) {
        for b in self.bufs.values_mut() {
            b.dirty = false;
        }
        self.dirty = 0;
        self.evict_if_full();
    }

    /// Forget every cached block (after journal replay rewrote the disk).
    pub fn invalidate(&mut self) {
        self.bufs.clear();
        self.dirty = 0;
    }

    fn evict_if_full(&mut self) {
        if self.bufs.len() < self.capacity {
            return;
        }
        let mut clean: Vec<(u64, u64)> =
            self.bufs.iter().filter(|(_, b)| !b.dirty).map(|(&k, b)| (b.stamp, k)).collect();
        clean.sort_unstable();
        let drop = clean.len().min(self.capacity / 2 + 1);
        for &(_, k) in &clean[..drop] {
            self.bufs.remove(&k);
        }
    }

    /// Read file data blocks straight from the device.
    pub fn read_data(&mut self, blk: u64, buf: &mut [u8]) -> Result<()> {
        self.check(blk)?;
        let end = blk + (buf.len() as u64).div_ceil(self.block_size as u64);
        if end > self.blocks_count {
            return Err(Error::Corrupt("data block out of range"));
        }
        self.reads += 1;
        self.dev.read_at(blk * self.block_size as u64, buf)
    }

    /// Write file data blocks straight to the device.
    pub fn write_data(&mut self, blk: u64, buf: &[u8]) -> Result<()> {
        self.check(blk)?;
        let end = blk + (buf.len() as u64).div_ceil(self.block_size as u64);
        if end > self.blocks_count {
            return Err(Error::Corrupt("data block out of range"));
        }
        self.writes += 1;
        self.dev.write_at(blk * self.block_size as u64, buf)
    }

    /// Write blocks to the device, merging runs of consecutive block
    /// numbers into one request each (the list must be sorted by block).
    pub fn write_merged(&mut self, blocks: &[(u64, &[u8])]) -> Result<()> {
        let bs = self.block_size;
        let mut i = 0;
        let mut buf: Vec<u8> = Vec::new();
        while i < blocks.len() {
            let start = blocks[i].0;
            let mut j = i + 1;
            while j < blocks.len() && blocks[j].0 == start + (j - i) as u64 && j - i < 256 {
                j += 1;
            }
            if j == i + 1 {
                self.write_raw(start, blocks[i].1)?;
            } else {
                buf.clear();
                for (_, d) in &blocks[i..j] {
                    buf.extend_from_slice(&d[..bs]);
                }
                self.writes += 1;
                self.dev.write_at(start * bs as u64, &buf)?;
            }
            i = j;
        }
        Ok(())
    }

    /// Write a block to the device directly (journal and checkpoint).
    pub fn write_raw(&mut self, blk: u64, buf: &[u8]) -> Result<()> {
        self.writes += 1;
        self.dev.write_at(blk * self.block_size as u64, buf)
    }
}
