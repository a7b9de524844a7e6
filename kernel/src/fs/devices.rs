//! Character devices by number, and the /dev tree the kernel creates.
//! Numbers are Linux's (Documentation/admin-guide/devices.txt).

use alloc::sync::Arc;

use super::file::{FileOps, OpenFile};
use super::inode::{FileType, Inode, NewNode, dev_major, dev_minor, make_dev};
use crate::errno::{Errno, KResult};
use crate::tty::{self, TtyFile};

/// The devices the kernel provides, as (name, type, major, minor, mode).
const DEVICES: &[(&str, FileType, u32, u32, u32)] = &[
    ("null", FileType::CharDevice, 1, 3, 0o666),
    ("zero", FileType::CharDevice, 1, 5, 0o666),
    ("full", FileType::CharDevice, 1, 7, 0o666),
    ("random", FileType::CharDevice, 1, 8, 0o666),
    ("urandom", FileType::CharDevice, 1, 9, 0o666),
    ("tty", FileType::CharDevice, 5, 0, 0o666),
    ("console", FileType::CharDevice, 5, 1, 0o600),
    ("ptmx", FileType::CharDevice, 5, 2, 0o666),
    ("ttyS0", FileType::CharDevice, 4, 64, 0o660),
];

static DEVTMPFS: kevlar_hal::sync::SpinLock<Option<Arc<dyn Inode>>> = kevlar_hal::sync::SpinLock::new(None);

/// The one devtmpfs instance (every mount of devtmpfs shows it, as on
/// Linux), populated with the kernel's devices on first use.
pub fn devtmpfs_root() -> Arc<dyn Inode> {
    DEVTMPFS
        .lock()
        .get_or_insert_with(|| {
            let root: Arc<dyn Inode> = crate::fs::tmpfs::Tmpfs::new(0o755, 0, 0);
            populate(&root).expect("cannot populate devtmpfs");
            root
        })
        .clone()
}

/// Populates a /dev directory.
pub fn populate(dev: &Arc<dyn Inode>) -> KResult<()> {
    for &(name, ft, major, minor, mode) in DEVICES {
        dev.create(name.as_bytes(), NewNode::Special(ft, make_dev(major, minor)), mode, 0, 0)?;
    }
    dev.create(b"pts", NewNode::Directory, 0o755, 0, 0)?;
    dev.create(b"shm", NewNode::Directory, 0o1777, 0, 0)?;
    dev.create(b"fd", NewNode::Symlink(b"/proc/self/fd".to_vec()), 0o777, 0, 0)?;
    dev.create(b"stdin", NewNode::Symlink(b"/proc/self/fd/0".to_vec()), 0o777, 0, 0)?;
    dev.create(b"stdout", NewNode::Symlink(b"/proc/self/fd/1".to_vec()), 0o777, 0, 0)?;
    dev.create(b"stderr", NewNode::Symlink(b"/proc/self/fd/2".to_vec()), 0o777, 0, 0)?;
    Ok(())
}

/// Adds the node of a block device the kernel found (/dev/vda, /dev/ram0).
pub fn add_block_node(name: &[u8], major: u32, minor: u32) -> KResult<()> {
    devtmpfs_root().create(name, NewNode::Special(FileType::BlockDevice, make_dev(major, minor)), 0o660, 0, 0).map(|_| ())
}

/// Opens the block device `rdev` (ENXIO if no disk has that number).
pub fn open_block_device(rdev: u64, flags: u32) -> KResult<Arc<dyn FileOps>> {
    let disk = crate::block::by_dev(dev_major(rdev), dev_minor(rdev)).ok_or(Errno::ENXIO)?;
    crate::block::file::BlockFile::open(disk.device, flags)
}

