//! File contents: block mapping (extents, or the old indirect map for
//! reading), read, write, truncate and fallocate.

use alloc::vec;
use alloc::vec::Vec;

use crate::bytes::*;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::extent::{Entry, Lookup, MAX_UNWRITTEN_LEN};
use crate::fs::Fs;
use crate::inode::*;
use crate::superblock::RO_COMPAT_LARGE_FILE;

/// fallocate(2) mode bits.
pub const FALLOC_FL_KEEP_SIZE: u32 = 0x01;
pub const FALLOC_FL_PUNCH_HOLE: u32 = 0x02;
pub const FALLOC_FL_ZERO_RANGE: u32 = 0x10;

impl<D: BlockDevice> Fs<D> {
    /// Largest file size: 2^32 - 1 blocks with extents; the indirect map
    /// reaches less, but such files are only read here.
    pub(crate) fn max_file_size(&self) -> u64 {
        ((1u64 << 32) - 1) * self.layout.block_size
    }

    /// What logical block `lblk` of `inode` maps to.
    pub(crate) fn lookup_block(&mut self, inode: &Inode, lblk: u32) -> Result<Lookup> {
        if inode.has_extents() {
            self.ext_lookup(inode, lblk)
        } else if inode.has_inline_data() {
            Ok(Lookup::Hole { len: 1 })
        } else {
            self.bmap_lookup(inode, lblk)
        }
    }

    /// Device block and run length of `lblk` (unwritten counts as mapped),
    /// or None in a hole.
    pub(crate) fn map_lblk(&mut self, inode: &Inode, lblk: u32) -> Result<Option<(u64, u32)>> {
        Ok(match self.lookup_block(inode, lblk)? {
            Lookup::Mapped { pblk, len, .. } => Some((pblk, len)),
            Lookup::Hole { .. } => None,
        })
    }

    /// Public mapping query (SEEK_DATA/SEEK_HOLE, FIEMAP, page cache):
    /// what block `lblk` of file `ino` maps to.
    pub fn map(&mut self, ino: Ino, lblk: u32) -> Result<Lookup> {
        let inode = self.get_inode(ino)?;
        self.lookup_block(&inode, lblk)
    }

    /// Old-style (ext2/ext3) indirect block map lookup.
    fn bmap_lookup(&mut self, inode: &Inode, lblk: u32) -> Result<Lookup> {
        let apb = (self.layout.block_size / 4) as u64;
        let mut l = lblk as u64;
        let (mut p, levels) = if l < 12 {
            (le32(&inode.block, 4 * l as usize) as u64, 0)
        } else {
            l -= 12;
            if l < apb {
                (le32(&inode.block, 48) as u64, 1)
            } else {
                l -= apb;
                if l < apb * apb {
                    (le32(&inode.block, 52) as u64, 2)
                } else {
                    l -= apb * apb;
                    if l >= apb * apb * apb {
                        return Ok(Lookup::Hole { len: 1 });
                    }
                    (le32(&inode.block, 56) as u64, 3)
                }
            }
        };
        if levels == 0 {
            return Ok(if p == 0 { Lookup::Hole { len: 1 } } else { Lookup::Mapped { pblk: p, len: 1, unwritten: false } });
        }
        let mut level = levels;
        while level > 0 {
            if p == 0 {
                return Ok(Lookup::Hole { len: 1 });
            }
            let span = apb.pow(level - 1);
            let idx = (l / span) as usize;
            l %= span;
            let b = self.disk.read(p)?;
            if level == 1 {
                // Count a contiguous run inside this indirect block.
                let first = le32(b, 4 * idx) as u64;
                if first == 0 {
                    return Ok(Lookup::Hole { len: 1 });
                }
                let mut n = 1u32;
                while idx + (n as usize) < apb as usize && le32(b, 4 * (idx + n as usize)) as u64 == first + n as u64 {
                    n += 1;
                }
                if first + n as u64 > self.layout.blocks_count {
                    return Err(Error::Corrupt("block map out of range"));
                }
                return Ok(Lookup::Mapped { pblk: first, len: n, unwritten: false });
            }
            p = le32(b, 4 * idx) as u64;
            level -= 1;
        }
        Ok(Lookup::Hole { len: 1 })
    }

