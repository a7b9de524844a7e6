//! Parser for the cpio "newc" archive format used by Linux initramfs images.
//!
//! # Format
//!
//! The format is described in the Linux kernel's
//! `Documentation/driver-api/early-userspace/buffer-format.rst` and in the
//! `cpio(5)` manual page ("New ASCII Format"). An archive is a sequence of
//! members, each of which is:
//!
//! ```text
//! header      110 bytes: the magic "070701" (or "070702", see below) followed
//!             by 13 fields of exactly 8 ASCII hexadecimal digits each:
//!             ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
//!             devminor, rdevmajor, rdevminor, namesize, check
//! name        `namesize` bytes, including the terminating NUL
//! padding     NUL bytes so that header + name end on a 4-byte boundary
//! data        `filesize` bytes (file contents, or the target of a symlink)
//! padding     NUL bytes up to the next 4-byte boundary
//! ```
//!
//! A member named `TRAILER!!!` ends the archive. Members start on 4-byte
//! boundaries relative to the start of the buffer.
//!
//! The "070702" variant ("crc" in GNU cpio's terms, although it is a plain
//! sum) stores in `check` the 32-bit wrapping sum of all data bytes of a
//! regular file. This parser verifies it for regular files, like the kernel
//! does, and ignores `check` for every other member and for "070701".
//!
//! # Behaviour mirrored from the Linux initramfs unpacker
//!
//! * After a `TRAILER!!!` member the buffer may continue: runs of NUL bytes
//!   are skipped (also before the first archive), and if a byte other than
//!   NUL follows on a 4-byte boundary the next archive starts there (initramfs images are frequently several
//!   archives concatenated, e.g. a microcode archive followed by the real
//!   root file system). A non-NUL byte that is not on a 4-byte boundary is
//!   reported as [`Error::BrokenPadding`].
//! * Running out of input exactly at a member boundary (with or without a
//!   trailer) ends the iteration cleanly; running out in the middle of a
//!   member is an error.
//! * Hard links: for a regular file with `nlink >= 2`, archivers such as
//!   GNU cpio emit every name of the inode but store the data only once
//!   (usually with the last name). The kernel creates the first name it sees
//!   and turns later names with the same (devmajor, devminor, ino) into links
//!   to it, then writes whatever data arrives. This crate only yields the
//!   members; [`Entry::hardlink_key`] gives the key to do the same.
//!
//! Unlike the kernel (which ignores members with `namesize == 0` and is
//! lenient about non-hexadecimal digits), this parser rejects them.
//!
//! Names are returned without their terminating NUL and with any leading
//! `/` and `./` components removed, so `./bin/sh` and `/bin/sh` both become
//! `bin/sh`, and the root directory `.` becomes the empty name.
//!
//! The parser never panics and never allocates: it works on borrowed slices
//! and reports malformed input through [`Error`].

#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(test)]
extern crate std;

use core::fmt;
use core::iter::FusedIterator;

/// Size of a newc header in bytes.
pub const HEADER_SIZE: usize = 110;

/// Magic of a newc member without a checksum.
pub const MAGIC_NEWC: &[u8; 6] = b"070701";
/// Magic of a newc member with a data checksum.
pub const MAGIC_NEWC_CRC: &[u8; 6] = b"070702";
/// Magic of the old portable ASCII format (`-H odc`), which is not supported.
pub const MAGIC_ODC: &[u8; 6] = b"070707";

/// Name of the member that ends an archive.
pub const TRAILER_NAME: &[u8] = b"TRAILER!!!";

/// File-type bits of `mode` (`S_IFMT`).
pub const S_IFMT: u32 = 0o170_000;
/// Socket.
pub const S_IFSOCK: u32 = 0o140_000;
/// Symbolic link.
pub const S_IFLNK: u32 = 0o120_000;
/// Regular file.
pub const S_IFREG: u32 = 0o100_000;
/// Block device.
pub const S_IFBLK: u32 = 0o060_000;
/// Directory.
pub const S_IFDIR: u32 = 0o040_000;
/// Character device.
pub const S_IFCHR: u32 = 0o020_000;
/// FIFO.
pub const S_IFIFO: u32 = 0o010_000;

