//! Open file descriptions and the I/O objects behind them.

use alloc::sync::Arc;
use core::any::Any;
use core::sync::atomic::{AtomicU32, Ordering};

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::general as g;

use super::inode::{DirEntry, Inode, Stat};
use super::path::PathNode;
use crate::errno::{Errno, KResult};
use crate::sched::wait::WaitQueue;

bitflags::bitflags! {
    /// poll(2) events.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub struct PollEvents: u16 {
        /// POLLIN
        const IN = 0x001;
        /// POLLPRI
        const PRI = 0x002;
        /// POLLOUT
        const OUT = 0x004;
        /// POLLERR
        const ERR = 0x008;
        /// POLLHUP
        const HUP = 0x010;
        /// POLLNVAL
        const NVAL = 0x020;
        /// POLLRDNORM
        const RDNORM = 0x040;
        /// POLLWRNORM
        const WRNORM = 0x100;
        /// POLLWRBAND
        const WRBAND = 0x200;
        /// POLLRDHUP
        const RDHUP = 0x2000;
    }
}

/// The I/O behaviour of an open file: regular file, directory, device,
/// pipe end, terminal, event descriptor. Streams ignore `offset`. (`Any`
/// lets a system call reach its own kind of object behind a descriptor,
/// as timerfd_settime does: see [`OpenFile::ops_as`].)
pub trait FileOps: Any + Send + Sync {
    /// Reads at `*offset` (advancing it) or from the stream.
    fn read(&self, file: &OpenFile, offset: &mut u64, buf: &mut [u8]) -> KResult<usize>;
    /// Writes at `*offset` (advancing it) or to the stream.
    fn write(&self, file: &OpenFile, offset: &mut u64, buf: &[u8]) -> KResult<usize>;
    /// For a stream whose read returns as soon as any data is there (a
    /// pipe): the most one read can return. The system-call layer then
    /// reads in one call rather than in chunks, as a second chunk would
    /// block where Linux returns.
    fn stream_read_max(&self) -> Option<usize> {
        None
    }
    /// read(2) into user memory without a bounce buffer, for files that
    /// never touch the buffer (/dev/null): None means the usual path.
    fn read_user(&self, _file: &OpenFile, _addr: usize, _len: usize) -> Option<KResult<usize>> {
        None
    }
    /// write(2) straight from user memory, for streams whose semantics
    /// depend on the whole length (a pipe's page merging and packets).
    fn write_user(&self, _file: &OpenFile, _addr: usize, _len: usize) -> Option<KResult<usize>> {
        None
    }
    /// Readiness for poll/select. Files that cannot wait (no
    /// `wait_queue`) are always ready, as Linux's DEFAULT_POLLMASK.
    fn poll(&self) -> PollEvents {
        PollEvents::IN | PollEvents::OUT | PollEvents::RDNORM | PollEvents::WRNORM
    }
    /// The queue woken when readiness changes (None: always ready, and
    /// epoll refuses the file with EPERM as Linux refuses files without a
    /// poll method).
    fn wait_queue(&self) -> Option<&WaitQueue> {
        None
    }
    /// lseek succeeds without moving (event descriptors: Linux's
    /// noop_llseek) rather than failing with ESPIPE.
    fn seek_is_noop(&self) -> bool {
        false
    }
    /// lseek always moves to 0 and returns 0 (Linux's null_lseek: /dev/null,
    /// /dev/zero, /dev/full).
    fn seek_resets(&self) -> bool {
        false
    }
    /// For an anonymous-inode file (event descriptors): its name as
    /// /proc/PID/fd shows it after "anon_inode:" ("[eventfd]").
    fn anon_name(&self) -> Option<&'static str> {
        None
    }
    /// Device-specific control.
    fn ioctl(&self, _file: &OpenFile, _cmd: u32, _arg: usize) -> KResult<usize> {
        Err(Errno::ENOTTY)
    }
    /// Metadata for fstat when there is no inode (pipes).
    fn stat(&self) -> Option<Stat> {
        None
    }
    /// Whether lseek is meaningful.
    fn seekable(&self) -> bool {
        false
    }
    /// Size, for SEEK_END.
    fn size(&self) -> u64 {
        0
    }
    /// The next directory entry at cursor `pos`.
    fn read_dir(&self, _pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        Err(Errno::ENOTDIR)
    }
    /// Whether this is a terminal (isatty).
    fn is_tty(&self) -> bool {
        false
    }
    /// Called when the last descriptor to the open file is closed.
    fn release(&self) {}
    /// What mmap maps: a page cache (`Some`), anonymous memory (`None`,
    /// /dev/zero), or ENODEV when the file cannot be mapped.
    fn mmap_source(&self) -> KResult<Option<Arc<dyn crate::mm::PageSource>>> {
        Err(Errno::ENODEV)
    }

    // ---- Extended operations (issue 4), with defaults. ----

    /// A positioned write that states whether it appends (pwritev2's
    /// RWF_APPEND and RWF_NOAPPEND override O_APPEND for one call).
    fn write_positioned(&self, file: &OpenFile, offset: &mut u64, buf: &[u8], _append: bool) -> KResult<usize> {
        self.write(file, offset, buf)
    }
    /// lseek SEEK_DATA/SEEK_HOLE (`hole`) from `offset` (EINVAL for files
    /// that do not know about holes, as Linux's directories).
    fn seek_data(&self, _offset: u64, _hole: bool) -> KResult<u64> {
        Err(Errno::EINVAL)
    }
    /// A read that never waits (RWF_NOWAIT): `None` when the file cannot
    /// promise that (preadv2 then fails with EOPNOTSUPP, as for files
    /// without FMODE_NOWAIT).
    fn read_nowait(&self, _file: &OpenFile, _offset: &mut u64, _buf: &mut [u8]) -> Option<KResult<usize>> {
        None
    }
    /// A write that never waits (RWF_NOWAIT), as `read_nowait`.
    fn write_nowait(&self, _file: &OpenFile, _offset: &mut u64, _buf: &[u8]) -> Option<KResult<usize>> {
        None
    }
    /// fsync/fdatasync: EINVAL for files whose Linux counterparts have no
    /// fsync method (pipes, devices, terminals, event descriptors).
    fn fsync(&self) -> KResult<()> {
        Err(Errno::EINVAL)
    }
    /// The socket operations, if this file is a socket.
    fn as_socket(&self) -> Option<&dyn crate::net::Socket> {
        None
    }
}

