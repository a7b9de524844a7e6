//! Block and inode allocation: the group bitmaps and free counts.
//!
//! Bitmaps live in the metadata cache; their checksums and the group
//! descriptors are brought up to date once per commit, not per change.
//! Blocks freed in the running transaction are not handed out again until
//! it commits: otherwise new data could land in a block that the last
//! committed state still uses, which ordered mode must never allow.

use crate::crc::crc32c;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::fs::Fs;
use crate::group::{BG_BLOCK_UNINIT, BG_INODE_UNINIT};
use crate::inode::{Ino, Inode};

#[inline]
fn bit(b: &[u8], i: usize) -> bool {
    b[i >> 3] & (1 << (i & 7)) != 0
}
#[inline]
fn set_bit(b: &mut [u8], i: usize) {
    b[i >> 3] |= 1 << (i & 7);
}
#[inline]
fn clear_bit(b: &mut [u8], i: usize) {
    b[i >> 3] &= !(1 << (i & 7));
}

/// First clear bit in `b[from..to)`, scanning 64 bits at a time.
fn find_zero(b: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while i < to {
        if i % 64 == 0 && i + 64 <= to {
            let w = u64::from_le_bytes(b[i / 8..i / 8 + 8].try_into().ok()?);
            if w == u64::MAX {
                i += 64;
                continue;
            }
            return Some(i + (!w).trailing_zeros() as usize);
        }
        if !bit(b, i) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Set bits `from..to` (and everything to the end of the block): the
/// padding Linux marks used past the end of a group.
fn mark_end(b: &mut [u8], from: usize) {
    let to = b.len() * 8;
    let mut i = from;
    while i < to && i % 8 != 0 {
        set_bit(b, i);
        i += 1;
    }
    if i < to {
        b[i / 8..].fill(0xff);
    }
}

impl<D: BlockDevice> Fs<D> {
    /// The block bitmap of group `g`, built in the cache first if the group
    /// is still BLOCK_UNINIT (the flag is then cleared).
    fn block_bitmap_for_alloc(&mut self, g: u32) -> Result<u64> {
        let blk = self.groups[g as usize].block_bitmap;
        if self.sb.has_group_csum() && self.groups[g as usize].flags & BG_BLOCK_UNINIT != 0 {
            let runs = self.group_meta_runs(g);
            let start = self.layout.group_start(g);
            let len = self.layout.group_len(g) as usize;
            let b = self.disk.zeroed(blk)?;
            for (s, n) in runs {
                for x in s..s + n {
                    if x >= start && ((x - start) as usize) < len {
                        set_bit(b, (x - start) as usize);
                    }
                }
            }
            mark_end(b, len);
            self.groups[g as usize].flags &= !BG_BLOCK_UNINIT;
            self.groups_dirty.insert(g);
            self.bitmaps_dirty.insert((g, false));
        }
        Ok(blk)
    }

    /// Every block of group `g` that holds metadata: base metadata plus any
    /// group's bitmaps and inode table placed inside it (flex_bg packs them).
    pub(crate) fn group_meta_runs(&self, g: u32) -> alloc::vec::Vec<(u64, u64)> {
        let mut runs = self.layout.base_meta(&self.sb, g);
        let start = self.layout.group_start(g);
        let end = start + self.layout.group_len(g);
        let itb = self.layout.inode_table_blocks;
        for d in &self.groups {
            for (s, n) in [(d.block_bitmap, 1), (d.inode_bitmap, 1), (d.inode_table, itb)] {
                if s < end && s + n > start {
                    runs.push((s, n));
                }
            }
        }
        runs
    }

    /// Whether `blk` was freed in the running transaction; if so, the end
    /// of that freed run.
    fn recently_freed(&self, blk: u64) -> Option<u64> {
        let (&s, &n) = self.recent_frees.range(..=blk).next_back()?;
        (blk < s + n).then_some(s + n)
    }

    /// Allocate up to `want` contiguous blocks, as close after `goal` as
    /// possible. Returns the first block and how many were taken (>= 1).
    pub(crate) fn alloc_blocks(&mut self, goal: u64, want: u64) -> Result<(u64, u64)> {
        self.check_writable()?;
        let lay = &self.layout;
        let goal = if goal >= lay.first_data_block && goal < lay.blocks_count { goal } else { lay.first_data_block };
        let g0 = lay.group_of(goal);
        let count = lay.group_count;
        let want = want.max(1);
        for pass in 0..=count {
            let g = (g0 + pass) % count;
            if self.groups[g as usize].free_blocks == 0 {
                continue;
            }
            let start = self.layout.group_start(g);
            let len = self.layout.group_len(g) as usize;
            let from = if pass == 0 { (goal - start) as usize } else { 0 };
            let bm = self.block_bitmap_for_alloc(g)?;
            // Look for a free bit from the goal, then from the group start.
            let mut found = None;
            for (lo, hi) in [(from, len), (0, from)] {
                let mut i = lo;
                while i < hi {
                    let b = self.disk.read(bm)?;
                    let Some(z) = find_zero(b, i, hi) else { break };
                    let blk = start + z as u64;
                    match self.recently_freed(blk) {
                        Some(end) => i = (end - start) as usize,
                        None => {
                            found = Some(z);
                            break;
                        }
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            let Some(z) = found else {
                if pass == 0 {
                    continue;
                }
                continue;
            };
            // Extend the run while blocks stay free.
            let limit_busy = self
                .recent_frees
                .range(start + z as u64..)
                .next()
                .map(|(&s, _)| (s - start) as usize)
                .unwrap_or(len);
            let b = self.disk.modify(bm)?;
            let mut n = 0usize;
            while (n as u64) < want && z + n < len && z + n < limit_busy && !bit(b, z + n) {
                set_bit(b, z + n);
                n += 1;
            }
            if n == 0 {
                return Err(Error::Corrupt("block bitmap changed under allocation"));
            }
            let d = &mut self.groups[g as usize];
            d.free_blocks = d.free_blocks.saturating_sub(n as u32);
            self.groups_dirty.insert(g);
            self.bitmaps_dirty.insert((g, false));
            self.sb.free_blocks = self.sb.free_blocks.saturating_sub(n as u64);
            self.sb_dirty = true;
            return Ok((start + z as u64, n as u64));
        }
        Err(Error::NoSpace)
    }

    /// Allocate one block for metadata of `inode` (tree node, directory or
    /// xattr block) and count it in i_blocks.
    pub(crate) fn alloc_meta_block(&mut self, inode: &mut Inode, goal: u64) -> Result<u64> {
        let goal = if goal == 0 { self.inode_goal(inode.ino) } else { goal };
        let (b, _) = self.alloc_blocks(goal, 1)?;
        inode.blocks += self.layout.block_size / 512;
        Ok(b)
    }

    /// Default allocation goal for an inode: the start of its group's data.
    pub(crate) fn inode_goal(&self, ino: Ino) -> u64 {
        let g = (ino - 1) / self.sb.inodes_per_group;
        self.layout.group_start(g)
    }

    fn free_range(&mut self, start: u64, n: u64, defer: bool) -> Result<()> {
        if n == 0 {
            return Ok(());
        }
        let lay = &self.layout;
        if start < lay.first_data_block || start + n > lay.blocks_count {
            return Err(Error::Corrupt("freeing blocks out of range"));
        }
        let mut blk = start;
        let end = start + n;
        while blk < end {
            let g = self.layout.group_of(blk);
            let gstart = self.layout.group_start(g);
            let gend = gstart + self.layout.group_len(g);
            let run_end = end.min(gend);
            let bm = self.block_bitmap_for_alloc(g)?;
            let b = self.disk.modify(bm)?;
            let mut freed = 0u32;
            for x in blk..run_end {
                let i = (x - gstart) as usize;
                if bit(b, i) {
                    clear_bit(b, i);
                    freed += 1;
                }
            }
            let d = &mut self.groups[g as usize];
            d.free_blocks += freed;
            self.groups_dirty.insert(g);
            self.bitmaps_dirty.insert((g, false));
            self.sb.free_blocks += freed as u64;
            self.sb_dirty = true;
            blk = run_end;
        }
        if defer && self.journal.is_some() {
            // Merge with an adjacent run so the map stays small.
            if let Some((&s, l)) = self.recent_frees.range_mut(..=start).next_back() {
                if s + *l == start {
                    *l += n;
                    return Ok(());
                }
            }
            self.recent_frees.insert(start, n);
        }
        Ok(())
    }

    /// Free blocks that the committed state may still reference: they stay
    /// unallocatable until the running transaction commits.
    pub(crate) fn free_blocks_deferred(&mut self, start: u64, n: u64) -> Result<()> {
        self.free_range(start, n, true)
    }

    /// Free blocks allocated in this transaction and never used.
    pub(crate) fn free_blocks_now(&mut self, start: u64, n: u64) -> Result<()> {
        self.free_range(start, n, false)
    }

    /// Allocate an inode, near `parent`'s group.
    pub(crate) fn alloc_inode(&mut self, parent: Ino, is_dir: bool) -> Result<Ino> {
        self.check_writable()?;
        let ipg = self.sb.inodes_per_group;
        let count = self.layout.group_count;
        let g0 = (parent.max(1) - 1) / ipg;
        for pass in 0..count {
            let g = (g0 + pass) % count;
            if self.groups[g as usize].free_inodes == 0 {
                continue;
            }
            let blk = self.groups[g as usize].inode_bitmap;
            let csum_groups = self.sb.has_group_csum();
            if csum_groups && self.groups[g as usize].flags & BG_INODE_UNINIT != 0 {
                let b = self.disk.zeroed(blk)?;
                mark_end(b, ipg as usize);
                self.groups[g as usize].flags &= !BG_INODE_UNINIT;
                self.groups_dirty.insert(g);
                self.bitmaps_dirty.insert((g, true));
            }
            // Inodes below s_first_ino are reserved.
            let first = if g == 0 { self.sb.first_ino as usize - 1 } else { 0 };
            let limit = (ipg as usize).min((self.sb.inodes_count - g * ipg) as usize);
            let b = self.disk.read(blk)?;
            let Some(i) = find_zero(b, first, limit) else { continue };
            let b = self.disk.modify(blk)?;
            set_bit(b, i);
            if csum_groups {
                // Linux initializes the block bitmap with the first inode.
                self.block_bitmap_for_alloc(g)?;
            }
            let d = &mut self.groups[g as usize];
            d.free_inodes = d.free_inodes.saturating_sub(1);
            if is_dir {
                d.used_dirs += 1;
            }
            if csum_groups {
                let high = ipg - d.itable_unused.min(ipg);
                if i as u32 >= high {
                    d.itable_unused = ipg - i as u32 - 1;
                }
            }
            self.groups_dirty.insert(g);
            self.bitmaps_dirty.insert((g, true));
            self.sb.free_inodes = self.sb.free_inodes.saturating_sub(1);
            self.sb_dirty = true;
            return Ok(g * ipg + i as u32 + 1);
        }
        Err(Error::NoSpace)
    }

    /// Release inode `ino` in its bitmap.
    pub(crate) fn free_inode(&mut self, ino: Ino, was_dir: bool) -> Result<()> {
        let ipg = self.sb.inodes_per_group;
        let g = (ino - 1) / ipg;
        let i = ((ino - 1) % ipg) as usize;
        let blk = self.groups[g as usize].inode_bitmap;
        let b = self.disk.modify(blk)?;
        if !bit(b, i) {
            return Err(Error::Corrupt("freeing a free inode"));
        }
        clear_bit(b, i);
        let d = &mut self.groups[g as usize];
        d.free_inodes += 1;
        if was_dir {
            d.used_dirs = d.used_dirs.saturating_sub(1);
        }
        self.groups_dirty.insert(g);
        self.bitmaps_dirty.insert((g, true));
        self.sb.free_inodes += 1;
        self.sb_dirty = true;
        Ok(())
    }

    /// Recompute the checksums of changed bitmaps into their descriptors.
    pub(crate) fn update_bitmap_csums(&mut self) -> Result<()> {
        let Some(seed) = self.csum else {
            self.bitmaps_dirty.clear();
            return Ok(());
        };
        let dirty = core::mem::take(&mut self.bitmaps_dirty);
        for (g, inode_map) in dirty {
            let d = &self.groups[g as usize];
            let (blk, len) = if inode_map {
                (d.inode_bitmap, self.sb.inodes_per_group as usize / 8)
            } else {
                (d.block_bitmap, self.sb.blocks_per_group as usize / 8)
            };
            let b = self.disk.read(blk)?;
            let c = crc32c(seed, &b[..len]);
            let d = &mut self.groups[g as usize];
            if inode_map {
                d.inode_bitmap_csum = c;
            } else {
                d.block_bitmap_csum = c;
            }
            self.groups_dirty.insert(g);
        }
        Ok(())
    }

    /// Count the set bits of a bitmap block prefix (for checks).
    #[allow(dead_code)]
    pub(crate) fn bitmap_used(b: &[u8], bits: usize) -> usize {
        let full = bits / 8;
        let mut n: usize = b[..full].iter().map(|x| x.count_ones() as usize).sum();
        for i in full * 8..bits {
            if bit(b, i) {
                n += 1;
            }
        }
        n
    }
}

