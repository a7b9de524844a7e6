//! sysfs: /sys, a read-only view of the kernel's devices and subsystems
//! (sysfs(5)). Only what programs look for so far: the CPU topology
//! (glibc's get_nprocs reads /sys/devices/system/cpu/online), the tty
//! class, and the mount points /sys/fs/cgroup and /sys/kernel/debug.
//! Block and network devices appear with their drivers (issues 6 and 9).

use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU64, Ordering};

use super::file::FileOps;
use super::rendered::RenderedFile;
use super::inode::{DirEntry, FileType, Inode, NewNode, SetAttr, Stat, StatFs, make_dev};
use crate::errno::{Errno, KResult};

/// f_type of sysfs (SYSFS_MAGIC).
const SYSFS_MAGIC: u64 = 0x6265_6572;

static FS_ID: AtomicU64 = AtomicU64::new(0);

/// Directories and files, by path from the root ("" is the root).
const TREE: &[(&str, Option<fn() -> Vec<u8>>)] = &[
    ("", None),
    ("block", None),
    ("bus", None),
    ("class", None),
    ("class/tty", None),
    ("class/tty/console", None),
    ("class/tty/console/dev", Some(|| b"5:1\n".to_vec())),
    ("class/tty/ttyS0", None),
    ("class/tty/ttyS0/dev", Some(|| b"4:64\n".to_vec())),
    ("class/mem", None),
    ("class/mem/null", None),
    ("class/mem/null/dev", Some(|| b"1:3\n".to_vec())),
    ("class/mem/zero", None),
    ("class/mem/zero/dev", Some(|| b"1:5\n".to_vec())),
    ("class/net", None),
    ("dev", None),
    ("dev/block", None),
    ("dev/char", None),
    ("devices", None),
    ("devices/system", None),
    ("devices/system/cpu", None),
    ("devices/system/cpu/cpu0", None),
    ("devices/system/cpu/cpu0/online", Some(|| b"1\n".to_vec())),
    ("devices/system/cpu/kernel_max", Some(|| b"63\n".to_vec())),
    ("devices/system/cpu/offline", Some(|| b"\n".to_vec())),
    ("devices/system/cpu/online", Some(cpu_list)),
    ("devices/system/cpu/possible", Some(cpu_list)),
    ("devices/system/cpu/present", Some(cpu_list)),
    ("firmware", None),
    ("fs", None),
    ("fs/cgroup", None),
    ("kernel", None),
    ("kernel/debug", None),
    ("kernel/mm", None),
    ("module", None),
    ("power", None),
];

fn cpu_list() -> Vec<u8> {
    b"0\n".to_vec()
}

fn entry(path: &str) -> Option<Option<fn() -> Vec<u8>>> {
    TREE.iter().find(|(p, _)| *p == path).map(|(_, f)| *f)
}

/// A sysfs object, named by its path.
pub struct SysfsInode {
    path: &'static str,
}

/// The sysfs root.
pub fn root() -> Arc<dyn Inode> {
    if FS_ID.load(Ordering::Relaxed) == 0 {
        FS_ID.store(super::tmpfs::new_fs_id(), Ordering::Relaxed);
    }
    Arc::new(SysfsInode { path: "" })
}

impl SysfsInode {
    fn is_dir(&self) -> bool {
        entry(self.path).is_some_and(|f| f.is_none())
    }

    fn children(&self) -> Vec<(&'static str, &'static str)> {
        TREE.iter()
            .filter_map(|(p, _)| {
                let rest = if self.path.is_empty() { Some(*p) } else { p.strip_prefix(self.path)?.strip_prefix('/') }?;
                (!rest.is_empty() && !rest.contains('/')).then_some((rest, *p))
            })
            .collect()
    }

    fn ino(&self) -> u64 {
        TREE.iter().position(|(p, _)| *p == self.path).unwrap_or(0) as u64 + 1
    }
}

impl Inode for SysfsInode {
    fn stat(&self) -> Stat {
        let t = crate::time::Timespec::from_ns(kevlar_hal::arch::time::boot_unix_ns());
        let mode = if self.is_dir() { 0o040755 } else { 0o100444 };
        Stat {
            dev: make_dev(0, FS_ID.load(Ordering::Relaxed) as u32),
            ino: self.ino(),
            mode,
            nlink: if self.is_dir() { 2 } else { 1 },
            size: if self.is_dir() { 0 } else { 4096 },
            blksize: 4096,
            atime: t,
            mtime: t,
            ctime: t,
            ..Default::default()
        }
    }

    fn set_attr(&self, _attr: &SetAttr) -> KResult<()> {
        Err(Errno::EPERM)
    }

    fn fsync_supported(&self) -> bool {
        !self.is_dir() // kernfs files have a (no-op) fsync, directories none
    }

    fn lookup(&self, name: &[u8]) -> KResult<Arc<dyn Inode>> {
        if !self.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let name = core::str::from_utf8(name).map_err(|_| Errno::ENOENT)?;
        self.children()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| Arc::new(SysfsInode { path: p }) as Arc<dyn Inode>)
            .ok_or(Errno::ENOENT)
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        if !self.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let me = self.ino();
        let mut entries = alloc::vec![
            DirEntry { ino: me, file_type: FileType::Directory, name: b".".to_vec() },
            DirEntry { ino: me, file_type: FileType::Directory, name: b"..".to_vec() },
        ];
        for (name, p) in self.children() {
            let child = SysfsInode { path: p };
            let ft = if child.is_dir() { FileType::Directory } else { FileType::Regular };
            entries.push(DirEntry { ino: child.ino(), file_type: ft, name: format!("{name}").into_bytes() });
        }
        Ok(entries.into_iter().nth(pos as usize).map(|e| (e, pos + 1)))
    }

    /// kernfs directories have no create, mkdir, mknod or symlink methods:
    /// open(O_CREAT) fails with EACCES (lookup_open) and the rest with EPERM.
    fn create(&self, _name: &[u8], node: NewNode, _mode: u32, _uid: u32, _gid: u32) -> KResult<Arc<dyn Inode>> {
        if !self.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Err(if matches!(node, NewNode::File) { Errno::EACCES } else { Errno::EPERM })
    }

    fn open_special(&self, flags: u32) -> KResult<Option<Arc<dyn FileOps>>> {
        // Attributes here are read-only: kernfs refuses writers at open,
        // root included.
        let writing = flags & linux_raw_sys::general::O_ACCMODE != linux_raw_sys::general::O_RDONLY;
        if writing && !self.is_dir() {
            return Err(Errno::EACCES);
        }
        match entry(self.path) {
            Some(Some(render)) => Ok(Some(Arc::new(RenderedFile::new(render(), None)))),
            _ => Ok(None),
        }
    }

    fn fs_id(&self) -> u64 {
        FS_ID.load(Ordering::Relaxed)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn statfs(&self) -> StatFs {
        StatFs { fs_type: SYSFS_MAGIC, bsize: 4096, namelen: 255, ..Default::default() }
    }
}