/// The type of file a member describes, from the `S_IFMT` bits of its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    /// Regular file; `data` holds its contents.
    Regular,
    /// Directory.
    Directory,
    /// Symbolic link; `data` holds the target path.
    Symlink,
    /// Character device; see `rdev_major`/`rdev_minor`.
    CharDevice,
    /// Block device; see `rdev_major`/`rdev_minor`.
    BlockDevice,
    /// Named pipe.
    Fifo,
    /// Unix-domain socket.
    Socket,
}

impl FileType {
    /// Decodes the `S_IFMT` bits of `mode`; `None` for an unknown type
    /// (which the Linux unpacker silently ignores).
    pub fn from_mode(mode: u32) -> Option<FileType> {
        match mode & S_IFMT {
            S_IFREG => Some(FileType::Regular),
            S_IFDIR => Some(FileType::Directory),
            S_IFLNK => Some(FileType::Symlink),
            S_IFCHR => Some(FileType::CharDevice),
            S_IFBLK => Some(FileType::BlockDevice),
            S_IFIFO => Some(FileType::Fifo),
            S_IFSOCK => Some(FileType::Socket),
            _ => None,
        }
    }
}

/// One member of a newc archive (the trailer is never yielded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Inode number (used with the device numbers to detect hard links).
    pub ino: u32,
    /// File type and permission bits, as in `st_mode`.
    pub mode: u32,
    /// Owner user id.
    pub uid: u32,
    /// Owner group id.
    pub gid: u32,
    /// Number of hard links.
    pub nlink: u32,
    /// Modification time, seconds since the epoch.
    pub mtime: u32,
    /// Major number of the device holding the file.
    pub dev_major: u32,
    /// Minor number of the device holding the file.
    pub dev_minor: u32,
    /// Major number of the device this node represents (devices only).
    pub rdev_major: u32,
    /// Minor number of the device this node represents (devices only).
    pub rdev_minor: u32,
    /// Path name, without the terminating NUL and without leading `/` or
    /// `./` components; the root directory `.` is the empty name.
    pub name: &'a [u8],
    /// File contents (regular files) or link target (symlinks).
    pub data: &'a [u8],
}

impl<'a> Entry<'a> {
    /// The file type encoded in `mode`, or `None` if it is not a known type.
    pub fn file_type(&self) -> Option<FileType> {
        FileType::from_mode(self.mode)
    }

    /// The permission bits including set-uid, set-gid and sticky
    /// (`mode & 0o7777`).
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }

    /// The target of a symbolic link, or `None` if this is not a symlink.
    pub fn symlink_target(&self) -> Option<&'a [u8]> {
        match self.file_type() {
            Some(FileType::Symlink) => Some(self.data),
            _ => None,
        }
    }

    /// For a regular file with more than one link, the key
    /// `(dev_major, dev_minor, ino)` that identifies the inode across the
    /// members naming it, as the Linux unpacker uses it. `None` otherwise.
    pub fn hardlink_key(&self) -> Option<(u32, u32, u32)> {
        if self.file_type() == Some(FileType::Regular) && self.nlink >= 2 {
            Some((self.dev_major, self.dev_minor, self.ino))
        } else {
            None
        }
    }
}

/// Why an archive could not be parsed. Every variant carries the byte
/// offset (from the start of the buffer given to [`parse`]) of the member
/// header where the problem was found, or of the offending byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The member does not start with "070701" or "070702".
    BadMagic {
        /// Offset of the header.
        offset: usize,
    },
    /// The member uses the old "070707" (odc) format instead of newc.
    UnsupportedOdcFormat {
        /// Offset of the header.
        offset: usize,
    },
    /// The input ends inside a 110-byte header.
    TruncatedHeader {
        /// Offset of the header.
        offset: usize,
    },
    /// A header field contains a character that is not a hexadecimal digit.
    InvalidHex {
        /// Offset of the header.
        offset: usize,
        /// Index of the field (0 = ino, ..., 12 = check).
        field: usize,
    },
    /// `namesize` is zero, so the name cannot even hold its NUL.
    EmptyName {
        /// Offset of the header.
        offset: usize,
    },
    /// The input ends inside the member's name.
    TruncatedName {
        /// Offset of the header.
        offset: usize,
    },
    /// The last byte of the name is not NUL.
    NameNotTerminated {
        /// Offset of the header.
        offset: usize,
    },
    /// The input ends inside the member's data.
    TruncatedData {
        /// Offset of the header.
        offset: usize,
    },
    /// A "070702" member's data does not add up to its `check` field.
    ChecksumMismatch {
        /// Offset of the header.
        offset: usize,
        /// The value of the `check` field.
        expected: u32,
        /// The sum of the data bytes.
        actual: u32,
    },
    /// Between archives (after a trailer, or before the first archive), a
    /// byte other than NUL appears at an offset that is not a multiple of 4.
    BrokenPadding {
        /// Offset of the unexpected byte.
        offset: usize,
    },
}

