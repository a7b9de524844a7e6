//! Name operations: create, mknod, mkdir, symlink, link, unlink, rmdir,
//! rename, readlink and setattr.

use alloc::vec::Vec;

use crate::device::BlockDevice;
use crate::dir::NAME_MAX;
use crate::error::{Error, Result};
use crate::extent::{Node, ROOT_CAP, encode_node};
use crate::fs::{Attr, FileType, Fs};
use crate::inode::*;

/// Most links an inode may have (Linux's EXT4_LINK_MAX).
pub const LINK_MAX: u16 = 65000;

/// rename(2) flags.
pub const RENAME_NOREPLACE: u32 = 1;
pub const RENAME_EXCHANGE: u32 = 2;
pub const RENAME_WHITEOUT: u32 = 4;

/// Attribute changes for `setattr` (None leaves a field alone).
#[derive(Clone, Copy, Debug, Default)]
pub struct SetAttr {
    /// Permission bits (the type bits are kept).
    pub mode: Option<u16>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub size: Option<u64>,
    pub atime: Option<Timestamp>,
    pub mtime: Option<Timestamp>,
    /// When None, ctime becomes "now" if anything changed, as Linux does.
    pub ctime: Option<Timestamp>,
    pub crtime: Option<Timestamp>,
    /// Inode flags (FS_IOC_SETFLAGS: only the user-changeable ones).
    pub flags: Option<u32>,
}

/// Flags FS_IOC_SETFLAGS may change (Linux's EXT4_FL_USER_MODIFIABLE
/// minus the ones with side effects this library does not implement).
const FL_USER_SETTABLE: u32 = 0x1 | 0x2 | 0x8 | FL_IMMUTABLE | FL_APPEND | 0x40 | 0x80 | 0x10000 | 0x20000;

fn check_name(name: &[u8]) -> Result<()> {
    if name.is_empty() || name == b"." || name == b".." {
        return Err(Error::Exists);
    }
    if name.len() > NAME_MAX {
        return Err(Error::NameTooLong);
    }
    if name.contains(&b'/') || name.contains(&0) {
        return Err(Error::Invalid);
    }
    Ok(())
}

impl<D: BlockDevice> Fs<D> {
    fn get_dir(&mut self, ino: Ino) -> Result<Inode> {
        let d = self.get_inode(ino)?;
        if !d.is_dir() {
            return Err(Error::NotDir);
        }
        if d.links == 0 {
            return Err(Error::NotFound);
        }
        Ok(d)
    }

    fn next_generation(&mut self, ino: Ino) -> u32 {
        // xorshift over the time and inode number: generations only need
        // to differ between reuses of a number.
        let t = self.now();
        let mut x = (t.sec as u64) ^ ((t.nsec as u64) << 20) ^ ((ino as u64) << 40) ^ self.sb.free_inodes as u64;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as u32
    }

    /// A new inode with its fields set; not yet linked anywhere.
    fn new_inode(&mut self, parent: &Inode, mode: u16, uid: u32, gid: u32) -> Result<Inode> {
        let is_dir = mode & S_IFMT == S_IFDIR;
        let ino = self.alloc_inode(parent.ino, is_dir)?;
        let extra = if self.sb.want_extra_isize > 0 { self.sb.want_extra_isize } else { 32 };
        let isz = self.sb.inode_size as usize;
        let extra = extra.min((isz.saturating_sub(GOOD_OLD_INODE_SIZE)) as u16);
        let mut i = Inode::new(ino, isz, extra);
        let now = self.now();
        i.mode = mode;
        i.uid = uid;
        i.gid = gid;
        i.links = if is_dir { 2 } else { 1 };
        i.atime = now;
        i.mtime = now;
        i.ctime = now;
        i.crtime = now;
        i.generation = self.next_generation(ino);
        i.flags = parent.flags & FL_INHERITED;
        if !is_dir {
            // Directory-only flags do not pass to files.
            i.flags &= !(0x10000 | 0x20000);
        }
        let t = mode & S_IFMT;
        if self.sb.has_extents() && (t == S_IFDIR || t == S_IFREG || t == S_IFLNK) {
            i.flags |= FL_EXTENTS;
            encode_node(&Node { depth: 0, max: ROOT_CAP, entries: Vec::new() }, &mut i.block);
        }
        Ok(i)
    }

    fn touch_dir(&mut self, dir: &mut Inode) {
        let now = self.now();
        dir.mtime = now;
        dir.ctime = now;
    }

