//! The superblock: geometry, feature flags and global counters.
//!
//! The raw 1024 bytes are kept so fields this library does not interpret
//! survive a rewrite unchanged; the fields it does change are patched in
//! by [`Superblock::encode`], which also recomputes the checksum.
// Format definitions: not every constant and field is used yet.
#![allow(dead_code)]

use alloc::string::String;
use alloc::format;

use crate::bytes::*;
use crate::crc::crc32c;
use crate::error::{Error, Result};

/// Byte offset of the primary superblock on the device.
pub const SUPERBLOCK_OFFSET: u64 = 1024;
/// Size of the superblock structure.
pub const SUPERBLOCK_SIZE: usize = 1024;
/// s_magic.
pub const EXT4_MAGIC: u16 = 0xEF53;

// s_feature_compat
pub const COMPAT_DIR_PREALLOC: u32 = 0x1;
pub const COMPAT_HAS_JOURNAL: u32 = 0x4;
pub const COMPAT_EXT_ATTR: u32 = 0x8;
pub const COMPAT_RESIZE_INODE: u32 = 0x10;
pub const COMPAT_DIR_INDEX: u32 = 0x20;
pub const COMPAT_SPARSE_SUPER2: u32 = 0x200;
pub const COMPAT_FAST_COMMIT: u32 = 0x400;
pub const COMPAT_ORPHAN_FILE: u32 = 0x1000;

// s_feature_incompat
pub const INCOMPAT_COMPRESSION: u32 = 0x1;
pub const INCOMPAT_FILETYPE: u32 = 0x2;
pub const INCOMPAT_RECOVER: u32 = 0x4;
pub const INCOMPAT_JOURNAL_DEV: u32 = 0x8;
pub const INCOMPAT_META_BG: u32 = 0x10;
pub const INCOMPAT_EXTENTS: u32 = 0x40;
pub const INCOMPAT_64BIT: u32 = 0x80;
pub const INCOMPAT_MMP: u32 = 0x100;
pub const INCOMPAT_FLEX_BG: u32 = 0x200;
pub const INCOMPAT_EA_INODE: u32 = 0x400;
pub const INCOMPAT_DIRDATA: u32 = 0x1000;
pub const INCOMPAT_CSUM_SEED: u32 = 0x2000;
pub const INCOMPAT_LARGEDIR: u32 = 0x4000;
pub const INCOMPAT_INLINE_DATA: u32 = 0x8000;
pub const INCOMPAT_ENCRYPT: u32 = 0x10000;
pub const INCOMPAT_CASEFOLD: u32 = 0x20000;

// s_feature_ro_compat
pub const RO_COMPAT_SPARSE_SUPER: u32 = 0x1;
pub const RO_COMPAT_LARGE_FILE: u32 = 0x2;
pub const RO_COMPAT_BTREE_DIR: u32 = 0x4;
pub const RO_COMPAT_HUGE_FILE: u32 = 0x8;
pub const RO_COMPAT_GDT_CSUM: u32 = 0x10;
pub const RO_COMPAT_DIR_NLINK: u32 = 0x20;
pub const RO_COMPAT_EXTRA_ISIZE: u32 = 0x40;
pub const RO_COMPAT_QUOTA: u32 = 0x100;
pub const RO_COMPAT_BIGALLOC: u32 = 0x200;
pub const RO_COMPAT_METADATA_CSUM: u32 = 0x400;
pub const RO_COMPAT_READONLY: u32 = 0x1000;
pub const RO_COMPAT_PROJECT: u32 = 0x2000;
pub const RO_COMPAT_VERITY: u32 = 0x8000;
pub const RO_COMPAT_ORPHAN_PRESENT: u32 = 0x10000;

/// Incompatible features this library reads and writes.
pub const INCOMPAT_SUPPORTED: u32 = INCOMPAT_FILETYPE
    | INCOMPAT_RECOVER
    | INCOMPAT_META_BG
    | INCOMPAT_EXTENTS
    | INCOMPAT_64BIT
    | INCOMPAT_FLEX_BG
    | INCOMPAT_CSUM_SEED
    | INCOMPAT_LARGEDIR
    | INCOMPAT_INLINE_DATA;
/// Incompatible features it can read but must not write.
pub const INCOMPAT_READ_ONLY: u32 = INCOMPAT_MMP | INCOMPAT_ENCRYPT | INCOMPAT_CASEFOLD;
/// Read-only-compatible features it keeps consistent when writing.
pub const RO_COMPAT_SUPPORTED: u32 = RO_COMPAT_SPARSE_SUPER
    | RO_COMPAT_LARGE_FILE
    | RO_COMPAT_BTREE_DIR
    | RO_COMPAT_HUGE_FILE
    | RO_COMPAT_GDT_CSUM
    | RO_COMPAT_DIR_NLINK
    | RO_COMPAT_EXTRA_ISIZE
    | RO_COMPAT_METADATA_CSUM;

