//! Extended attributes: in the inode's spare space and in one block.
//!
//! Every change re-lays out all of a file's attributes: in the inode
//! first (inline data's system.data must stay there), the rest in the
//! block, whose entries are kept sorted as Linux keeps them. A block
//! shared by several inodes (h_refcount > 1) is copied before it changes.

use alloc::vec;
use alloc::vec::Vec;

use crate::bytes::*;
use crate::crc::crc32c;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::fs::Fs;
use crate::inode::{GOOD_OLD_INODE_SIZE, Ino, Inode};

const XATTR_MAGIC: u32 = 0xEA02_0000;
const HEADER_LEN: usize = 32;
const ENTRY_LEN: usize = 16;

/// setxattr flags.
pub const XATTR_CREATE: u32 = 1;
pub const XATTR_REPLACE: u32 = 2;

/// Name prefixes and their on-disk index.
const PREFIXES: &[(&[u8], u8)] = &[
    (b"user.", 1),
    (b"system.posix_acl_access", 2),
    (b"system.posix_acl_default", 3),
    (b"trusted.", 4),
    (b"security.", 6),
    (b"system.", 7),
];

/// One attribute: prefix index, name after the prefix, value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Xattr {
    pub index: u8,
    pub name: Vec<u8>,
    pub value: Vec<u8>,
}

impl Xattr {
    /// The full name as user space sees it ("user.foo").
    pub fn full_name(&self) -> Vec<u8> {
        let prefix = PREFIXES.iter().find(|p| p.1 == self.index).map(|p| p.0).unwrap_or(b"");
        let mut v = prefix.to_vec();
        v.extend_from_slice(&self.name);
        v
    }

    fn entry_size(&self) -> usize {
        (ENTRY_LEN + self.name.len() + 3) & !3
    }

    fn value_size(&self) -> usize {
        (self.value.len() + 3) & !3
    }

    fn hash(&self) -> u32 {
        let mut h: u32 = 0;
        for &c in &self.name {
            h = (h << 5) ^ (h >> 27) ^ c as u32;
        }
        let mut chunks = self.value.chunks(4);
        for c in &mut chunks {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            h = (h << 16) ^ (h >> 16) ^ u32::from_le_bytes(w);
        }
        h
    }
}

/// Split a full name into (index, suffix).
fn split_name(full: &[u8]) -> Result<(u8, &[u8])> {
    for &(p, idx) in PREFIXES {
        if full.starts_with(p) {
            let rest = &full[p.len()..];
            if idx == 2 || idx == 3 {
                if !rest.is_empty() {
                    continue;
                }
            } else if rest.is_empty() {
                return Err(Error::Invalid);
            }
            if rest.len() > 255 {
                return Err(Error::Range);
            }
            return Ok((idx, rest));
        }
    }
    Err(Error::Unsupported("xattr namespace"))
}

/// Parse entries starting at `b[start..]`, values relative to `vbase`.
fn parse_entries(b: &[u8], start: usize, vbase: usize, out: &mut Vec<Xattr>) -> Result<()> {
    let mut off = start;
    loop {
        if off + 4 > b.len() {
            return Err(Error::Corrupt("xattr entries run off the end"));
        }
        if le32(b, off) == 0 {
            return Ok(());
        }
        if off + ENTRY_LEN > b.len() {
            return Err(Error::Corrupt("xattr entry truncated"));
        }
        let name_len = b[off] as usize;
        let index = b[off + 1];
        let voff = le16(b, off + 2) as usize;
        let inum = le32(b, off + 4);
        let vsize = le32(b, off + 8) as usize;
        let name_end = off + ENTRY_LEN + name_len;
        if name_end > b.len() {
            return Err(Error::Corrupt("xattr name out of range"));
        }
        if inum != 0 {
            return Err(Error::Unsupported("xattr values in inodes (ea_inode)"));
        }
        let vstart = vbase + voff;
        if vsize > 0 && (vstart < name_end || vstart + vsize > b.len()) {
            return Err(Error::Corrupt("xattr value out of range"));
        }
        out.push(Xattr {
            index,
            name: b[off + ENTRY_LEN..name_end].to_vec(),
            value: if vsize > 0 { b[vstart..vstart + vsize].to_vec() } else { Vec::new() },
        });
        off = (name_end + 3) & !3;
    }
}

