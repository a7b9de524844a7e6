//! tmpfs: a file system in memory. The root file system (unpacked from the
//! initramfs) and /dev are tmpfs.
//!
//! File data lives in page frames that are at once the file's content and
//! its page cache: a MAP_SHARED mapping maps these very frames.
//! Directory entries carry a cookie that increases with each insertion, and
//! getdents cursors are cookies, so entries added or removed during a
//! directory scan never make it skip or repeat the others.

use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::mem::frame::PhysFrame;
use kevlar_hal::sync::SpinLock;

use super::file::FileOps;
use super::inode::{DirEntry, FileType, Inode, NewNode, RenameFlags, SetAttr, Stat, StatFs, make_dev};
use crate::errno::{Errno, KResult};
use crate::mm::{PAGE_SIZE, PageSource};
use crate::time::{Timespec, realtime};

/// f_type of tmpfs (TMPFS_MAGIC).
const TMPFS_MAGIC: u64 = 0x0102_1994;
/// Largest file tmpfs accepts (MAX_LFS_FILESIZE).
const MAX_FILE_SIZE: u64 = i64::MAX as u64;

static NEXT_FS_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh file-system instance id (also the minor of its anonymous dev_t).
pub fn new_fs_id() -> u64 {
    NEXT_FS_ID.fetch_add(1, Ordering::Relaxed)
}

/// One tmpfs instance.
pub struct Tmpfs {
    id: u64,
    next_ino: AtomicU64,
    /// Serialises renames, which lock two directories.
    rename_lock: SpinLock<()>,
    /// Live inodes and the most allowed (Linux's nr_inodes default: half
    /// of RAM's pages), so creating files ends in ENOSPC, not in a kernel
    /// out of memory.
    inodes: AtomicU64,
    max_inodes: AtomicU64,
    /// Data pages in use and the most allowed (size= default: half of RAM).
    pages: AtomicU64,
    max_pages: AtomicU64,
}

impl Tmpfs {
    /// A new, empty tmpfs; returns its root directory.
    pub fn new(mode: u32, uid: u32, gid: u32) -> Arc<TmpfsInode> {
        let half_ram = kevlar_hal::mem::frame::stats().total as u64 / 2;
        let fs = Arc::new(Tmpfs {
            id: new_fs_id(),
            next_ino: AtomicU64::new(1),
            rename_lock: SpinLock::new(()),
            inodes: AtomicU64::new(0),
            max_inodes: AtomicU64::new(half_ram),
            pages: AtomicU64::new(0),
            max_pages: AtomicU64::new(half_ram),
        });
        let root = TmpfsInode::new(&fs, FileType::Directory, mode & 0o7777, uid, gid, Kind::Dir(SpinLock::new(DirData::new())));
        root.meta.lock().nlink = 2;
        root
    }
}

struct Meta {
    mode: u32,
    nlink: u32,
    uid: u32,
    gid: u32,
    rdev: u64,
    atime: Timespec,
    mtime: Timespec,
    ctime: Timespec,
}

struct FileData {
    pages: BTreeMap<u64, PhysFrame>,
    size: u64,
}

struct DirData {
    by_name: BTreeMap<Vec<u8>, u64>,
    by_cookie: BTreeMap<u64, (Vec<u8>, Arc<TmpfsInode>)>,
    next_cookie: u64,
    parent: Weak<TmpfsInode>,
}

impl DirData {
    fn new() -> DirData {
        // Cookies 0 and 1 are "." and "..".
        DirData { by_name: BTreeMap::new(), by_cookie: BTreeMap::new(), next_cookie: 2, parent: Weak::new() }
    }

    fn get(&self, name: &[u8]) -> Option<&Arc<TmpfsInode>> {
        self.by_name.get(name).and_then(|c| self.by_cookie.get(c)).map(|(_, i)| i)
    }

    fn insert(&mut self, name: &[u8], inode: Arc<TmpfsInode>) {
        let c = self.next_cookie;
        self.next_cookie += 1;
        self.by_name.insert(name.to_vec(), c);
        self.by_cookie.insert(c, (name.to_vec(), inode));
    }

