//! Extent trees: the map from file blocks to disk blocks.
//!
//! The root node lives in the inode's i_block (up to 4 entries); deeper
//! nodes fill whole blocks. Leaves hold extents (up to 32768 blocks each,
//! 32767 when unwritten), index nodes point to children, and every index
//! key equals the first key of its child (e2fsck checks that).
//!
//! Nodes are decoded into a small vector, changed, and encoded back; a
//! node that overflows splits (or, at the root, the tree grows a level).

use alloc::vec::Vec;

use crate::bytes::*;
use crate::crc::crc32c;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::fs::Fs;
use crate::inode::{I_BLOCK_LEN, Inode, inode_seed};

pub const EXT_MAGIC: u16 = 0xF30A;
/// Longest initialized extent.
pub const MAX_INIT_LEN: u32 = 32768;
/// Longest unwritten extent.
pub const MAX_UNWRITTEN_LEN: u32 = 32767;
/// Entries in the root node inside the inode.
pub const ROOT_CAP: u16 = ((I_BLOCK_LEN - 12) / 12) as u16;
const MAX_DEPTH: u16 = 5;

/// One entry of a node. In a leaf: an extent (`len` blocks from `lblk` at
/// `pblk`); in an index node: `lblk` is the key and `pblk` the child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub lblk: u32,
    pub len: u32,
    pub pblk: u64,
    pub unwritten: bool,
}

impl Entry {
    pub fn end(&self) -> u64 {
        self.lblk as u64 + self.len as u64
    }
}

/// A decoded node.
#[derive(Clone, Debug)]
pub struct Node {
    pub depth: u16,
    pub max: u16,
    pub entries: Vec<Entry>,
}

/// Entries a block-sized node holds (the checksum tail fits after them).
pub fn block_cap(block_size: usize) -> u16 {
    ((block_size - 12) / 12) as u16
}

/// Decode a node from `b`, checking it against what the format allows.
pub fn parse_node(b: &[u8], cap: u16, blocks_count: u64) -> Result<Node> {
    if le16(b, 0) != EXT_MAGIC {
        return Err(Error::Corrupt("bad extent header magic"));
    }
    let n = le16(b, 2);
    let max = le16(b, 4);
    let depth = le16(b, 6);
    if max > cap || n > max || depth > MAX_DEPTH || (max == 0 && cap > 0) {
        return Err(Error::Corrupt("bad extent header"));
    }
    let mut entries = Vec::with_capacity(n as usize + 1);
    let mut prev_end: u64 = 0;
    for i in 0..n as usize {
        let o = 12 + 12 * i;
        let lblk = le32(b, o);
        let e = if depth == 0 {
            let raw = le16(b, o + 4) as u32;
            let (len, unwritten) = if raw > MAX_INIT_LEN { (raw - MAX_INIT_LEN, true) } else { (raw, false) };
            let pblk = le32(b, o + 8) as u64 | (le16(b, o + 6) as u64) << 32;
            if len == 0 || pblk == 0 || pblk + len as u64 > blocks_count {
                return Err(Error::Corrupt("extent out of range"));
            }
            Entry { lblk, len, pblk, unwritten }
        } else {
            let pblk = le32(b, o + 4) as u64 | (le16(b, o + 8) as u64) << 32;
            if pblk == 0 || pblk >= blocks_count {
                return Err(Error::Corrupt("extent index out of range"));
            }
            Entry { lblk, len: 0, pblk, unwritten: false }
        };
        if i > 0 && (lblk as u64) < prev_end {
            return Err(Error::Corrupt("extents out of order"));
        }
        prev_end = if depth == 0 { e.end() } else { lblk as u64 + 1 };
        if prev_end > 1 << 32 {
            return Err(Error::Corrupt("extent beyond 2^32 blocks"));
        }
        entries.push(e);
    }
    Ok(Node { depth, max, entries })
}

