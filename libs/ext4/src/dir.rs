//! Directories: entry blocks, lookup, readdir, and adding and removing
//! entries, linear or through the hash index (htree).

use alloc::vec;
use alloc::vec::Vec;

use crate::bytes::*;
use crate::crc::crc32c;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::extent::{Entry, Lookup};
use crate::fs::{FileType, Fs};
use crate::htree::*;
use crate::inode::*;
use crate::superblock::FLAG_UNSIGNED_HASH;

/// readdir position meaning "no more entries" in an indexed directory
/// (Linux's EXT4_HTREE_EOF_64BIT).
pub const HTREE_EOF: u64 = 0x7FFF_FFFF_FFFF_FFFF;
/// Longest name.
pub const NAME_MAX: usize = 255;

/// One entry handed to a readdir callback.
#[derive(Clone, Copy, Debug)]
pub struct DirEntry<'a> {
    pub ino: Ino,
    pub name: &'a [u8],
    pub file_type: FileType,
    /// Position of this entry (pass it back to readdir to see it again).
    pub offset: u64,
    /// Position just after it (getdents' d_off).
    pub next: u64,
}

/// A raw entry inside a block.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawEnt {
    pub off: usize,
    pub ino: u32,
    pub rec_len: usize,
    pub name_len: usize,
    pub ftype: u8,
}

/// Where an entry was found.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)]
pub(crate) struct Found {
    pub lblk: u32,
    pub pblk: u64,
    pub off: usize,
    pub prev: Option<usize>,
    pub ino: Ino,
    pub ftype: u8,
}

/// Bytes an entry with an `n`-byte name needs.
pub(crate) fn rec_size(n: usize) -> usize {
    (8 + n + 3) & !3
}

fn rec_len_from_disk(raw: u16, bs: usize) -> usize {
    let len = raw as usize;
    if bs < 65536 {
        len
    } else if len == 65535 || len == 0 {
        bs
    } else {
        (len & 65532) | ((len & 3) << 16)
    }
}

fn rec_len_to_disk(len: usize, bs: usize) -> u16 {
    if bs < 65536 {
        len as u16
    } else if len == bs {
        65535
    } else {
        ((len & 65532) | ((len >> 16) & 3)) as u16
    }
}

/// Whether the block ends in the 12-byte checksum tail entry.
pub(crate) fn has_tail(b: &[u8]) -> bool {
    let n = b.len();
    le32(b, n - 12) == 0 && le16(b, n - 8) == 12 && b[n - 6] == 0 && b[n - 5] == 0xDE
}

/// Decode the entries of `b[..end]`, checking every record.
pub(crate) fn parse_entries(b: &[u8], end: usize, filetype: bool) -> Result<Vec<RawEnt>> {
    let bs = b.len();
    let mut out = Vec::new();
    let mut off = 0;
    while off < end {
        if off + 8 > end {
            return Err(Error::Corrupt("directory entry header past the block end"));
        }
        let rec_len = rec_len_from_disk(le16(b, off + 4), bs);
        let (name_len, ftype) = if filetype { (b[off + 6] as usize, b[off + 7]) } else { (le16(b, off + 6) as usize & 0xff, 0) };
        if rec_len < 8 || rec_len % 4 != 0 || off + rec_len > end || 8 + name_len > rec_len {
            return Err(Error::Corrupt("bad directory entry length"));
        }
        out.push(RawEnt { off, ino: le32(b, off), rec_len, name_len, ftype });
        off += rec_len;
    }
    Ok(out)
}

fn write_entry(b: &mut [u8], off: usize, ino: Ino, rec_len: usize, name: &[u8], ftype: u8, filetype: bool) {
    let bs = b.len();
    put32(b, off, ino);
    put16(b, off + 4, rec_len_to_disk(rec_len, bs));
    b[off + 6] = name.len() as u8;
    b[off + 7] = if filetype { ftype } else { 0 };
    b[off + 8..off + 8 + name.len()].copy_from_slice(name);
    let pad_end = (off + rec_size(name.len())).min(off + rec_len);
    b[off + 8 + name.len()..pad_end].fill(0);
}

fn write_tail(b: &mut [u8]) {
    let n = b.len();
    b[n - 12..].fill(0);
    put16(b, n - 8, 12);
    b[n - 5] = 0xDE;
}

/// Find room for an entry needing `need` bytes: (entry offset, its used size).
fn find_slot(ents: &[RawEnt], need: usize) -> Option<(usize, usize, usize)> {
    for e in ents {
        let used = if e.ino == 0 { 0 } else { rec_size(e.name_len) };
        if e.rec_len >= used + need {
            return Some((e.off, used, e.rec_len));
        }
    }
    None
}