    /// Read file data at `offset` into `buf`; returns the bytes read (0 at
    /// or past the end). Holes and unwritten extents read as zeros.
    pub fn read(&mut self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize> {
        let inode = self.get_inode(ino)?;
        if inode.is_dir() {
            return Err(Error::IsDir);
        }
        self.read_data(&inode, offset, buf)
    }

    pub(crate) fn read_data(&mut self, inode: &Inode, offset: u64, buf: &mut [u8]) -> Result<usize> {
        if offset >= inode.size {
            return Ok(0);
        }
        let n = (buf.len() as u64).min(inode.size - offset) as usize;
        let buf = &mut buf[..n];
        if inode.has_inline_data() {
            return self.inline_read(inode, offset, buf);
        }
        let bs = self.layout.block_size;
        let mut done = 0usize;
        let mut tmp: Vec<u8> = Vec::new();
        while done < n {
            let pos = offset + done as u64;
            let lblk = (pos / bs) as u32;
            let in_blk = (pos % bs) as usize;
            let want = n - done;
            match self.lookup_block(inode, lblk)? {
                Lookup::Mapped { pblk, len, unwritten } => {
                    let run_bytes = (len as u64 * bs) as usize - in_blk;
                    let take = want.min(run_bytes);
                    if unwritten {
                        buf[done..done + take].fill(0);
                    } else if in_blk == 0 && take >= bs as usize {
                        // Whole blocks straight into the caller's buffer.
                        let whole = take - take % bs as usize;
                        self.disk.read_data(pblk, &mut buf[done..done + whole])?;
                        done += whole;
                        continue;
                    } else {
                        if tmp.is_empty() {
                            tmp = vec![0u8; bs as usize];
                        }
                        self.disk.read_data(pblk, &mut tmp)?;
                        let t = take.min(bs as usize - in_blk);
                        buf[done..done + t].copy_from_slice(&tmp[in_blk..in_blk + t]);
                        done += t;
                        continue;
                    }
                    done += take;
                }
                Lookup::Hole { len } => {
                    let hole_bytes = (len.saturating_mul(bs)).saturating_sub(in_blk as u64);
                    let take = (want as u64).min(hole_bytes.max(1)) as usize;
                    buf[done..done + take].fill(0);
                    done += take;
                }
            }
        }
        Ok(n)
    }

    /// Read a whole small file (symlink targets, tests).
    pub(crate) fn read_all(&mut self, inode: &Inode, limit: usize) -> Result<Vec<u8>> {
        let n = (inode.size as usize).min(limit);
        let mut v = vec![0u8; n];
        let got = self.read_data(inode, 0, &mut v)?;
        v.truncate(got);
        Ok(v)
    }

    /// Write `data` at `offset`, allocating blocks for holes (so sparse
    /// writes stay sparse) and converting unwritten extents. Extends the
    /// size and sets mtime/ctime, as write(2) does.
    pub fn write(&mut self, ino: Ino, offset: u64, data: &[u8]) -> Result<usize> {
        self.begin_op()?;
        let mut inode = self.get_inode(ino)?;
        if inode.is_dir() {
            return Err(Error::IsDir);
        }
        if inode.flags & FL_IMMUTABLE != 0 {
            return Err(Error::NotPermitted);
        }
        let end = offset.checked_add(data.len() as u64).ok_or(Error::FileTooBig)?;
        if end > self.max_file_size() {
            return Err(Error::FileTooBig);
        }
        if data.is_empty() {
            return Ok(0);
        }
        if inode.has_inline_data() {
            self.inline_to_extents(&mut inode)?;
        }
        if !inode.has_extents() {
            return Err(Error::Unsupported("writing block-mapped files"));
        }
        let r = self.write_blocks(&mut inode, offset, data);
        // Whatever was written before an error is kept, as Linux does.
        let written = match r {
            Ok(()) => data.len(),
            Err(e) => return self.finish_write(&mut inode, offset, 0).and(Err(e)),
        };
        self.finish_write(&mut inode, offset, written)?;
        Ok(written)
    }

    fn finish_write(&mut self, inode: &mut Inode, offset: u64, written: usize) -> Result<()> {
        let end = offset + written as u64;
        if end > inode.size {
            inode.size = end;
            if end > (1u64 << 31) - 1 && self.sb.ro_compat & RO_COMPAT_LARGE_FILE == 0 {
                self.sb.ro_compat |= RO_COMPAT_LARGE_FILE;
                self.sb_dirty = true;
            }
        }
        let now = self.now();
        inode.mtime = now;
        inode.ctime = now;
        self.write_inode(inode)
    }

    /// The allocation goal for `lblk`: right after the block before it.
    fn data_goal(&mut self, inode: &Inode, lblk: u32) -> Result<u64> {
        if lblk > 0 {
            if let Lookup::Mapped { pblk, .. } = self.ext_lookup(inode, lblk - 1)? {
                return Ok(pblk + 1);
            }
        }
        Ok(self.inode_goal(inode.ino))
    }

    pub(crate) fn write_blocks(&mut self, inode: &mut Inode, offset: u64, data: &[u8]) -> Result<()> {
        let bs = self.layout.block_size;
        let bsz = bs as usize;
        let mut done = 0usize;
        let mut tmp = vec![0u8; bsz];
        while done < data.len() {
            let pos = offset + done as u64;
            let lblk = (pos / bs) as u32;
            let in_blk = (pos % bs) as usize;
            let left = data.len() - done;
            // Blocks this write still touches from lblk on.
            let blocks_left = (in_blk + left).div_ceil(bsz) as u64;
            match self.ext_lookup(inode, lblk)? {
                Lookup::Mapped { pblk, len, unwritten: false } => {
                    let n = (len as u64).min(blocks_left);
                    let span = (n as usize * bsz - in_blk).min(left);
                    self.write_span(pblk, in_blk, &data[done..done + span], false, &mut tmp)?;
                    done += span;
                }
                Lookup::Mapped { pblk, len, unwritten: true } => {
                    let n = (len as u64).min(blocks_left);
                    let span = (n as usize * bsz - in_blk).min(left);
                    self.write_span(pblk, in_blk, &data[done..done + span], true, &mut tmp)?;
                    self.ext_remove(inode, lblk, lblk as u64 + n, false)?;
                    self.ext_insert(inode, Entry { lblk, len: n as u32, pblk, unwritten: false })?;
                    done += span;
                }
                Lookup::Hole { len } => {
                    let want = len.min(blocks_left).min(crate::extent::MAX_INIT_LEN as u64);
                    let goal = self.data_goal(inode, lblk)?;
                    let (pblk, n) = self.alloc_blocks(goal, want)?;
                    let span = (n as usize * bsz - in_blk).min(left);
                    if let Err(e) = self.write_span(pblk, in_blk, &data[done..done + span], true, &mut tmp) {
                        self.free_blocks_now(pblk, n)?;
                        return Err(e);
                    }
                    if let Err(e) = self.ext_insert(inode, Entry { lblk, len: n as u32, pblk, unwritten: false }) {
                        self.free_blocks_now(pblk, n)?;
                        return Err(e);
                    }
                    inode.blocks += n * (bs / 512);
                    done += span;
                }
            }
        }
        Ok(())
    }

    /// Write `data` into consecutive blocks from `pblk`, starting `in_blk`
    /// bytes into the first. `fresh` blocks have no old contents worth
    /// keeping: partial blocks are zero-filled instead of read first.
    fn write_span(&mut self, pblk: u64, in_blk: usize, data: &[u8], fresh: bool, tmp: &mut [u8]) -> Result<()> {
        let bsz = tmp.len();
        let mut off = 0usize;
        let mut blk = pblk;
        let mut in_blk = in_blk;
        while off < data.len() {
            let left = data.len() - off;
            if in_blk == 0 && left >= bsz {
                let whole = left - left % bsz;
                self.disk.write_data(blk, &data[off..off + whole])?;
                off += whole;
                blk += (whole / bsz) as u64;
                continue;
            }
            let t = left.min(bsz - in_blk);
            if fresh {
                tmp.fill(0);
            } else {
                self.disk.read_data(blk, tmp)?;
            }
            tmp[in_blk..in_blk + t].copy_from_slice(&data[off..off + t]);
            self.disk.write_data(blk, tmp)?;
            off += t;
            blk += 1;
            in_blk = 0;
        }
        Ok(())
    }

    /// Change the size of a file: shrinking frees the blocks past the end
    /// and zeroes the tail of the last block; growing leaves a hole.
    /// Timestamps are the caller's business (see `setattr`).
    pub fn truncate(&mut self, ino: Ino, size: u64) -> Result<()> {
        self.begin_op()?;
        let mut inode = self.get_inode(ino)?;
        if inode.is_dir() {
            return Err(Error::IsDir);
        }
        self.set_size(&mut inode, size)?;
        self.write_inode(&mut inode)
    }

    pub(crate) fn set_size(&mut self, inode: &mut Inode, size: u64) -> Result<()> {
        if size > self.max_file_size() {
            return Err(Error::FileTooBig);
        }
        if inode.flags & (FL_IMMUTABLE | FL_APPEND) != 0 {
            return Err(Error::NotPermitted);
        }
        if inode.has_inline_data() {
            self.inline_to_extents(inode)?;
        }
        if size < inode.size {
            // One operation is one transaction, so no orphan entry is
            // needed to make the truncate atomic.
            self.truncate_blocks(inode, size)?;
        }
        inode.size = size;
        if size > (1u64 << 31) - 1 && self.sb.ro_compat & RO_COMPAT_LARGE_FILE == 0 {
            self.sb.ro_compat |= RO_COMPAT_LARGE_FILE;
            self.sb_dirty = true;
        }
        Ok(())
    }

    /// Free every block past `size` and zero the rest of the last block.
    pub(crate) fn truncate_blocks(&mut self, inode: &mut Inode, size: u64) -> Result<()> {
        let bs = self.layout.block_size;
        if inode.has_inline_data() || inode.is_fast_symlink(self.sb.block_size) || matches!(inode.file_type(), S_IFCHR | S_IFBLK | S_IFIFO | S_IFSOCK) {
            return Ok(());
        }
        let first_gone = size.div_ceil(bs);
        if inode.has_extents() {
            if size % bs != 0 {
                if let Lookup::Mapped { pblk, unwritten: false, .. } = self.ext_lookup(inode, (size / bs) as u32)? {
                    let mut b = vec![0u8; bs as usize];
                    self.disk.read_data(pblk, &mut b)?;
                    b[(size % bs) as usize..].fill(0);
                    self.disk.write_data(pblk, &b)?;
                }
            }
            if first_gone < 1 << 32 {
                self.ext_remove(inode, first_gone as u32, 1 << 32, true)?;
            }
            Ok(())
        } else {
            self.bmap_truncate(inode, first_gone)
        }
    }

    /// Free the blocks of an indirect-mapped file from logical block
    /// `from` on (used when such files are deleted or truncated).
    fn bmap_truncate(&mut self, inode: &mut Inode, from: u64) -> Result<()> {
        let apb = self.layout.block_size / 4;
        let per = self.layout.block_size / 512;
        for i in 0..12u64 {
            if i >= from {
                let p = le32(&inode.block, 4 * i as usize) as u64;
                if p != 0 {
                    self.free_blocks_deferred(p, 1)?;
                    inode.blocks = inode.blocks.saturating_sub(per);
                    put32(&mut inode.block, 4 * i as usize, 0);
                }
            }
        }
        let mut base = 12u64;
        for (slot, level) in [(12usize, 1u32), (13, 2), (14, 3)] {
            let span = apb.pow(level);
            let p = le32(&inode.block, 4 * slot) as u64;
            if p != 0 && from < base + span {
                let rel = from.saturating_sub(base);
                if self.bmap_free_tree(inode, p, level, rel)? {
                    put32(&mut inode.block, 4 * slot, 0);
                }
            }
            base += span;
        }
        Ok(())
    }

    /// Free entries >= `from` under indirect block `p`; returns whether
    /// `p` itself became empty and was freed.
    fn bmap_free_tree(&mut self, inode: &mut Inode, p: u64, level: u32, from: u64) -> Result<bool> {
        let apb = self.layout.block_size / 4;
        let per = self.layout.block_size / 512;
        let span = apb.pow(level - 1);
        let entries: Vec<u64> = {
            let b = self.disk.read(p)?;
            (0..apb as usize).map(|i| le32(b, 4 * i) as u64).collect()
        };
        let mut keep_any = false;
        let mut changed = false;
        let mut out = entries.clone();
        for (i, &c) in entries.iter().enumerate() {
            let lo = i as u64 * span;
            if c == 0 {
                continue;
            }
            if lo + span <= from {
                keep_any = true;
                continue;
            }
            if level == 1 {
                self.free_blocks_deferred(c, 1)?;
                inode.blocks = inode.blocks.saturating_sub(per);
                out[i] = 0;
                changed = true;
            } else if self.bmap_free_tree(inode, c, level - 1, from.saturating_sub(lo))? {
                out[i] = 0;
                changed = true;
            } else {
                keep_any = true;
            }
        }
        if !keep_any {
            self.disk.forget(p);
            self.free_blocks_deferred(p, 1)?;
            inode.blocks = inode.blocks.saturating_sub(per);
            return Ok(true);
        }
        if changed {
            let b = self.disk.modify(p)?;
            for (i, v) in out.iter().enumerate() {
                put32(b, 4 * i, *v as u32);
            }
        }
        Ok(false)
    }

    /// fallocate(2): mode 0 or KEEP_SIZE reserves blocks as unwritten
    /// extents; PUNCH_HOLE|KEEP_SIZE frees; ZERO_RANGE zeroes.
    pub fn fallocate(&mut self, ino: Ino, mode: u32, offset: u64, len: u64) -> Result<()> {
        self.begin_op()?;
        if len == 0 {
            return Err(Error::Invalid);
        }
        let known = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE;
        if mode & !known != 0 {
            return Err(Error::Unsupported("fallocate mode"));
        }
        if mode & FALLOC_FL_PUNCH_HOLE != 0 && (mode & FALLOC_FL_KEEP_SIZE == 0 || mode & FALLOC_FL_ZERO_RANGE != 0) {
            return Err(Error::Invalid);
        }
        let end = offset.checked_add(len).ok_or(Error::FileTooBig)?;
        if end > self.max_file_size() {
            return Err(Error::FileTooBig);
        }
        let mut inode = self.get_inode(ino)?;
        if inode.is_dir() {
            return Err(Error::IsDir);
        }
        if !inode.is_reg() {
            return Err(Error::NotPermitted);
        }
        if inode.flags & FL_IMMUTABLE != 0 {
            return Err(Error::NotPermitted);
        }
        if inode.has_inline_data() {
            self.inline_to_extents(&mut inode)?;
        }
        if !inode.has_extents() {
            return Err(Error::Unsupported("fallocate on block-mapped files"));
        }
        let bs = self.layout.block_size;
        if mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE) != 0 {
            let pend = if mode & FALLOC_FL_PUNCH_HOLE != 0 { end.min(inode.size) } else { end };
            if pend > offset {
                self.zero_partial(&mut inode, offset, pend)?;
                let first = offset.div_ceil(bs);
                let last = pend / bs;
                if last > first {
                    self.ext_remove(&mut inode, first as u32, last, true)?;
                }
                if mode & FALLOC_FL_ZERO_RANGE != 0 && last > first {
                    self.alloc_unwritten(&mut inode, first, last)?;
                }
            }
        } else {
            self.alloc_unwritten(&mut inode, offset / bs, end.div_ceil(bs))?;
        }
        if mode & FALLOC_FL_KEEP_SIZE == 0 && end > inode.size {
            inode.size = end;
        }
        let now = self.now();
        inode.mtime = now;
        inode.ctime = now;
        self.write_inode(&mut inode)
    }

