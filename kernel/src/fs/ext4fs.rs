//! ext4 (and ext2/ext3) mounted from a block device: the VFS face of the
//! host-tested `kevlar_ext4` library, which owns the on-disk format, the
//! journal and the metadata cache.
//!
//! One lock per mounted volume serialises the library (it is
//! single-threaded by design). Inodes are unique per volume while in use
//! (a table of weak references), so identity checks (mount points, locks,
//! socket names) see one object per file; an inode in use is held open in
//! the library, so a file unlinked while open lives on the orphan list
//! until its last user goes.
//!
//! Disks come from `crate::block` (a file-backed loop disk for now;
//! virtio-blk next).
//!
//! Page cache (first stage): a file's pages are cached when it is
//! mapped; read(2) and write(2) go to the library and keep cached pages
//! in step, so a mapping and the system calls see one content. Cached
//! pages are written back (only those that differ from the disk: mappings
//! are not tracked for dirtiness yet) on fsync, sync(2) and when the file
//! is no longer used. Not yet here (docs/compat.md): periodic writeback,
//! caching of data that is read but not mapped, readahead.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::any::Any;

use kevlar_ext4 as ext4;
use kevlar_hal::sync::SpinLock;

use super::inode::{DirEntry, FileType, Inode, NewNode, RenameFlags, SetAttr, Stat, StatFs, StatxTraits};
use kevlar_hal::mem::frame::PhysFrame;

use crate::block::{BlockDevice, SECTOR};
use crate::mm::PageSource;
use crate::errno::{Errno, KResult};
use crate::time::Timespec;

/// A block device as the library sees it: byte offsets, whole sectors.
pub struct DiskDevice {
    disk: Arc<dyn BlockDevice>,
}

