//! The jbd2 journal: replay at mount, and ordered-mode commits.
//!
//! Format (all big-endian): a journal superblock in journal block 0, then
//! a circular log of transactions from s_first to s_maxlen. A transaction
//! is descriptor blocks (each listing the home block numbers of the
//! metadata copies that follow it), optional revoke blocks, and a commit
//! block. A transaction counts only once its commit block is on disk.
//!
//! Commits here are simple and safe: file data is already on the device
//! (ordered mode), the metadata copies and descriptors go to the log, a
//! flush, the commit block, a flush; then the blocks are written in place,
//! a flush, and the log is marked empty. Between commits the log is always
//! empty, so revoke records are never needed when writing; replay still
//! honours them in logs written by Linux.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use crate::bytes::*;
use crate::cache::Disk;
use crate::crc::crc32c;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::fs::Fs;
use crate::inode::{Inode, Timestamp};

const JBD2_MAGIC: u32 = 0xC03B_3998;
const BT_DESCRIPTOR: u32 = 1;
const BT_COMMIT: u32 = 2;
const BT_SUPER_V1: u32 = 3;
const BT_SUPER_V2: u32 = 4;
const BT_REVOKE: u32 = 5;

const INCOMPAT_REVOKE: u32 = 0x1;
const INCOMPAT_64BIT: u32 = 0x2;
const INCOMPAT_ASYNC_COMMIT: u32 = 0x4;
const INCOMPAT_CSUM_V2: u32 = 0x8;
const INCOMPAT_CSUM_V3: u32 = 0x10;
const INCOMPAT_FAST_COMMIT: u32 = 0x20;
const COMPAT_CHECKSUM: u32 = 0x1;
const INCOMPAT_KNOWN: u32 =
    INCOMPAT_REVOKE | INCOMPAT_64BIT | INCOMPAT_ASYNC_COMMIT | INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3 | INCOMPAT_FAST_COMMIT;

const TAG_ESCAPE: u32 = 0x1;
const TAG_SAME_UUID: u32 = 0x2;
const TAG_LAST: u32 = 0x8;

/// The journal of a mounted file system.
#[derive(Clone, Debug)]
pub struct Journal {
    /// Journal file block -> device block, as (first logical, first
    /// physical, length) runs.
    runs: Vec<(u32, u64, u32)>,
    block_size: usize,
    maxlen: u32,
    first: u32,
    sequence: u32,
    start: u32,
    compat: u32,
    incompat: u32,
    uuid: [u8; 16],
    v2: bool,
    sb_raw: Vec<u8>,
}

/// A block recorded in a descriptor.
struct Tag {
    home: u64,
    pos: u32,
    escaped: bool,
    csum: u32,
}

impl Journal {
    /// Read the journal superblock of the journal inode.
    pub fn load<D: BlockDevice>(fs: &mut Fs<D>, inode: &Inode) -> Result<Journal> {
        let bs = fs.block_size() as usize;
        let nblocks = inode.size / bs as u64;
        if nblocks < 8 || nblocks > u32::MAX as u64 || nblocks > fs.layout.blocks_count {
            return Err(Error::Corrupt("journal inode too small"));
        }
        let runs = fs.block_runs(inode, nblocks as u32)?;
        let mut j = Journal {
            runs,
            block_size: bs,
            maxlen: 0,
            first: 0,
            sequence: 0,
            start: 0,
            compat: 0,
            incompat: 0,
            uuid: [0; 16],
            v2: false,
            sb_raw: Vec::new(),
        };
        let mut sbb = vec![0u8; bs];
        let p = j.pblk(0)?;
        fs.disk.read_data(p, &mut sbb)?;
        if be32(&sbb, 0) != JBD2_MAGIC {
            return Err(Error::Corrupt("bad journal superblock magic"));
        }
        let bt = be32(&sbb, 4);
        if bt != BT_SUPER_V1 && bt != BT_SUPER_V2 {
            return Err(Error::Corrupt("bad journal superblock type"));
        }
        if be32(&sbb, 0xC) as usize != bs {
            return Err(Error::Corrupt("journal block size differs"));
        }
        j.maxlen = be32(&sbb, 0x10);
        j.first = be32(&sbb, 0x14);
        j.sequence = be32(&sbb, 0x18);
        j.start = be32(&sbb, 0x1C);
        if j.maxlen as u64 > nblocks || j.first == 0 || j.first >= j.maxlen || j.maxlen - j.first < 8 {
            return Err(Error::Corrupt("bad journal geometry"));
        }
        if j.start != 0 && (j.start < j.first || j.start >= j.maxlen) {
            return Err(Error::Corrupt("journal start out of range"));
        }
        if bt == BT_SUPER_V2 {
            j.v2 = true;
            j.compat = be32(&sbb, 0x24);
            j.incompat = be32(&sbb, 0x28);
            j.uuid.copy_from_slice(&sbb[0x30..0x40]);
            if j.incompat & !INCOMPAT_KNOWN != 0 {
                return Err(Error::Unsupported("unknown journal features"));
            }
            if j.csum() {
                let mut s = sbb[..1024].to_vec();
                let stored = be32(&s, 0xFC);
                putbe32(&mut s, 0xFC, 0);
                if crc32c(!0, &s) != stored {
                    return Err(Error::Corrupt("journal superblock checksum mismatch"));
                }
            }
        }
        j.sb_raw = sbb;
        Ok(j)
    }