/// Lay out `attrs` into `b[start..end]`: entries from `start` upward,
/// values from `end` downward (offsets relative to `vbase`). Returns false
/// when they do not fit.
fn layout(b: &mut [u8], start: usize, end: usize, vbase: usize, attrs: &[&Xattr]) -> bool {
    let entries: usize = attrs.iter().map(|a| a.entry_size()).sum();
    let values: usize = attrs.iter().map(|a| a.value_size()).sum();
    if start + entries + 4 + values > end {
        return false;
    }
    b[start..end].fill(0);
    let mut off = start;
    let mut vend = end;
    for a in attrs {
        let vs = a.value_size();
        let voff = if a.value.is_empty() {
            0
        } else {
            vend -= vs;
            b[vend..vend + a.value.len()].copy_from_slice(&a.value);
            vend - vbase
        };
        b[off] = a.name.len() as u8;
        b[off + 1] = a.index;
        put16(b, off + 2, voff as u16);
        put32(b, off + 4, 0);
        put32(b, off + 8, a.value.len() as u32);
        put32(b, off + 12, a.hash());
        b[off + ENTRY_LEN..off + ENTRY_LEN + a.name.len()].copy_from_slice(&a.name);
        off += a.entry_size();
    }
    true
}

fn block_csum(fs_seed: u32, blk: u64, b: &[u8]) -> u32 {
    let mut c = crc32c(fs_seed, &blk.to_le_bytes());
    c = crc32c(c, &b[..0x10]);
    c = crc32c(c, &[0; 4]);
    crc32c(c, &b[0x14..])
}

impl<D: BlockDevice> Fs<D> {
    /// Start of the in-inode xattr area, if the inode has one.
    fn ibody_start(&self, inode: &Inode) -> Option<usize> {
        let isz = self.sb.inode_size as usize;
        let s = GOOD_OLD_INODE_SIZE + inode.extra_isize as usize;
        (isz > GOOD_OLD_INODE_SIZE && s + 8 <= isz).then_some(s)
    }

    /// The attributes stored in the inode body.
    pub(crate) fn xattrs_ibody(&self, inode: &Inode) -> Result<Vec<Xattr>> {
        let mut out = Vec::new();
        if let Some(s) = self.ibody_start(inode) {
            if le32(&inode.raw, s) == XATTR_MAGIC {
                parse_entries(&inode.raw, s + 4, s + 4, &mut out)?;
            }
        }
        Ok(out)
    }

    fn xattrs_block(&mut self, inode: &Inode) -> Result<Vec<Xattr>> {
        let mut out = Vec::new();
        if inode.file_acl == 0 {
            return Ok(out);
        }
        let blk = inode.file_acl;
        let csum = self.csum;
        let b = self.disk.read(blk)?;
        if le32(b, 0) != XATTR_MAGIC || le32(b, 8) != 1 {
            return Err(Error::Corrupt("bad xattr block header"));
        }
        if let Some(seed) = csum {
            if block_csum(seed, blk, b) != le32(b, 0x10) {
                return Err(Error::Corrupt("xattr block checksum mismatch"));
            }
        }
        parse_entries(b, HEADER_LEN, 0, &mut out)?;
        Ok(out)
    }

    /// All attributes of an inode (inode body first, then the block).
    pub(crate) fn xattrs_all(&mut self, inode: &Inode) -> Result<Vec<Xattr>> {
        let mut v = self.xattrs_ibody(inode)?;
        v.extend(self.xattrs_block(inode)?);
        Ok(v)
    }

    /// getxattr(2): the value of attribute `name` ("user.foo").
    pub fn getxattr(&mut self, ino: Ino, name: &[u8]) -> Result<Vec<u8>> {
        let (index, suffix) = split_name(name)?;
        if index == 2 || index == 3 {
            return Err(Error::Unsupported("POSIX ACL xattrs"));
        }
        let inode = self.get_inode(ino)?;
        self.xattrs_all(&inode)?
            .into_iter()
            .find(|a| a.index == index && a.name == suffix)
            .map(|a| a.value)
            .ok_or(Error::NoData)
    }