impl ext4::BlockDevice for DiskDevice {
    fn size(&self) -> u64 {
        self.disk.sectors() * SECTOR as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> ext4::Result<()> {
        if offset % SECTOR as u64 != 0 || buf.len() % SECTOR != 0 {
            return Err(ext4::Error::Io);
        }
        self.disk.read(offset / SECTOR as u64, buf).map_err(|_| ext4::Error::Io)
    }

    fn write_at(&mut self, offset: u64, buf: &[u8]) -> ext4::Result<()> {
        if offset % SECTOR as u64 != 0 || buf.len() % SECTOR != 0 {
            return Err(ext4::Error::Io);
        }
        self.disk.write(offset / SECTOR as u64, buf).map_err(|_| ext4::Error::Io)
    }

    fn flush(&mut self) -> ext4::Result<()> {
        self.disk.flush().map_err(|_| ext4::Error::Io)
    }
}

fn errno(e: ext4::Error) -> Errno {
    Errno::from_code(e.errno() as u16).unwrap_or(Errno::EIO)
}

fn clock() -> ext4::Timestamp {
    let t = crate::time::realtime();
    ext4::Timestamp::new(t.sec, t.nsec as u32)
}

fn to_timespec(t: ext4::Timestamp) -> Timespec {
    Timespec { sec: t.sec, nsec: t.nsec as i64 }
}

fn to_ext4_time(t: Timespec) -> ext4::Timestamp {
    ext4::Timestamp::new(t.sec, t.nsec as u32)
}

/// A mounted ext4 volume.
pub struct Volume {
    /// The disk (a second mount of the same disk shares this volume, as
    /// Linux shares a block device's superblock).
    disk: Arc<dyn BlockDevice>,
    fs: SpinLock<Option<ext4::Fs<DiskDevice>>>,
    id: u64,
    inodes: SpinLock<BTreeMap<ext4::Ino, Weak<Ext4Inode>>>,
    me: Weak<Volume>,
}

/// Every mounted volume, for sync(2).
static VOLUMES: SpinLock<Vec<Weak<Volume>>> = SpinLock::new(Vec::new());

/// Mounts the ext4 file system on `disk`: its root inode, and why it is
/// read-only if it had to be (unsupported features, a read-only device).
/// EINVAL for a disk that holds no file system the library can read.
pub fn mount(disk: Arc<dyn BlockDevice>, read_only: bool, name: &str) -> KResult<(Arc<dyn Inode>, Option<String>)> {
    let live = VOLUMES.lock().iter().filter_map(Weak::upgrade).find(|v| Arc::ptr_eq(&v.disk, &disk));
    if let Some(v) = live {
        let ro = v.fs.lock().as_ref().and_then(|fs| fs.read_only_reason().map(String::from));
        return Ok((v.inode(ext4::ROOT_INO), ro));
    }
    let opts = ext4::MountOptions { read_only: read_only || disk.read_only(), clock, ..Default::default() };
    let fs = match ext4::Fs::mount(DiskDevice { disk: disk.clone() }, opts) {
        Ok(fs) => fs,
        Err(e) => {
            kevlar_hal::println!("[kevlar] ext4: {}: cannot mount: {:?}", name, e.error);
            return Err(Errno::EINVAL);
        }
    };
    for note in &fs.mount_notes {
        kevlar_hal::println!("[kevlar] ext4: {}: {}", name, note);
    }
    let ro = fs.read_only_reason().map(String::from);
    if let Some(why) = ro.as_ref().filter(|_| !read_only) {
        kevlar_hal::println!("[kevlar] ext4: {}: mounted read-only: {}", name, why);
    }
    let vol = Arc::new_cyclic(|me| Volume {
        disk,
        fs: SpinLock::new(Some(fs)),
        id: super::tmpfs::new_fs_id(),
        inodes: SpinLock::new(BTreeMap::new()),
        me: me.clone(),
    });
    {
        let mut v = VOLUMES.lock();
        v.retain(|w| w.strong_count() > 0);
        v.push(Arc::downgrade(&vol));
    }
    let root = vol.inode(ext4::ROOT_INO);
    Ok((root, ro))
}

/// sync(2): commits every mounted volume.
pub fn sync_all() {
    let vols: Vec<Arc<Volume>> = VOLUMES.lock().iter().filter_map(Weak::upgrade).collect();
    for v in vols {
        let _ = v.sync();
    }
}

impl Volume {
    /// Runs `f` on the library (EIO once the volume is gone).
    fn with<T>(&self, f: impl FnOnce(&mut ext4::Fs<DiskDevice>) -> ext4::Result<T>) -> KResult<T> {
        let mut g = self.fs.lock();
        let fs = g.as_mut().ok_or(Errno::EIO)?;
        f(fs).map_err(errno)
    }

    fn sync(&self) -> KResult<()> {
        self.with(|fs| fs.sync())
    }

