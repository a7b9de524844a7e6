//! tmpfs: a file system in memory. The root file system (unpacked from the
//! initramfs) and /dev are tmpfs.
//!
//! File data lives in page frames that are at once the file's content and
//! its page cache: a MAP_SHARED mapping maps these very frames.
//! Directory entries carry a cookie that increases with each insertion, and
//! getdents cursors are cookies, so entries added or removed during a
//! directory scan never make it skip or repeat the others.
//!
//! As Linux's shmem, a file also keeps: pages reserved by fallocate and
//! not yet written (zeros that SEEK_DATA counts as a hole), memfd seals
//! (every tmpfs file has them; only memfds start without F_SEAL_SEAL),
//! extended attributes (user, trusted, security) charged against the
//! inode space the file system shares with its inodes, and a birth time.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use kevlar_hal::mem::frame::PhysFrame;
use kevlar_hal::sync::SpinLock;

use super::file::FileOps;
use super::inode::{DirEntry, FileType, Inode, NewNode, RenameFlags, SetAttr, Stat, StatFs, make_dev};
use super::xattr::{self, XattrStore};
use crate::errno::{Errno, KResult};
use crate::mm::{PAGE_SIZE, PageSource};
use crate::time::{Timespec, realtime};

/// f_type of tmpfs (TMPFS_MAGIC).
const TMPFS_MAGIC: u64 = 0x0102_1994;
/// Largest file tmpfs accepts (MAX_LFS_FILESIZE).
pub const MAX_FILE_SIZE: u64 = i64::MAX as u64;
/// Inode space one inode takes (Linux's BOGO_INODE_SIZE); extended
/// attributes draw on the same space.
const INODE_SPACE: u64 = 1024;

/// memfd seals (fcntl F_ADD_SEALS).
pub mod seals {
    /// No more seals may be added.
    pub const SEAL: u32 = 0x01;
    /// The file may not shrink.
    pub const SHRINK: u32 = 0x02;
    /// The file may not grow.
    pub const GROW: u32 = 0x04;
    /// No writes at all (needs no shared writable mapping).
    pub const WRITE: u32 = 0x08;
    /// No new writes; existing shared writable mappings keep working.
    pub const FUTURE_WRITE: u32 = 0x10;
    /// The execute bits may not change.
    pub const EXEC: u32 = 0x20;
    /// Every seal this kernel knows.
    pub const ALL: u32 = 0x3f;
}

/// fallocate modes tmpfs implements.
pub const FALLOC_FL_KEEP_SIZE: u32 = 0x01;
/// fallocate modes tmpfs implements.
pub const FALLOC_FL_PUNCH_HOLE: u32 = 0x02;

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
    /// Bytes of extended attributes, charged against the inode space
    /// (max_inodes * INODE_SPACE, shared with the inodes themselves).
    xattr_space: AtomicU64,
}

impl Tmpfs {
    /// Reserves inode space for `bytes` of attributes (ENOSPC if full).
    fn reserve_xattr_space(&self, bytes: u64) -> KResult<()> {
        let total = self.max_inodes.load(Ordering::Relaxed).saturating_mul(INODE_SPACE);
        let inodes = self.inodes.load(Ordering::Relaxed) * INODE_SPACE;
        let mut cur = self.xattr_space.load(Ordering::Relaxed);
        loop {
            if inodes + cur + bytes > total {
                return Err(Errno::ENOSPC);
            }
            match self.xattr_space.compare_exchange(cur, cur + bytes, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Ok(()),
                Err(now) => cur = now,
            }
        }
    }

    fn release_xattr_space(&self, bytes: u64) {
        self.xattr_space.fetch_sub(bytes, Ordering::Relaxed);
    }

    /// Whether `n` more pages fit under the size limit.
    fn pages_fit(&self, n: u64) -> bool {
        self.pages.load(Ordering::Relaxed).saturating_add(n) <= self.max_pages.load(Ordering::Relaxed)
    }
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
            xattr_space: AtomicU64::new(0),
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
    btime: Timespec,
}

