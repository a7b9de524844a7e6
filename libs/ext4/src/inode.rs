//! The on-disk inode: decoding, encoding and its checksum.
// Format definitions: not every constant and field is used yet.
#![allow(dead_code)]

use alloc::vec::Vec;

use crate::bytes::*;
use crate::crc::crc32c;
use crate::error::{Error, Result};

/// An inode number.
pub type Ino = u32;
/// The root directory.
pub const ROOT_INO: Ino = 2;
/// The journal inode (when s_journal_inum is not set otherwise).
pub const JOURNAL_INO: Ino = 8;
/// The resize inode.
pub const RESIZE_INO: Ino = 7;

// i_mode type bits
pub const S_IFMT: u16 = 0o170000;
pub const S_IFSOCK: u16 = 0o140000;
pub const S_IFLNK: u16 = 0o120000;
pub const S_IFREG: u16 = 0o100000;
pub const S_IFBLK: u16 = 0o060000;
pub const S_IFDIR: u16 = 0o040000;
pub const S_IFCHR: u16 = 0o020000;
pub const S_IFIFO: u16 = 0o010000;

// i_flags
pub const FL_IMMUTABLE: u32 = 0x10;
pub const FL_APPEND: u32 = 0x20;
pub const FL_INDEX: u32 = 0x1000;
pub const FL_HUGE_FILE: u32 = 0x40000;
pub const FL_EXTENTS: u32 = 0x80000;
pub const FL_EA_INODE: u32 = 0x200000;
pub const FL_INLINE_DATA: u32 = 0x1000_0000;
/// Flags a new inode inherits from its directory (Linux's
/// EXT4_FL_INHERITED minus those this library never sets itself).
pub const FL_INHERITED: u32 = 0x1 | 0x2 | 0x4 | 0x8 | FL_IMMUTABLE | FL_APPEND | 0x40 | 0x80
    | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x2000_0000 | 0x4000_0000;

/// Offset of i_block (extent root, block map, inline data or fast symlink).
pub const I_BLOCK: usize = 0x28;
/// Size of i_block.
pub const I_BLOCK_LEN: usize = 60;
/// The classic inode size; the extra fields follow.
pub const GOOD_OLD_INODE_SIZE: usize = 128;

/// A time stamp as ext4 stores it: seconds since the epoch (34 bits with
/// the extra field) and nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    pub sec: i64,
    pub nsec: u32,
}

impl Timestamp {
    pub const fn new(sec: i64, nsec: u32) -> Timestamp {
        Timestamp { sec, nsec }
    }

    fn decode(lo: u32, extra: Option<u32>) -> Timestamp {
        let base = lo as i32 as i64;
        match extra {
            Some(x) => Timestamp { sec: base + (((x & 3) as i64) << 32), nsec: (x >> 2).min(999_999_999) },
            None => Timestamp { sec: base, nsec: 0 },
        }
    }

    /// (low 32 bits, extra field) as stored.
    fn encode(self) -> (u32, u32) {
        let lo = self.sec as i32;
        let epoch = ((self.sec - lo as i64) >> 32) as u32 & 3;
        (lo as u32, (self.nsec.min(999_999_999) << 2) | epoch)
    }
}

/// A decoded inode. `raw` is the whole on-disk record (inode_size bytes),
/// kept so the in-inode xattr area and unknown fields survive.
#[derive(Clone, Debug)]
pub struct Inode {
    pub ino: Ino,
    pub mode: u16,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub atime: Timestamp,
    pub ctime: Timestamp,
    pub mtime: Timestamp,
    pub crtime: Timestamp,
    pub dtime: u32,
    pub links: u16,
    /// Space used, in 512-byte units whatever the on-disk encoding.
    pub blocks: u64,
    pub flags: u32,
    pub block: [u8; I_BLOCK_LEN],
    pub generation: u32,
    pub file_acl: u64,
    pub extra_isize: u16,
    pub raw: Vec<u8>,
}

/// Whether an extra field ending at `end` (offset from the inode start)
/// is present given i_extra_isize.
fn fits(extra_isize: u16, end: usize) -> bool {
    GOOD_OLD_INODE_SIZE + extra_isize as usize >= end
}

