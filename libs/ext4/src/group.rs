//! Block group descriptors (32- and 64-byte forms) and the fixed layout of
//! each group: where superblock backups and descriptor tables sit.
// Format definitions: not every constant and field is used yet.
#![allow(dead_code)]

use alloc::vec::Vec;

use crate::bytes::*;
use crate::crc::{crc16, crc32c};
use crate::superblock::Superblock;

// bg_flags
pub const BG_INODE_UNINIT: u16 = 0x1;
pub const BG_BLOCK_UNINIT: u16 = 0x2;
pub const BG_INODE_ZEROED: u16 = 0x4;

/// One group descriptor. `raw` keeps the on-disk bytes so fields this
/// library does not use (exclude bitmap, reserved) are written back as
/// they were.
#[derive(Clone, Debug)]
pub struct GroupDesc {
    pub block_bitmap: u64,
    pub inode_bitmap: u64,
    pub inode_table: u64,
    pub free_blocks: u32,
    pub free_inodes: u32,
    pub used_dirs: u32,
    pub flags: u16,
    pub itable_unused: u32,
    pub block_bitmap_csum: u32,
    pub inode_bitmap_csum: u32,
    pub checksum: u16,
    raw: Vec<u8>,
}

impl GroupDesc {
    /// Decode a descriptor of `size` bytes (32, or 64+ with the 64bit
    /// feature; the high halves only exist in the long form).
    pub fn parse(b: &[u8], size: usize) -> GroupDesc {
        let long = size >= 64;
        let hi16 = |off: usize| if long { le16(b, off) as u32 } else { 0 };
        let hi32 = |off: usize| if long { le32(b, off) as u64 } else { 0 };
        GroupDesc {
            block_bitmap: le32(b, 0x0) as u64 | hi32(0x20) << 32,
            inode_bitmap: le32(b, 0x4) as u64 | hi32(0x24) << 32,
            inode_table: le32(b, 0x8) as u64 | hi32(0x28) << 32,
            free_blocks: le16(b, 0xC) as u32 | hi16(0x2C) << 16,
            free_inodes: le16(b, 0xE) as u32 | hi16(0x2E) << 16,
            used_dirs: le16(b, 0x10) as u32 | hi16(0x30) << 16,
            flags: le16(b, 0x12),
            block_bitmap_csum: le16(b, 0x18) as u32 | hi16(0x38) << 16,
            inode_bitmap_csum: le16(b, 0x1A) as u32 | hi16(0x3A) << 16,
            itable_unused: le16(b, 0x1C) as u32 | hi16(0x32) << 16,
            checksum: le16(b, 0x1E),
            raw: b[..size].to_vec(),
        }
    }

    /// Encode into the on-disk form with its checksum for group `group`.
    pub fn encode(&self, sb: &Superblock, group: u32) -> Vec<u8> {
        let mut b = self.raw.clone();
        let long = b.len() >= 64;
        put32(&mut b, 0x0, self.block_bitmap as u32);
        put32(&mut b, 0x4, self.inode_bitmap as u32);
        put32(&mut b, 0x8, self.inode_table as u32);
        put16(&mut b, 0xC, self.free_blocks as u16);
        put16(&mut b, 0xE, self.free_inodes as u16);
        put16(&mut b, 0x10, self.used_dirs as u16);
        put16(&mut b, 0x12, self.flags);
        put16(&mut b, 0x18, self.block_bitmap_csum as u16);
        put16(&mut b, 0x1A, self.inode_bitmap_csum as u16);
        put16(&mut b, 0x1C, self.itable_unused as u16);
        if long {
            put32(&mut b, 0x20, (self.block_bitmap >> 32) as u32);
            put32(&mut b, 0x24, (self.inode_bitmap >> 32) as u32);
            put32(&mut b, 0x28, (self.inode_table >> 32) as u32);
            put16(&mut b, 0x2C, (self.free_blocks >> 16) as u16);
            put16(&mut b, 0x2E, (self.free_inodes >> 16) as u16);
            put16(&mut b, 0x30, (self.used_dirs >> 16) as u16);
            put16(&mut b, 0x32, (self.itable_unused >> 16) as u16);
            put16(&mut b, 0x38, (self.block_bitmap_csum >> 16) as u16);
            put16(&mut b, 0x3A, (self.inode_bitmap_csum >> 16) as u16);
        }
        put16(&mut b, 0x1E, 0);
        let c = desc_checksum(sb, group, &b);
        put16(&mut b, 0x1E, c);
        b
    }