/// Who opened a file (Linux compares the opener's `struct cred` with the
/// caller's: linkat with AT_EMPTY_PATH lets the opener link its own
/// file without CAP_DAC_READ_SEARCH). Two snapshots are equal when every
/// id and the capabilities in force are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opener {
    ids: [u32; 8],
    caps: u64,
}

impl Opener {
    /// The identity in `c`.
    pub fn of(c: &crate::process::creds::Credentials) -> Opener {
        Opener { ids: [c.uid, c.euid, c.suid, c.fsuid, c.gid, c.egid, c.sgid, c.fsgid], caps: c.cap_effective }
    }
}

/// An open file description: what `open` creates and `dup` and `fork`
/// share (offset and status flags).
pub struct OpenFile {
    ops: Arc<dyn FileOps>,
    path: Option<Arc<PathNode>>,
    /// O_ACCMODE plus status flags (O_APPEND, O_NONBLOCK, ...).
    flags: AtomicU32,
    offset: SpinLock<u64>,
    /// Who opened it by path (None for pipes, sockets and the like).
    opener: Option<Opener>,
}

/// Status flags that F_SETFL may change (Linux's SETFL_MASK subset).
pub const SETFL_MASK: u32 = g::O_APPEND | g::O_NONBLOCK | g::O_DIRECT | g::O_NOATIME | g::FASYNC;

impl OpenFile {
    /// A new open file description.
    pub fn new(ops: Arc<dyn FileOps>, path: Option<Arc<PathNode>>, flags: u32) -> Arc<OpenFile> {
        // File-creation flags are not remembered.
        let kept = flags & !(g::O_CREAT | g::O_EXCL | g::O_NOCTTY | g::O_TRUNC | g::O_CLOEXEC);
        Arc::new(OpenFile { ops, path, flags: AtomicU32::new(kept), offset: SpinLock::new(0), opener: None })
    }