/// Opens the character device `rdev`.
pub fn open_char_device(rdev: u64, flags: u32) -> KResult<Arc<dyn FileOps>> {
    match (dev_major(rdev), dev_minor(rdev)) {
        (1, 3) => Ok(Arc::new(Null)),
        (1, 5) => Ok(Arc::new(Zero)),
        (1, 7) => Ok(Arc::new(Full)),
        (1, 8) | (1, 9) => Ok(Arc::new(Random)),
        (5, 1) => Ok(TtyFile::open(tty::console(), flags, true)?),
        (5, 2) => tty::pty::open_master(),
        (tty::pty::PTY_SLAVE_MAJOR, n) => tty::pty::open_slave(n, flags),
        (4, 64) => Ok(TtyFile::open(tty::console(), flags, false)?),
        (5, 0) => {
            // /dev/tty: the caller's controlling terminal.
            let me = crate::sched::current();
            let ctty = me.process.ctty.lock().clone().ok_or(Errno::ENXIO)?;
            Ok(TtyFile::open(ctty, flags | linux_raw_sys::general::O_NOCTTY, false)?)
        }
        _ => Err(Errno::ENXIO),
    }
}

/// /dev/null: reads end at once, writes vanish.
struct Null;

impl FileOps for Null {
    fn read(&self, _: &OpenFile, _: &mut u64, _: &mut [u8]) -> KResult<usize> {
        Ok(0)
    }
    fn read_user(&self, _: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        Some(discard(addr, len).map(|_| 0))
    }
    fn write(&self, _: &OpenFile, _: &mut u64, buf: &[u8]) -> KResult<usize> {
        Ok(buf.len())
    }
    fn write_user(&self, _: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        Some(discard(addr, len))
    }
    fn seekable(&self) -> bool {
        true
    }
    fn seek_resets(&self) -> bool {
        true
    }
}

/// write(2) to a device that discards data: the bytes are never read
/// (Linux's write_null), only the range checked as vfs_write's access_ok
/// does (EFAULT if it reaches the kernel half).
fn discard(addr: usize, len: usize) -> KResult<usize> {
    match addr.checked_add(len) {
        Some(end) if end <= kevlar_hal::arch::USER_END as usize => Ok(len),
        _ => Err(Errno::EFAULT),
    }
}

/// /dev/zero: endless zeros.
struct Zero;

impl FileOps for Zero {
    fn mmap_source(&self) -> KResult<Option<Arc<dyn crate::mm::PageSource>>> {
        Ok(None)
    }
    fn read(&self, _: &OpenFile, _: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        buf.fill(0);
        Ok(buf.len())
    }
    fn write(&self, _: &OpenFile, _: &mut u64, buf: &[u8]) -> KResult<usize> {
        Ok(buf.len())
    }
    fn write_user(&self, _: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        Some(discard(addr, len))
    }
    fn seekable(&self) -> bool {
        true
    }
    fn seek_resets(&self) -> bool {
        true
    }
}

/// /dev/full: zeros to read, ENOSPC to write.
struct Full;

impl FileOps for Full {
    fn read(&self, _: &OpenFile, _: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        buf.fill(0);
        Ok(buf.len())
    }
    fn write(&self, _: &OpenFile, _: &mut u64, _: &[u8]) -> KResult<usize> {
        Err(Errno::ENOSPC)
    }
    fn write_user(&self, _: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        Some(discard(addr, len).and(Err(Errno::ENOSPC)))
    }
    fn seekable(&self) -> bool {
        true
    }
    fn seek_resets(&self) -> bool {
        true
    }
}

/// /dev/random and /dev/urandom (the same since Linux 5.6).
struct Random;

impl FileOps for Random {
    fn read(&self, _: &OpenFile, _: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        crate::random::fill(buf);
        Ok(buf.len())
    }
    fn write(&self, _: &OpenFile, _: &mut u64, buf: &[u8]) -> KResult<usize> {
        Ok(buf.len())
    }
    // pread works; lseek succeeds and moves nothing (noop_llseek).
    fn seekable(&self) -> bool {
        true
    }
    fn seek_is_noop(&self) -> bool {
        true
    }
}