    fn remove(&mut self, name: &[u8]) -> Option<Arc<TmpfsInode>> {
        let c = self.by_name.remove(name)?;
        self.by_cookie.remove(&c).map(|(_, i)| i)
    }

    fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

enum Kind {
    File(SpinLock<FileData>),
    Dir(SpinLock<DirData>),
    Symlink(Vec<u8>),
    /// A named pipe: its buffer lives as long as the inode.
    Fifo(Arc<super::pipe::Pipe>),
    /// A device node or socket node.
    Special,
}

/// A tmpfs object.
pub struct TmpfsInode {
    fs: Arc<Tmpfs>,
    me: Weak<TmpfsInode>,
    ino: u64,
    meta: SpinLock<Meta>,
    kind: Kind,
}

impl TmpfsInode {
    /// Changes the file system's limits (mount and remount options size=
    /// and nr_inodes=; 0 means unlimited, as on Linux).
    pub fn set_limits(&self, pages: Option<u64>, inodes: Option<u64>) {
        let or_unlimited = |v: u64| if v == 0 { u64::MAX } else { v };
        if let Some(p) = pages {
            self.fs.max_pages.store(or_unlimited(p), Ordering::Relaxed);
        }
        if let Some(i) = inodes {
            self.fs.max_inodes.store(or_unlimited(i), Ordering::Relaxed);
        }
    }

    fn new(fs: &Arc<Tmpfs>, ft: FileType, perm: u32, uid: u32, gid: u32, kind: Kind) -> Arc<TmpfsInode> {
        fs.inodes.fetch_add(1, Ordering::Relaxed);
        let now = realtime();
        Arc::new_cyclic(|me| TmpfsInode {
            fs: fs.clone(),
            me: me.clone(),
            ino: fs.next_ino.fetch_add(1, Ordering::Relaxed),
            meta: SpinLock::new(Meta { mode: ft.mode_bits() | (perm & 0o7777), nlink: 1, uid, gid, rdev: 0, atime: now, mtime: now, ctime: now }),
            kind,
        })
    }

    fn dir(&self) -> KResult<&SpinLock<DirData>> {
        match &self.kind {
            Kind::Dir(d) => Ok(d),
            _ => Err(Errno::ENOTDIR),
        }
    }

    fn is_dir(&self) -> bool {
        matches!(self.kind, Kind::Dir(_))
    }

    fn touch_modified(&self) {
        let now = realtime();
        let mut m = self.meta.lock();
        m.mtime = now;
        m.ctime = now;
    }

    fn touch_changed(&self) {
        self.meta.lock().ctime = realtime();
    }

    /// Whether `self` is `other` or one of its ancestors.
    fn is_ancestor_of(self: &Arc<Self>, other: &Arc<TmpfsInode>) -> bool {
        let mut at = other.clone();
        loop {
            if Arc::ptr_eq(self, &at) {
                return true;
            }
            let parent = match &at.kind {
                Kind::Dir(d) => d.lock().parent.upgrade(),
                _ => None,
            };
            match parent {
                Some(p) => at = p,
                None => return false,
            }
        }
    }

    fn downcast(inode: &Arc<dyn Inode>) -> Option<&TmpfsInode> {
        inode.as_any().downcast_ref::<TmpfsInode>()
    }

    /// Looks up a child as the concrete type.
    fn child(&self, name: &[u8]) -> KResult<Arc<TmpfsInode>> {
        self.dir()?.lock().get(name).cloned().ok_or(Errno::ENOENT)
    }