    /// Create a non-directory: regular file, FIFO, socket or device node
    /// (`mode` carries the type; `rdev` is (major, minor) for devices).
    pub fn mknod(&mut self, dir: Ino, name: &[u8], mode: u16, uid: u32, gid: u32, rdev: (u32, u32)) -> Result<Ino> {
        self.begin_op()?;
        check_name(name)?;
        let t = mode & S_IFMT;
        let t = if t == 0 { S_IFREG } else { t };
        if !matches!(t, S_IFREG | S_IFIFO | S_IFSOCK | S_IFCHR | S_IFBLK) {
            return Err(Error::Invalid);
        }
        let mut d = self.get_dir(dir)?;
        if self.dir_find(&d, name)?.is_some() {
            return Err(Error::Exists);
        }
        let mut i = self.new_inode(&d, t | (mode & 0o7777), uid, gid)?;
        if matches!(t, S_IFCHR | S_IFBLK) {
            i.set_rdev(rdev.0, rdev.1);
        }
        self.write_inode(&mut i)?;
        self.link_new(&mut d, name, &mut i)?;
        Ok(i.ino)
    }

    /// Create a regular file.
    pub fn create(&mut self, dir: Ino, name: &[u8], mode: u16, uid: u32, gid: u32) -> Result<Ino> {
        self.mknod(dir, name, S_IFREG | (mode & 0o7777), uid, gid, (0, 0))
    }

    /// Enter a new inode in its directory; on failure give the inode back.
    fn link_new(&mut self, d: &mut Inode, name: &[u8], i: &mut Inode) -> Result<()> {
        let ft = FileType::from_mode(i.mode);
        if let Err(e) = self.dir_add(d, name, i.ino, ft) {
            let ino = i.ino;
            let was_dir = i.is_dir();
            self.truncate_blocks(i, 0)?;
            i.links = 0;
            i.dtime = self.now().sec as u32;
            self.write_inode(i)?;
            self.free_inode(ino, was_dir)?;
            return Err(e);
        }
        if i.is_dir() {
            self.inc_links(d);
        }
        self.touch_dir(d);
        self.write_inode(d)
    }

    fn inc_links(&mut self, d: &mut Inode) {
        if d.links >= LINK_MAX || d.links == 1 && d.is_dir() && self.sb.has_dir_nlink() {
            // Past the limit a directory's count becomes 1: "many".
            if d.is_dir() && self.sb.has_dir_nlink() {
                d.links = 1;
            }
        } else {
            d.links += 1;
        }
    }

    fn dec_dir_links(&mut self, d: &mut Inode) {
        if d.links > 2 {
            d.links -= 1;
        }
    }

    /// Create a directory.
    pub fn mkdir(&mut self, dir: Ino, name: &[u8], mode: u16, uid: u32, gid: u32) -> Result<Ino> {
        self.begin_op()?;
        check_name(name)?;
        let mut d = self.get_dir(dir)?;
        if d.links >= LINK_MAX && !self.sb.has_dir_nlink() {
            return Err(Error::TooManyLinks);
        }
        if self.dir_find(&d, name)?.is_some() {
            return Err(Error::Exists);
        }
        let mut i = self.new_inode(&d, S_IFDIR | (mode & 0o7777), uid, gid)?;
        if let Err(e) = self.dir_init(&mut i, d.ino) {
            self.write_inode(&mut i)?;
            let mut i2 = i.clone();
            self.truncate_blocks(&mut i2, 0)?;
            self.free_inode(i.ino, true)?;
            return Err(e);
        }
        self.write_inode(&mut i)?;
        self.link_new(&mut d, name, &mut i)?;
        Ok(i.ino)
    }