/// Fill a leaf block with `ents` packed from the start.
fn pack_leaf(b: &mut [u8], ents: &[(Vec<u8>, Ino, u8)], csum: bool, filetype: bool) {
    let bs = b.len();
    let end = if csum { bs - 12 } else { bs };
    b.fill(0);
    let mut off = 0;
    if ents.is_empty() {
        put32(b, 0, 0);
        put16(b, 4, rec_len_to_disk(end, bs));
    }
    for (i, (name, ino, ft)) in ents.iter().enumerate() {
        let len = if i + 1 == ents.len() { end - off } else { rec_size(name.len()) };
        write_entry(b, off, *ino, len, name, *ft, filetype);
        off += len;
    }
    if csum {
        write_tail(b);
    }
}

/// One level of an htree lookup.
#[derive(Clone, Debug)]
struct Frame {
    lblk: u32,
    pblk: u64,
    dx: DxBlock,
    idx: usize,
}

impl<D: BlockDevice> Fs<D> {
    fn dir_seed(&self, dir: &Inode) -> Option<u32> {
        self.csum.map(|s| inode_seed(s, dir.ino, dir.generation))
    }

    pub(crate) fn dir_blocks(&self, dir: &Inode) -> u32 {
        (dir.size / self.layout.block_size).min(u32::MAX as u64) as u32
    }

    fn is_indexed(&self, dir: &Inode) -> bool {
        dir.flags & FL_INDEX != 0 && self.sb.has_dir_index()
    }

    /// Device block of directory block `lblk`.
    fn dir_pblk(&mut self, dir: &Inode, lblk: u32) -> Result<u64> {
        match self.lookup_block(dir, lblk)? {
            Lookup::Mapped { pblk, unwritten: false, .. } => Ok(pblk),
            _ => Err(Error::Corrupt("hole in a directory")),
        }
    }

    /// Read a directory block and check its checksum the first time.
    /// Returns the device block and where the entries end.
    fn dir_leaf(&mut self, dir: &Inode, lblk: u32) -> Result<(u64, usize)> {
        let pblk = self.dir_pblk(dir, lblk)?;
        let seed = self.dir_seed(dir);
        let verified = self.disk.is_verified(pblk);
        let b = self.disk.read(pblk)?;
        let bs = b.len();
        let tail = has_tail(b);
        if let Some(seed) = seed {
            if tail && !verified && crc32c(seed, &b[..bs - 12]) != le32(b, bs - 4) {
                return Err(Error::Corrupt("directory block checksum mismatch"));
            }
        }
        self.disk.set_verified(pblk);
        Ok((pblk, if tail { bs - 12 } else { bs }))
    }

    /// Recompute a leaf block's checksum after a change.
    fn seal_leaf(&mut self, dir: &Inode, pblk: u64) -> Result<()> {
        if let Some(seed) = self.dir_seed(dir) {
            let b = self.disk.modify(pblk)?;
            let bs = b.len();
            if has_tail(b) {
                let c = crc32c(seed, &b[..bs - 12]);
                put32(b, bs - 4, c);
            }
        }
        Ok(())
    }

    fn seal_dx(&mut self, dir: &Inode, pblk: u64, count_off: usize) -> Result<()> {
        if let Some(seed) = self.dir_seed(dir) {
            let b = self.disk.modify(pblk)?;
            set_dx_csum(b, count_off, seed);
        }
        Ok(())
    }

    /// Search one block for `name`.
    fn find_in_block(&mut self, dir: &Inode, lblk: u32, name: &[u8]) -> Result<Option<Found>> {
        let (pblk, end) = self.dir_leaf(dir, lblk)?;
        let ft = self.sb.has_filetype();
        let b = self.disk.read(pblk)?;
        let ents = parse_entries(b, end, ft)?;
        let mut prev = None;
        for e in ents {
            if e.ino != 0 && e.name_len == name.len() && &b[e.off + 8..e.off + 8 + e.name_len] == name {
                if e.ino > self.sb.inodes_count {
                    return Err(Error::Corrupt("directory entry inode out of range"));
                }
                return Ok(Some(Found { lblk, pblk, off: e.off, prev, ino: e.ino, ftype: e.ftype }));
            }
            prev = Some(e.off);
        }
        Ok(None)
    }

    /// Find `name` in `dir`.
    pub(crate) fn dir_find(&mut self, dir: &Inode, name: &[u8]) -> Result<Option<Found>> {
        if dir.has_inline_data() {
            return self.inline_find(dir, name);
        }
        if self.is_indexed(dir) && name != b"." && name != b".." {
            match self.dx_find(dir, name) {
                Err(Error::Corrupt(_)) => {} // Linux falls back to a linear scan.
                other => return other,
            }
        }
        for lblk in 0..self.dir_blocks(dir) {
            if let Some(f) = self.find_in_block(dir, lblk, name)? {
                return Ok(Some(f));
            }
        }
        Ok(None)
    }

