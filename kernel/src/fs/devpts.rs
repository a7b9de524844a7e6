//! devpts: /dev/pts, the slave ends of the pseudo-terminals (one per live
//! pair, named by its number) and `ptmx`. One instance, shown by every
//! mount (Linux's single-instance behaviour without `newinstance`).

use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU64, Ordering};

use super::file::FileOps;
use super::inode::{DirEntry, FileType, Inode, SetAttr, Stat, StatFs, make_dev};
use crate::errno::{Errno, KResult};
use crate::tty::pty::{self, PTY_SLAVE_MAJOR};

/// f_type of devpts (DEVPTS_SUPER_MAGIC).
const DEVPTS_SUPER_MAGIC: u64 = 0x1cd1;

static FS_ID: AtomicU64 = AtomicU64::new(0);
/// Mount options: the slaves' group (u32::MAX: the opener's) and ptmx's
/// mode.
static SLAVE_GID: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(u32::MAX);
static PTMX_MODE: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

/// Applies devpts mount options (gid=, mode=, ptmxmode=). The slaves keep
/// the 0620 grantpt gives them (musl's grantpt changes nothing, so the
/// node is created that way).
pub fn configure(gid: Option<u32>, _mode: u32, ptmx_mode: u32) {
    SLAVE_GID.store(gid.unwrap_or(u32::MAX), Ordering::Relaxed);
    PTMX_MODE.store(ptmx_mode & 0o777, Ordering::Relaxed);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    Root,
    Ptmx,
    Slave(u32),
}

/// A devpts object.
pub struct DevptsInode {
    node: Node,
}

/// The devpts root.
pub fn root() -> Arc<dyn Inode> {
    if FS_ID.load(Ordering::Relaxed) == 0 {
        FS_ID.store(super::tmpfs::new_fs_id(), Ordering::Relaxed);
    }
    Arc::new(DevptsInode { node: Node::Root })
}

impl Inode for DevptsInode {
    fn stat(&self) -> Stat {
        let t = crate::time::Timespec::from_ns(kevlar_hal::arch::time::boot_unix_ns());
        let (mode, rdev, ino, uid, gid) = match self.node {
            Node::Root => (0o040755, 0, 1, 0, 0),
            Node::Ptmx => (0o020000 | PTMX_MODE.load(Ordering::Relaxed), make_dev(5, 2), 2, 0, 0),
            Node::Slave(n) => {
                let owner = pty::find(n).map_or((0, 0), |p| p.owner);
                let gid = match SLAVE_GID.load(Ordering::Relaxed) {
                    u32::MAX => owner.1,
                    g => g,
                };
                (0o020620, make_dev(PTY_SLAVE_MAJOR, n), n as u64 + 3, owner.0, gid)
            }
        };
        Stat {
            dev: make_dev(0, FS_ID.load(Ordering::Relaxed) as u32),
            ino,
            mode,
            nlink: if self.node == Node::Root { 2 } else { 1 },
            uid,
            gid,
            rdev,
            blksize: 1024,
            atime: t,
            mtime: t,
            ctime: t,
            ..Default::default()
        }
    }

    fn fsync_supported(&self) -> bool {
        self.node == Node::Root // simple_dir_operations' no-op fsync
    }

    fn set_attr(&self, _attr: &SetAttr) -> KResult<()> {
        // grantpt's chmod/chown of the slave: the node already has the
        // owner and mode grantpt sets.
        match self.node {
            Node::Slave(_) => Ok(()),
            _ => Err(Errno::EPERM),
        }
    }

    fn lookup(&self, name: &[u8]) -> KResult<Arc<dyn Inode>> {
        if self.node != Node::Root {
            return Err(Errno::ENOTDIR);
        }
        if name == b"ptmx" {
            return Ok(Arc::new(DevptsInode { node: Node::Ptmx }));
        }
        let n: u32 = core::str::from_utf8(name).ok().and_then(|s| s.parse().ok()).ok_or(Errno::ENOENT)?;
        pty::find(n).ok_or(Errno::ENOENT)?;
        Ok(Arc::new(DevptsInode { node: Node::Slave(n) }))
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        if self.node != Node::Root {
            return Err(Errno::ENOTDIR);
        }
        let mut entries: Vec<DirEntry> = alloc::vec![
            DirEntry { ino: 1, file_type: FileType::Directory, name: b".".to_vec() },
            DirEntry { ino: 1, file_type: FileType::Directory, name: b"..".to_vec() },
            DirEntry { ino: 2, file_type: FileType::CharDevice, name: b"ptmx".to_vec() },
        ];
        for n in pty::indices() {
            entries.push(DirEntry { ino: n as u64 + 3, file_type: FileType::CharDevice, name: format!("{n}").into_bytes() });
        }
        Ok(entries.into_iter().nth(pos as usize).map(|e| (e, pos + 1)))
    }

    fn open_special(&self, flags: u32) -> KResult<Option<Arc<dyn FileOps>>> {
        match self.node {
            Node::Root => Ok(None),
            Node::Ptmx => pty::open_master().map(Some),
            Node::Slave(n) => pty::open_slave(n, flags).map(Some),
        }
    }

    fn fs_id(&self) -> u64 {
        FS_ID.load(Ordering::Relaxed)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn statfs(&self) -> StatFs {
        StatFs { fs_type: DEVPTS_SUPER_MAGIC, bsize: 4096, namelen: 255, ..Default::default() }
    }
}