    /// listxattr(2): every attribute name, as user space sees it.
    pub fn listxattr(&mut self, ino: Ino) -> Result<Vec<Vec<u8>>> {
        let inode = self.get_inode(ino)?;
        Ok(self
            .xattrs_all(&inode)?
            .iter()
            .filter(|a| PREFIXES.iter().any(|p| p.1 == a.index) && !(a.index == 7 && a.name == b"data"))
            .map(|a| a.full_name())
            .collect())
    }

    /// setxattr(2) with XATTR_CREATE / XATTR_REPLACE semantics.
    pub fn setxattr(&mut self, ino: Ino, name: &[u8], value: &[u8], flags: u32) -> Result<()> {
        self.begin_op()?;
        let (index, suffix) = split_name(name)?;
        if index == 2 || index == 3 {
            return Err(Error::Unsupported("POSIX ACL xattrs"));
        }
        if value.len() > self.layout.block_size as usize {
            return Err(Error::NoSpace);
        }
        let mut inode = self.get_inode(ino)?;
        let mut attrs = self.xattrs_all(&inode)?;
        let pos = attrs.iter().position(|a| a.index == index && a.name == suffix);
        match (pos, flags & (XATTR_CREATE | XATTR_REPLACE)) {
            (Some(_), XATTR_CREATE) => return Err(Error::Exists),
            (None, XATTR_REPLACE) => return Err(Error::NoData),
            _ => {}
        }
        let new = Xattr { index, name: suffix.to_vec(), value: value.to_vec() };
        match pos {
            Some(i) => attrs[i] = new,
            None => attrs.push(new),
        }
        self.xattrs_store(&mut inode, attrs)?;
        inode.ctime = self.now();
        self.write_inode(&mut inode)
    }

    /// removexattr(2).
    pub fn removexattr(&mut self, ino: Ino, name: &[u8]) -> Result<()> {
        self.begin_op()?;
        let (index, suffix) = split_name(name)?;
        let mut inode = self.get_inode(ino)?;
        let mut attrs = self.xattrs_all(&inode)?;
        let pos = attrs.iter().position(|a| a.index == index && a.name == suffix).ok_or(Error::NoData)?;
        attrs.remove(pos);
        self.xattrs_store(&mut inode, attrs)?;
        inode.ctime = self.now();
        self.write_inode(&mut inode)
    }

    /// Write `attrs` as the complete attribute set of `inode` (the caller
    /// writes the inode afterwards).
    pub(crate) fn xattrs_store(&mut self, inode: &mut Inode, mut attrs: Vec<Xattr>) -> Result<()> {
        if !self.sb.has_xattr() && !attrs.is_empty() {
            return Err(Error::Unsupported("file system has no ext_attr feature"));
        }
        // system.data (inline data) must be in the inode: put it first.
        attrs.sort_by_key(|a| !(a.index == 7 && a.name == b"data"));
        let isz = self.sb.inode_size as usize;
        let mut in_inode = 0usize;
        if let Some(s) = self.ibody_start(inode) {
            let mut n = 0;
            // Largest prefix of attrs that fits in the body.
            while n < attrs.len() {
                let refs: Vec<&Xattr> = attrs[..n + 1].iter().collect();
                let mut scratch = inode.raw.clone();
                if !layout(&mut scratch, s + 4, isz, s + 4, &refs) {
                    break;
                }
                n += 1;
            }
            let refs: Vec<&Xattr> = attrs[..n].iter().collect();
            if n > 0 {
                put32(&mut inode.raw, s, XATTR_MAGIC);
                layout(&mut inode.raw, s + 4, isz, s + 4, &refs);
            } else {
                inode.raw[s..isz].fill(0);
            }
            in_inode = n;
        }
        let mut rest: Vec<&Xattr> = attrs[in_inode..].iter().collect();
        if rest.first().is_some_and(|a| a.index == 7 && a.name == b"data") {
            return Err(Error::NoSpace);
        }
        rest.sort_by(|a, b| (a.index, a.name.len(), &a.name).cmp(&(b.index, b.name.len(), &b.name)));
        if rest.is_empty() {
            if inode.file_acl != 0 {
                self.xattr_release_block(inode)?;
            }
            return Ok(());
        }
        let bs = self.layout.block_size as usize;
        let mut img = vec![0u8; bs];
        if !layout(&mut img, HEADER_LEN, bs, 0, &rest) {
            return Err(Error::NoSpace);
        }
        put32(&mut img, 0, XATTR_MAGIC);
        put32(&mut img, 4, 1);
        put32(&mut img, 8, 1);
        let mut h: u32 = 0;
        for a in &rest {
            let eh = a.hash();
            if eh == 0 {
                h = 0;
                break;
            }
            h = (h << 16) ^ (h >> 16) ^ eh;
        }
        put32(&mut img, 0xC, h);
        // Reuse the block if this inode is its only user.
        let blk = if inode.file_acl != 0 && le32(self.disk.read(inode.file_acl)?, 4) == 1 {
            inode.file_acl
        } else {
            let goal = self.inode_goal(inode.ino);
            let nb = self.alloc_meta_block(inode, goal)?;
            if inode.file_acl != 0 {
                self.xattr_release_block(inode)?;
            }
            nb
        };
        if let Some(seed) = self.csum {
            let c = block_csum(seed, blk, &img);
            put32(&mut img, 0x10, c);
        }
        self.disk.zeroed(blk)?.copy_from_slice(&img);
        inode.file_acl = blk;
        Ok(())
    }