    /// Look `name` up in directory `dir`.
    pub fn lookup(&mut self, dir: Ino, name: &[u8]) -> Result<Ino> {
        let d = self.get_inode(dir)?;
        if !d.is_dir() {
            return Err(Error::NotDir);
        }
        if name.len() > NAME_MAX {
            return Err(Error::NameTooLong);
        }
        if name.is_empty() {
            return Err(Error::NotFound);
        }
        self.dir_find(&d, name)?.map(|f| f.ino).ok_or(Error::NotFound)
    }

    // ---- htree ---------------------------------------------------------

    /// The hash a directory uses: its root's version, shifted to the
    /// unsigned variant when the superblock says chars are unsigned.
    fn dx_version(&mut self, root_pblk: u64) -> Result<u8> {
        let flags = self.sb.flags;
        let v = self.disk.read(root_pblk)?[0x1C];
        Ok(if v <= DX_HASH_TEA && flags & FLAG_UNSIGNED_HASH != 0 { v + 3 } else { v })
    }

    fn max_dx_levels(&self) -> u8 {
        if self.sb.has_largedir() { 3 } else { 2 }
    }

    /// Walk the index from the root to the leaf covering `hash`.
    fn dx_probe(&mut self, dir: &Inode, hash: u32) -> Result<(Vec<Frame>, u8)> {
        let csum = self.csum.is_some();
        let seed = self.dir_seed(dir);
        let nblocks = self.dir_blocks(dir);
        let pblk = self.dir_pblk(dir, 0)?;
        let verified = self.disk.is_verified(pblk);
        let max_levels = self.max_dx_levels();
        let version = self.dx_version(pblk)?;
        let b = self.disk.read(pblk)?;
        if le32(b, 0x18) != 0 || b[0x1D] != 8 || b[0x1E] >= max_levels {
            return Err(Error::Corrupt("bad htree root"));
        }
        let levels = b[0x1E];
        if let Some(s) = seed {
            if !verified && !dx_csum_ok(b, ROOT_COUNT_OFF, s) {
                return Err(Error::Corrupt("htree root checksum mismatch"));
            }
        }
        let dx = parse_dx(b, ROOT_COUNT_OFF, csum)?;
        self.disk.set_verified(pblk);
        let mut frames = Vec::with_capacity(levels as usize + 1);
        let idx = dx.entries.partition_point(|e| e.0 <= hash).saturating_sub(1);
        frames.push(Frame { lblk: 0, pblk, dx, idx });
        for _ in 0..levels {
            let f = &frames[frames.len() - 1];
            let child = f.dx.entries[f.idx].1;
            if child == 0 || child >= nblocks {
                return Err(Error::Corrupt("htree index points outside the directory"));
            }
            let frame = self.dx_read_node(dir, child, hash)?;
            frames.push(frame);
        }
        let last = &frames[frames.len() - 1];
        let leaf = last.dx.entries[last.idx].1;
        if leaf == 0 || leaf >= nblocks {
            return Err(Error::Corrupt("htree index points outside the directory"));
        }
        Ok((frames, version))
    }

    fn dx_read_node(&mut self, dir: &Inode, lblk: u32, hash: u32) -> Result<Frame> {
        let csum = self.csum.is_some();
        let seed = self.dir_seed(dir);
        let pblk = self.dir_pblk(dir, lblk)?;
        let verified = self.disk.is_verified(pblk);
        let b = self.disk.read(pblk)?;
        let bs = b.len();
        if le32(b, 0) != 0 || rec_len_from_disk(le16(b, 4), bs) != bs {
            return Err(Error::Corrupt("bad htree node"));
        }
        if let Some(s) = seed {
            if !verified && !dx_csum_ok(b, NODE_COUNT_OFF, s) {
                return Err(Error::Corrupt("htree node checksum mismatch"));
            }
        }
        let dx = parse_dx(b, NODE_COUNT_OFF, csum)?;
        self.disk.set_verified(pblk);
        let idx = dx.entries.partition_point(|e| e.0 <= hash).saturating_sub(1);
        Ok(Frame { lblk, pblk, dx, idx })
    }

    /// Step to the next leaf in index order; returns its index hash.
    fn dx_next(&mut self, _dir: &Inode, frames: &mut Vec<Frame>) -> Result<Option<u32>> {
        let mut l = frames.len();
        while l > 0 {
            l -= 1;
            if frames[l].idx + 1 < frames[l].dx.entries.len() {
                frames[l].idx += 1;
                frames.truncate(l + 1);
                break;
            }
            if l == 0 {
                return Ok(None);
            }
        }
        Ok(Some(frames[l].dx.entries[frames[l].idx].0))
    }