// s_state
pub const STATE_VALID: u16 = 0x1;
pub const STATE_ERROR: u16 = 0x2;
pub const STATE_ORPHANS: u16 = 0x4;

// s_flags
pub const FLAG_SIGNED_HASH: u32 = 0x1;
pub const FLAG_UNSIGNED_HASH: u32 = 0x2;

/// The parsed superblock.
#[derive(Clone)]
pub struct Superblock {
    raw: [u8; SUPERBLOCK_SIZE],
    pub inodes_count: u32,
    pub blocks_count: u64,
    pub r_blocks_count: u64,
    pub free_blocks: u64,
    pub free_inodes: u32,
    pub first_data_block: u32,
    pub log_block_size: u32,
    pub block_size: u32,
    pub blocks_per_group: u32,
    pub inodes_per_group: u32,
    pub mtime: u32,
    pub wtime: u32,
    pub mnt_count: u16,
    pub state: u16,
    pub rev_level: u32,
    pub first_ino: u32,
    pub inode_size: u16,
    pub compat: u32,
    pub incompat: u32,
    pub ro_compat: u32,
    pub uuid: [u8; 16],
    pub reserved_gdt_blocks: u16,
    pub journal_inum: u32,
    pub last_orphan: u32,
    pub hash_seed: [u32; 4],
    pub def_hash_version: u8,
    pub desc_size: u16,
    pub first_meta_bg: u32,
    pub min_extra_isize: u16,
    pub want_extra_isize: u16,
    pub flags: u32,
    pub log_groups_per_flex: u8,
    pub kbytes_written: u64,
    pub overhead_clusters: u32,
    pub checksum_seed: u32,
    pub backup_bgs: [u32; 2],
    /// Number of block groups.
    pub group_count: u32,
}

impl core::fmt::Debug for Superblock {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Superblock")
            .field("blocks_count", &self.blocks_count)
            .field("inodes_count", &self.inodes_count)
            .field("block_size", &self.block_size)
            .field("compat", &self.compat)
            .field("incompat", &self.incompat)
            .field("ro_compat", &self.ro_compat)
            .finish()
    }
}

fn corrupt(what: &'static str) -> Error {
    Error::Corrupt(what)
}