    /// Sets a device node's number (used by /dev population).
    pub fn set_rdev(&self, rdev: u64) {
        self.meta.lock().rdev = rdev;
    }
}

/// Sets the size; returns how many pages were freed.
fn truncate_pages(data: &mut FileData, new_size: u64) -> u64 {
    let mut freed = 0;
    if new_size < data.size {
        let first_dead = new_size.div_ceil(PAGE_SIZE as u64);
        freed = data.pages.split_off(&first_dead).len() as u64;
        let tail = (new_size % PAGE_SIZE as u64) as usize;
        if tail != 0 {
            if let Some(f) = data.pages.get(&(new_size / PAGE_SIZE as u64)) {
                f.zero_range(tail, PAGE_SIZE - tail);
            }
        }
    }
    data.size = new_size;
    freed
}

impl Inode for TmpfsInode {
    fn stat(&self) -> Stat {
        // Lock order in this file: directory/file data before meta.
        let (size, blocks) = match &self.kind {
            Kind::File(f) => {
                let f = f.lock();
                (f.size, f.pages.len() as u64 * (PAGE_SIZE as u64 / 512))
            }
            // Linux's shmem counts BOGO_DIRENT_SIZE (20) per entry, "." and ".." included.
            Kind::Dir(d) => (20 * (2 + d.lock().by_name.len() as u64), 0),
            Kind::Symlink(t) => (t.len() as u64, 0),
            Kind::Special | Kind::Fifo(_) => (0, 0),
        };
        let m = self.meta.lock();
        Stat {
            dev: make_dev(0, self.fs.id as u32),
            ino: self.ino,
            mode: m.mode,
            nlink: m.nlink,
            uid: m.uid,
            gid: m.gid,
            rdev: m.rdev,
            size,
            blksize: PAGE_SIZE as u32,
            blocks,
            atime: m.atime,
            mtime: m.mtime,
            ctime: m.ctime,
        }
    }

    fn set_attr(&self, attr: &SetAttr) -> KResult<()> {
        if let Some(size) = attr.size {
            let Kind::File(f) = &self.kind else {
                return Err(if self.is_dir() { Errno::EISDIR } else { Errno::EINVAL });
            };
            if size > MAX_FILE_SIZE {
                return Err(Errno::EFBIG);
            }
            let (old_size, freed) = {
                let mut data = f.lock();
                let old = data.size;
                (old, truncate_pages(&mut data, size))
            };
            self.fs.pages.fetch_sub(freed, Ordering::Relaxed);
            if size < old_size {
                // Mapped pages past the new end must fault (SIGBUS) now.
                crate::mm::file_shrunk(self, size);
            }
            self.touch_modified();
        }
        let now = realtime();
        let mut m = self.meta.lock();
        if let Some(mode) = attr.mode {
            m.mode = (m.mode & 0o170000) | (mode & 0o7777);
        }
        if let Some(uid) = attr.uid {
            m.uid = uid;
        }
        if let Some(gid) = attr.gid {
            m.gid = gid;
        }
        if let Some(t) = attr.atime {
            m.atime = t;
        }
        if let Some(t) = attr.mtime {
            m.mtime = t;
        }
        m.ctime = now;
        Ok(())
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let Kind::File(f) = &self.kind else {
            return Err(if self.is_dir() { Errno::EISDIR } else { Errno::EINVAL });
        };
        let data = f.lock();
        if offset >= data.size {
            return Ok(0);
        }
        let len = (buf.len() as u64).min(data.size - offset) as usize;
        let mut done = 0;
        while done < len {
            let pos = offset + done as u64;
            let in_page = (pos % PAGE_SIZE as u64) as usize;
            let chunk = (PAGE_SIZE - in_page).min(len - done);
            match data.pages.get(&(pos / PAGE_SIZE as u64)) {
                Some(frame) => frame.read(in_page, &mut buf[done..done + chunk]),
                None => buf[done..done + chunk].fill(0),
            }
            done += chunk;
        }
        Ok(len)
    }

    fn write_at(&self, offset: u64, buf: &[u8]) -> KResult<usize> {
        let Kind::File(f) = &self.kind else {
            return Err(if self.is_dir() { Errno::EISDIR } else { Errno::EINVAL });
        };
        let end = offset.checked_add(buf.len() as u64).ok_or(Errno::EFBIG)?;
        if end > MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        {
            let mut data = f.lock();
            let mut done = 0;
            while done < buf.len() {
                let pos = offset + done as u64;
                let in_page = (pos % PAGE_SIZE as u64) as usize;
                let chunk = (PAGE_SIZE - in_page).min(buf.len() - done);
                let idx = pos / PAGE_SIZE as u64;
                if !data.pages.contains_key(&idx) {
                    let full = self.fs.pages.load(Ordering::Relaxed) >= self.fs.max_pages.load(Ordering::Relaxed);
                    let Some(frame) = (!full).then(PhysFrame::alloc_zeroed).flatten() else {
                        if done == 0 {
                            return Err(Errno::ENOSPC);
                        }
                        break;
                    };
                    data.pages.insert(idx, frame);
                    self.fs.pages.fetch_add(1, Ordering::Relaxed);
                }
                data.pages[&idx].write(in_page, &buf[done..done + chunk]);
                done += chunk;
                if pos + chunk as u64 > data.size {
                    data.size = pos + chunk as u64;
                }
            }
            drop(data);
            self.touch_modified();
            Ok(done)
        }
    }