    /// Re-descend after dx_next so `frames` ends at a leaf pointer again.
    fn dx_descend(&mut self, dir: &Inode, frames: &mut Vec<Frame>, levels: usize) -> Result<()> {
        while frames.len() < levels + 1 {
            let f = &frames[frames.len() - 1];
            let child = f.dx.entries[f.idx].1;
            if child == 0 || child >= self.dir_blocks(dir) {
                return Err(Error::Corrupt("htree index points outside the directory"));
            }
            let mut frame = self.dx_read_node(dir, child, 0)?;
            frame.idx = 0;
            frames.push(frame);
        }
        Ok(())
    }

    fn dx_find(&mut self, dir: &Inode, name: &[u8]) -> Result<Option<Found>> {
        let seed = self.sb.hash_seed;
        let pblk = self.dir_pblk(dir, 0)?;
        let version = self.dx_version(pblk)?;
        let (hash, _) = dx_hash(name, version, &seed)?;
        let (mut frames, _) = self.dx_probe(dir, hash)?;
        let levels = frames.len() - 1;
        loop {
            let last = &frames[frames.len() - 1];
            let leaf = last.dx.entries[last.idx].1;
            if let Some(f) = self.find_in_block(dir, leaf, name)? {
                return Ok(Some(f));
            }
            // Continue only into leaves that continue this hash.
            match self.dx_next(dir, &mut frames)? {
                Some(h) if h & 1 == 1 && h & !1 == hash => self.dx_descend(dir, &mut frames, levels)?,
                _ => return Ok(None),
            }
        }
    }

    /// Every leaf of an indexed directory in hash order: (hash, lblk).
    fn dx_leaves(&mut self, dir: &Inode) -> Result<Vec<(u32, u32)>> {
        let (mut frames, _) = self.dx_probe(dir, 0)?;
        let levels = frames.len() - 1;
        let mut out = Vec::new();
        loop {
            let last = &frames[frames.len() - 1];
            let leaf = last.dx.entries[last.idx].1;
            // Entry 0 of a node has no hash of its own: it is its parent's.
            let mut h = 0;
            for f in frames.iter().rev() {
                if f.idx != 0 {
                    h = f.dx.entries[f.idx].0;
                    break;
                }
            }
            out.push((h, leaf));
            if out.len() > self.dir_blocks(dir) as usize {
                return Err(Error::Corrupt("htree index loops"));
            }
            match self.dx_next(dir, &mut frames)? {
                Some(_) => self.dx_descend(dir, &mut frames, levels)?,
                None => break,
            }
        }
        Ok(out)
    }

    // ---- readdir -------------------------------------------------------

    /// Read directory entries from position `pos`, calling `f` for each
    /// until it returns false (that entry is then not consumed: resume
    /// from its `offset`). Positions are byte offsets in linear
    /// directories and hash cookies in indexed ones; `HTREE_EOF` or the
    /// directory size means the end.
    pub fn readdir<F: FnMut(&DirEntry) -> bool>(&mut self, dir: Ino, pos: u64, mut f: F) -> Result<()> {
        let d = self.get_inode(dir)?;
        if !d.is_dir() {
            return Err(Error::NotDir);
        }
        if d.has_inline_data() {
            return self.inline_readdir(&d, pos, &mut f);
        }
        if self.is_indexed(&d) {
            match self.dx_readdir(&d, pos, &mut f) {
                Err(Error::Corrupt(_)) if pos == 0 => {}
                other => return other,
            }
        }
        self.linear_readdir(&d, pos, &mut f)
    }

    fn linear_readdir(&mut self, d: &Inode, pos: u64, f: &mut dyn FnMut(&DirEntry) -> bool) -> Result<()> {
        let bs = self.layout.block_size;
        let ft = self.sb.has_filetype();
        let mut lblk = pos / bs;
        let mut skip = (pos % bs) as usize;
        while lblk < self.dir_blocks(d) as u64 {
            let (pblk, end) = self.dir_leaf(d, lblk as u32)?;
            let b = self.disk.read(pblk)?.to_vec();
            for e in parse_entries(&b, end, ft)? {
                if e.off < skip || e.ino == 0 {
                    continue;
                }
                let de = DirEntry {
                    ino: e.ino,
                    name: &b[e.off + 8..e.off + 8 + e.name_len],
                    file_type: FileType::from_dirent(e.ftype),
                    offset: lblk * bs + e.off as u64,
                    next: lblk * bs + (e.off + e.rec_len) as u64,
                };
                if !f(&de) {
                    return Ok(());
                }
            }
            lblk += 1;
            skip = 0;
        }
        Ok(())
    }