    /// The one in-use object for inode `ino`.
    fn inode(&self, ino: ext4::Ino) -> Arc<Ext4Inode> {
        let mut table = self.inodes.lock();
        if let Some(i) = table.get(&ino).and_then(Weak::upgrade) {
            return i;
        }
        let vol = self.me.upgrade().expect("a volume in use is alive");
        if let Some(fs) = self.fs.lock().as_mut() {
            fs.hold(ino);
        }
        let i = Arc::new(Ext4Inode { vol, ino, pages: SpinLock::new(BTreeMap::new()) });
        table.insert(ino, Arc::downgrade(&i));
        i
    }
}

impl Drop for Volume {
    /// The last user of the volume is gone (it was unmounted and nothing
    /// holds its files): commit, mark it clean, flush.
    fn drop(&mut self) {
        if let Some(fs) = self.fs.lock().take() {
            if let Err(e) = fs.unmount() {
                kevlar_hal::println!("[kevlar] ext4: unmount failed: {:?}", e);
            }
        }
    }
}

/// An inode of a mounted ext4 volume.
pub struct Ext4Inode {
    vol: Arc<Volume>,
    ino: ext4::Ino,
    /// Pages of the file that are mapped somewhere (file page index ->
    /// frame), kept in step with read(2)/write(2) (see the module header).
    pages: SpinLock<BTreeMap<u64, PhysFrame>>,
}

const PAGE: usize = 4096;

impl Drop for Ext4Inode {
    fn drop(&mut self) {
        // The last user is gone: what mappings changed goes to the disk.
        if let Err(e) = self.write_back() {
            kevlar_hal::println!("[kevlar] ext4: inode {}: write-back failed: {:?}", self.ino, e);
        }
        {
            let mut table = self.vol.inodes.lock();
            if table.get(&self.ino).is_some_and(|w| w.strong_count() == 0) {
                table.remove(&self.ino);
            }
        }
        let _ = self.vol.with(|fs| fs.release(self.ino));
    }
}

fn file_type(t: ext4::FileType) -> FileType {
    match t {
        ext4::FileType::Directory => FileType::Directory,
        ext4::FileType::Symlink => FileType::Symlink,
        ext4::FileType::CharDevice => FileType::CharDevice,
        ext4::FileType::BlockDevice => FileType::BlockDevice,
        ext4::FileType::Fifo => FileType::Fifo,
        ext4::FileType::Socket => FileType::Socket,
        _ => FileType::Regular,
    }
}

impl Ext4Inode {
    /// Writes back the cached pages whose content differs from the file
    /// on disk (within the file's size).
    fn write_back(&self) -> KResult<()> {
        let pages: Vec<(u64, PhysFrame)> = self.pages.lock().iter().map(|(i, f)| (*i, f.clone())).collect();
        if pages.is_empty() {
            return Ok(());
        }
        let size = self.attr()?.size;
        let mut mem = alloc::vec![0u8; PAGE];
        let mut disk = alloc::vec![0u8; PAGE];
        for (index, frame) in pages {
            let start = index * PAGE as u64;
            if start >= size {
                continue;
            }
            let len = (size - start).min(PAGE as u64) as usize;
            frame.read(0, &mut mem[..len]);
            let n = self.vol.with(|fs| fs.read(self.ino, start, &mut disk[..len]))?;
            if n != len || mem[..len] != disk[..len] {
                self.vol.with(|fs| fs.write(self.ino, start, &mem[..len]))?;
            }
        }
        Ok(())
    }

    /// Copies `data`, just written at `offset`, into the cached pages it
    /// touches.
    fn update_cache(&self, offset: u64, data: &[u8]) {
        let pages = self.pages.lock();
        if pages.is_empty() {
            return;
        }
        let mut at = 0;
        while at < data.len() {
            let pos = offset + at as u64;
            let index = pos / PAGE as u64;
            let in_page = (pos % PAGE as u64) as usize;
            let n = (PAGE - in_page).min(data.len() - at);
            if let Some(f) = pages.get(&index) {
                f.write(in_page, &data[at..at + n]);
            }
            at += n;
        }
    }

    /// Drops cached pages past `size` and zeroes the tail of the last one
    /// (truncate).
    fn truncate_cache(&self, size: u64) {
        let mut pages = self.pages.lock();
        let first_gone = size.div_ceil(PAGE as u64);
        pages.retain(|&i, _| i < first_gone);
        if size % PAGE as u64 != 0 {
            if let Some(f) = pages.get(&(size / PAGE as u64)) {
                let at = (size % PAGE as u64) as usize;
                f.zero_range(at, PAGE - at);
            }
        }
    }

    fn attr(&self) -> KResult<ext4::Attr> {
        self.vol.with(|fs| fs.stat(self.ino))
    }

    fn child(&self, ino: ext4::Ino) -> Arc<dyn Inode> {
        self.vol.inode(ino)
    }