    fn lookup(&self, name: &[u8]) -> KResult<Arc<dyn Inode>> {
        Ok(self.child(name)?)
    }

    fn create(&self, name: &[u8], node: NewNode, mode: u32, uid: u32, gid: u32) -> KResult<Arc<dyn Inode>> {
        let dir = self.dir()?;
        let mut d = dir.lock();
        if self.meta.lock().nlink == 0 {
            return Err(Errno::ENOENT); // directory was removed
        }
        if d.get(name).is_some() {
            return Err(Errno::EEXIST);
        }
        if self.fs.inodes.load(Ordering::Relaxed) >= self.fs.max_inodes.load(Ordering::Relaxed) {
            return Err(Errno::ENOSPC);
        }
        let rdev = match &node {
            NewNode::Special(_, rdev) => Some(*rdev),
            _ => None,
        };
        let (ft, kind) = match node {
            NewNode::File => (FileType::Regular, Kind::File(SpinLock::new(FileData { pages: BTreeMap::new(), size: 0 }))),
            NewNode::Directory => (FileType::Directory, Kind::Dir(SpinLock::new(DirData::new()))),
            NewNode::Symlink(target) => (FileType::Symlink, Kind::Symlink(target)),
            NewNode::Special(FileType::Fifo, _) => (FileType::Fifo, Kind::Fifo(super::pipe::Pipe::empty())),
            NewNode::Special(ft, _) => (ft, Kind::Special),
        };
        let perm = if ft == FileType::Symlink { 0o777 } else { mode };
        let inode = TmpfsInode::new(&self.fs, ft, perm, uid, gid, kind);
        if let Some(rdev) = rdev {
            inode.meta.lock().rdev = rdev;
        }
        if let Kind::Dir(child) = &inode.kind {
            child.lock().parent = self.me.clone();
            inode.meta.lock().nlink = 2;
            self.meta.lock().nlink += 1;
        }
        d.insert(name, inode.clone());
        drop(d);
        self.touch_modified();
        Ok(inode)
    }

    fn link(&self, name: &[u8], target: &Arc<dyn Inode>) -> KResult<()> {
        let t = Self::downcast(target).ok_or(Errno::EXDEV)?;
        if !Arc::ptr_eq(&t.fs, &self.fs) {
            return Err(Errno::EXDEV);
        }
        if t.is_dir() {
            return Err(Errno::EPERM);
        }
        let target_arc = t.me.upgrade().ok_or(Errno::ENOENT)?;
        let mut d = self.dir()?.lock();
        if d.get(name).is_some() {
            return Err(Errno::EEXIST);
        }
        if target_arc.meta.lock().nlink == 0 {
            return Err(Errno::ENOENT);
        }
        d.insert(name, target_arc.clone());
        drop(d);
        target_arc.meta.lock().nlink += 1;
        target_arc.touch_changed();
        self.touch_modified();
        Ok(())
    }

    fn unlink(&self, name: &[u8], want_dir: bool) -> KResult<()> {
        let mut d = self.dir()?.lock();
        let child = d.get(name).cloned().ok_or(Errno::ENOENT)?;
        if want_dir {
            let cd = child.dir()?;
            if !cd.lock().is_empty() {
                return Err(Errno::ENOTEMPTY);
            }
        } else if child.is_dir() {
            return Err(Errno::EISDIR);
        }
        d.remove(name);
        drop(d);
        if want_dir {
            child.meta.lock().nlink = 0;
            self.meta.lock().nlink -= 1;
        } else {
            let mut m = child.meta.lock();
            m.nlink = m.nlink.saturating_sub(1);
        }
        child.touch_changed();
        self.touch_modified();
        Ok(())
    }

