//! File-system objects and their metadata.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;

use crate::errno::{Errno, KResult};
use crate::fs::file::FileOps;
use crate::mm::PageSource;
use crate::time::Timespec;

/// File type bits of `st_mode` (S_IFMT).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    /// S_IFREG
    Regular,
    /// S_IFDIR
    Directory,
    /// S_IFLNK
    Symlink,
    /// S_IFCHR
    CharDevice,
    /// S_IFBLK
    BlockDevice,
    /// S_IFIFO
    Fifo,
    /// S_IFSOCK
    Socket,
}

impl FileType {
    /// The S_IFMT bits.
    pub fn mode_bits(self) -> u32 {
        match self {
            FileType::Regular => 0o100000,
            FileType::Directory => 0o040000,
            FileType::Symlink => 0o120000,
            FileType::CharDevice => 0o020000,
            FileType::BlockDevice => 0o060000,
            FileType::Fifo => 0o010000,
            FileType::Socket => 0o140000,
        }
    }

    /// From S_IFMT bits.
    pub fn from_mode(mode: u32) -> Option<FileType> {
        Some(match mode & 0o170000 {
            0o100000 => FileType::Regular,
            0o040000 => FileType::Directory,
            0o120000 => FileType::Symlink,
            0o020000 => FileType::CharDevice,
            0o060000 => FileType::BlockDevice,
            0o010000 => FileType::Fifo,
            0o140000 => FileType::Socket,
            _ => return None,
        })
    }

    /// The `d_type` value of getdents64 (DT_*).
    pub fn dirent_type(self) -> u8 {
        match self {
            FileType::Fifo => 1,
            FileType::CharDevice => 2,
            FileType::Directory => 4,
            FileType::BlockDevice => 6,
            FileType::Regular => 8,
            FileType::Symlink => 10,
            FileType::Socket => 12,
        }
    }
}

/// Linux's `dev_t` encoding of a major/minor pair (new_encode_dev).
pub fn make_dev(major: u32, minor: u32) -> u64 {
    ((minor & 0xff) | (major << 8) | ((minor & !0xff) << 12)) as u64
}

/// Major number of an encoded `dev_t`.
pub fn dev_major(dev: u64) -> u32 {
    ((dev >> 8) & 0xfff) as u32
}

/// Minor number of an encoded `dev_t`.
pub fn dev_minor(dev: u64) -> u32 {
    ((dev & 0xff) | ((dev >> 12) & !0xff)) as u32
}

/// Metadata of a file (what stat reports).
#[derive(Clone, Copy, Debug, Default)]
pub struct Stat {
    /// Device of the file system.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// Type and permission bits.
    pub mode: u32,
    /// Hard links.
    pub nlink: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Device number, for device files.
    pub rdev: u64,
    /// Size in bytes.
    pub size: u64,
    /// Preferred I/O size.
    pub blksize: u32,
    /// 512-byte blocks allocated.
    pub blocks: u64,
    /// Last access.
    pub atime: Timespec,
    /// Last modification.
    pub mtime: Timespec,
    /// Last status change.
    pub ctime: Timespec,
}

impl Stat {
    /// File type from the mode.
    pub fn file_type(&self) -> Option<FileType> {
        FileType::from_mode(self.mode)
    }

    /// Whether the file is a directory.
    pub fn is_dir(&self) -> bool {
        self.file_type() == Some(FileType::Directory)
    }
}

/// A metadata change (chmod, chown, utimens, truncate).
#[derive(Clone, Copy, Debug, Default)]
pub struct SetAttr {
    /// New permission bits (type bits are kept).
    pub mode: Option<u32>,
    /// New owner.
    pub uid: Option<u32>,
    /// New group.
    pub gid: Option<u32>,
    /// New access time.
    pub atime: Option<Timespec>,
    /// New modification time.
    pub mtime: Option<Timespec>,
    /// New size.
    pub size: Option<u64>,
}

