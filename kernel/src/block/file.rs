//! A block device opened as a file (/dev/vda): byte-granular reads and
//! writes at any offset (whole sectors go straight through; a partial
//! sector is read, changed and written back), lseek with SEEK_END at the
//! disk's size, fsync as a cache flush, and the BLK* ioctls.

use alloc::sync::Arc;

use linux_raw_sys::ioctl as io;

use super::{BlockDevice, SECTOR};
use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile};
use crate::mm::uaccess::UserPtr;

/// An open block device.
pub struct BlockFile {
    disk: Arc<dyn BlockDevice>,
}

impl BlockFile {
    /// Opens `disk` (EROFS for writing a read-only one).
    pub fn open(disk: Arc<dyn BlockDevice>, flags: u32) -> KResult<Arc<dyn FileOps>> {
        let acc = flags & linux_raw_sys::general::O_ACCMODE;
        if acc != linux_raw_sys::general::O_RDONLY && disk.read_only() {
            return Err(Errno::EROFS);
        }
        Ok(Arc::new(BlockFile { disk }))
    }

    fn size(&self) -> u64 {
        self.disk.sectors() * SECTOR as u64
    }
}

impl FileOps for BlockFile {
    fn read(&self, _file: &OpenFile, offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        let size = self.size();
        if *offset >= size {
            return Ok(0);
        }
        let len = buf.len().min((size - *offset) as usize);
        let mut sector = [0u8; SECTOR];
        let mut done = 0;
        while done < len {
            let pos = *offset + done as u64;
            let in_sector = (pos % SECTOR as u64) as usize;
            if in_sector == 0 && len - done >= SECTOR {
                // Whole sectors in one request.
                let n = (len - done) / SECTOR * SECTOR;
                let n = n.min(256 * 1024);
                self.disk.read(pos / SECTOR as u64, &mut buf[done..done + n])?;
                done += n;
            } else {
                self.disk.read(pos / SECTOR as u64, &mut sector)?;
                let n = (SECTOR - in_sector).min(len - done);
                buf[done..done + n].copy_from_slice(&sector[in_sector..in_sector + n]);
                done += n;
            }
        }
        *offset += len as u64;
        Ok(len)
    }

    fn write(&self, _file: &OpenFile, offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        let size = self.size();
        if *offset >= size && !buf.is_empty() {
            return Err(Errno::ENOSPC);
        }
        let len = buf.len().min((size - *offset) as usize);
        let mut sector = [0u8; SECTOR];
        let mut done = 0;
        while done < len {
            let pos = *offset + done as u64;
            let in_sector = (pos % SECTOR as u64) as usize;
            if in_sector == 0 && len - done >= SECTOR {
                let n = ((len - done) / SECTOR * SECTOR).min(256 * 1024);
                self.disk.write(pos / SECTOR as u64, &buf[done..done + n])?;
                done += n;
            } else {
                self.disk.read(pos / SECTOR as u64, &mut sector)?;
                let n = (SECTOR - in_sector).min(len - done);
                sector[in_sector..in_sector + n].copy_from_slice(&buf[done..done + n]);
                self.disk.write(pos / SECTOR as u64, &sector)?;
                done += n;
            }
        }
        *offset += len as u64;
        Ok(len)
    }

    fn seekable(&self) -> bool {
        true
    }

    fn size(&self) -> u64 {
        BlockFile::size(self)
    }

    fn fsync(&self) -> KResult<()> {
        self.disk.flush()
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        match cmd {
            io::BLKGETSIZE64 => UserPtr::<u64>::new(arg).write(&self.size())?,
            io::BLKGETSIZE => UserPtr::<u64>::new(arg).write(&self.disk.sectors())?,
            io::BLKSSZGET | io::BLKPBSZGET => UserPtr::<i32>::new(arg).write(&(self.disk.logical_block_size() as i32))?,
            io::BLKROGET => UserPtr::<i32>::new(arg).write(&i32::from(self.disk.read_only()))?,
            io::BLKFLSBUF => self.disk.flush()?,
            _ => return Err(Errno::ENOTTY),
        }
        Ok(0)
    }
}