    fn dx_readdir(&mut self, d: &Inode, pos: u64, f: &mut dyn FnMut(&DirEntry) -> bool) -> Result<()> {
        if pos == HTREE_EOF {
            return Ok(());
        }
        let ft = self.sb.has_filetype();
        let seed = self.sb.hash_seed;
        let root_pblk = self.dir_pblk(d, 0)?;
        let version = self.dx_version(root_pblk)?;
        let root = self.disk.read(root_pblk)?.to_vec();
        // "." and ".." are the first two entries of the root block.
        if pos < 2 {
            let specials: [(u64, Ino, &[u8]); 2] = [(0, le32(&root, 0), b"."), (1, le32(&root, 12), b"..")];
            for (i, ino, name) in specials {
                if i < pos {
                    continue;
                }
                let de = DirEntry { ino, name, file_type: FileType::Directory, offset: i, next: i + 1 };
                if !f(&de) {
                    return Ok(());
                }
            }
        }
        let start = pos.max(2);
        let (major, minor) = cookie_hash(start);
        let leaves = self.dx_leaves(d)?;
        // First leaf that can hold `major` (back up over continuations).
        let mut i = leaves.partition_point(|l| l.0 <= major).saturating_sub(1);
        while i > 0 && leaves[i].0 & 1 == 1 && leaves[i].0 & !1 == major {
            i -= 1;
        }
        while i < leaves.len() {
            // A leaf and the leaves continuing its last hash sort together.
            let mut j = i + 1;
            while j < leaves.len() && leaves[j].0 & 1 == 1 {
                j += 1;
            }
            let mut batch: Vec<(u64, Ino, Vec<u8>, u8)> = Vec::new();
            for &(_, lblk) in &leaves[i..j] {
                let (pblk, end) = self.dir_leaf(d, lblk)?;
                let b = self.disk.read(pblk)?;
                for e in parse_entries(b, end, ft)? {
                    if e.ino == 0 {
                        continue;
                    }
                    let name = &b[e.off + 8..e.off + 8 + e.name_len];
                    let (h, m) = dx_hash(name, version, &seed)?;
                    let key = hash_cookie(h, m);
                    if (h, m) >= (major, minor) && key >= start {
                        batch.push((key, e.ino, name.to_vec(), e.ftype));
                    }
                }
            }
            batch.sort_unstable_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
            for (key, ino, name, ftype) in &batch {
                let de = DirEntry { ino: *ino, name, file_type: FileType::from_dirent(*ftype), offset: *key, next: key + 1 };
                if !f(&de) {
                    return Ok(());
                }
            }
            i = j;
        }
        Ok(())
    }

    // ---- adding and removing entries -------------------------------------

    /// Append a new block to a directory, zero-filled in the cache.
    fn dir_append_block(&mut self, dir: &mut Inode) -> Result<(u32, u64)> {
        let lblk = self.dir_blocks(dir);
        let goal = if lblk > 0 { self.dir_pblk(dir, lblk - 1)? + 1 } else { self.inode_goal(dir.ino) };
        let (pblk, _) = self.alloc_blocks(goal, 1)?;
        if let Err(e) = self.ext_insert(dir, Entry { lblk, len: 1, pblk, unwritten: false }) {
            self.free_blocks_now(pblk, 1)?;
            return Err(e);
        }
        dir.blocks += self.layout.block_size / 512;
        dir.size += self.layout.block_size;
        self.disk.zeroed(pblk)?;
        Ok((lblk, pblk))
    }

    /// Try to put an entry into leaf `lblk`.
    fn leaf_insert(&mut self, dir: &Inode, lblk: u32, name: &[u8], ino: Ino, ftype: u8) -> Result<bool> {
        let (pblk, end) = self.dir_leaf(dir, lblk)?;
        let filetype = self.sb.has_filetype();
        let b = self.disk.read(pblk)?;
        let ents = parse_entries(b, end, filetype)?;
        let Some((off, used, rec_len)) = find_slot(&ents, rec_size(name.len())) else { return Ok(false) };
        let b = self.disk.modify(pblk)?;
        if used > 0 {
            put16(b, off + 4, rec_len_to_disk(used, b.len()));
        }
        write_entry(b, off + used, ino, rec_len - used, name, ftype, filetype);
        self.seal_leaf(dir, pblk)?;
        Ok(true)
    }

    /// Add `name -> ino` to `dir` (which the caller writes back after).
    pub(crate) fn dir_add(&mut self, dir: &mut Inode, name: &[u8], ino: Ino, ftype: FileType) -> Result<()> {
        let t = ftype.to_dirent();
        if dir.has_inline_data() {
            return Err(Error::Unsupported("changing inline-data directories"));
        }
        if !dir.has_extents() {
            return Err(Error::Unsupported("changing block-mapped directories"));
        }
        if self.is_indexed(dir) {
            return self.dx_add(dir, name, ino, t);
        }
        let n = self.dir_blocks(dir);
        for lblk in 0..n {
            if self.leaf_insert(dir, lblk, name, ino, t)? {
                return Ok(());
            }
        }
        if n == 1 && self.sb.has_dir_index() {
            self.make_indexed(dir)?;
            return self.dx_add(dir, name, ino, t);
        }
        let (lblk, pblk) = self.dir_append_block(dir)?;
        let csum = self.csum.is_some();
        let filetype = self.sb.has_filetype();
        let b = self.disk.modify(pblk)?;
        pack_leaf(b, &[(name.to_vec(), ino, t)], csum, filetype);
        let _ = lblk;
        self.seal_leaf(dir, pblk)
    }