    fn other<'a>(&self, i: &'a Arc<dyn Inode>) -> KResult<&'a Ext4Inode> {
        let o = i.as_any().downcast_ref::<Ext4Inode>().ok_or(Errno::EXDEV)?;
        if !Arc::ptr_eq(&o.vol, &self.vol) {
            return Err(Errno::EXDEV);
        }
        Ok(o)
    }
}

impl Inode for Ext4Inode {
    fn stat(&self) -> Stat {
        let Ok(a) = self.attr() else {
            return Stat { ino: self.ino as u64, dev: crate::fs::inode::make_dev(0, self.vol.id as u32), ..Default::default() };
        };
        Stat {
            dev: crate::fs::inode::make_dev(0, self.vol.id as u32),
            ino: a.ino as u64,
            mode: a.mode as u32,
            nlink: a.nlink,
            uid: a.uid,
            gid: a.gid,
            rdev: crate::fs::inode::make_dev(a.rdev.0, a.rdev.1),
            size: a.size,
            blksize: a.blksize,
            blocks: a.blocks,
            atime: to_timespec(a.atime),
            mtime: to_timespec(a.mtime),
            ctime: to_timespec(a.ctime),
        }
    }

    fn set_attr(&self, attr: &SetAttr) -> KResult<()> {
        let a = ext4::SetAttr {
            mode: attr.mode.map(|m| (m & 0o7777) as u16),
            uid: attr.uid,
            gid: attr.gid,
            size: attr.size,
            atime: attr.atime.map(to_ext4_time),
            mtime: attr.mtime.map(to_ext4_time),
            ..Default::default()
        };
        if attr.size.is_some() {
            // Pages a mapping changed go to the disk first, so the
            // truncation keeps what is below the new size.
            self.write_back()?;
        }
        self.vol.with(|fs| fs.setattr(self.ino, &a))?;
        if let Some(size) = attr.size {
            self.truncate_cache(size);
        }
        Ok(())
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        if self.pages.lock().is_empty() {
            return self.vol.with(|fs| fs.read(self.ino, offset, buf));
        }
        // Mapped pages may hold newer data than the disk: they are read
        // from the cache, the rest from the library.
        let size = self.attr()?.size;
        if offset >= size {
            return Ok(0);
        }
        let len = buf.len().min((size - offset) as usize);
        let mut at = 0;
        while at < len {
            let pos = offset + at as u64;
            let index = pos / PAGE as u64;
            let in_page = (pos % PAGE as u64) as usize;
            let n = (PAGE - in_page).min(len - at);
            let cached = self.pages.lock().get(&index).cloned();
            match cached {
                Some(f) => f.read(in_page, &mut buf[at..at + n]),
                None => {
                    let got = self.vol.with(|fs| fs.read(self.ino, pos, &mut buf[at..at + n]))?;
                    buf[at + got..at + n].fill(0);
                }
            }
            at += n;
        }
        Ok(len)
    }

    fn write_at(&self, offset: u64, buf: &[u8]) -> KResult<usize> {
        let n = self.vol.with(|fs| fs.write(self.ino, offset, buf))?;
        self.update_cache(offset, &buf[..n]);
        Ok(n)
    }

    fn page_source(self: Arc<Self>) -> Option<Arc<dyn PageSource>> {
        (self.stat().file_type() == Some(FileType::Regular)).then_some(self as Arc<dyn PageSource>)
    }

    fn lookup(&self, name: &[u8]) -> KResult<Arc<dyn Inode>> {
        let ino = self.vol.with(|fs| fs.lookup(self.ino, name))?;
        Ok(self.child(ino))
    }