    /// Create a symbolic link: in i_block when the target is short (a
    /// "fast" symlink, under 60 bytes), else in a data block.
    pub fn symlink(&mut self, dir: Ino, name: &[u8], target: &[u8], uid: u32, gid: u32) -> Result<Ino> {
        self.begin_op()?;
        check_name(name)?;
        if target.is_empty() {
            return Err(Error::NotFound);
        }
        if target.len() + 1 > self.layout.block_size as usize {
            return Err(Error::NameTooLong);
        }
        let mut d = self.get_dir(dir)?;
        if self.dir_find(&d, name)?.is_some() {
            return Err(Error::Exists);
        }
        let mut i = self.new_inode(&d, S_IFLNK | 0o777, uid, gid)?;
        if target.len() < I_BLOCK_LEN {
            i.flags &= !FL_EXTENTS;
            i.block = [0; I_BLOCK_LEN];
            i.block[..target.len()].copy_from_slice(target);
            i.size = target.len() as u64;
        } else {
            let mut padded = alloc::vec![0u8; self.layout.block_size as usize];
            padded[..target.len()].copy_from_slice(target);
            if let Err(e) = self.write_blocks(&mut i, 0, &padded) {
                self.write_inode(&mut i)?;
                self.free_inode(i.ino, false)?;
                return Err(e);
            }
            i.size = target.len() as u64;
        }
        self.write_inode(&mut i)?;
        self.link_new(&mut d, name, &mut i)?;
        Ok(i.ino)
    }

    /// The target of a symbolic link.
    pub fn readlink(&mut self, ino: Ino) -> Result<Vec<u8>> {
        let i = self.get_inode(ino)?;
        if !i.is_symlink() {
            return Err(Error::Invalid);
        }
        if i.size > self.layout.block_size {
            return Err(Error::Corrupt("symlink too long"));
        }
        if i.is_fast_symlink(self.sb.block_size) {
            return Ok(i.block[..i.size as usize].to_vec());
        }
        self.read_all(&i, i.size as usize)
    }

    /// Make `name` in `dir` another link to `ino`.
    pub fn link(&mut self, ino: Ino, dir: Ino, name: &[u8]) -> Result<()> {
        self.begin_op()?;
        check_name(name)?;
        let mut i = self.get_inode(ino)?;
        if i.is_dir() {
            return Err(Error::NotPermitted);
        }
        if i.flags & (FL_IMMUTABLE | FL_APPEND) != 0 {
            return Err(Error::NotPermitted);
        }
        if i.links >= LINK_MAX {
            return Err(Error::TooManyLinks);
        }
        if i.links == 0 && !self.is_held(ino) {
            return Err(Error::NotFound);
        }
        let mut d = self.get_dir(dir)?;
        if self.dir_find(&d, name)?.is_some() {
            return Err(Error::Exists);
        }
        self.dir_add(&mut d, name, ino, FileType::from_mode(i.mode))?;
        if i.links == 0 {
            // Linking an O_TMPFILE-style orphan back in.
            self.orphan_remove(ino)?;
            i = self.read_inode(ino)?;
        }
        i.links += 1;
        i.ctime = self.now();
        self.write_inode(&mut i)?;
        self.touch_dir(&mut d);
        self.write_inode(&mut d)
    }

    /// Drop one link of `i`; at zero, free it now or (if held open) put
    /// it on the orphan list.
    fn drop_link(&mut self, mut i: Inode) -> Result<()> {
        if i.is_dir() {
            i.links = 0;
        } else {
            i.links = i.links.saturating_sub(1);
        }
        i.ctime = self.now();
        if i.links > 0 {
            return self.write_inode(&mut i);
        }
        if self.is_held(i.ino) {
            if i.is_dir() {
                i.size = 0;
                self.truncate_blocks(&mut i, 0)?;
            }
            self.orphan_add(&mut i)
        } else {
            self.destroy_inode(i)
        }
    }

    /// Remove the non-directory `name` from `dir`.
    pub fn unlink(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        self.begin_op()?;
        if name.len() > NAME_MAX {
            return Err(Error::NameTooLong);
        }
        let mut d = self.get_dir(dir)?;
        let f = self.dir_find(&d, name)?.ok_or(Error::NotFound)?;
        let i = self.get_inode(f.ino)?;
        if i.is_dir() {
            return Err(Error::IsDir);
        }
        if i.flags & (FL_IMMUTABLE | FL_APPEND) != 0 || d.flags & (FL_IMMUTABLE | FL_APPEND) != 0 {
            return Err(Error::NotPermitted);
        }
        self.dir_remove_at(&d, &f)?;
        self.touch_dir(&mut d);
        self.write_inode(&mut d)?;
        self.drop_link(i)
    }