    fn csum(&self) -> bool {
        self.incompat & (INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3) != 0
    }
    fn csum_v3(&self) -> bool {
        self.incompat & INCOMPAT_CSUM_V3 != 0
    }
    fn is64(&self) -> bool {
        self.incompat & INCOMPAT_64BIT != 0
    }
    fn seed(&self) -> u32 {
        crc32c(!0, &self.uuid)
    }

    /// Whether the log holds transactions not yet written in place.
    pub fn needs_recovery(&self) -> bool {
        self.start != 0
    }

    /// Journal size in blocks (counted as overhead by statfs).
    pub fn total_len(&self) -> u64 {
        self.maxlen as u64
    }

    /// The largest transaction to let build up (Linux's j_max_transaction_buffers
    /// is a quarter of the log).
    pub fn max_transaction_blocks(&self) -> usize {
        ((self.maxlen - self.first) / 4).max(16) as usize
    }

    fn pblk(&self, lblk: u32) -> Result<u64> {
        let i = self.runs.partition_point(|r| r.0 <= lblk);
        if i == 0 {
            return Err(Error::Corrupt("journal block unmapped"));
        }
        let (l, p, n) = self.runs[i - 1];
        if lblk - l >= n {
            return Err(Error::Corrupt("journal block unmapped"));
        }
        Ok(p + (lblk - l) as u64)
    }

    fn next(&self, pos: u32) -> u32 {
        if pos + 1 >= self.maxlen { self.first } else { pos + 1 }
    }

    fn tag_bytes(&self) -> usize {
        if self.csum_v3() {
            return 16;
        }
        let mut sz = 12;
        if self.incompat & INCOMPAT_CSUM_V2 != 0 {
            sz += 2;
        }
        if self.is64() { sz } else { sz - 4 }
    }

    fn read_log<D: BlockDevice>(&self, disk: &mut Disk<D>, pos: u32, buf: &mut [u8]) -> Result<()> {
        let p = self.pblk(pos)?;
        disk.read_data(p, buf)
    }

    fn write_log<D: BlockDevice>(&self, disk: &mut Disk<D>, pos: u32, buf: &[u8]) -> Result<()> {
        let p = self.pblk(pos)?;
        disk.write_raw(p, buf)
    }

    fn block_tail_ok(&self, b: &[u8]) -> bool {
        if !self.csum() {
            return true;
        }
        let n = b.len();
        let stored = be32(b, n - 4);
        let mut c = crc32c(self.seed(), &b[..n - 4]);
        c = crc32c(c, &[0; 4]);
        c == stored
    }

    fn set_block_tail(&self, b: &mut [u8]) {
        if !self.csum() {
            return;
        }
        let n = b.len();
        putbe32(b, n - 4, 0);
        let c = crc32c(self.seed(), b);
        putbe32(b, n - 4, c);
    }

    fn commit_ok(&self, b: &[u8]) -> bool {
        if !self.csum() {
            return true;
        }
        let stored = be32(b, 0x10);
        let mut t = b.to_vec();
        putbe32(&mut t, 0x10, 0);
        crc32c(self.seed(), &t) == stored
    }

    fn data_csum(&self, seq: u32, data: &[u8]) -> u32 {
        let c = crc32c(self.seed(), &seq.to_be_bytes());
        crc32c(c, data)
    }