    fn create(&self, name: &[u8], node: NewNode, mode: u32, uid: u32, gid: u32) -> KResult<Arc<dyn Inode>> {
        let perm = (mode & 0o7777) as u16;
        let ino = self.vol.with(|fs| match &node {
            NewNode::File => fs.create(self.ino, name, ext4::S_IFREG | perm, uid, gid),
            NewNode::Directory => fs.mkdir(self.ino, name, ext4::S_IFDIR | perm, uid, gid),
            NewNode::Symlink(target) => fs.symlink(self.ino, name, target, uid, gid),
            NewNode::Special(ft, rdev) => {
                let kind = match ft {
                    FileType::CharDevice => ext4::S_IFCHR,
                    FileType::BlockDevice => ext4::S_IFBLK,
                    FileType::Fifo => ext4::S_IFIFO,
                    FileType::Socket => ext4::S_IFSOCK,
                    _ => ext4::S_IFREG,
                };
                let dev = (crate::fs::inode::dev_major(*rdev), crate::fs::inode::dev_minor(*rdev));
                fs.mknod(self.ino, name, kind | perm, uid, gid, dev)
            }
        })?;
        Ok(self.child(ino))
    }

    fn link(&self, name: &[u8], target: &Arc<dyn Inode>) -> KResult<()> {
        let t = self.other(target)?;
        self.vol.with(|fs| fs.link(t.ino, self.ino, name))
    }

    fn unlink(&self, name: &[u8], dir: bool) -> KResult<()> {
        self.vol.with(|fs| if dir { fs.rmdir(self.ino, name) } else { fs.unlink(self.ino, name) })
    }

    fn rename(&self, old: &[u8], new_dir: &Arc<dyn Inode>, new: &[u8], flags: RenameFlags) -> KResult<()> {
        let nd = self.other(new_dir)?;
        let mut f = 0;
        if flags.no_replace {
            f |= ext4::RENAME_NOREPLACE;
        }
        if flags.exchange {
            f |= ext4::RENAME_EXCHANGE;
        }
        self.vol.with(|fs| fs.rename(self.ino, old, nd.ino, new, f))
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        let mut got: Option<(DirEntry, u64)> = None;
        self.vol.with(|fs| {
            fs.readdir(self.ino, pos, |e| {
                if got.is_some() {
                    return false;
                }
                got = Some((DirEntry { ino: e.ino as u64, file_type: file_type(e.file_type), name: e.name.to_vec() }, e.next));
                true
            })
        })?;
        Ok(got)
    }

    fn read_link(&self) -> KResult<Vec<u8>> {
        self.vol.with(|fs| fs.readlink(self.ino))
    }

    fn open_special(&self, flags: u32) -> KResult<Option<Arc<dyn super::file::FileOps>>> {
        let st = self.stat();
        match st.file_type() {
            Some(FileType::CharDevice) => super::devices::open_char_device(st.rdev, flags).map(Some),
            Some(FileType::BlockDevice) => super::devices::open_block_device(st.rdev, flags).map(Some),
            Some(FileType::Socket) => Err(Errno::ENXIO),
            // FIFOs on disk: not yet (each open would need one pipe per inode).
            Some(FileType::Fifo) => Err(Errno::ENXIO),
            _ => Ok(None),
        }
    }