    /// Zero the bytes of [start, end) that share a block with data outside
    /// the range (the partial first and last blocks).
    fn zero_partial(&mut self, inode: &mut Inode, start: u64, end: u64) -> Result<()> {
        let bs = self.layout.block_size;
        let mut edges = Vec::new();
        if start % bs != 0 {
            edges.push((start / bs, (start % bs) as usize, if end / bs == start / bs { (end % bs) as usize } else { bs as usize }));
        }
        if end % bs != 0 && end / bs != start / bs {
            edges.push((end / bs, 0, (end % bs) as usize));
        }
        for (lblk, from, to) in edges {
            if let Lookup::Mapped { pblk, unwritten: false, .. } = self.ext_lookup(inode, lblk as u32)? {
                let mut b = vec![0u8; bs as usize];
                self.disk.read_data(pblk, &mut b)?;
                b[from..to].fill(0);
                self.disk.write_data(pblk, &b)?;
            }
        }
        Ok(())
    }

    /// Map every hole in logical blocks [first, last) to new unwritten extents.
    fn alloc_unwritten(&mut self, inode: &mut Inode, first: u64, last: u64) -> Result<()> {
        let bs = self.layout.block_size;
        let mut l = first;
        while l < last {
            match self.ext_lookup(inode, l as u32)? {
                Lookup::Mapped { len, .. } => l += len as u64,
                Lookup::Hole { len } => {
                    let want = len.min(last - l).min(MAX_UNWRITTEN_LEN as u64);
                    let goal = self.data_goal(inode, l as u32)?;
                    let (pblk, n) = self.alloc_blocks(goal, want)?;
                    if let Err(e) = self.ext_insert(inode, Entry { lblk: l as u32, len: n as u32, pblk, unwritten: true }) {
                        self.free_blocks_now(pblk, n)?;
                        return Err(e);
                    }
                    inode.blocks += n * (bs / 512);
                    l += n;
                }
            }
        }
        Ok(())
    }
}