    fn rename(&self, old: &[u8], new_dir: &Arc<dyn Inode>, new: &[u8], flags: RenameFlags) -> KResult<()> {
        let nd = Self::downcast(new_dir).ok_or(Errno::EXDEV)?;
        if !Arc::ptr_eq(&nd.fs, &self.fs) {
            return Err(Errno::EXDEV);
        }
        let _serial = self.fs.rename_lock.lock();
        let src = self.child(old)?;
        let dst = nd.child(new).ok();
        if let Some(dst) = &dst {
            if Arc::ptr_eq(&src, dst) {
                return Ok(()); // same object: nothing to do
            }
            if flags.no_replace {
                return Err(Errno::EEXIST);
            }
        } else if flags.exchange {
            return Err(Errno::ENOENT);
        }
        // A directory cannot move into its own subtree.
        let nd_arc = nd.me.upgrade().ok_or(Errno::ENOENT)?;
        let self_arc = self.me.upgrade().ok_or(Errno::ENOENT)?;
        if src.is_dir() && src.is_ancestor_of(&nd_arc) {
            return Err(Errno::EINVAL);
        }
        if flags.exchange {
            let dst = dst.expect("checked above");
            if dst.is_dir() && dst.is_ancestor_of(&self_arc) {
                return Err(Errno::EINVAL);
            }
            self.dir()?.lock().remove(old);
            nd.dir()?.lock().remove(new);
            self.dir()?.lock().insert(old, dst.clone());
            nd.dir()?.lock().insert(new, src.clone());
            fix_dir_links(&self_arc, &nd_arc, &src, &dst);
            self.touch_modified();
            nd.touch_modified();
            return Ok(());
        }
        if let Some(dst) = &dst {
            match (src.is_dir(), dst.is_dir()) {
                (true, false) => return Err(Errno::ENOTDIR),
                (false, true) => return Err(Errno::EISDIR),
                (true, true) if !dst.dir()?.lock().is_empty() => return Err(Errno::ENOTEMPTY),
                _ => {}
            }
        }
        self.dir()?.lock().remove(old);
        let replaced = {
            let mut d = nd.dir()?.lock();
            let r = d.remove(new);
            d.insert(new, src.clone());
            r
        };
        if let Some(r) = replaced {
            if r.is_dir() {
                r.meta.lock().nlink = 0;
                nd.meta.lock().nlink -= 1;
            } else {
                let mut m = r.meta.lock();
                m.nlink = m.nlink.saturating_sub(1);
            }
            r.touch_changed();
        }
        if src.is_dir() && !core::ptr::eq(self, nd) {
            self.meta.lock().nlink -= 1;
            nd.meta.lock().nlink += 1;
            if let Kind::Dir(d) = &src.kind {
                d.lock().parent = Arc::downgrade(&nd_arc);
            }
        }
        src.touch_changed();
        self.touch_modified();
        nd.touch_modified();
        Ok(())
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        let d = self.dir()?.lock();
        match pos {
            0 => return Ok(Some((DirEntry { ino: self.ino, file_type: FileType::Directory, name: b".".to_vec() }, 1))),
            1 => {
                let pino = d.parent.upgrade().map_or(self.ino, |p| p.ino);
                return Ok(Some((DirEntry { ino: pino, file_type: FileType::Directory, name: b"..".to_vec() }, 2)));
            }
            _ => {}
        }
        Ok(d.by_cookie.range(pos..).next().map(|(c, (name, inode))| {
            let ft = FileType::from_mode(inode.meta.lock().mode).unwrap_or(FileType::Regular);
            (DirEntry { ino: inode.ino, file_type: ft, name: name.clone() }, c + 1)
        }))
    }

    fn dir_end(&self) -> Option<u64> {
        match &self.kind {
            Kind::Dir(d) => Some(d.lock().next_cookie),
            _ => None,
        }
    }