    fn fs_id(&self) -> u64 {
        self.vol.id
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn statfs(&self) -> StatFs {
        let s = self.vol.fs.lock().as_ref().map(|fs| fs.statfs());
        s.map_or(StatFs::default(), |s| StatFs {
            fs_type: s.f_type,
            bsize: s.f_bsize,
            blocks: s.f_blocks,
            bfree: s.f_bfree,
            bavail: s.f_bavail,
            files: s.f_files,
            ffree: s.f_ffree,
            namelen: s.f_namelen,
        })
    }

    fn fallocate(&self, mode: u32, offset: u64, len: u64) -> KResult<()> {
        self.vol.with(|fs| fs.fallocate(self.ino, mode, offset, len))
    }

    fn get_xattr(&self, name: &[u8]) -> KResult<Vec<u8>> {
        self.vol.with(|fs| fs.getxattr(self.ino, name))
    }

    fn set_xattr(&self, name: &[u8], value: Option<&[u8]>, flags: u32) -> KResult<()> {
        self.vol.with(|fs| match value {
            Some(v) => fs.setxattr(self.ino, name, v, flags),
            None => fs.removexattr(self.ino, name),
        })
    }

    fn list_xattr(&self, creds: &crate::process::creds::Credentials) -> KResult<Vec<u8>> {
        let names = self.vol.with(|fs| fs.listxattr(self.ino))?;
        let mut out = Vec::new();
        for n in names {
            // trusted.* and security.* are for the privileged, as Linux lists them.
            if n.starts_with(b"trusted.") && !creds.capable(crate::process::creds::CAP_SYS_ADMIN) {
                continue;
            }
            out.extend_from_slice(&n);
            out.push(0);
        }
        Ok(out)
    }

    fn birth_time(&self) -> Option<Timespec> {
        self.attr().ok().map(|a| to_timespec(a.crtime)).filter(|t| t.sec != 0 || t.nsec != 0)
    }

    fn statx_traits(&self) -> StatxTraits {
        StatxTraits::default()
    }

    fn fsync_supported(&self) -> bool {
        true
    }

    fn flush(&self) -> KResult<()> {
        self.write_back()?;
        self.vol.sync()
    }
}

impl PageSource for Ext4Inode {
    fn page(&self, index: u64) -> KResult<PhysFrame> {
        if let Some(f) = self.pages.lock().get(&index) {
            return Ok(f.clone());
        }
        let frame = PhysFrame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
        let mut buf = alloc::vec![0u8; PAGE];
        let n = self.vol.with(|fs| fs.read(self.ino, index * PAGE as u64, &mut buf))?;
        frame.write(0, &buf[..n]);
        let mut pages = self.pages.lock();
        // Another fault may have filled it meanwhile: keep the first.
        Ok(pages.entry(index).or_insert(frame).clone())
    }

    fn cached(&self, index: u64) -> bool {
        self.pages.lock().contains_key(&index)
    }

    fn size(&self) -> u64 {
        self.attr().map_or(0, |a| a.size)
    }

    fn path(&self) -> Vec<u8> {
        Vec::new()
    }

    fn dev_ino(&self) -> (u64, u64) {
        (crate::fs::inode::make_dev(0, self.vol.id as u32), self.ino as u64)
    }
}

/// A disk backed by a file (Linux's loop device): the kernel's
/// `kevlar.loop=PATH` makes a file of the initramfs /dev/loop0 (7:0), to
/// test disk file systems without a disk controller. Sectors past the
/// file's end read as zeros.
pub struct LoopDisk {
    file: Arc<dyn Inode>,
    sectors: u64,
}

impl LoopDisk {
    /// A disk over `file`, its size rounded down to whole sectors.
    pub fn new(file: Arc<dyn Inode>) -> Arc<LoopDisk> {
        let sectors = file.stat().size / SECTOR as u64;
        Arc::new(LoopDisk { file, sectors })
    }
}

impl BlockDevice for LoopDisk {
    fn sectors(&self) -> u64 {
        self.sectors
    }

    fn read(&self, sector: u64, buf: &mut [u8]) -> KResult<()> {
        let end = sector.checked_add((buf.len() / SECTOR) as u64).ok_or(Errno::EIO)?;
        if end > self.sectors {
            return Err(Errno::EIO);
        }
        let n = self.file.read_at(sector * SECTOR as u64, buf)?;
        buf[n..].fill(0);
        Ok(())
    }

    fn write(&self, sector: u64, buf: &[u8]) -> KResult<()> {
        let end = sector.checked_add((buf.len() / SECTOR) as u64).ok_or(Errno::EIO)?;
        if end > self.sectors {
            return Err(Errno::EIO);
        }
        let n = self.file.write_at(sector * SECTOR as u64, buf)?;
        if n != buf.len() { Err(Errno::EIO) } else { Ok(()) }
    }

    fn flush(&self) -> KResult<()> {
        Ok(())
    }
}