impl Error {
    /// The byte offset the error refers to.
    pub fn offset(&self) -> usize {
        match *self {
            Error::BadMagic { offset }
            | Error::UnsupportedOdcFormat { offset }
            | Error::TruncatedHeader { offset }
            | Error::InvalidHex { offset, .. }
            | Error::EmptyName { offset }
            | Error::TruncatedName { offset }
            | Error::NameNotTerminated { offset }
            | Error::TruncatedData { offset }
            | Error::ChecksumMismatch { offset, .. }
            | Error::BrokenPadding { offset } => offset,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::BadMagic { offset } => write!(f, "no cpio magic at offset {offset}"),
            Error::UnsupportedOdcFormat { offset } => {
                write!(f, "old (odc) cpio format at offset {offset}; use newc")
            }
            Error::TruncatedHeader { offset } => {
                write!(f, "cpio header truncated at offset {offset}")
            }
            Error::InvalidHex { offset, field } => write!(
                f,
                "invalid hexadecimal digit in field {field} of the cpio header at offset {offset}"
            ),
            Error::EmptyName { offset } => {
                write!(f, "cpio member at offset {offset} has namesize 0")
            }
            Error::TruncatedName { offset } => {
                write!(f, "name of the cpio member at offset {offset} is truncated")
            }
            Error::NameNotTerminated { offset } => write!(
                f,
                "name of the cpio member at offset {offset} is not NUL-terminated"
            ),
            Error::TruncatedData { offset } => {
                write!(f, "data of the cpio member at offset {offset} is truncated")
            }
            Error::ChecksumMismatch {
                offset,
                expected,
                actual,
            } => write!(
                f,
                "bad data checksum for the cpio member at offset {offset}: \
                 header says {expected:#010x}, data sums to {actual:#010x}"
            ),
            Error::BrokenPadding { offset } => {
                write!(f, "broken padding between cpio archives at offset {offset}")
            }
        }
    }
}

impl core::error::Error for Error {}

/// Returns an iterator over the members of `archive` (which may be several
/// newc archives concatenated, with NUL padding between them).
///
/// The iterator yields `Ok(entry)` for each member except trailers, and
/// ends after the first `Err`.
pub fn parse(archive: &[u8]) -> Entries<'_> {
    Entries {
        data: archive,
        pos: 0,
        between_archives: true,
        done: false,
    }
}

/// Iterator over the members of an archive; see [`parse`].
#[derive(Debug, Clone)]
pub struct Entries<'a> {
    data: &'a [u8],
    pos: usize,
    /// Set at the start and after a trailer: NUL padding may come before
    /// the next archive (the kernel skips NULs before the first one, too).
    between_archives: bool,
    done: bool,
}

impl<'a> Entries<'a> {
    /// The offset of the next byte the iterator will look at.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Skips NUL padding between archives. Returns `Ok(true)` if another
    /// archive follows, `Ok(false)` at the end of the input.
    fn skip_padding(&mut self) -> Result<bool, Error> {
        while let Some(&b) = self.data.get(self.pos) {
            if b != 0 {
                if !self.pos.is_multiple_of(4) {
                    return Err(Error::BrokenPadding { offset: self.pos });
                }
                return Ok(true);
            }
            self.pos += 1;
        }
        Ok(false)
    }

    /// Parses the member at `self.pos`. Returns `Ok(None)` for a trailer.
    fn parse_member(&mut self) -> Result<Option<Entry<'a>>, Error> {
        let offset = self.pos;
        let rest = self.data.get(offset..).unwrap_or(&[]);
        // Look at the magic first, so that garbage shorter than a header is
        // reported as such rather than as a truncated header.
        let magic = &rest[..rest.len().min(6)];
        let has_checksum = if MAGIC_NEWC.starts_with(magic) {
            false
        } else if MAGIC_NEWC_CRC.starts_with(magic) {
            true
        } else if MAGIC_ODC.starts_with(magic) {
            return Err(Error::UnsupportedOdcFormat { offset });
        } else {
            return Err(Error::BadMagic { offset });
        };
        let header = rest
            .get(..HEADER_SIZE)
            .ok_or(Error::TruncatedHeader { offset })?;