/// What to create in a directory.
#[derive(Clone, Debug)]
pub enum NewNode {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link with this target.
    Symlink(Vec<u8>),
    /// A device node, FIFO or socket node (mknod).
    Special(FileType, u64),
}

/// One directory entry from `read_dir`.
#[derive(Clone, Debug)]
pub struct DirEntry {
    /// Inode number.
    pub ino: u64,
    /// Entry type.
    pub file_type: FileType,
    /// Name.
    pub name: Vec<u8>,
}

/// Flags of rename (renameat2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenameFlags {
    /// RENAME_NOREPLACE
    pub no_replace: bool,
    /// RENAME_EXCHANGE
    pub exchange: bool,
}

/// A file system object. Methods that do not apply to a kind of object
/// fail as Linux fails them (ENOTDIR, EINVAL, ...).
pub trait Inode: Send + Sync + Any {
    /// Metadata.
    fn stat(&self) -> Stat;
    /// Changes metadata.
    fn set_attr(&self, attr: &SetAttr) -> KResult<()>;
    /// Reads file content at `offset`.
    fn read_at(&self, _offset: u64, _buf: &mut [u8]) -> KResult<usize> {
        Err(if self.stat().is_dir() { Errno::EISDIR } else { Errno::EINVAL })
    }
    /// Writes file content at `offset`.
    fn write_at(&self, _offset: u64, _buf: &[u8]) -> KResult<usize> {
        Err(if self.stat().is_dir() { Errno::EISDIR } else { Errno::EINVAL })
    }
    /// Finds a directory entry.
    fn lookup(&self, _name: &[u8]) -> KResult<Arc<dyn Inode>> {
        Err(Errno::ENOTDIR)
    }
    /// Creates a directory entry with a new object.
    fn create(&self, _name: &[u8], _node: NewNode, _mode: u32, _uid: u32, _gid: u32) -> KResult<Arc<dyn Inode>> {
        Err(Errno::ENOTDIR)
    }
    /// Adds a hard link to `target` named `name`.
    fn link(&self, _name: &[u8], _target: &Arc<dyn Inode>) -> KResult<()> {
        Err(Errno::ENOTDIR)
    }
    /// Removes an entry; `dir` selects rmdir semantics.
    fn unlink(&self, _name: &[u8], _dir: bool) -> KResult<()> {
        Err(Errno::ENOTDIR)
    }
    /// Moves entry `old` to `new_dir`/`new` (same file system).
    fn rename(&self, _old: &[u8], _new_dir: &Arc<dyn Inode>, _new: &[u8], _flags: RenameFlags) -> KResult<()> {
        Err(Errno::ENOTDIR)
    }
    /// The entry at cursor `pos` and the cursor of the next one. Cursors
    /// stay valid while entries are added and removed.
    fn read_dir(&self, _pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        Err(Errno::ENOTDIR)
    }
    /// For directories whose cursors only grow (tmpfs): the cursor the
    /// next new entry will get. A directory stream stops there, so entries
    /// created after it was opened or rewound are not returned and a scan
    /// that creates files cannot chase its own tail (Linux's offset
    /// directories do the same since 6.11).
    fn dir_end(&self) -> Option<u64> {
        None
    }
    /// Target of a symbolic link.
    fn read_link(&self) -> KResult<Vec<u8>> {
        Err(Errno::EINVAL)
    }
    /// Opening a special file (device, FIFO) yields its own I/O object;
    /// `None` means ordinary inode I/O.
    fn open_special(&self, _flags: u32) -> KResult<Option<Arc<dyn FileOps>>> {
        Ok(None)
    }
    /// The page cache of a regular file, for mmap.
    fn page_source(self: Arc<Self>) -> Option<Arc<dyn PageSource>> {
        None
    }
    /// Identity of the file system instance (EXDEV checks, mounts).
    fn fs_id(&self) -> u64;
    /// For downcasts within one file system (rename, link).
    fn as_any(&self) -> &dyn Any;
    /// File-system statistics (statfs).
    fn statfs(&self) -> StatFs {
        StatFs::default()
    }
    /// For "magic" symlinks (/proc/PID/exe, cwd, root, fd/N): the object
    /// itself, which path resolution uses instead of re-reading the
    /// target string (so a moved or deleted file is still reached).
    fn magic_link(&self) -> Option<KResult<alloc::sync::Arc<crate::fs::path::PathNode>>> {
        None
    }