    /// Turn a full one-block directory into an indexed one: its entries
    /// move to a new leaf and block 0 becomes the index root.
    fn make_indexed(&mut self, dir: &mut Inode) -> Result<()> {
        let filetype = self.sb.has_filetype();
        let csum = self.csum.is_some();
        let bs = self.layout.block_size as usize;
        let (pblk0, end) = self.dir_leaf(dir, 0)?;
        let b0 = self.disk.read(pblk0)?.to_vec();
        let ents = parse_entries(&b0, end, filetype)?;
        if ents.len() < 2 || &b0[8..9] != b"." || &b0[ents[1].off + 8..ents[1].off + 10] != b".." {
            return Err(Error::Corrupt("directory does not start with . and .."));
        }
        let parent = ents[1].ino;
        let moved: Vec<(Vec<u8>, Ino, u8)> = ents[2..]
            .iter()
            .filter(|e| e.ino != 0)
            .map(|e| (b0[e.off + 8..e.off + 8 + e.name_len].to_vec(), e.ino, e.ftype))
            .collect();
        let (lblk1, pblk1) = self.dir_append_block(dir)?;
        let b1 = self.disk.modify(pblk1)?;
        pack_leaf(b1, &moved, csum, filetype);
        self.seal_leaf(dir, pblk1)?;
        let def_hash = self.sb.def_hash_version;
        let b = self.disk.modify(pblk0)?;
        b.fill(0);
        write_entry(b, 0, dir.ino, 12, b".", 2, filetype);
        write_entry(b, 12, parent, bs - 12, b"..", 2, filetype);
        b[0x1C] = def_hash;
        b[0x1D] = 8;
        let dx = DxBlock { count_off: ROOT_COUNT_OFF, limit: dx_limit(bs, ROOT_COUNT_OFF, csum), entries: vec![(0, lblk1)] };
        encode_dx(b, &dx);
        self.seal_dx(dir, pblk0, ROOT_COUNT_OFF)?;
        dir.flags |= FL_INDEX;
        Ok(())
    }

    /// Write index block `frame` back.
    fn dx_store(&mut self, dir: &Inode, frame: &Frame) -> Result<()> {
        let b = self.disk.modify(frame.pblk)?;
        encode_dx(b, &frame.dx);
        self.seal_dx(dir, frame.pblk, frame.dx.count_off)
    }

    /// A new, empty index node block holding `entries`.
    fn dx_new_node(&mut self, dir: &mut Inode, entries: Vec<(u32, u32)>) -> Result<Frame> {
        let bs = self.layout.block_size as usize;
        let csum = self.csum.is_some();
        let (lblk, pblk) = self.dir_append_block(dir)?;
        let b = self.disk.modify(pblk)?;
        put32(b, 0, 0);
        put16(b, 4, rec_len_to_disk(bs, bs));
        let dx = DxBlock { count_off: NODE_COUNT_OFF, limit: dx_limit(bs, NODE_COUNT_OFF, csum), entries };
        let frame = Frame { lblk, pblk, dx, idx: 0 };
        self.dx_store(dir, &frame)?;
        Ok(frame)
    }