impl Inode {
    /// Decode inode `ino` from its record. `huge_file` is the ro_compat
    /// feature, `block_size` the file-system block size.
    pub fn parse(ino: Ino, raw: &[u8], huge_file: bool, block_size: u32) -> Result<Inode> {
        let size = raw.len();
        let extra_isize = if size > GOOD_OLD_INODE_SIZE { le16(raw, 0x80) } else { 0 };
        if size > GOOD_OLD_INODE_SIZE
            && (GOOD_OLD_INODE_SIZE + extra_isize as usize > size || extra_isize % 4 != 0)
        {
            return Err(Error::Corrupt("bad i_extra_isize"));
        }
        let x = |end: usize, off: usize| if fits(extra_isize, end) { Some(le32(raw, off)) } else { None };
        let flags = le32(raw, 0x20);
        let mut blocks = le32(raw, 0x1C) as u64;
        if huge_file {
            blocks |= (le16(raw, 0x74) as u64) << 32;
            if flags & FL_HUGE_FILE != 0 {
                blocks *= (block_size / 512) as u64;
            }
        }
        let mut block = [0u8; I_BLOCK_LEN];
        block.copy_from_slice(&raw[I_BLOCK..I_BLOCK + I_BLOCK_LEN]);
        Ok(Inode {
            ino,
            mode: le16(raw, 0x0),
            uid: le16(raw, 0x2) as u32 | (le16(raw, 0x78) as u32) << 16,
            gid: le16(raw, 0x18) as u32 | (le16(raw, 0x7A) as u32) << 16,
            size: le32(raw, 0x4) as u64 | (le32(raw, 0x6C) as u64) << 32,
            atime: Timestamp::decode(le32(raw, 0x8), x(0x90, 0x8C)),
            ctime: Timestamp::decode(le32(raw, 0xC), x(0x88, 0x84)),
            mtime: Timestamp::decode(le32(raw, 0x10), x(0x8C, 0x88)),
            crtime: match x(0x94, 0x90) {
                Some(lo) => Timestamp::decode(lo, x(0x98, 0x94)),
                None => Timestamp::default(),
            },
            dtime: le32(raw, 0x14),
            links: le16(raw, 0x1A),
            blocks,
            flags,
            block,
            generation: le32(raw, 0x64),
            file_acl: le32(raw, 0x68) as u64 | (le16(raw, 0x76) as u64) << 32,
            extra_isize,
            raw: raw.to_vec(),
        })
    }

    /// A fresh inode record of `inode_size` bytes.
    pub fn new(ino: Ino, inode_size: usize, extra_isize: u16) -> Inode {
        let mut raw = alloc::vec![0u8; inode_size];
        let extra = if inode_size > GOOD_OLD_INODE_SIZE { extra_isize } else { 0 };
        if inode_size > GOOD_OLD_INODE_SIZE {
            put16(&mut raw, 0x80, extra);
        }
        Inode {
            ino,
            mode: 0,
            uid: 0,
            gid: 0,
            size: 0,
            atime: Timestamp::default(),
            ctime: Timestamp::default(),
            mtime: Timestamp::default(),
            crtime: Timestamp::default(),
            dtime: 0,
            links: 0,
            blocks: 0,
            flags: 0,
            block: [0; I_BLOCK_LEN],
            generation: 0,
            file_acl: 0,
            extra_isize: extra,
            raw,
        }
    }

    /// Encode the fields back into `raw` and return it with its checksum
    /// set (`csum_seed` is the file system's seed when metadata_csum is on).
    pub fn encode(&mut self, huge_file: bool, block_size: u32, csum_seed: Option<u32>) -> Result<&[u8]> {
        let ex = self.extra_isize;
        let r = &mut self.raw;
        put16(r, 0x0, self.mode);
        put16(r, 0x2, self.uid as u16);
        put16(r, 0x78, (self.uid >> 16) as u16);
        put16(r, 0x18, self.gid as u16);
        put16(r, 0x7A, (self.gid >> 16) as u16);
        put32(r, 0x4, self.size as u32);
        put32(r, 0x6C, (self.size >> 32) as u32);
        let (a, ax) = self.atime.encode();
        let (c, cx) = self.ctime.encode();
        let (m, mx) = self.mtime.encode();
        let (cr, crx) = self.crtime.encode();
        put32(r, 0x8, a);
        put32(r, 0xC, c);
        put32(r, 0x10, m);
        if fits(ex, 0x88) {
            put32(r, 0x84, cx);
        }
        if fits(ex, 0x8C) {
            put32(r, 0x88, mx);
        }
        if fits(ex, 0x90) {
            put32(r, 0x8C, ax);
        }
        if fits(ex, 0x94) {
            put32(r, 0x90, cr);
        }
        if fits(ex, 0x98) {
            put32(r, 0x94, crx);
        }
        put32(r, 0x14, self.dtime);
        put16(r, 0x1A, self.links);
        // i_blocks: 512-byte units in 32 (or 48 with huge_file) bits, else
        // file-system blocks with EXT4_HUGE_FILE_FL.
        let mut flags = self.flags & !FL_HUGE_FILE;
        let (lo, hi) = if self.blocks < 1 << 32 {
            (self.blocks as u32, 0u16)
        } else if !huge_file {
            return Err(Error::FileTooBig);
        } else if self.blocks < 1 << 48 {
            (self.blocks as u32, (self.blocks >> 32) as u16)
        } else {
            flags |= FL_HUGE_FILE;
            let fsb = self.blocks / (block_size / 512) as u64;
            (fsb as u32, (fsb >> 32) as u16)
        };
        put32(r, 0x1C, lo);
        put16(r, 0x74, hi);
        put32(r, 0x20, flags);
        r[I_BLOCK..I_BLOCK + I_BLOCK_LEN].copy_from_slice(&self.block);
        put32(r, 0x64, self.generation);
        put32(r, 0x68, self.file_acl as u32);
        put16(r, 0x76, (self.file_acl >> 32) as u16);
        if let Some(seed) = csum_seed {
            let c = inode_checksum(seed, self.ino, self.generation, r);
            put16(r, 0x7C, c as u16);
            if r.len() > GOOD_OLD_INODE_SIZE && fits(ex, 0x84) {
                put16(r, 0x82, (c >> 16) as u16);
            }
        }
        Ok(&self.raw)
    }