impl Superblock {
    /// Parse and sanity-check a superblock. `dev_size` bounds the block
    /// count. Every geometry value later code divides by or indexes with is
    /// checked here, so the rest of the library can rely on them.
    pub fn parse(raw: &[u8], dev_size: u64) -> Result<Superblock> {
        if raw.len() < SUPERBLOCK_SIZE {
            return Err(corrupt("short superblock"));
        }
        let mut r = [0u8; SUPERBLOCK_SIZE];
        r.copy_from_slice(&raw[..SUPERBLOCK_SIZE]);
        if le16(&r, 0x38) != EXT4_MAGIC {
            return Err(corrupt("bad superblock magic"));
        }
        let rev_level = le32(&r, 0x4C);
        let compat;
        let incompat;
        let ro_compat;
        if rev_level == 0 {
            compat = 0;
            incompat = 0;
            ro_compat = 0;
        } else {
            compat = le32(&r, 0x5C);
            incompat = le32(&r, 0x60);
            ro_compat = le32(&r, 0x64);
        }
        if ro_compat & RO_COMPAT_METADATA_CSUM != 0 {
            if r[0x175] != 1 {
                return Err(corrupt("unknown checksum type"));
            }
            let want = crc32c(!0, &r[..0x3FC]);
            if want != le32(&r, 0x3FC) {
                return Err(corrupt("superblock checksum mismatch"));
            }
        }
        let log_block_size = le32(&r, 0x18);
        if log_block_size > 6 {
            return Err(corrupt("block size too large"));
        }
        let block_size = 1024u32 << log_block_size;
        let is64 = incompat & INCOMPAT_64BIT != 0;
        let mut blocks_count = le32(&r, 0x4) as u64;
        let mut r_blocks_count = le32(&r, 0x8) as u64;
        let mut free_blocks = le32(&r, 0xC) as u64;
        if is64 {
            blocks_count |= (le32(&r, 0x150) as u64) << 32;
            r_blocks_count |= (le32(&r, 0x154) as u64) << 32;
            free_blocks |= (le32(&r, 0x158) as u64) << 32;
        }
        let first_data_block = le32(&r, 0x14);
        let blocks_per_group = le32(&r, 0x20);
        let inodes_per_group = le32(&r, 0x28);
        let inodes_count = le32(&r, 0x0);
        let bits = block_size * 8;
        if blocks_per_group == 0 || blocks_per_group > bits {
            return Err(corrupt("bad blocks per group"));
        }
        if inodes_per_group == 0 || inodes_per_group > bits {
            return Err(corrupt("bad inodes per group"));
        }
        if blocks_count == 0 || blocks_count.saturating_mul(block_size as u64) > dev_size {
            return Err(corrupt("block count beyond the device"));
        }
        if blocks_count >= 1 << 48 {
            return Err(corrupt("block count too large"));
        }
        if (first_data_block as u64) >= blocks_count
            || (block_size == 1024 && first_data_block != 1 && ro_compat & RO_COMPAT_BIGALLOC == 0)
            || (block_size > 1024 && first_data_block != 0)
        {
            return Err(corrupt("bad first data block"));
        }
        let groups = (blocks_count - first_data_block as u64).div_ceil(blocks_per_group as u64);
        if groups == 0 || groups > u32::MAX as u64 {
            return Err(corrupt("bad group count"));
        }
        if (inodes_count as u64) > groups * inodes_per_group as u64 || inodes_count < 11 {
            return Err(corrupt("bad inode count"));
        }
        let (inode_size, first_ino) = if rev_level == 0 {
            (128u16, 11u32)
        } else {
            (le16(&r, 0x58), le32(&r, 0x54))
        };
        if inode_size < 128 || !inode_size.is_power_of_two() || inode_size as u32 > block_size {
            return Err(corrupt("bad inode size"));
        }
        if first_ino < 11 || first_ino > inodes_count {
            return Err(corrupt("bad first inode"));
        }
        let desc_size = if is64 {
            let d = le16(&r, 0xFE);
            if d < 64 || d > 1024 || !d.is_power_of_two() || d as u32 > block_size {
                return Err(corrupt("bad group descriptor size"));
            }
            d
        } else {
            32
        };
        let mut hash_seed = [0u32; 4];
        for (i, s) in hash_seed.iter_mut().enumerate() {
            *s = le32(&r, 0xEC + 4 * i);
        }
        let mut uuid = [0u8; 16];
        uuid.copy_from_slice(&r[0x68..0x78]);
        let free_inodes = le32(&r, 0x10);
        Ok(Superblock {
            inodes_count,
            blocks_count,
            r_blocks_count,
            free_blocks,
            free_inodes,
            first_data_block,
            log_block_size,
            block_size,
            blocks_per_group,
            inodes_per_group,
            mtime: le32(&r, 0x2C),
            wtime: le32(&r, 0x30),
            mnt_count: le16(&r, 0x34),
            state: le16(&r, 0x3A),
            rev_level,
            first_ino,
            inode_size,
            compat,
            incompat,
            ro_compat,
            uuid,
            reserved_gdt_blocks: le16(&r, 0xCE),
            journal_inum: le32(&r, 0xE0),
            last_orphan: le32(&r, 0xE8),
            hash_seed,
            def_hash_version: r[0xFC],
            desc_size,
            first_meta_bg: le32(&r, 0x104),
            min_extra_isize: le16(&r, 0x15C),
            want_extra_isize: le16(&r, 0x15E),
            flags: le32(&r, 0x160),
            log_groups_per_flex: r[0x174],
            kbytes_written: le64(&r, 0x178),
            overhead_clusters: le32(&r, 0x248),
            checksum_seed: le32(&r, 0x270),
            backup_bgs: [le32(&r, 0x24C), le32(&r, 0x250)],
            group_count: groups as u32,
            raw: r,
        })
    }

    /// The superblock bytes with the mutable fields and the checksum
    /// brought up to date.
    pub fn encode(&self) -> [u8; SUPERBLOCK_SIZE] {
        let mut r = self.raw;
        put32(&mut r, 0x0, self.inodes_count);
        put32(&mut r, 0x4, self.blocks_count as u32);
        put32(&mut r, 0xC, self.free_blocks as u32);
        put32(&mut r, 0x10, self.free_inodes);
        put32(&mut r, 0x2C, self.mtime);
        put32(&mut r, 0x30, self.wtime);
        put16(&mut r, 0x34, self.mnt_count);
        put16(&mut r, 0x3A, self.state);
        if self.rev_level > 0 {
            put32(&mut r, 0x5C, self.compat);
            put32(&mut r, 0x60, self.incompat);
            put32(&mut r, 0x64, self.ro_compat);
        }
        put32(&mut r, 0xE8, self.last_orphan);
        if self.is_64bit() {
            put32(&mut r, 0x150, (self.blocks_count >> 32) as u32);
            put32(&mut r, 0x158, (self.free_blocks >> 32) as u32);
        }
        put64(&mut r, 0x178, self.kbytes_written);
        if self.has_metadata_csum() {
            let c = crc32c(!0, &r[..0x3FC]);
            put32(&mut r, 0x3FC, c);
        }
        r
    }