    /// Remove the empty directory `name` from `dir`.
    pub fn rmdir(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        self.begin_op()?;
        if name == b"." {
            return Err(Error::Invalid);
        }
        if name == b".." {
            return Err(Error::NotEmpty);
        }
        if name.len() > NAME_MAX {
            return Err(Error::NameTooLong);
        }
        let mut d = self.get_dir(dir)?;
        let f = self.dir_find(&d, name)?.ok_or(Error::NotFound)?;
        let i = self.get_inode(f.ino)?;
        if !i.is_dir() {
            return Err(Error::NotDir);
        }
        if i.flags & (FL_IMMUTABLE | FL_APPEND) != 0 || d.flags & (FL_IMMUTABLE | FL_APPEND) != 0 {
            return Err(Error::NotPermitted);
        }
        if !self.dir_is_empty(&i)? {
            return Err(Error::NotEmpty);
        }
        self.dir_remove_at(&d, &f)?;
        self.dec_dir_links(&mut d);
        self.touch_dir(&mut d);
        self.write_inode(&mut d)?;
        self.drop_link(i)
    }

    /// Whether directory `anc` is `ino` or one of its ancestors.
    fn is_ancestor(&mut self, anc: Ino, mut ino: Ino) -> Result<bool> {
        let mut steps = 0;
        loop {
            if ino == anc {
                return Ok(true);
            }
            if ino == ROOT_INO {
                return Ok(false);
            }
            steps += 1;
            if steps > 4096 {
                return Err(Error::Corrupt("directory parent chain too long"));
            }
            let d = self.get_dir(ino)?;
            ino = self.dir_find(&d, b"..")?.ok_or(Error::Corrupt("directory without .."))?.ino;
        }
    }

    /// rename(2) / renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE.
    pub fn rename(&mut self, odir: Ino, oname: &[u8], ndir: Ino, nname: &[u8], flags: u32) -> Result<()> {
        self.begin_op()?;
        if flags & RENAME_WHITEOUT != 0 {
            return Err(Error::Unsupported("RENAME_WHITEOUT"));
        }
        if flags & !(RENAME_NOREPLACE | RENAME_EXCHANGE) != 0
            || flags & RENAME_NOREPLACE != 0 && flags & RENAME_EXCHANGE != 0
        {
            return Err(Error::Invalid);
        }
        for n in [oname, nname] {
            if n.len() > NAME_MAX {
                return Err(Error::NameTooLong);
            }
            if n == b"." || n == b".." || n.is_empty() {
                return Err(Error::Busy);
            }
        }
        let mut od = self.get_dir(odir)?;
        let of = self.dir_find(&od, oname)?.ok_or(Error::NotFound)?;
        let src = self.get_inode(of.ino)?;
        let nd0 = self.get_dir(ndir)?;
        let nf = self.dir_find(&nd0, nname)?;
        if let Some(nf) = &nf {
            if nf.ino == src.ino {
                // Two links to one inode: POSIX says do nothing.
                return Ok(());
            }
        }
        if flags & RENAME_EXCHANGE != 0 {
            let nf = nf.ok_or(Error::NotFound)?;
            return self.rename_exchange(od, of, src, nd0, nf);
        }
        if nf.is_some() && flags & RENAME_NOREPLACE != 0 {
            return Err(Error::Exists);
        }
        if src.is_dir() && odir != ndir && self.is_ancestor(src.ino, ndir)? {
            return Err(Error::Invalid);
        }
        let now = self.now();
        let victim = match &nf {
            Some(f) => {
                let v = self.get_inode(f.ino)?;
                if src.is_dir() && !v.is_dir() {
                    return Err(Error::NotDir);
                }
                if !src.is_dir() && v.is_dir() {
                    return Err(Error::IsDir);
                }
                if v.is_dir() && !self.dir_is_empty(&v)? {
                    return Err(Error::NotEmpty);
                }
                Some(v)
            }
            None => None,
        };
        // Enter the new name first, so a failure leaves the old one intact.
        let same_dir = odir == ndir;
        let mut nd = nd0;
        match &nf {
            Some(f) => self.dir_retarget(&nd, f, src.ino, FileType::from_mode(src.mode))?,
            None => self.dir_add(&mut nd, nname, src.ino, FileType::from_mode(src.mode))?,
        }
        if same_dir {
            // The add may have changed the directory (new blocks, index).
            od = nd.clone();
        }
        let of = self.dir_find(&od, oname)?.ok_or(Error::Corrupt("renamed entry vanished"))?;
        self.dir_remove_at(&od, &of)?;
        let mut src = self.read_inode(src.ino)?;
        if src.is_dir() && !same_dir {
            let f = self.dir_find(&src, b"..")?.ok_or(Error::Corrupt("directory without .."))?;
            self.dir_retarget(&src, &f, ndir, FileType::Directory)?;
            self.dec_dir_links(&mut od);
            if victim.is_none() {
                self.inc_links(&mut nd);
            }
        } else if src.is_dir() && victim.is_some() {
            // Same directory, a directory replaced: one subdirectory fewer.
            self.dec_dir_links(&mut od);
        }
        src.ctime = now;
        self.write_inode(&mut src)?;
        if same_dir {
            od.mtime = now;
            od.ctime = now;
            self.write_inode(&mut od)?;
        } else {
            od.mtime = now;
            od.ctime = now;
            nd.mtime = now;
            nd.ctime = now;
            if src.is_dir() && victim.as_ref().is_some_and(|v| v.is_dir()) {
                self.dec_dir_links(&mut nd);
                self.inc_links(&mut nd);
            }
            self.write_inode(&mut od)?;
            self.write_inode(&mut nd)?;
        }
        if let Some(v) = victim {
            let v = self.read_inode(v.ino)?;
            self.drop_link(v)?;
        }
        Ok(())
    }