    /// Drop this inode's use of its xattr block (freeing it if last).
    pub(crate) fn xattr_release_block(&mut self, inode: &mut Inode) -> Result<()> {
        let blk = inode.file_acl;
        let csum = self.csum;
        let b = self.disk.read(blk)?;
        if le32(b, 0) != XATTR_MAGIC {
            return Err(Error::Corrupt("bad xattr block header"));
        }
        let refs = le32(b, 4);
        if refs > 1 {
            let b = self.disk.modify(blk)?;
            put32(b, 4, refs - 1);
            if let Some(seed) = csum {
                let c = block_csum(seed, blk, b);
                put32(b, 0x10, c);
            }
        } else {
            self.disk.forget(blk);
            self.free_blocks_deferred(blk, 1)?;
        }
        inode.blocks = inode.blocks.saturating_sub(self.layout.block_size / 512);
        inode.file_acl = 0;
        Ok(())
    }

    /// Inline data: the bytes past i_block's 60, from system.data.
    pub(crate) fn inline_read(&mut self, inode: &Inode, offset: u64, buf: &mut [u8]) -> Result<usize> {
        let mut all = inode.block.to_vec();
        if let Some(a) = self.xattrs_ibody(inode)?.into_iter().find(|a| a.index == 7 && a.name == b"data") {
            all.extend_from_slice(&a.value);
        }
        let off = offset as usize;
        if off >= all.len() {
            buf.fill(0);
            return Ok(buf.len());
        }
        let n = buf.len().min(all.len() - off);
        buf[..n].copy_from_slice(&all[off..off + n]);
        buf[n..].fill(0);
        Ok(buf.len())
    }

    /// Turn an inline-data file into an extent-mapped one (before writing).
    pub(crate) fn inline_to_extents(&mut self, inode: &mut Inode) -> Result<()> {
        if inode.is_dir() {
            return Err(Error::Unsupported("changing inline-data directories"));
        }
        let size = inode.size as usize;
        let mut data = vec![0u8; size];
        self.inline_read(inode, 0, &mut data)?;
        let attrs: Vec<Xattr> =
            self.xattrs_all(inode)?.into_iter().filter(|a| !(a.index == 7 && a.name == b"data")).collect();
        self.xattrs_store(inode, attrs)?;
        inode.flags &= !crate::inode::FL_INLINE_DATA;
        inode.flags |= crate::inode::FL_EXTENTS;
        inode.block = [0; crate::inode::I_BLOCK_LEN];
        crate::extent::encode_node(
            &crate::extent::Node { depth: 0, max: crate::extent::ROOT_CAP, entries: Vec::new() },
            &mut inode.block,
        );
        if !data.is_empty() {
            self.write_blocks(inode, 0, &data)?;
        }
        Ok(())
    }
}