    /// Whether the stored checksum matches (always true without checksums).
    pub fn checksum_ok(sb: &Superblock, group: u32, raw: &[u8]) -> bool {
        if !sb.has_group_csum() {
            return true;
        }
        let mut b = raw.to_vec();
        let stored = le16(&b, 0x1E);
        put16(&mut b, 0x1E, 0);
        desc_checksum(sb, group, &b) == stored
    }
}

/// The descriptor checksum over `b` (whose checksum field reads zero).
fn desc_checksum(sb: &Superblock, group: u32, b: &[u8]) -> u16 {
    if sb.has_metadata_csum() {
        let c = crc32c(sb.csum_seed(), &group.to_le_bytes());
        (crc32c(c, b) & 0xFFFF) as u16
    } else if sb.has_gdt_csum() {
        let mut c = crc16(!0, &sb.uuid);
        c = crc16(c, &group.to_le_bytes());
        c = crc16(c, &b[..0x1E]);
        if b.len() > 0x20 {
            c = crc16(c, &b[0x20..]);
        }
        c
    } else {
        0
    }
}

/// Geometry derived from the superblock.
#[derive(Clone, Debug)]
pub struct Layout {
    pub block_size: u64,
    pub blocks_count: u64,
    pub first_data_block: u64,
    pub blocks_per_group: u64,
    pub inodes_per_group: u32,
    pub group_count: u32,
    pub desc_size: usize,
    pub descs_per_block: u32,
    /// Number of descriptor table blocks.
    pub gdt_blocks: u64,
    pub inode_table_blocks: u64,
}

impl Layout {
    pub fn new(sb: &Superblock) -> Layout {
        let bs = sb.block_size as u64;
        let desc_size = sb.desc_size as usize;
        let descs_per_block = (bs as usize / desc_size) as u32;
        Layout {
            block_size: bs,
            blocks_count: sb.blocks_count,
            first_data_block: sb.first_data_block as u64,
            blocks_per_group: sb.blocks_per_group as u64,
            inodes_per_group: sb.inodes_per_group,
            group_count: sb.group_count,
            desc_size,
            descs_per_block,
            gdt_blocks: (sb.group_count as u64).div_ceil(descs_per_block as u64),
            inode_table_blocks: (sb.inodes_per_group as u64 * sb.inode_size as u64).div_ceil(bs),
        }
    }

    /// First block of group `g`.
    pub fn group_start(&self, g: u32) -> u64 {
        self.first_data_block + g as u64 * self.blocks_per_group
    }

    /// Number of blocks in group `g` (the last one may be short).
    pub fn group_len(&self, g: u32) -> u64 {
        let start = self.group_start(g);
        (self.blocks_count - start).min(self.blocks_per_group)
    }

    /// The group a block belongs to.
    pub fn group_of(&self, blk: u64) -> u32 {
        ((blk - self.first_data_block) / self.blocks_per_group) as u32
    }

    /// Where the descriptor table block `i` lives.
    pub fn gdt_block(&self, sb: &Superblock, i: u64) -> u64 {
        if !sb.has_meta_bg() || i < sb.first_meta_bg as u64 {
            return self.first_data_block + 1 + i;
        }
        let g = (i * self.descs_per_block as u64) as u32;
        self.group_start(g) + if sb.group_has_super(g) { 1 } else { 0 }
    }

    /// Blocks of group `g` taken by the superblock backup, descriptor table
    /// and reserved descriptor blocks (the "base" metadata), as runs.
    pub fn base_meta(&self, sb: &Superblock, g: u32) -> Vec<(u64, u64)> {
        let mut runs = Vec::new();
        let start = self.group_start(g);
        let has_super = sb.group_has_super(g);
        if has_super {
            // Block 0 of a 1 KiB file system is the boot block, outside group 0.
            runs.push((start, 1));
        }
        if !sb.has_meta_bg() {
            if has_super {
                let n = self.gdt_blocks + sb.reserved_gdt_blocks as u64;
                runs.push((start + 1, n));
            }
        } else {
            let first_meta = sb.first_meta_bg as u64;
            if has_super && first_meta > 0 {
                runs.push((start + 1, first_meta.min(self.gdt_blocks) + sb.reserved_gdt_blocks as u64));
            }
            let dpb = self.descs_per_block;
            let mg = g / dpb;
            if (mg as u64) >= first_meta {
                let idx = g % dpb;
                let last_in_mg = ((mg + 1) * dpb - 1).min(self.group_count - 1) % dpb;
                if idx == 0 || idx == 1 || idx == last_in_mg {
                    runs.push((start + if has_super { 1 } else { 0 }, 1));
                }
            }
        }
        runs
    }
}