    fn rename_exchange(&mut self, mut od: Inode, of: crate::dir::Found, a: Inode, nd0: Inode, nf: crate::dir::Found) -> Result<()> {
        let b = self.get_inode(nf.ino)?;
        let same_dir = od.ino == nd0.ino;
        if !same_dir {
            if a.is_dir() && self.is_ancestor(a.ino, nd0.ino)? {
                return Err(Error::Invalid);
            }
            if b.is_dir() && self.is_ancestor(b.ino, od.ino)? {
                return Err(Error::Invalid);
            }
        }
        let mut nd = nd0;
        self.dir_retarget(&od, &of, b.ino, FileType::from_mode(b.mode))?;
        self.dir_retarget(&nd, &nf, a.ino, FileType::from_mode(a.mode))?;
        let now = self.now();
        if !same_dir {
            for (x, newp) in [(&a, nd.ino), (&b, od.ino)] {
                if x.is_dir() {
                    let f = self.dir_find(x, b"..")?.ok_or(Error::Corrupt("directory without .."))?;
                    self.dir_retarget(x, &f, newp, FileType::Directory)?;
                }
            }
            if a.is_dir() != b.is_dir() {
                if a.is_dir() {
                    self.inc_links(&mut nd);
                    self.dec_dir_links(&mut od);
                } else {
                    self.inc_links(&mut od);
                    self.dec_dir_links(&mut nd);
                }
            }
        }
        for ino in [a.ino, b.ino] {
            let mut x = self.read_inode(ino)?;
            x.ctime = now;
            self.write_inode(&mut x)?;
        }
        od.mtime = now;
        od.ctime = now;
        self.write_inode(&mut od)?;
        if !same_dir {
            nd.mtime = now;
            nd.ctime = now;
            self.write_inode(&mut nd)?;
        }
        Ok(())
    }

    /// chmod/chown/utimes/truncate/chattr in one call; returns the new
    /// attributes.
    pub fn setattr(&mut self, ino: Ino, a: &SetAttr) -> Result<Attr> {
        self.begin_op()?;
        let mut i = self.get_inode(ino)?;
        let mut changed = false;
        if let Some(size) = a.size {
            if i.is_dir() {
                return Err(Error::IsDir);
            }
            if !i.is_reg() {
                return Err(Error::Invalid);
            }
            if size != i.size {
                self.set_size(&mut i, size)?;
            }
            changed = true;
        }
        if let Some(m) = a.mode {
            i.mode = (i.mode & S_IFMT) | (m & 0o7777);
            changed = true;
        }
        if let Some(u) = a.uid {
            i.uid = u;
            changed = true;
        }
        if let Some(g) = a.gid {
            i.gid = g;
            changed = true;
        }
        if let Some(t) = a.atime {
            i.atime = t;
            changed = true;
        }
        if let Some(t) = a.mtime {
            i.mtime = t;
            changed = true;
        }
        if let Some(t) = a.crtime {
            i.crtime = t;
            changed = true;
        }
        if let Some(fl) = a.flags {
            i.flags = (i.flags & !FL_USER_SETTABLE) | (fl & FL_USER_SETTABLE);
            changed = true;
        }
        match a.ctime {
            Some(t) => i.ctime = t,
            None if changed => i.ctime = self.now(),
            None => {}
        }
        self.write_inode(&mut i)?;
        Ok(self.attr_of(&i))
    }
}