    /// A new open file description, remembering who opened it.
    pub fn with_opener(ops: Arc<dyn FileOps>, path: Option<Arc<PathNode>>, flags: u32, opener: Opener) -> Arc<OpenFile> {
        let kept = flags & !(g::O_CREAT | g::O_EXCL | g::O_NOCTTY | g::O_TRUNC | g::O_CLOEXEC);
        Arc::new(OpenFile { ops, path, flags: AtomicU32::new(kept), offset: SpinLock::new(0), opener: Some(opener) })
    }

    /// Who opened the file, if it was opened by path.
    pub fn opener(&self) -> Option<Opener> {
        self.opener
    }

    /// The I/O object.
    pub fn ops(&self) -> &Arc<dyn FileOps> {
        &self.ops
    }

    /// The I/O object as its concrete type, if it is a `T`.
    pub fn ops_as<T: FileOps>(&self) -> Option<Arc<T>> {
        let any: Arc<dyn Any + Send + Sync> = self.ops.clone();
        any.downcast::<T>().ok()
    }

    /// The path it was opened by, if any.
    pub fn path(&self) -> Option<&Arc<PathNode>> {
        self.path.as_ref()
    }

    /// The inode, if it has one.
    pub fn inode(&self) -> Option<&Arc<dyn Inode>> {
        self.path.as_ref().map(|p| &p.inode)
    }

    /// Access mode and status flags.
    pub fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    /// Replaces the status flags that F_SETFL may change.
    pub fn set_status_flags(&self, new: u32) {
        let old = self.flags();
        self.flags.store((old & !SETFL_MASK) | (new & SETFL_MASK), Ordering::Relaxed);
    }

    /// Opened for reading.
    pub fn readable(&self) -> bool {
        let acc = self.flags() & g::O_ACCMODE;
        acc == g::O_RDONLY || acc == g::O_RDWR
    }

    /// Opened for writing.
    pub fn writable(&self) -> bool {
        let acc = self.flags() & g::O_ACCMODE;
        acc == g::O_WRONLY || acc == g::O_RDWR
    }

    /// O_NONBLOCK set.
    pub fn nonblocking(&self) -> bool {
        self.flags() & g::O_NONBLOCK != 0
    }

    /// O_PATH descriptor (no I/O).
    pub fn is_path_only(&self) -> bool {
        self.flags() & g::O_PATH != 0
    }

    /// read(2): reads at the file offset and advances it.
    pub fn read(&self, buf: &mut [u8]) -> KResult<usize> {
        if !self.readable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        let mut off = *self.offset.lock();
        let n = self.ops.read(self, &mut off, buf)?;
        *self.offset.lock() = off;
        if n > 0 {
            super::notify::accessed(self);
        }
        Ok(n)
    }

    /// write(2): writes at the file offset (or the end, with O_APPEND).
    pub fn write(&self, buf: &[u8]) -> KResult<usize> {
        if !self.writable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        let mut off = *self.offset.lock();
        let n = self.ops.write(self, &mut off, buf)?;
        *self.offset.lock() = off;
        if n > 0 {
            super::notify::modified(self);
        }
        Ok(n)
    }

    /// write(2) from user memory in one call (see [`FileOps::write_user`]).
    pub fn write_user(&self, addr: usize, len: usize) -> Option<KResult<usize>> {
        if !self.writable() || self.is_path_only() {
            return Some(Err(Errno::EBADF));
        }
        let r = self.ops.write_user(self, addr, len)?;
        if r.is_ok_and(|n| n > 0) {
            super::notify::modified(self);
        }
        Some(r)
    }