    pub fn is_64bit(&self) -> bool {
        self.incompat & INCOMPAT_64BIT != 0
    }
    pub fn has_metadata_csum(&self) -> bool {
        self.ro_compat & RO_COMPAT_METADATA_CSUM != 0
    }
    pub fn has_gdt_csum(&self) -> bool {
        !self.has_metadata_csum() && self.ro_compat & RO_COMPAT_GDT_CSUM != 0
    }
    /// Whether groups may carry the *_UNINIT flags.
    pub fn has_group_csum(&self) -> bool {
        self.ro_compat & (RO_COMPAT_METADATA_CSUM | RO_COMPAT_GDT_CSUM) != 0
    }
    pub fn has_extents(&self) -> bool {
        self.incompat & INCOMPAT_EXTENTS != 0
    }
    pub fn has_filetype(&self) -> bool {
        self.incompat & INCOMPAT_FILETYPE != 0
    }
    pub fn has_journal(&self) -> bool {
        self.compat & COMPAT_HAS_JOURNAL != 0
    }
    pub fn has_dir_index(&self) -> bool {
        self.compat & COMPAT_DIR_INDEX != 0
    }
    pub fn has_flex_bg(&self) -> bool {
        self.incompat & INCOMPAT_FLEX_BG != 0
    }
    pub fn has_meta_bg(&self) -> bool {
        self.incompat & INCOMPAT_META_BG != 0
    }
    pub fn has_sparse_super(&self) -> bool {
        self.ro_compat & RO_COMPAT_SPARSE_SUPER != 0
    }
    pub fn has_huge_file(&self) -> bool {
        self.ro_compat & RO_COMPAT_HUGE_FILE != 0
    }
    pub fn has_dir_nlink(&self) -> bool {
        self.ro_compat & RO_COMPAT_DIR_NLINK != 0
    }
    pub fn has_xattr(&self) -> bool {
        self.compat & COMPAT_EXT_ATTR != 0
    }
    pub fn has_inline_data(&self) -> bool {
        self.incompat & INCOMPAT_INLINE_DATA != 0
    }
    pub fn has_largedir(&self) -> bool {
        self.incompat & INCOMPAT_LARGEDIR != 0
    }

    /// Seed of every metadata_csum chain (crc32c of the UUID unless the
    /// csum_seed feature stores it).
    pub fn csum_seed(&self) -> u32 {
        if self.incompat & INCOMPAT_CSUM_SEED != 0 {
            self.checksum_seed
        } else {
            crc32c(!0, &self.uuid)
        }
    }

    /// Whether group `g` holds a superblock backup (and group descriptors,
    /// unless meta_bg places those elsewhere).
    pub fn group_has_super(&self, g: u32) -> bool {
        if g == 0 {
            return true;
        }
        if self.compat & COMPAT_SPARSE_SUPER2 != 0 {
            return g == self.backup_bgs[0] || g == self.backup_bgs[1];
        }
        if g <= 1 || !self.has_sparse_super() {
            return true;
        }
        if g & 1 == 0 {
            return false;
        }
        is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7)
    }

    /// Why this library cannot write the file system, if it cannot.
    pub fn read_only_reason(&self) -> Option<String> {
        let ro_incompat = self.incompat & INCOMPAT_READ_ONLY;
        if ro_incompat != 0 {
            return Some(format!("incompatible features {ro_incompat:#x} are supported read-only"));
        }
        let ro = self.ro_compat & !RO_COMPAT_SUPPORTED;
        if ro != 0 {
            return Some(format!("read-only-compatible features {ro:#x} are not supported for writing"));
        }
        if self.block_size > 65536 {
            return Some(String::from("block size too large"));
        }
        None
    }

    /// Features that stop the file system being read at all.
    pub fn unsupported_incompat(&self) -> u32 {
        self.incompat & !(INCOMPAT_SUPPORTED | INCOMPAT_READ_ONLY)
    }
}

fn is_power_of(mut n: u32, base: u32) -> bool {
    while n > 1 {
        if n % base != 0 {
            return false;
        }
        n /= base;
    }
    n == 1
}