    fn dx_add(&mut self, dir: &mut Inode, name: &[u8], ino: Ino, t: u8) -> Result<()> {
        let seed = self.sb.hash_seed;
        let filetype = self.sb.has_filetype();
        let csum = self.csum.is_some();
        let root_pblk = self.dir_pblk(dir, 0)?;
        let version = self.dx_version(root_pblk)?;
        let (hash, _) = dx_hash(name, version, &seed)?;
        let (mut frames, _) = self.dx_probe(dir, hash)?;
        let leaf = {
            let l = &frames[frames.len() - 1];
            l.dx.entries[l.idx].1
        };
        if self.leaf_insert(dir, leaf, name, ino, t)? {
            return Ok(());
        }
        // The leaf is full: make room in the index for one more leaf.
        let last = frames.len() - 1;
        if frames[last].dx.entries.len() >= frames[last].dx.limit as usize {
            if last == 0 {
                // Root full: the index grows a level (root -> one node).
                let levels = self.disk.read(root_pblk)?[0x1E];
                if levels + 1 >= self.max_dx_levels() {
                    return Err(Error::NoSpace);
                }
                let entries = core::mem::take(&mut frames[0].dx.entries);
                let idx = frames[0].idx;
                let mut node = self.dx_new_node(dir, entries)?;
                node.idx = idx;
                frames[0].dx.entries = vec![(0, node.lblk)];
                frames[0].idx = 0;
                let rb = self.disk.modify(root_pblk)?;
                rb[0x1E] = levels + 1;
                self.dx_store(dir, &frames[0])?;
                frames.push(node);
            } else {
                // A node full: split it, if its parent has room.
                let p = last - 1;
                if frames[p].dx.entries.len() >= frames[p].dx.limit as usize {
                    return Err(Error::NoSpace);
                }
                let n = frames[last].dx.entries.len();
                let half = n / 2;
                let upper = frames[last].dx.entries.split_off(half);
                let key = upper[0].0;
                let mut node = self.dx_new_node(dir, upper)?;
                let pidx = frames[p].idx;
                frames[p].dx.entries.insert(pidx + 1, (key, node.lblk));
                self.dx_store(dir, &frames[p])?;
                if frames[last].idx >= half {
                    node.idx = frames[last].idx - half;
                    frames[p].idx = pidx + 1;
                    let old = core::mem::replace(&mut frames[last], node);
                    self.dx_store(dir, &old)?;
                } else {
                    self.dx_store(dir, &frames[last])?;
                    // Keep the new node's contents as stored.
                    let _ = node;
                }
            }
        }
        // Split the leaf by hash.
        let (leaf_pblk, end) = self.dir_leaf(dir, leaf)?;
        let b = self.disk.read(leaf_pblk)?.to_vec();
        let mut ents: Vec<(u32, u32, Vec<u8>, Ino, u8)> = Vec::new();
        for e in parse_entries(&b, end, filetype)? {
            if e.ino == 0 {
                continue;
            }
            let nm = b[e.off + 8..e.off + 8 + e.name_len].to_vec();
            let (h, m) = dx_hash(&nm, version, &seed)?;
            ents.push((h, m, nm, e.ino, e.ftype));
        }
        if ents.len() < 2 {
            return Err(Error::Corrupt("full htree leaf with fewer than two entries"));
        }
        ents.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let split = ents.len() / 2;
        let hash2 = ents[split].0;
        let continued = if ents[split - 1].0 == hash2 { 1 } else { 0 };
        let upper: Vec<(Vec<u8>, Ino, u8)> = ents[split..].iter().map(|e| (e.2.clone(), e.3, e.4)).collect();
        let lower: Vec<(Vec<u8>, Ino, u8)> = ents[..split].iter().map(|e| (e.2.clone(), e.3, e.4)).collect();
        let (new_lblk, new_pblk) = self.dir_append_block(dir)?;
        let nb = self.disk.modify(new_pblk)?;
        pack_leaf(nb, &upper, csum, filetype);
        self.seal_leaf(dir, new_pblk)?;
        let ob = self.disk.modify(leaf_pblk)?;
        pack_leaf(ob, &lower, csum, filetype);
        self.seal_leaf(dir, leaf_pblk)?;
        let last = frames.len() - 1;
        let idx = frames[last].idx;
        frames[last].dx.entries.insert(idx + 1, (hash2 | continued, new_lblk));
        self.dx_store(dir, &frames[last])?;
        let target = if hash > hash2 || (hash == hash2 && continued == 0) { new_lblk } else { leaf };
        if self.leaf_insert(dir, target, name, ino, t)? {
            return Ok(());
        }
        let other = if target == leaf { new_lblk } else { leaf };
        if self.leaf_insert(dir, other, name, ino, t)? {
            return Ok(());
        }
        Err(Error::NoSpace)
    }

    /// Remove the entry `f` found earlier.
    pub(crate) fn dir_remove_at(&mut self, dir: &Inode, f: &Found) -> Result<()> {
        let bs = self.layout.block_size as usize;
        let b = self.disk.modify(f.pblk)?;
        let rec_len = rec_len_from_disk(le16(b, f.off + 4), bs);
        match f.prev {
            Some(p) => {
                let prev_len = rec_len_from_disk(le16(b, p + 4), bs);
                put16(b, p + 4, rec_len_to_disk(prev_len + rec_len, bs));
            }
            None => put32(b, f.off, 0),
        }
        self.seal_leaf(dir, f.pblk)
    }

    /// Point the entry `f` at another inode.
    pub(crate) fn dir_retarget(&mut self, dir: &Inode, f: &Found, ino: Ino, ftype: FileType) -> Result<()> {
        let filetype = self.sb.has_filetype();
        let b = self.disk.modify(f.pblk)?;
        put32(b, f.off, ino);
        if filetype {
            b[f.off + 7] = ftype.to_dirent();
        }
        self.seal_leaf(dir, f.pblk)
    }