    fn read_link(&self) -> KResult<Vec<u8>> {
        match &self.kind {
            Kind::Symlink(t) => Ok(t.clone()),
            _ => Err(Errno::EINVAL),
        }
    }

    fn open_special(&self, flags: u32) -> KResult<Option<Arc<dyn FileOps>>> {
        if let Kind::Fifo(pipe) = &self.kind {
            return pipe.open_fifo(flags).map(Some);
        }
        if !matches!(self.kind, Kind::Special) {
            return Ok(None);
        }
        let (mode, rdev) = {
            let m = self.meta.lock();
            (m.mode, m.rdev)
        };
        match FileType::from_mode(mode) {
            Some(FileType::CharDevice) => super::devices::open_char_device(rdev, flags).map(Some),
            Some(FileType::BlockDevice) => Err(Errno::ENXIO),
            _ => Err(Errno::ENXIO),
        }
    }

    fn page_source(self: Arc<Self>) -> Option<Arc<dyn PageSource>> {
        match self.kind {
            Kind::File(_) => Some(self),
            _ => None,
        }
    }

    fn fs_id(&self) -> u64 {
        self.fs.id
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn statfs(&self) -> StatFs {
        let used = self.fs.pages.load(Ordering::Relaxed);
        let free = self.fs.max_pages.load(Ordering::Relaxed).saturating_sub(used);
        let inodes = self.fs.inodes.load(Ordering::Relaxed);
        StatFs {
            fs_type: TMPFS_MAGIC,
            bsize: PAGE_SIZE as u64,
            blocks: self.fs.max_pages.load(Ordering::Relaxed),
            bfree: free,
            bavail: free,
            files: self.fs.max_inodes.load(Ordering::Relaxed),
            ffree: self.fs.max_inodes.load(Ordering::Relaxed).saturating_sub(inodes),
            namelen: 255,
        }
    }
}

impl PageSource for TmpfsInode {
    fn page(&self, index: u64) -> KResult<PhysFrame> {
        let Kind::File(f) = &self.kind else { return Err(Errno::EINVAL) };
        let mut data = f.lock();
        if let Some(frame) = data.pages.get(&index) {
            return Ok(frame.clone());
        }
        if self.fs.pages.load(Ordering::Relaxed) >= self.fs.max_pages.load(Ordering::Relaxed) {
            return Err(Errno::ENOSPC);
        }
        let frame = PhysFrame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
        data.pages.insert(index, frame.clone());
        self.fs.pages.fetch_add(1, Ordering::Relaxed);
        Ok(frame)
    }

    fn cached(&self, index: u64) -> bool {
        match &self.kind {
            Kind::File(f) => f.lock().pages.contains_key(&index),
            _ => false,
        }
    }

    fn size(&self) -> u64 {
        match &self.kind {
            Kind::File(f) => f.lock().size,
            _ => 0,
        }
    }

    fn path(&self) -> Vec<u8> {
        Vec::new()
    }

    fn dev_ino(&self) -> (u64, u64) {
        (make_dev(0, self.fs.id as u32), self.ino)
    }
}

fn fix_dir_links(old_dir: &Arc<TmpfsInode>, new_dir: &Arc<TmpfsInode>, src: &Arc<TmpfsInode>, dst: &Arc<TmpfsInode>) {
    if let Kind::Dir(d) = &src.kind {
        d.lock().parent = Arc::downgrade(new_dir);
    }
    if let Kind::Dir(d) = &dst.kind {
        d.lock().parent = Arc::downgrade(old_dir);
    }
    if src.is_dir() != dst.is_dir() && !Arc::ptr_eq(old_dir, new_dir) {
        let (from, to) = if src.is_dir() { (old_dir, new_dir) } else { (new_dir, old_dir) };
        from.meta.lock().nlink -= 1;
        to.meta.lock().nlink += 1;
    }
}

impl Drop for TmpfsInode {
    fn drop(&mut self) {
        self.fs.inodes.fetch_sub(1, Ordering::Relaxed);
        if let Kind::File(f) = &self.kind {
            self.fs.pages.fetch_sub(f.lock().pages.len() as u64, Ordering::Relaxed);
        }
    }
}