/// Encode `node` into `b` (60 bytes of i_block, or a whole block).
pub fn encode_node(node: &Node, b: &mut [u8]) {
    let used = 12 + 12 * node.entries.len();
    put16(b, 0, EXT_MAGIC);
    put16(b, 2, node.entries.len() as u16);
    put16(b, 4, node.max);
    put16(b, 6, node.depth);
    put32(b, 8, 0);
    for (i, e) in node.entries.iter().enumerate() {
        let o = 12 + 12 * i;
        put32(b, o, e.lblk);
        if node.depth == 0 {
            let raw = if e.unwritten { e.len + MAX_INIT_LEN } else { e.len };
            put16(b, o + 4, raw as u16);
            put16(b, o + 6, (e.pblk >> 32) as u16);
            put32(b, o + 8, e.pblk as u32);
        } else {
            put32(b, o + 4, e.pblk as u32);
            put16(b, o + 8, (e.pblk >> 32) as u16);
            put16(b, o + 10, 0);
        }
    }
    let tail = (12 + 12 * node.max as usize).min(b.len());
    b[used.min(tail)..tail].fill(0);
}

/// Offset of the checksum tail in an extent block.
fn tail_offset(b: &[u8]) -> usize {
    12 + 12 * le16(b, 4) as usize
}

/// Set the checksum tail of an extent block owned by `inode`.
pub fn set_block_csum(fs_seed: u32, inode: &Inode, b: &mut [u8]) {
    let t = tail_offset(b);
    if t + 4 > b.len() {
        return;
    }
    let c = crc32c(inode_seed(fs_seed, inode.ino, inode.generation), &b[..t]);
    put32(b, t, c);
}

/// Whether an extent block's checksum tail matches.
pub fn block_csum_ok(fs_seed: u32, inode: &Inode, b: &[u8]) -> bool {
    let t = tail_offset(b);
    if t + 4 > b.len() {
        return false;
    }
    crc32c(inode_seed(fs_seed, inode.ino, inode.generation), &b[..t]) == le32(b, t)
}

/// One level of a path from the root to a leaf.
#[derive(Clone, Debug)]
struct Level {
    /// None for the root in the inode.
    blk: Option<u64>,
    node: Node,
    /// The entry followed to the next level (or the position in a leaf).
    idx: usize,
}

/// What a logical block maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// `len` blocks from `lblk` are at `pblk..`, all in one extent.
    Mapped { pblk: u64, len: u32, unwritten: bool },
    /// A hole of `len` blocks (u32::MAX-ish when no extent follows).
    Hole { len: u64 },
}

/// Index of the entry whose range covers `lblk`: the last with key <= lblk,
/// or 0.
fn covering(entries: &[Entry], lblk: u32) -> usize {
    entries.partition_point(|e| e.lblk <= lblk).saturating_sub(1)
}

impl<D: BlockDevice> Fs<D> {
    fn ext_root(&self, inode: &Inode) -> Result<Node> {
        parse_node(&inode.block, ROOT_CAP, self.layout.blocks_count)
    }

    fn ext_read_node(&mut self, inode: &Inode, blk: u64, depth: u16) -> Result<Node> {
        let cap = block_cap(self.layout.block_size as usize);
        let csum = self.csum;
        let count = self.layout.blocks_count;
        let verified = self.disk.is_verified(blk);
        let b = self.disk.read(blk)?;
        if let Some(seed) = csum {
            if !verified && !block_csum_ok(seed, inode, b) {
                return Err(Error::Corrupt("extent block checksum mismatch"));
            }
        }
        let node = parse_node(b, cap, count)?;
        self.disk.set_verified(blk);
        if node.depth != depth {
            return Err(Error::Corrupt("extent tree depth mismatch"));
        }
        if depth > 0 && node.entries.is_empty() {
            return Err(Error::Corrupt("empty extent index block"));
        }
        Ok(node)
    }

    fn ext_store(&mut self, inode: &mut Inode, level: &Level) -> Result<()> {
        match level.blk {
            None => encode_node(&level.node, &mut inode.block),
            Some(blk) => {
                let csum = self.csum;
                let b = self.disk.modify(blk)?;
                encode_node(&level.node, b);
                if let Some(seed) = csum {
                    set_block_csum(seed, inode, b);
                }
            }
        }
        Ok(())
    }

