//! Files: the VFS (inodes, paths, mounts, open files, descriptor tables)
//! and the file systems: in memory (tmpfs, the device nodes in /dev,
//! pipes) and on disk (ext4).
//!
//! Layering: an [`inode::Inode`] is a file system object; a
//! [`path::PathNode`] is an inode reached through a path (it knows its
//! parent, so `..` and getcwd work across mounts); an
//! [`file::OpenFile`] is an open file description (offset, status flags)
//! shared by the descriptors that [`fdtable::FdTable`] maps to it.

pub mod cgroupfs;
pub mod devices;
pub mod devpts;
pub mod ext4fs;
pub mod fdtable;
pub mod file;
pub mod initramfs;
pub mod inode;
pub mod lock;
pub mod memfd;
pub mod mount;
pub mod notify;
pub mod path;
pub mod pipe;
pub mod procfs;
pub mod rendered;
pub mod sysfs;
pub mod tmpfs;
pub mod xattr;
