//! The library's error type and the Linux errno each error stands for.

use core::fmt;

/// Everything that can go wrong in the file system.
///
/// Each variant maps to the errno Linux's ext4 returns in the same
/// situation (`Error::errno`), so the kernel can hand it to user space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The block device failed a read, write or flush (EIO).
    Io,
    /// On-disk structures are inconsistent (EUCLEAN, Linux's EFSCORRUPTED).
    /// The string says which check failed.
    Corrupt(&'static str),
    /// No such file or directory (ENOENT).
    NotFound,
    /// The name already exists (EEXIST).
    Exists,
    /// A path component is not a directory (ENOTDIR).
    NotDir,
    /// The operation needs a non-directory (EISDIR).
    IsDir,
    /// rmdir or rename over a directory that still has entries (ENOTEMPTY).
    NotEmpty,
    /// Name longer than 255 bytes (ENAMETOOLONG).
    NameTooLong,
    /// No free blocks or inodes, or no room for an xattr (ENOSPC).
    NoSpace,
    /// The file system is mounted read-only (EROFS).
    ReadOnly,
    /// Link count would exceed the limit (EMLINK).
    TooManyLinks,
    /// Offset or size beyond what the format can address (EFBIG).
    FileTooBig,
    /// Bad argument (EINVAL).
    Invalid,
    /// The extended attribute does not exist (ENODATA).
    NoData,
    /// A caller buffer is too small for the result (ERANGE).
    Range,
    /// Memory allocation failed (ENOMEM).
    NoMemory,
    /// A feature this library does not implement (EOPNOTSUPP).
    Unsupported(&'static str),
    /// rename would make a directory its own descendant, or the inode is in
    /// use in a way that forbids the operation (EINVAL/EBUSY by context).
    Busy,
    /// Permission-like refusal from inode flags (immutable/append-only: EPERM).
    NotPermitted,
}

/// Result with the library's error.
pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// The Linux errno (positive) for this error.
    pub fn errno(&self) -> i32 {
        match self {
            Error::Io => 5,
            Error::Corrupt(_) => 117,
            Error::NotFound => 2,
            Error::Exists => 17,
            Error::NotDir => 20,
            Error::IsDir => 21,
            Error::NotEmpty => 39,
            Error::NameTooLong => 36,
            Error::NoSpace => 28,
            Error::ReadOnly => 30,
            Error::TooManyLinks => 31,
            Error::FileTooBig => 27,
            Error::Invalid => 22,
            Error::NoData => 61,
            Error::Range => 34,
            Error::NoMemory => 12,
            Error::Unsupported(_) => 95,
            Error::Busy => 16,
            Error::NotPermitted => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Corrupt(what) => write!(f, "corrupt file system: {what}"),
            Error::Unsupported(what) => write!(f, "unsupported: {what}"),
            other => write!(f, "{other:?} (errno {})", other.errno()),
        }
    }
}