    /// Parse the tags of a descriptor block whose data blocks start at `pos`.
    fn parse_tags(&self, b: &[u8], mut pos: u32) -> Result<(Vec<Tag>, u32)> {
        let tb = self.tag_bytes();
        let end = b.len() - if self.csum() { 4 } else { 0 };
        let mut off = 12;
        let mut tags = Vec::new();
        while off + tb <= end {
            let lo = be32(b, off) as u64;
            let (flags, hi, csum) = if self.csum_v3() {
                (be32(b, off + 4), be32(b, off + 8) as u64, be32(b, off + 12))
            } else {
                let hi = if self.is64() { be32(b, off + 8) as u64 } else { 0 };
                (u16::from_be_bytes([b[off + 6], b[off + 7]]) as u32, hi, u16::from_be_bytes([b[off + 4], b[off + 5]]) as u32)
            };
            let home = if self.is64() { lo | hi << 32 } else { lo };
            tags.push(Tag { home, pos, escaped: flags & TAG_ESCAPE != 0, csum });
            pos = self.next(pos);
            off += tb;
            if flags & TAG_SAME_UUID == 0 {
                off += 16;
            }
            if flags & TAG_LAST != 0 {
                break;
            }
            if tags.len() > b.len() {
                return Err(Error::Corrupt("journal descriptor runs on"));
            }
        }
        Ok((tags, pos))
    }

    /// Replay every committed transaction in the log, then mark it empty.
    /// Returns the number of transactions replayed.
    pub fn replay<D: BlockDevice>(&mut self, disk: &mut Disk<D>, _fs_csum: bool) -> Result<u32> {
        let bs = self.block_size;
        let mut buf = vec![0u8; bs];
        // Scan: find the committed transactions and their blocks.
        let mut seq = self.sequence;
        let mut pos = self.start;
        let mut committed: Vec<(u32, Vec<Tag>)> = Vec::new();
        let mut revoked: BTreeMap<u64, u32> = BTreeMap::new();
        let mut pending_tags: Vec<Tag> = Vec::new();
        let mut pending_revokes: Vec<u64> = Vec::new();
        let mut steps = 0u32;
        loop {
            steps += 1;
            if steps > self.maxlen {
                break;
            }
            self.read_log(disk, pos, &mut buf)?;
            if be32(&buf, 0) != JBD2_MAGIC || be32(&buf, 8) != seq {
                break;
            }
            match be32(&buf, 4) {
                BT_DESCRIPTOR => {
                    if !self.block_tail_ok(&buf) {
                        break;
                    }
                    let (tags, next) = self.parse_tags(&buf, self.next(pos))?;
                    pending_tags.extend(tags);
                    pos = next;
                }
                BT_COMMIT => {
                    if !self.commit_ok(&buf) {
                        break;
                    }
                    committed.push((seq, core::mem::take(&mut pending_tags)));
                    for b in pending_revokes.drain(..) {
                        let e = revoked.entry(b).or_insert(seq);
                        *e = (*e).max(seq);
                    }
                    seq = seq.wrapping_add(1);
                    pos = self.next(pos);
                }
                BT_REVOKE => {
                    if !self.block_tail_ok(&buf) {
                        break;
                    }
                    let count = (be32(&buf, 12) as usize).min(bs);
                    let rec = if self.is64() { 8 } else { 4 };
                    let mut off = 16;
                    while off + rec <= count {
                        let b = if rec == 8 { be64(&buf, off) } else { be32(&buf, off) as u64 };
                        pending_revokes.push(b);
                        off += rec;
                    }
                    pos = self.next(pos);
                }
                _ => break,
            }
        }
        // Replay, oldest first, skipping blocks revoked by the same or a
        // later transaction.
        let n = committed.len() as u32;
        let mut data = vec![0u8; bs];
        for (tseq, tags) in &committed {
            for t in tags {
                if let Some(&rs) = revoked.get(&t.home) {
                    if rs.wrapping_sub(*tseq) as i32 >= 0 {
                        continue;
                    }
                }
                self.read_log(disk, t.pos, &mut data)?;
                if self.csum() {
                    let c = self.data_csum(*tseq, &data);
                    let ok = if self.csum_v3() { c == t.csum } else { (c & 0xFFFF) == t.csum };
                    if !ok {
                        continue;
                    }
                }
                if t.escaped {
                    putbe32(&mut data, 0, JBD2_MAGIC);
                }
                if t.home >= disk.blocks_count {
                    return Err(Error::Corrupt("journal block home out of range"));
                }
                disk.write_raw(t.home, &data)?;
            }
        }
        disk.dev.flush()?;
        self.sequence = seq.wrapping_add(1);
        self.start = 0;
        self.write_super(disk)?;
        disk.dev.flush()?;
        Ok(n)
    }