    fn ext_path(&mut self, inode: &Inode, lblk: u32) -> Result<Vec<Level>> {
        let root = self.ext_root(inode)?;
        let mut path = Vec::with_capacity(root.depth as usize + 1);
        let mut level = Level { blk: None, node: root, idx: 0 };
        while level.node.depth > 0 {
            if level.node.entries.is_empty() {
                return Err(Error::Corrupt("empty extent index"));
            }
            level.idx = covering(&level.node.entries, lblk);
            let child = level.node.entries[level.idx].pblk;
            let depth = level.node.depth - 1;
            path.push(level);
            let node = self.ext_read_node(inode, child, depth)?;
            level = Level { blk: Some(child), node, idx: 0 };
        }
        level.idx = covering(&level.node.entries, lblk);
        path.push(level);
        Ok(path)
    }

    /// Map logical block `lblk` of an extent-mapped inode.
    pub(crate) fn ext_lookup(&mut self, inode: &Inode, lblk: u32) -> Result<Lookup> {
        let path = self.ext_path(inode, lblk)?;
        let leaf = &path[path.len() - 1].node;
        let i = leaf.entries.partition_point(|e| e.lblk <= lblk);
        if i > 0 {
            let e = leaf.entries[i - 1];
            if (lblk as u64) < e.end() {
                let off = lblk - e.lblk;
                return Ok(Lookup::Mapped { pblk: e.pblk + off as u64, len: e.len - off, unwritten: e.unwritten });
            }
        }
        // A hole: it ends at the next extent, in this leaf or further right.
        let mut next: Option<u32> = leaf.entries.get(i).map(|e| e.lblk);
        if next.is_none() {
            for level in path[..path.len() - 1].iter().rev() {
                if let Some(e) = level.node.entries.get(level.idx + 1) {
                    next = Some(e.lblk);
                    break;
                }
            }
        }
        let len = match next {
            Some(n) if n > lblk => (n - lblk) as u64,
            _ => (1u64 << 32) - lblk as u64,
        };
        Ok(Lookup::Hole { len })
    }