    // ---- Extended operations (issue 4). Defaults answer as Linux does
    // for a file system without the feature. ----

    /// O_TMPFILE: a new regular file with no name in this directory's file
    /// system; `linkable` (no O_EXCL) lets linkat give it one later.
    fn create_tmpfile(&self, _mode: u32, _uid: u32, _gid: u32, _linkable: bool) -> KResult<Arc<dyn Inode>> {
        Err(Errno::EOPNOTSUPP)
    }
    /// fallocate(2) on a regular file (modes already validated).
    fn fallocate(&self, _mode: u32, _offset: u64, _len: u64) -> KResult<()> {
        Err(Errno::EOPNOTSUPP)
    }
    /// lseek SEEK_DATA (`hole` false) or SEEK_HOLE from `offset`. The
    /// default is Linux's generic answer: all data, one hole at EOF.
    fn seek_data(&self, offset: u64, hole: bool) -> KResult<u64> {
        let size = self.stat().size;
        if offset >= size {
            return Err(Errno::ENXIO);
        }
        Ok(if hole { size } else { offset })
    }
    /// The value of extended attribute `name` (EOPNOTSUPP: no xattrs here).
    fn get_xattr(&self, _name: &[u8]) -> KResult<Vec<u8>> {
        Err(Errno::EOPNOTSUPP)
    }
    /// Sets (or with `None` removes) extended attribute `name`; `flags` are
    /// XATTR_CREATE/XATTR_REPLACE.
    fn set_xattr(&self, _name: &[u8], _value: Option<&[u8]>, _flags: u32) -> KResult<()> {
        Err(Errno::EOPNOTSUPP)
    }
    /// The attribute names `creds` may see, NUL-terminated (none here).
    fn list_xattr(&self, _creds: &crate::process::creds::Credentials) -> KResult<Vec<u8>> {
        Ok(Vec::new())
    }
    /// Creation time, for file systems that keep one (statx STATX_BTIME).
    fn birth_time(&self) -> Option<Timespec> {
        None
    }
    /// Whether a memfd write seal forbids new shared writable mappings
    /// (and making shared mappings writable later).
    fn write_sealed(&self) -> bool {
        false
    }
    /// What statx reports for this file system beyond `Stat`.
    fn statx_traits(&self) -> StatxTraits {
        StatxTraits::default()
    }
    /// Whether fsync has anything to say for this object (Linux: the file
    /// operations have an fsync method; tmpfs files and directories do,
    /// procfs does not). Nothing needs flushing in memory either way.
    fn fsync_supported(&self) -> bool {
        false
    }
    /// fsync: makes the file's data and metadata durable (nothing to do
    /// for memory file systems).
    fn flush(&self) -> KResult<()> {
        Ok(())
    }
}

/// What statx reports for a file system beyond `Stat`.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatxTraits {
    /// STATX_ATTR_* flags the file system can report (besides the ones
    /// the VFS adds for every file system).
    pub attributes_mask: u64,
    /// Multigrain timestamps (tmpfs since Linux 6.13): mtime and ctime are
    /// reported only when asked for.
    pub multigrain_times: bool,
}

/// What statfs reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatFs {
    /// f_type magic.
    pub fs_type: u64,
    /// Block size.
    pub bsize: u64,
    /// Total blocks.
    pub blocks: u64,
    /// Free blocks.
    pub bfree: u64,
    /// Free blocks for unprivileged users.
    pub bavail: u64,
    /// Total inodes.
    pub files: u64,
    /// Free inodes.
    pub ffree: u64,
    /// Longest name.
    pub namelen: u64,
}