    fn write_super<D: BlockDevice>(&mut self, disk: &mut Disk<D>) -> Result<()> {
        let mut s = core::mem::take(&mut self.sb_raw);
        putbe32(&mut s, 0x18, self.sequence);
        putbe32(&mut s, 0x1C, self.start);
        if self.v2 {
            putbe32(&mut s, 0x28, self.incompat);
            if self.csum() {
                s[0x50] = 4; // JBD2_CRC32C_CHKSUM
                putbe32(&mut s, 0xFC, 0);
                let c = crc32c(!0, &s[..1024]);
                putbe32(&mut s, 0xFC, c);
            }
        }
        let r = self.write_log(disk, 0, &s);
        self.sb_raw = s;
        r
    }

    /// Turn on the features Linux's ext4 uses with this file system: 64-bit
    /// block numbers on 64bit file systems, v3 checksums with metadata_csum.
    fn set_features(&mut self, fs64: bool, fs_csum: bool) {
        if !self.v2 {
            return;
        }
        if fs64 {
            self.incompat |= INCOMPAT_64BIT;
        }
        if fs_csum {
            self.incompat |= INCOMPAT_CSUM_V3;
            self.incompat &= !INCOMPAT_CSUM_V2;
            self.compat &= !COMPAT_CHECKSUM;
            putbe32(&mut self.sb_raw, 0x24, self.compat);
        }
    }

    /// Write the dirty blocks as one journal transaction (or several, if
    /// they do not fit in the log) and then in place.
    pub fn commit<D: BlockDevice>(&mut self, disk: &mut Disk<D>, now: Timestamp, fs_csum: bool) -> Result<()> {
        self.log_dirty(disk, now, fs_csum, true)
    }

    /// Log the dirty blocks and stop (a test hook simulating a power cut
    /// after the commit record).
    pub fn commit_without_checkpoint<D: BlockDevice>(&mut self, disk: &mut Disk<D>, now: Timestamp, fs_csum: bool) -> Result<()> {
        self.log_dirty(disk, now, fs_csum, false)
    }

    fn log_dirty<D: BlockDevice>(&mut self, disk: &mut Disk<D>, now: Timestamp, fs_csum: bool, checkpoint: bool) -> Result<()> {
        let fs64 = disk.blocks_count > u32::MAX as u64;
        self.set_features(fs64 || self.is64(), fs_csum);
        let blocks: Vec<(u64, Vec<u8>)> = disk.dirty_blocks().map(|(b, d)| (b, d.to_vec())).collect();
        if blocks.is_empty() {
            return Ok(());
        }
        let bs = self.block_size;
        let tb = self.tag_bytes();
        let usable = bs - 12 - if self.csum() { 4 } else { 0 };
        // Tags per descriptor: the first carries the 16-byte UUID.
        let per_desc = ((usable - 16) / tb).max(1);
        let log_space = (self.maxlen - self.first) as usize;
        // Blocks that fit in one transaction: descriptors, data, commit.
        let per_txn = {
            let mut n = log_space.saturating_sub(2);
            while n > 0 && n + n.div_ceil(per_desc) + 1 > log_space {
                n -= 1;
            }
            n.max(1)
        };
        for chunk in blocks.chunks(per_txn) {
            self.log_one(disk, chunk, now, per_desc)?;
            if checkpoint {
                let refs: Vec<(u64, &[u8])> = chunk.iter().map(|(b, d)| (*b, &d[..])).collect();
                disk.write_merged(&refs)?;
                disk.dev.flush()?;
                self.start = 0;
                self.sequence = self.sequence.wrapping_add(1);
                self.write_super(disk)?;
            } else {
                self.sequence = self.sequence.wrapping_add(1);
                break;
            }
        }
        Ok(())
    }

