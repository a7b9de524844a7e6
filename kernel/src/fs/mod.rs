//! Files: the VFS (inodes, paths, mounts, open files, descriptor tables)
//! and the in-memory file systems (tmpfs, the device nodes in /dev, pipes).
//!
//! Layering: an [`inode::Inode`] is a file system object; a
//! [`path::PathNode`] is an inode reached through a path (it knows its
//! parent, so `..` and getcwd work across mounts); an
//! [`file::OpenFile`] is an open file description (offset, status flags)
//! shared by the descriptors that [`fdtable::FdTable`] maps to it.

pub mod cgroupfs;
pub mod devices;
pub mod devpts;
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