    /// pread(2).
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        if !self.readable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        if !self.ops.seekable() {
            return Err(Errno::ESPIPE);
        }
        let mut off = offset;
        let n = self.ops.read(self, &mut off, buf)?;
        if n > 0 {
            super::notify::accessed(self);
        }
        Ok(n)
    }

    /// pwrite(2) (Linux ignores the offset with O_APPEND; so do we).
    pub fn write_at(&self, offset: u64, buf: &[u8]) -> KResult<usize> {
        if !self.writable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        if !self.ops.seekable() {
            return Err(Errno::ESPIPE);
        }
        let mut off = offset;
        let n = self.ops.write(self, &mut off, buf)?;
        if n > 0 {
            super::notify::modified(self);
        }
        Ok(n)
    }

    /// pwritev2 with RWF_APPEND (`append`) or RWF_NOAPPEND: a positioned
    /// write whose appending does not depend on O_APPEND. `offset` ends
    /// where the write ended.
    pub fn write_at_append(&self, offset: &mut u64, buf: &[u8], append: bool) -> KResult<usize> {
        if !self.writable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        if !self.ops.seekable() {
            return Err(Errno::ESPIPE);
        }
        let n = self.ops.write_positioned(self, offset, buf, append)?;
        if n > 0 {
            super::notify::modified(self);
        }
        Ok(n)
    }

    /// preadv2 with RWF_NOWAIT: at `offset`, or the file position (then
    /// advanced) when None. EOPNOTSUPP if the file cannot avoid waiting.
    pub fn read_nowait(&self, offset: Option<u64>, buf: &mut [u8]) -> KResult<usize> {
        if !self.readable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        let mut off = offset.unwrap_or_else(|| self.offset());
        let n = self.ops.read_nowait(self, &mut off, buf).ok_or(Errno::EOPNOTSUPP)??;
        if offset.is_none() && self.ops.seekable() {
            self.set_offset(off);
        }
        if n > 0 {
            super::notify::accessed(self);
        }
        Ok(n)
    }

    /// pwritev2 with RWF_NOWAIT, as [`OpenFile::read_nowait`].
    pub fn write_nowait(&self, offset: Option<u64>, buf: &[u8]) -> KResult<usize> {
        if !self.writable() || self.is_path_only() {
            return Err(Errno::EBADF);
        }
        let mut off = offset.unwrap_or_else(|| self.offset());
        let n = self.ops.write_nowait(self, &mut off, buf).ok_or(Errno::EOPNOTSUPP)??;
        if offset.is_none() && self.ops.seekable() {
            self.set_offset(off);
        }
        if n > 0 {
            super::notify::modified(self);
        }
        Ok(n)
    }

    /// The current offset.
    pub fn offset(&self) -> u64 {
        *self.offset.lock()
    }

    /// lseek(2).
    pub fn seek(&self, offset: i64, whence: u32) -> KResult<u64> {
        if self.ops.seek_resets() {
            *self.offset.lock() = 0;
            return Ok(0);
        }
        if self.ops.seek_is_noop() {
            return Ok(self.offset());
        }
        if !self.ops.seekable() {
            return Err(Errno::ESPIPE);
        }
        if whence == g::SEEK_DATA || whence == g::SEEK_HOLE {
            // A negative offset is past no data and before no hole.
            let from = u64::try_from(offset).map_err(|_| Errno::ENXIO)?;
            let found = self.ops.seek_data(from, whence == g::SEEK_HOLE)?;
            *self.offset.lock() = found;
            return Ok(found);
        }
        // Directories seek by cursor only (dcache_dir_lseek): no SEEK_END.
        if whence == g::SEEK_END && self.inode().is_some_and(|i| i.stat().is_dir()) {
            return Err(Errno::EINVAL);
        }
        let mut pos = self.offset.lock();
        let base: i64 = match whence {
            g::SEEK_SET => 0,
            g::SEEK_CUR => *pos as i64,
            g::SEEK_END => self.ops.size() as i64,
            _ => return Err(Errno::EINVAL),
        };
        // A sum past the largest offset is negative on Linux: EINVAL.
        let new = base.checked_add(offset).ok_or(Errno::EINVAL)?;
        if new < 0 {
            return Err(Errno::EINVAL);
        }
        *pos = new as u64;
        Ok(new as u64)
    }

    /// Sets the offset (directory rewind, getdents).
    pub fn set_offset(&self, off: u64) {
        *self.offset.lock() = off;
    }

    /// fstat(2).
    pub fn stat(&self) -> KResult<Stat> {
        if let Some(s) = self.ops.stat() {
            return Ok(s);
        }
        self.inode().map(|i| i.stat()).ok_or(Errno::EBADF)
    }
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        self.ops.release();
        super::lock::file_closed(self);
        super::notify::closed(self);
    }
}