    /// Whether a directory holds nothing but "." and "..".
    pub(crate) fn dir_is_empty(&mut self, dir: &Inode) -> Result<bool> {
        if dir.has_inline_data() {
            let mut empty = true;
            self.inline_readdir(dir, 2, &mut |_: &DirEntry| {
                empty = false;
                false
            })?;
            return Ok(empty);
        }
        let ft = self.sb.has_filetype();
        for lblk in 0..self.dir_blocks(dir) {
            let (pblk, end) = self.dir_leaf(dir, lblk)?;
            let b = self.disk.read(pblk)?;
            for e in parse_entries(b, end, ft)? {
                if e.ino == 0 {
                    continue;
                }
                let name = &b[e.off + 8..e.off + 8 + e.name_len];
                if name != b"." && name != b".." {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Fill a new directory's first block with "." and "..".
    pub(crate) fn dir_init(&mut self, dir: &mut Inode, parent: Ino) -> Result<()> {
        let (_, pblk) = self.dir_append_block(dir)?;
        let csum = self.csum.is_some();
        let filetype = self.sb.has_filetype();
        let b = self.disk.modify(pblk)?;
        pack_leaf(b, &[(b".".to_vec(), dir.ino, 2), (b"..".to_vec(), parent, 2)], csum, filetype);
        self.seal_leaf(dir, pblk)
    }

    // ---- inline-data directories (read only) ---------------------------

    /// The two entry regions of an inline directory (after the parent
    /// number in i_block, and the system.data value).
    fn inline_regions(&mut self, dir: &Inode) -> Result<(Ino, Vec<Vec<u8>>)> {
        let parent = le32(&dir.block, 0);
        let mut regions = vec![dir.block[4..].to_vec()];
        if let Some(a) = self.xattrs_ibody(dir)?.into_iter().find(|a| a.index == 7 && a.name == b"data") {
            if !a.value.is_empty() {
                regions.push(a.value);
            }
        }
        Ok((parent, regions))
    }

    fn inline_find(&mut self, dir: &Inode, name: &[u8]) -> Result<Option<Found>> {
        let mut hit = None;
        let dot = dir.ino;
        if name == b"." {
            return Ok(Some(Found { lblk: 0, pblk: 0, off: 0, prev: None, ino: dot, ftype: 2 }));
        }
        self.inline_readdir(dir, 0, &mut |e: &DirEntry| {
            if e.name == name {
                hit = Some(Found { lblk: 0, pblk: 0, off: 0, prev: None, ino: e.ino, ftype: e.file_type.to_dirent() });
                return false;
            }
            true
        })?;
        Ok(hit)
    }

    fn inline_readdir(&mut self, dir: &Inode, pos: u64, f: &mut dyn FnMut(&DirEntry) -> bool) -> Result<()> {
        let ft = self.sb.has_filetype();
        let (parent, regions) = self.inline_regions(dir)?;
        let specials: [(u64, Ino, &[u8]); 2] = [(0, dir.ino, b"."), (1, parent, b"..")];
        for (p, ino, name) in specials {
            if pos <= p {
                let de = DirEntry { ino, name, file_type: FileType::Directory, offset: p, next: p + 1 };
                if !f(&de) {
                    return Ok(());
                }
            }
        }
        let mut base = 2u64;
        for r in regions {
            let ents = parse_entries_region(&r, ft)?;
            for e in ents {
                let here = base + e.off as u64;
                if here < pos || e.ino == 0 {
                    continue;
                }
                let de = DirEntry {
                    ino: e.ino,
                    name: &r[e.off + 8..e.off + 8 + e.name_len],
                    file_type: FileType::from_dirent(e.ftype),
                    offset: here,
                    next: here + e.rec_len as u64,
                };
                if !f(&de) {
                    return Ok(());
                }
            }
            base += r.len() as u64;
        }
        Ok(())
    }
}

/// Entries of an inline region (rec_len is never the 64 KiB encoding).
fn parse_entries_region(r: &[u8], ft: bool) -> Result<Vec<RawEnt>> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + 8 <= r.len() {
        let rec_len = le16(r, off + 4) as usize;
        let name_len = if ft { r[off + 6] as usize } else { le16(r, off + 6) as usize & 0xff };
        if rec_len < 8 || rec_len % 4 != 0 || off + rec_len > r.len() || 8 + name_len > rec_len {
            return Err(Error::Corrupt("bad inline directory entry"));
        }
        out.push(RawEnt { off, ino: le32(r, off), rec_len, name_len, ftype: if ft { r[off + 7] } else { 0 } });
        off += rec_len;
    }
    Ok(out)
}

/// readdir cookie for an entry hash (>= 2: 0 and 1 are "." and "..").
fn hash_cookie(major: u32, minor: u32) -> u64 {
    let c = ((major as u64 >> 1) << 32) | minor as u64;
    c.clamp(2, HTREE_EOF - 1)
}

/// The smallest (major, minor) a cookie stands for.
fn cookie_hash(cookie: u64) -> (u32, u32) {
    if cookie <= 2 {
        return (0, 0);
    }
    (((cookie >> 32) as u32) << 1, cookie as u32)
}