        let mut fields = [0u32; 13];
        for (i, field) in fields.iter_mut().enumerate() {
            let start = 6 + 8 * i;
            *field = parse_hex(&header[start..start + 8])
                .ok_or(Error::InvalidHex { offset, field: i })?;
        }
        let [
            ino,
            mode,
            uid,
            gid,
            nlink,
            mtime,
            filesize,
            dev_major,
            dev_minor,
            rdev_major,
            rdev_minor,
            namesize,
            check,
        ] = fields;

        if namesize == 0 {
            return Err(Error::EmptyName { offset });
        }
        // u32 always fits in usize on the targets this crate supports
        // (32- and 64-bit); `try_from` keeps that explicit.
        let namesize = usize::try_from(namesize).map_err(|_| Error::TruncatedName { offset })?;
        let filesize = usize::try_from(filesize).map_err(|_| Error::TruncatedData { offset })?;

        let after_header = &rest[HEADER_SIZE..];
        let raw_name = after_header
            .get(..namesize)
            .ok_or(Error::TruncatedName { offset })?;
        let (&last, raw_name) = raw_name.split_last().ok_or(Error::EmptyName { offset })?;
        if last != 0 {
            return Err(Error::NameNotTerminated { offset });
        }
        // The kernel treats the name as a C string: stop at the first NUL.
        let raw_name = match raw_name.iter().position(|&b| b == 0) {
            Some(nul) => &raw_name[..nul],
            None => raw_name,
        };

        // Header + name are padded to a multiple of 4 (relative to the
        // header's start, which is itself 4-aligned).
        let data_start = align4(HEADER_SIZE + namesize).ok_or(Error::TruncatedName { offset })?;
        let data = rest
            .get(data_start..)
            .and_then(|d| d.get(..filesize))
            .ok_or(Error::TruncatedData { offset })?;
        let end = data_start
            .checked_add(filesize)
            .ok_or(Error::TruncatedData { offset })?;
        // The padding after the data may be missing at the very end of the
        // input; clamp rather than fail.
        let next = align4(end).map_or(rest.len(), |n| n.min(rest.len()));
        self.pos = offset + next;

        if raw_name == TRAILER_NAME {
            return Ok(None);
        }

        if has_checksum && FileType::from_mode(mode) == Some(FileType::Regular) {
            let actual = data
                .iter()
                .fold(0u32, |sum, &b| sum.wrapping_add(u32::from(b)));
            if actual != check {
                return Err(Error::ChecksumMismatch {
                    offset,
                    expected: check,
                    actual,
                });
            }
        }

        Ok(Some(Entry {
            ino,
            mode,
            uid,
            gid,
            nlink,
            mtime,
            dev_major,
            dev_minor,
            rdev_major,
            rdev_minor,
            name: strip_name(raw_name),
            data,
        }))
    }

    fn next_result(&mut self) -> Option<Result<Entry<'a>, Error>> {
        loop {
            if self.between_archives {
                match self.skip_padding() {
                    Ok(true) => self.between_archives = false,
                    Ok(false) => return None,
                    Err(e) => return Some(Err(e)),
                }
            } else if self.pos >= self.data.len() {
                return None;
            }
            match self.parse_member() {
                Ok(Some(entry)) => return Some(Ok(entry)),
                Ok(None) => self.between_archives = true,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.next_result();
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

impl FusedIterator for Entries<'_> {}

/// Rounds `n` up to a multiple of 4, or `None` on overflow.
fn align4(n: usize) -> Option<usize> {
    n.checked_add(3).map(|n| n & !3)
}

/// Parses exactly 8 hexadecimal digits (either case).
fn parse_hex(digits: &[u8]) -> Option<u32> {
    if digits.len() != 8 {
        return None;
    }
    digits.iter().try_fold(0u32, |acc, &c| {
        let v = (c as char).to_digit(16)?;
        Some((acc << 4) | v)
    })
}

/// Removes leading `/` and `./` components; a lone `.` becomes empty.
fn strip_name(mut name: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = name.strip_prefix(b"/") {
            name = rest;
        } else if let Some(rest) = name.strip_prefix(b"./") {
            name = rest;
        } else if name == b"." {
            return &[];
        } else {
            return name;
        }
    }
}

#[cfg(test)]
mod tests;