    /// Every extent of the file, in order (for fiemap-like walks and
    /// checks; cost is proportional to the tree).
    #[allow(dead_code)]
    pub(crate) fn ext_all(&mut self, inode: &Inode) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        let root = self.ext_root(inode)?;
        self.ext_collect(inode, &root, &mut out)?;
        Ok(out)
    }

    #[allow(dead_code)]
    fn ext_collect(&mut self, inode: &Inode, node: &Node, out: &mut Vec<Entry>) -> Result<()> {
        if node.depth == 0 {
            out.extend_from_slice(&node.entries);
            return Ok(());
        }
        for e in node.entries.clone() {
            let child = self.ext_read_node(inode, e.pblk, node.depth - 1)?;
            self.ext_collect(inode, &child, out)?;
        }
        Ok(())
    }

    /// After the first key of `path[level]` changed, carry it up.
    fn ext_fix_keys(&mut self, inode: &mut Inode, path: &mut [Level], level: usize) -> Result<()> {
        let mut l = level;
        while l > 0 {
            let first = match path[l].node.entries.first() {
                Some(e) => e.lblk,
                None => return Ok(()),
            };
            let pidx = path[l - 1].idx;
            if path[l - 1].node.entries[pidx].lblk == first {
                return Ok(());
            }
            path[l - 1].node.entries[pidx].lblk = first;
            self.ext_store(inode, &path[l - 1])?;
            if pidx != 0 {
                return Ok(());
            }
            l -= 1;
        }
        Ok(())
    }

    /// Add the mapping `ext` (which overlaps nothing already mapped).
    pub(crate) fn ext_insert(&mut self, inode: &mut Inode, ext: Entry) -> Result<()> {
        let mut path = self.ext_path(inode, ext.lblk)?;
        let li = path.len() - 1;
        let leaf = &mut path[li].node;
        let pos = leaf.entries.partition_point(|e| e.lblk < ext.lblk);
        let limit = |e: &Entry| if e.unwritten { MAX_UNWRITTEN_LEN } else { MAX_INIT_LEN };
        let joins = |a: &Entry, b: &Entry| {
            a.unwritten == b.unwritten
                && a.end() == b.lblk as u64
                && a.pblk + a.len as u64 == b.pblk
                && a.len + b.len <= limit(a)
        };
        if pos > 0 && joins(&leaf.entries[pos - 1], &ext) {
            leaf.entries[pos - 1].len += ext.len;
            if pos < leaf.entries.len() && joins(&leaf.entries[pos - 1], &leaf.entries[pos]) {
                let right = leaf.entries.remove(pos);
                leaf.entries[pos - 1].len += right.len;
            }
            return self.ext_store(inode, &path[li]);
        }
        if pos < leaf.entries.len() && joins(&ext, &leaf.entries[pos]) {
            let r = &mut leaf.entries[pos];
            r.lblk = ext.lblk;
            r.pblk = ext.pblk;
            r.len += ext.len;
            self.ext_store(inode, &path[li])?;
            if pos == 0 {
                self.ext_fix_keys(inode, &mut path, li)?;
            }
            return Ok(());
        }
        leaf.entries.insert(pos, ext);
        let appended = pos + 1 == leaf.entries.len();
        if leaf.entries.len() <= leaf.max as usize {
            self.ext_store(inode, &path[li])?;
            if pos == 0 {
                self.ext_fix_keys(inode, &mut path, li)?;
            }
            return Ok(());
        }
        // The leaf overflows: reserve every block the split can need before
        // changing anything, so running out of space leaves the tree intact.
        let need = path.len() + 1;
        let goal = ext.pblk;
        let mut spare = Vec::with_capacity(need);
        for _ in 0..need {
            match self.alloc_meta_block(inode, goal) {
                Ok(b) => spare.push(b),
                Err(e) => {
                    for b in spare {
                        self.free_blocks_now(b, 1)?;
                    }
                    return Err(e);
                }
            }
        }
        let r = self.ext_split(inode, &mut path, li, appended, &mut spare);
        for b in spare {
            self.free_blocks_now(b, 1)?;
            inode.blocks -= self.layout.block_size / 512;
        }
        r?;
        Ok(())
    }

    /// Store `path[level]`, splitting it first if it holds too many entries.
    fn ext_split(
        &mut self,
        inode: &mut Inode,
        path: &mut Vec<Level>,
        level: usize,
        appended: bool,
        spare: &mut Vec<u64>,
    ) -> Result<()> {
        let bs = self.layout.block_size as usize;
        if path[level].node.entries.len() <= path[level].node.max as usize {
            self.ext_store(inode, &path[level])?;
            if level > 0 && path[level].node.entries.first().map(|e| e.lblk) != Some(path[level - 1].node.entries[path[level - 1].idx].lblk) {
                self.ext_fix_keys(inode, path, level)?;
            }
            return Ok(());
        }
        if level == 0 {
            // Grow: the root's entries move to a new block one level down.
            if path[0].node.depth >= MAX_DEPTH {
                return Err(Error::FileTooBig);
            }
            let blk = spare.pop().ok_or(Error::NoSpace)?;
            let child = Level {
                blk: Some(blk),
                node: Node { depth: path[0].node.depth, max: block_cap(bs), entries: path[0].node.entries.clone() },
                idx: 0,
            };
            let first = child.node.entries[0].lblk;
            self.ext_store(inode, &child)?;
            path[0].node = Node { depth: child.node.depth + 1, max: ROOT_CAP, entries: alloc::vec![Entry { lblk: first, len: 0, pblk: blk, unwritten: false }] };
            path[0].idx = 0;
            return self.ext_store(inode, &path[0]);
        }
        let entries = &mut path[level].node.entries;
        let n = entries.len();
        // Appending files fill leaves; random inserts split in the middle.
        let mid = if appended { n - 1 } else { n / 2 };
        let right_entries = entries.split_off(mid);
        let blk = spare.pop().ok_or(Error::NoSpace)?;
        let right = Level {
            blk: Some(blk),
            node: Node { depth: path[level].node.depth, max: block_cap(bs), entries: right_entries },
            idx: 0,
        };
        let key = right.node.entries[0].lblk;
        self.ext_store(inode, &right)?;
        self.ext_store(inode, &path[level])?;
        let pidx = path[level - 1].idx;
        // The left half keeps the parent's entry; its first key may be new.
        path[level - 1].node.entries[pidx].lblk = path[level].node.entries[0].lblk;
        path[level - 1].node.entries.insert(pidx + 1, Entry { lblk: key, len: 0, pblk: blk, unwritten: false });
        let parent_appended = pidx + 2 == path[level - 1].node.entries.len();
        path.truncate(level);
        self.ext_split(inode, path, level - 1, appended && parent_appended, spare)
    }

    /// Unmap logical blocks `start..end`. With `free`, their disk blocks are
    /// released (truncate, punch); without, they are only unmapped (the
    /// caller maps them again, e.g. unwritten to written).
    pub(crate) fn ext_remove(&mut self, inode: &mut Inode, start: u32, end: u64, free: bool) -> Result<()> {
        let root = self.ext_root(inode)?;
        let mut level = Level { blk: None, node: root, idx: 0 };
        let mut reinsert = Vec::new();
        self.ext_remove_in(inode, &mut level, start, end, free, &mut reinsert)?;
        if level.node.entries.is_empty() {
            level.node.depth = 0;
            level.node.max = ROOT_CAP;
        }
        self.ext_store(inode, &level)?;
        for e in reinsert {
            self.ext_insert(inode, e)?;
        }
        Ok(())
    }

    fn ext_remove_in(
        &mut self,
        inode: &mut Inode,
        level: &mut Level,
        start: u32,
        end: u64,
        free: bool,
        reinsert: &mut Vec<Entry>,
    ) -> Result<()> {
        let start64 = start as u64;
        if level.node.depth == 0 {
            let mut kept = Vec::with_capacity(level.node.entries.len());
            for e in level.node.entries.drain(..) {
                let (es, ee) = (e.lblk as u64, e.end());
                if ee <= start64 || es >= end {
                    kept.push(e);
                    continue;
                }
                let cut_s = es.max(start64);
                let cut_e = ee.min(end);
                if free {
                    let p = e.pblk + (cut_s - es);
                    self.free_blocks_deferred(p, cut_e - cut_s)?;
                    inode.blocks = inode.blocks.saturating_sub((cut_e - cut_s) * (self.layout.block_size / 512));
                }
                let left = (es < cut_s).then(|| Entry { len: (cut_s - es) as u32, ..e });
                let right = (ee > cut_e).then(|| Entry {
                    lblk: cut_e as u32,
                    len: (ee - cut_e) as u32,
                    pblk: e.pblk + (cut_e - es),
                    unwritten: e.unwritten,
                });
                match (left, right) {
                    (Some(l), Some(r)) => {
                        kept.push(l);
                        reinsert.push(r);
                    }
                    (Some(l), None) => kept.push(l),
                    (None, Some(r)) => kept.push(r),
                    (None, None) => {}
                }
            }
            level.node.entries = kept;
            return Ok(());
        }
        let mut i = 0;
        while i < level.node.entries.len() {
            let key = level.node.entries[i].lblk as u64;
            let next = level.node.entries.get(i + 1).map(|e| e.lblk as u64).unwrap_or(1 << 32);
            if next <= start64 || key >= end {
                i += 1;
                continue;
            }
            let child_blk = level.node.entries[i].pblk;
            let node = self.ext_read_node(inode, child_blk, level.node.depth - 1)?;
            let mut child = Level { blk: Some(child_blk), node, idx: 0 };
            self.ext_remove_in(inode, &mut child, start, end, free, reinsert)?;
            if child.node.entries.is_empty() {
                self.disk.forget(child_blk);
                self.free_blocks_deferred(child_blk, 1)?;
                inode.blocks = inode.blocks.saturating_sub(self.layout.block_size / 512);
                level.node.entries.remove(i);
                continue;
            }
            level.node.entries[i].lblk = child.node.entries[0].lblk;
            self.ext_store(inode, &child)?;
            i += 1;
        }
        Ok(())
    }
}