struct FileData {
    pages: BTreeMap<u64, PhysFrame>,
    /// Pages fallocate reserved that nothing has written or mapped yet
    /// (Linux's "not uptodate" falloc'd folios): they read as zeros and
    /// are holes to SEEK_DATA.
    unwritten: BTreeSet<u64>,
    size: u64,
}

impl FileData {
    fn new() -> FileData {
        FileData { pages: BTreeMap::new(), unwritten: BTreeSet::new(), size: 0 }
    }

    /// Whether page `idx` holds data as SEEK_DATA sees it.
    fn has_data(&self, idx: u64) -> bool {
        self.pages.contains_key(&idx) && !self.unwritten.contains(&idx)
    }
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
    /// An O_TMPFILE file that linkat may still give a name (I_LINKABLE).
    linkable: AtomicBool,
    /// memfd seals (`seals::*`).
    seals: AtomicU32,
    xattrs: SpinLock<XattrStore>,
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
            meta: SpinLock::new(Meta { mode: ft.mode_bits() | (perm & 0o7777), nlink: 1, uid, gid, rdev: 0, atime: now, mtime: now, ctime: now, btime: now }),
            kind,
            linkable: AtomicBool::new(false),
            seals: AtomicU32::new(seals::SEAL),
            xattrs: SpinLock::new(XattrStore::new()),
        })
    }

    /// A regular file with no name (O_TMPFILE, memfd_create).
    pub fn new_unnamed_file(&self, perm: u32, uid: u32, gid: u32) -> KResult<Arc<TmpfsInode>> {
        if self.fs.inodes.load(Ordering::Relaxed) >= self.fs.max_inodes.load(Ordering::Relaxed) {
            return Err(Errno::ENOSPC);
        }
        let inode = TmpfsInode::new(&self.fs, FileType::Regular, perm, uid, gid, Kind::File(SpinLock::new(FileData::new())));
        inode.meta.lock().nlink = 0;
        Ok(inode)
    }

    /// The memfd seals in force.
    pub fn seals(&self) -> u32 {
        self.seals.load(Ordering::Relaxed)
    }

    /// Replaces the seals (memfd: callers check F_SEAL_SEAL and the
    /// writable-mapping rule first, under their own serialisation).
    pub fn set_seals(&self, value: u32) {
        self.seals.store(value, Ordering::Relaxed);
    }

    /// Whether this is a regular file (the only kind that takes seals).
    pub fn is_regular(&self) -> bool {
        matches!(self.kind, Kind::File(_))
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

/// Sets the size; returns how many pages were freed. Not growing frees
/// every page past the new end, including ones fallocate reserved beyond
/// the old end (as shmem_setattr does).
fn truncate_pages(data: &mut FileData, new_size: u64) -> u64 {
    let mut freed = 0;
    if new_size <= data.size {
        let first_dead = new_size.div_ceil(PAGE_SIZE as u64);
        freed = data.pages.split_off(&first_dead).len() as u64;
        data.unwritten.split_off(&first_dead);
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

const PAGE: u64 = PAGE_SIZE as u64;

impl Inode for TmpfsInode {
    fn stat(&self) -> Stat {
        // Lock order in this file: directory/file data before meta.
        let (size, blocks) = match &self.kind {
            // Every page held counts, reserved ones too (info->alloced).
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
                let sealed = self.seals();
                if (size < old && sealed & seals::SHRINK != 0) || (size > old && sealed & seals::GROW != 0) {
                    return Err(Errno::EPERM);
                }
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
            if (m.mode ^ mode) & 0o111 != 0 && self.seals() & seals::EXEC != 0 {
                return Err(Errno::EPERM);
            }
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
            let sealed = self.seals();
            if sealed & (seals::WRITE | seals::FUTURE_WRITE) != 0 && !buf.is_empty() {
                return Err(Errno::EPERM);
            }
            let mut done = 0;
            while done < buf.len() {
                let pos = offset + done as u64;
                let in_page = (pos % PAGE_SIZE as u64) as usize;
                let chunk = (PAGE_SIZE - in_page).min(buf.len() - done);
                let idx = pos / PAGE_SIZE as u64;
                // F_SEAL_GROW: a piece that would extend the file fails
                // (shmem_write_begin), after what fitted was written.
                if sealed & seals::GROW != 0 && pos + chunk as u64 > data.size {
                    if done == 0 {
                        return Err(Errno::EPERM);
                    }
                    break;
                }
                data.unwritten.remove(&idx);
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
            NewNode::File => (FileType::Regular, Kind::File(SpinLock::new(FileData::new()))),
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
        // A file with no links left cannot get one back, except an
        // O_TMPFILE file (once: linking it ends its linkable state).
        if target_arc.meta.lock().nlink == 0 && !target_arc.linkable.load(Ordering::Relaxed) {
            return Err(Errno::ENOENT);
        }
        target_arc.linkable.store(false, Ordering::Relaxed);
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
            Some(FileType::BlockDevice) => super::devices::open_block_device(rdev, flags).map(Some),
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

    fn create_tmpfile(&self, mode: u32, uid: u32, gid: u32, linkable: bool) -> KResult<Arc<dyn Inode>> {
        self.dir()?;
        if self.meta.lock().nlink == 0 {
            return Err(Errno::ENOENT); // directory was removed
        }
        let inode = self.new_unnamed_file(mode, uid, gid)?;
        inode.linkable.store(linkable, Ordering::Relaxed);
        Ok(inode)
    }

    fn fallocate(&self, mode: u32, offset: u64, len: u64) -> KResult<()> {
        let Kind::File(f) = &self.kind else { return Err(Errno::ENODEV) };
        if mode & !(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE) != 0 {
            return Err(Errno::EOPNOTSUPP);
        }
        let end = offset + len;
        let sealed = self.seals();
        if mode & FALLOC_FL_PUNCH_HOLE != 0 {
            if sealed & (seals::WRITE | seals::FUTURE_WRITE) != 0 {
                return Err(Errno::EPERM);
            }
            let (first_whole, end_whole) = (offset.div_ceil(PAGE), end / PAGE);
            let freed = {
                let mut data = f.lock();
                punch_pages(&mut data, offset, end)
            };
            self.fs.pages.fetch_sub(freed, Ordering::Relaxed);
            if end_whole > first_whole {
                // Mappings must fault the punched pages in afresh (zeros).
                crate::mm::file_range_removed(self, first_whole * PAGE, end_whole * PAGE);
            }
            self.touch_modified();
            return Ok(());
        }
        let mut data = f.lock();
        if sealed & seals::GROW != 0 && end > data.size {
            return Err(Errno::EPERM);
        }
        let (first, last) = (offset / PAGE, end.div_ceil(PAGE));
        let missing = (first..last).filter(|i| !data.pages.contains_key(i)).count() as u64;
        if last - first > self.fs.max_pages.load(Ordering::Relaxed) || !self.fs.pages_fit(missing) {
            return Err(Errno::ENOSPC);
        }
        let mut added = Vec::new();
        for idx in first..last {
            if data.pages.contains_key(&idx) {
                continue;
            }
            let Some(frame) = PhysFrame::alloc_zeroed() else {
                // Undo: the reservation is all or nothing.
                for i in &added {
                    data.pages.remove(i);
                    data.unwritten.remove(i);
                }
                self.fs.pages.fetch_sub(added.len() as u64, Ordering::Relaxed);
                return Err(Errno::ENOSPC);
            };
            data.pages.insert(idx, frame);
            data.unwritten.insert(idx);
            self.fs.pages.fetch_add(1, Ordering::Relaxed);
            added.push(idx);
        }
        if mode & FALLOC_FL_KEEP_SIZE == 0 && end > data.size {
            data.size = end;
        }
        drop(data);
        self.touch_modified();
        Ok(())
    }

    fn seek_data(&self, offset: u64, hole: bool) -> KResult<u64> {
        let Kind::File(f) = &self.kind else { return Err(Errno::EINVAL) };
        let data = f.lock();
        if offset >= data.size {
            return Err(Errno::ENXIO);
        }
        let mut idx = offset / PAGE;
        let last = data.size.div_ceil(PAGE);
        while idx < last {
            if data.has_data(idx) != hole {
                return Ok((idx * PAGE).max(offset));
            }
            idx += 1;
        }
        if hole { Ok(data.size) } else { Err(Errno::ENXIO) }
    }

    fn get_xattr(&self, name: &[u8]) -> KResult<Vec<u8>> {
        xattr::store_handles(name)?;
        Ok(self.xattrs.lock().get(name)?.to_vec())
    }

    fn set_xattr(&self, name: &[u8], value: Option<&[u8]>, flags: u32) -> KResult<()> {
        xattr::store_handles(name)?;
        let charge = value.map_or(0, |v| xattr::entry_space(name, v.len()) as u64);
        if charge > 0 {
            self.fs.reserve_xattr_space(charge)?;
        }
        let result = self.xattrs.lock().set(name, value.map(|v| v.to_vec()), flags);
        match result {
            Ok(old) => {
                self.fs.release_xattr_space(old.unwrap_or(0) as u64);
                self.touch_changed();
                Ok(())
            }
            Err(e) => {
                self.fs.release_xattr_space(charge);
                Err(e)
            }
        }
    }

    fn list_xattr(&self, creds: &crate::process::creds::Credentials) -> KResult<Vec<u8>> {
        Ok(self.xattrs.lock().list(creds))
    }

    fn birth_time(&self) -> Option<Timespec> {
        Some(self.meta.lock().btime)
    }

    fn write_sealed(&self) -> bool {
        self.seals() & (seals::WRITE | seals::FUTURE_WRITE) != 0
    }

    fn fsync_supported(&self) -> bool {
        matches!(self.kind, Kind::File(_) | Kind::Dir(_))
    }

    fn statx_traits(&self) -> super::inode::StatxTraits {
        // STATX_ATTR_IMMUTABLE, APPEND and NODUMP: shmem reports them (no
        // file here has them set: there is no FS_IOC_SETFLAGS).
        super::inode::StatxTraits { attributes_mask: 0x10 | 0x20 | 0x40, multigrain_times: true }
    }
}

/// Punches `[start, end)`: pages wholly inside are freed, the partial
/// pages at the ends zeroed in the range. Returns the pages freed.
fn punch_pages(data: &mut FileData, start: u64, end: u64) -> u64 {
    let (first_whole, end_whole) = (start.div_ceil(PAGE), end / PAGE);
    let mut freed = 0;
    if end_whole > first_whole {
        let mut tail = data.pages.split_off(&first_whole);
        let mut keep = tail.split_off(&end_whole);
        freed = tail.len() as u64;
        data.pages.append(&mut keep);
        data.unwritten.retain(|i| *i < first_whole || *i >= end_whole);
    }
    // Partial pages: zero the covered bytes of each.
    let zero = |from: u64, to: u64| {
        if let Some(frame) = data.pages.get(&(from / PAGE)) {
            frame.zero_range((from % PAGE) as usize, (to - from) as usize);
        }
    };
    if start / PAGE == (end - 1) / PAGE && first_whole >= end_whole {
        zero(start, end);
    } else {
        if start % PAGE != 0 {
            zero(start, (start / PAGE + 1) * PAGE);
        }
        if end % PAGE != 0 && end / PAGE >= first_whole {
            zero((end / PAGE) * PAGE, end);
        }
    }
    freed
}

impl PageSource for TmpfsInode {
    fn page(&self, index: u64) -> KResult<PhysFrame> {
        let Kind::File(f) = &self.kind else { return Err(Errno::EINVAL) };
        let mut data = f.lock();
        // A mapping makes a reserved page ordinary data (shmem_fault).
        data.unwritten.remove(&index);
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
        self.fs.release_xattr_space(self.xattrs.get_mut().space() as u64);
        if let Kind::File(f) = &self.kind {
            self.fs.pages.fetch_sub(f.lock().pages.len() as u64, Ordering::Relaxed);
        }
    }
}
