//! ext4 read-write, as a library: `no_std` + `alloc`, no `unsafe`, all
//! I/O through a [`BlockDevice`] the kernel (or a test) provides.
//!
//! See README.md beside this crate for the interface contract with the
//! kernel's VFS glue, what is implemented and what is not.

#![no_std]
#![deny(unsafe_code)]

extern crate alloc;

mod alloc_bits;
mod bytes;
mod cache;
pub mod crc;
mod device;
mod dir;
mod error;
mod extent;
mod file;
mod fs;
mod group;
pub mod htree;
mod inode;
mod journal;
mod namei;
mod superblock;
mod xattr;

pub use device::{BlockDevice, MemDevice};
pub use dir::{DirEntry, HTREE_EOF, NAME_MAX};
pub use error::{Error, Result};
pub use extent::Lookup;
pub use file::{FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE};
pub use fs::{Attr, FileType, Fs, MountError, MountOptions, StatFs};
pub use inode::{
    Ino, ROOT_INO, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, Timestamp,
};
pub use namei::{LINK_MAX, RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, SetAttr};
pub use superblock::EXT4_MAGIC;
pub use xattr::{XATTR_CREATE, XATTR_REPLACE};