/// RLIMIT_FSIZE: a write may not extend a file past the limit. One that
/// starts at or beyond it raises SIGXFSZ and fails with EFBIG; one that
/// crosses it is cut short (setrlimit(2)).
fn clip_to_file_size_limit(offset: u64, buf: &[u8]) -> KResult<&[u8]> {
    let limit = crate::sched::current().process.rlimit(crate::process::RLIMIT_FSIZE);
    if limit == crate::process::RLIM_INFINITY || buf.is_empty() {
        return Ok(buf);
    }
    if offset >= limit {
        let me = crate::sched::current();
        crate::signal::delivery::send_to_thread(&me, crate::signal::SigInfo::kernel(crate::signal::SIGXFSZ, 0, 0));
        return Err(Errno::EFBIG);
    }
    let room = (limit - offset).min(buf.len() as u64) as usize;
    Ok(&buf[..room])
}

/// I/O on an ordinary inode: regular files and directories.
pub struct InodeFile {
    inode: Arc<dyn Inode>,
    /// Where this directory stream ends (see Inode::dir_end).
    dir_end: core::sync::atomic::AtomicU64,
}

impl InodeFile {
    /// Wraps an inode.
    pub fn new(inode: Arc<dyn Inode>) -> Arc<InodeFile> {
        let end = inode.dir_end().unwrap_or(u64::MAX);
        Arc::new(InodeFile { inode, dir_end: core::sync::atomic::AtomicU64::new(end) })
    }
}

impl InodeFile {
    /// A write by someone without CAP_FSETID drops set-user-id, and
    /// set-group-id where it really is one (group-executable, or the
    /// writer is not in the group), as Linux's file_remove_privs.
    fn drop_set_id_bits(&self) -> KResult<()> {
        let st = self.inode.stat();
        if st.mode & 0o6000 == 0 || st.file_type() != Some(super::inode::FileType::Regular) {
            return Ok(());
        }
        let c = crate::syscall::creds();
        if c.capable(crate::process::creds::CAP_FSETID) {
            return Ok(());
        }
        let mut mode = st.mode & 0o7777 & !0o4000;
        if st.mode & 0o2000 != 0 && (st.mode & 0o010 != 0 || !c.in_group(st.gid)) {
            mode &= !0o2000;
        }
        if mode != st.mode & 0o7777 {
            self.inode.set_attr(&super::inode::SetAttr { mode: Some(mode), ..Default::default() })?;
        }
        Ok(())
    }
}

impl FileOps for InodeFile {
    fn read(&self, _file: &OpenFile, offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        let n = self.inode.read_at(*offset, buf)?;
        *offset += n as u64;
        Ok(n)
    }

    fn write(&self, file: &OpenFile, offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.write_positioned(file, offset, buf, file.flags() & g::O_APPEND != 0)
    }

    fn write_positioned(&self, _file: &OpenFile, offset: &mut u64, buf: &[u8], append: bool) -> KResult<usize> {
        if append {
            *offset = self.inode.stat().size;
        }
        let buf = clip_to_file_size_limit(*offset, buf)?;
        if !buf.is_empty() {
            self.drop_set_id_bits()?;
        }
        let n = self.inode.write_at(*offset, buf)?;
        *offset += n as u64;
        Ok(n)
    }

    fn seek_data(&self, offset: u64, hole: bool) -> KResult<u64> {
        if self.inode.stat().is_dir() {
            return Err(Errno::EINVAL);
        }
        self.inode.seek_data(offset, hole)
    }

    fn fsync(&self) -> KResult<()> {
        if self.inode.fsync_supported() { self.inode.flush() } else { Err(Errno::EINVAL) }
    }

    fn seekable(&self) -> bool {
        true
    }

    fn size(&self) -> u64 {
        self.inode.stat().size
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        use core::sync::atomic::Ordering;
        if pos == 0 {
            // A fresh scan (or rewinddir) sees the directory as it is now.
            self.dir_end.store(self.inode.dir_end().unwrap_or(u64::MAX), Ordering::Relaxed);
        }
        let end = self.dir_end.load(Ordering::Relaxed);
        Ok(self.inode.read_dir(pos)?.filter(|(_, next)| next - 1 < end || *next <= 2))
    }

    fn mmap_source(&self) -> KResult<Option<Arc<dyn crate::mm::PageSource>>> {
        self.inode.clone().page_source().map(Some).ok_or(Errno::ENODEV)
    }
}