    fn log_one<D: BlockDevice>(&mut self, disk: &mut Disk<D>, blocks: &[(u64, Vec<u8>)], now: Timestamp, per_desc: usize) -> Result<()> {
        let bs = self.block_size;
        let tid = self.sequence;
        let mut pos = self.first;
        // (device block, contents) of every log block, written in runs.
        let mut out: Vec<(u64, Vec<u8>)> = Vec::with_capacity(blocks.len() + blocks.len() / per_desc + 2);
        for group in blocks.chunks(per_desc) {
            let mut desc = vec![0u8; bs];
            putbe32(&mut desc, 0, JBD2_MAGIC);
            putbe32(&mut desc, 4, BT_DESCRIPTOR);
            putbe32(&mut desc, 8, tid);
            let desc_at = out.len();
            out.push((self.pblk(pos)?, Vec::new()));
            pos = self.next(pos);
            let mut off = 12;
            for (i, (home, data)) in group.iter().enumerate() {
                let mut d = data.clone();
                let mut flags = 0u32;
                if be32(&d, 0) == JBD2_MAGIC {
                    putbe32(&mut d, 0, 0);
                    flags |= TAG_ESCAPE;
                }
                if i > 0 {
                    flags |= TAG_SAME_UUID;
                }
                if i + 1 == group.len() {
                    flags |= TAG_LAST;
                }
                let c = self.data_csum(tid, &d);
                if self.csum_v3() {
                    putbe32(&mut desc, off, *home as u32);
                    putbe32(&mut desc, off + 4, flags);
                    putbe32(&mut desc, off + 8, (*home >> 32) as u32);
                    putbe32(&mut desc, off + 12, c);
                } else {
                    putbe32(&mut desc, off, *home as u32);
                    let cs = if self.csum() { c as u16 } else { 0 };
                    desc[off + 4..off + 6].copy_from_slice(&cs.to_be_bytes());
                    desc[off + 6..off + 8].copy_from_slice(&(flags as u16).to_be_bytes());
                    if self.is64() {
                        putbe32(&mut desc, off + 8, (*home >> 32) as u32);
                    }
                }
                off += self.tag_bytes();
                if i == 0 {
                    desc[off..off + 16].copy_from_slice(&self.uuid);
                    off += 16;
                }
                out.push((self.pblk(pos)?, d));
                pos = self.next(pos);
            }
            self.set_block_tail(&mut desc);
            out[desc_at].1 = desc;
        }
        let refs: Vec<(u64, &[u8])> = out.iter().map(|(b, d)| (*b, &d[..])).collect();
        disk.write_merged(&refs)?;
        // The log is valid from s_first for this sequence.
        self.start = self.first;
        self.write_super(disk)?;
        disk.dev.flush()?;
        let mut commit = vec![0u8; bs];
        putbe32(&mut commit, 0, JBD2_MAGIC);
        putbe32(&mut commit, 4, BT_COMMIT);
        putbe32(&mut commit, 8, tid);
        putbe64(&mut commit, 0x30, now.sec as u64);
        putbe32(&mut commit, 0x38, now.nsec);
        if self.csum() {
            let c = crc32c(self.seed(), &commit);
            putbe32(&mut commit, 0x10, c);
        }
        self.write_log(disk, pos, &commit)?;
        disk.dev.flush()
    }

    /// Make sure the superblock says the log is empty (unmount).
    pub fn mark_empty<D: BlockDevice>(&mut self, disk: &mut Disk<D>) -> Result<()> {
        self.start = 0;
        self.write_super(disk)
    }
}

impl<D: BlockDevice> Fs<D> {
    /// The device runs holding the first `n` blocks of a file (journal).
    pub(crate) fn block_runs(&mut self, inode: &Inode, n: u32) -> Result<Vec<(u32, u64, u32)>> {
        let mut runs: Vec<(u32, u64, u32)> = Vec::new();
        let mut l = 0u32;
        while l < n {
            match self.map_lblk(inode, l)? {
                Some((p, len)) => {
                    let len = len.min(n - l);
                    match runs.last_mut() {
                        Some(r) if r.0 + r.2 == l && r.1 + r.2 as u64 == p => r.2 += len,
                        _ => runs.push((l, p, len)),
                    }
                    l += len;
                }
                None => return Err(Error::Corrupt("journal has holes")),
            }
        }
        Ok(runs)
    }
}