    pub fn file_type(&self) -> u16 {
        self.mode & S_IFMT
    }
    pub fn is_dir(&self) -> bool {
        self.file_type() == S_IFDIR
    }
    pub fn is_reg(&self) -> bool {
        self.file_type() == S_IFREG
    }
    pub fn is_symlink(&self) -> bool {
        self.file_type() == S_IFLNK
    }
    pub fn has_extents(&self) -> bool {
        self.flags & FL_EXTENTS != 0
    }
    pub fn has_inline_data(&self) -> bool {
        self.flags & FL_INLINE_DATA != 0
    }

    /// Whether a symlink keeps its target in i_block ("fast" symlink):
    /// no data blocks (apart from an xattr block) and not inline data.
    pub fn is_fast_symlink(&self, block_size: u32) -> bool {
        if !self.is_symlink() || self.has_inline_data() {
            return false;
        }
        let xattr_blocks = if self.file_acl != 0 { (block_size / 512) as u64 } else { 0 };
        self.blocks == xattr_blocks && self.size < I_BLOCK_LEN as u64
    }

    /// Device number of a character or block special file as stored in
    /// i_block (old 16-bit form in word 0, new form in word 1).
    pub fn rdev(&self) -> (u32, u32) {
        let old = le32(&self.block, 0);
        if old != 0 {
            return ((old >> 8) & 0xff, old & 0xff);
        }
        let new = le32(&self.block, 4);
        ((new & 0xfff00) >> 8, (new & 0xff) | ((new >> 12) & 0xfff00))
    }

    /// Store a device number the way Linux does: the old form when both
    /// halves fit in 8 bits, the new form otherwise.
    pub fn set_rdev(&mut self, major: u32, minor: u32) {
        self.block = [0; I_BLOCK_LEN];
        if major < 256 && minor < 256 {
            put32(&mut self.block, 0, (major << 8) | minor);
        } else {
            let new = (minor & 0xff) | (major << 8) | ((minor & !0xff) << 12);
            put32(&mut self.block, 4, new);
        }
    }
}

/// The metadata_csum seed of one inode.
pub fn inode_seed(fs_seed: u32, ino: Ino, generation: u32) -> u32 {
    let c = crc32c(fs_seed, &ino.to_le_bytes());
    crc32c(c, &generation.to_le_bytes())
}

/// The checksum of an inode record, computed with its checksum fields
/// read as zero.
pub fn inode_checksum(fs_seed: u32, ino: Ino, generation: u32, raw: &[u8]) -> u32 {
    let seed = inode_seed(fs_seed, ino, generation);
    let zero = [0u8; 2];
    let mut c = crc32c(seed, &raw[..0x7C]);
    c = crc32c(c, &zero);
    c = crc32c(c, &raw[0x7E..GOOD_OLD_INODE_SIZE.min(raw.len())]);
    if raw.len() > GOOD_OLD_INODE_SIZE {
        let extra = le16(raw, 0x80);
        c = crc32c(c, &raw[0x80..0x82]);
        let mut off = 0x82;
        if fits(extra, 0x84) {
            c = crc32c(c, &zero);
            off = 0x84;
        }
        c = crc32c(c, &raw[off..]);
    }
    if raw.len() <= GOOD_OLD_INODE_SIZE || !fits(le16(raw, 0x80), 0x84) { c & 0xFFFF } else { c }
}

/// Whether the stored checksum of an inode record matches.
pub fn inode_checksum_ok(fs_seed: u32, ino: Ino, raw: &[u8]) -> bool {
    let generation = le32(raw, 0x64);
    let want = inode_checksum(fs_seed, ino, generation, raw);
    let mut have = le16(raw, 0x7C) as u32;
    if raw.len() > GOOD_OLD_INODE_SIZE && fits(le16(raw, 0x80), 0x84) {
        have |= (le16(raw, 0x82) as u32) << 16;
    }
    want == have
}
