//! read, write and their vectored and positional forms (preadv2 and
//! pwritev2 with their RWF_* flags); lseek; fallocate; ioctl; fsync.

use alloc::vec::Vec;

use linux_raw_sys::ioctl as io;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::file;
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::fs::inode::FileType;
use crate::mm::uaccess::{UserPtr, read_into, write_bytes};

/// Largest single transfer (Linux's MAX_RW_COUNT).
pub(super) const MAX_RW: usize = 0x7fff_f000;
/// Kernel bounce buffer per step.
const CHUNK: usize = 64 * 1024;
/// Most iovecs (IOV_MAX).
const IOV_MAX: usize = 1024;

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub(super) struct IoVec {
    pub(super) base: u64,
    pub(super) len: u64,
}

/// read(2)
pub fn sys_read(fd: i32, buf: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
    if f.readable() && !f.is_path_only() {
        if let Some(r) = f.ops().read_user(&f, buf, count.min(MAX_RW)) {
            return r;
        }
    }
    if let Some(max) = f.ops().stream_read_max() {
        let count = clip_to_mapped(count.min(MAX_RW), buf, true)?;
        return read_stream(&f, count.min(max), |data| write_bytes(buf, data));
    }
    read_with(count, buf, |kbuf| f.read(kbuf))
}

/// write(2)
pub fn sys_write(fd: i32, buf: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
    if let Some(r) = f.write_user(buf, count.min(MAX_RW)) {
        return r;
    }
    write_with(count, buf, |kbuf| f.write(kbuf))
}

/// pread64(2)
pub fn sys_pread64(fd: i32, buf: usize, count: usize, offset: i64) -> KResult<usize> {
    if offset < 0 {
        return Err(Errno::EINVAL);
    }
    let f = file(fd)?;
    let mut pos = offset as u64;
    read_with(count, buf, |kbuf| {
        let n = f.read_at(pos, kbuf)?;
        pos += n as u64;
        Ok(n)
    })
}

/// pwrite64(2)
pub fn sys_pwrite64(fd: i32, buf: usize, count: usize, offset: i64) -> KResult<usize> {
    if offset < 0 {
        return Err(Errno::EINVAL);
    }
    let f = file(fd)?;
    let mut pos = offset as u64;
    write_with(count, buf, |kbuf| {
        let n = f.write_at(pos, kbuf)?;
        pos += n as u64;
        Ok(n)
    })
}

/// Reads into user memory through a bounce buffer, chunk by chunk, until a
/// short read. The first chunk's error is the call's error; later ones end
/// the transfer with what was done.
fn read_with(count: usize, buf: usize, mut op: impl FnMut(&mut [u8]) -> KResult<usize>) -> KResult<usize> {
    let count = clip_to_mapped(count.min(MAX_RW), buf, true)?;
    let mut kbuf = alloc::vec![0u8; count.min(CHUNK)];
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        let n = match op(&mut kbuf[..want]) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        if let Err(e) = write_bytes(buf + done, &kbuf[..n]) {
            return if done == 0 { Err(e) } else { Ok(done) };
        }
        done += n;
        if n < want {
            break;
        }
    }
    Ok(done)
}

/// Clips a transfer to the part of the user buffer that is mapped with
/// the needed access, before any I/O happens (nothing is consumed from a
/// file or pipe that could not be delivered). EFAULT if none of it is.
fn clip_to_mapped(count: usize, buf: usize, write: bool) -> KResult<usize> {
    if count == 0 {
        return Ok(0);
    }
    if buf >= kevlar_hal::arch::USER_END {
        return Err(Errno::EFAULT);
    }
    let mm = crate::sched::current().mm().ok_or(Errno::EFAULT)?;
    match mm.accessible_len(buf, count, write) {
        0 => Err(Errno::EFAULT),
        n => Ok(n),
    }
}

fn write_with(count: usize, buf: usize, mut op: impl FnMut(&[u8]) -> KResult<usize>) -> KResult<usize> {
    let count = clip_to_mapped(count.min(MAX_RW), buf, false)?;
    if count == 0 {
        return op(&[]);
    }
    // Small writes go in one piece so pipes keep their PIPE_BUF atomicity.
    let mut kbuf = alloc::vec![0u8; count.min(CHUNK)];
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        if let Err(e) = read_into(buf + done, &mut kbuf[..want]) {
            return if done == 0 { Err(e) } else { Ok(done) };
        }
        let n = match op(&kbuf[..want]) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += n;
        if n < want {
            break;
        }
    }
    Ok(done)
}

/// Reads an iovec array (import_iovec): EINVAL past IOV_MAX or for a
/// length that is negative as a ssize_t; lengths past MAX_RW_COUNT in
/// total are cut down to it, as Linux does.
pub(super) fn read_iovecs(iov: usize, count: usize) -> KResult<Vec<IoVec>> {
    if count > IOV_MAX {
        return Err(Errno::EINVAL);
    }
    let mut v = Vec::with_capacity(count);
    let mut total: u64 = 0;
    for k in 0..count {
        let mut e = UserPtr::<IoVec>::new(iov).add(k).read()?;
        if e.len > isize::MAX as u64 {
            return Err(Errno::EINVAL);
        }
        e.len = e.len.min(MAX_RW as u64 - total);
        total += e.len;
        v.push(e);
    }
    Ok(v)
}

/// readv(2)
pub fn sys_readv(fd: i32, iov: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
    let vecs = read_iovecs(iov, count)?;
    readv_file(&f, &vecs)
}

fn readv_file(f: &OpenFile, vecs: &[IoVec]) -> KResult<usize> {
    if let Some(r) = readv_stream(f, vecs) {
        return r;
    }
    let mut done = 0;
    for v in vecs {
        let n = match read_with(v.len as usize, v.base as usize, |b| f.read(b)) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += n;
        if n < v.len as usize {
            break;
        }
    }
    Ok(done)
}

/// One read of at most `len` bytes from a stream (see
/// `FileOps::stream_read_max`), handed to `deliver`.
fn read_stream(f: &crate::fs::file::OpenFile, len: usize, deliver: impl FnOnce(&[u8]) -> KResult<()>) -> KResult<usize> {
    let mut kbuf = alloc::vec![0u8; len];
    let n = f.read(&mut kbuf)?;
    deliver(&kbuf[..n])?;
    Ok(n)
}

/// readv on a stream (pipes): one read the size of all the iovecs,
/// scattered afterwards, so the call returns once some data came, as one
/// read does.
fn readv_stream(f: &crate::fs::file::OpenFile, vecs: &[IoVec]) -> Option<KResult<usize>> {
    let max = f.ops().stream_read_max()?;
    let total: usize = vecs.iter().map(|v| v.len as usize).sum::<usize>().min(MAX_RW);
    Some(read_stream(f, total.min(max), |data| {
        let mut at = 0;
        for v in vecs {
            if at == data.len() {
                break;
            }
            let take = (v.len as usize).min(data.len() - at);
            write_bytes(v.base as usize, &data[at..at + take])?;
            at += take;
        }
        Ok(())
    }))
}

/// writev(2): the iovecs are gathered first, so one writev is one write
/// (atomic on a pipe up to PIPE_BUF, as on Linux).
pub fn sys_writev(fd: i32, iov: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
    let data = gather(iov, count)?;
    write_with_kernel(&data, |b| f.write(b))
}

/// Gathers the iovecs' bytes, stopping at the first byte that cannot be
/// read (a write then writes what came before it, as Linux's short
/// copies do); EFAULT if not even the first byte can.
fn gather(iov: usize, count: usize) -> KResult<Vec<u8>> {
    gather_vecs(&read_iovecs(iov, count)?)
}

pub(super) fn gather_vecs(vecs: &[IoVec]) -> KResult<Vec<u8>> {
    let total: usize = vecs.iter().map(|v| v.len as usize).sum();
    let mut data = crate::mm::uaccess::try_buffer(total)?;
    let mut at = 0;
    for v in vecs {
        let len = v.len as usize;
        let ok = if len == 0 { 0 } else { clip_to_mapped(len, v.base as usize, false).unwrap_or(0) };
        if ok > 0 {
            read_into(v.base as usize, &mut data[at..at + ok])?;
        }
        at += ok;
        if ok < len {
            if at == 0 {
                return Err(Errno::EFAULT);
            }
            break;
        }
    }
    data.truncate(at);
    Ok(data)
}

pub(super) fn write_with_kernel(data: &[u8], mut op: impl FnMut(&[u8]) -> KResult<usize>) -> KResult<usize> {
    let mut done = 0;
    loop {
        let n = match op(&data[done..]) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += n;
        if n == 0 || done == data.len() {
            break;
        }
    }
    Ok(done)
}

/// preadv(2)
pub fn sys_preadv(fd: i32, iov: usize, count: usize, offset: i64) -> KResult<usize> {
    if offset < 0 {
        return Err(Errno::EINVAL);
    }
    let f = file(fd)?;
    let vecs = read_iovecs(iov, count)?;
    preadv_file(&f, &vecs, offset as u64)
}

fn preadv_file(f: &OpenFile, vecs: &[IoVec], offset: u64) -> KResult<usize> {
    let mut pos = offset;
    let mut done = 0;
    for v in vecs {
        let n = match read_with(v.len as usize, v.base as usize, |b| {
            let n = f.read_at(pos, b)?;
            pos += n as u64;
            Ok(n)
        }) {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += n;
        if n < v.len as usize {
            break;
        }
    }
    Ok(done)
}

/// pwritev(2)
pub fn sys_pwritev(fd: i32, iov: usize, count: usize, offset: i64) -> KResult<usize> {
    if offset < 0 {
        return Err(Errno::EINVAL);
    }
    let f = file(fd)?;
    let data = gather(iov, count)?;
    let mut pos = offset as u64;
    write_with_kernel(&data, |b| {
        let n = f.write_at(pos, b)?;
        pos += n as u64;
        Ok(n)
    })
}

/// lseek(2)
pub fn sys_lseek(fd: i32, offset: i64, whence: u32) -> KResult<usize> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    Ok(f.seek(offset, whence)? as usize)
}

/// ioctl(2): generic requests here, the rest to the file.
pub fn sys_ioctl(fd: i32, cmd: u32, arg: usize) -> KResult<usize> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    match cmd {
        io::FIOCLEX | io::FIONCLEX => {
            crate::sched::current().files().lock().set_cloexec(fd, cmd == io::FIOCLEX)?;
            Ok(0)
        }
        io::FIONBIO => {
            let on = UserPtr::<i32>::new(arg).read()? != 0;
            let flags = f.flags();
            let nb = linux_raw_sys::general::O_NONBLOCK;
            f.set_status_flags(if on { flags | nb } else { flags & !nb });
            Ok(0)
        }
        _ => f.ops().ioctl(&f, cmd, arg),
    }
}

/// fsync(2), fdatasync(2): data already lives in its final place on the
/// in-memory file systems, so there is nothing to flush; files whose
/// Linux counterparts have no fsync method (pipes, devices, terminals,
/// procfs, event descriptors) fail with EINVAL as there.
pub fn sys_fsync(fd: i32) -> KResult<usize> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    f.ops().fsync()?;
    Ok(0)
}

/// sync_file_range(2): checks as Linux (flags, a range that does not
/// wrap, ESPIPE unless a regular file, directory, symlink or block
/// device); the data is already where it goes (tmpfs), so nothing waits.
pub fn sys_sync_file_range(fd: i32, offset: i64, nbytes: i64, flags: u32) -> KResult<usize> {
    const VALID: u32 = 1 | 2 | 4; // WAIT_BEFORE | WRITE | WAIT_AFTER
    let f = file(fd)?;
    if flags & !VALID != 0 || offset < 0 || nbytes < 0 || offset.checked_add(nbytes).is_none() {
        return Err(Errno::EINVAL);
    }
    let kind = f.inode().and_then(|i| i.stat().file_type());
    if !matches!(kind, Some(FileType::Regular | FileType::Directory | FileType::Symlink | FileType::BlockDevice)) {
        return Err(Errno::ESPIPE);
    }
    Ok(0)
}

/// sync(2): commits every disk file system (memory ones have nothing to
/// write).
pub fn sys_sync() -> KResult<usize> {
    crate::fs::ext4fs::sync_all();
    Ok(0)
}

/// syncfs(2): any open file names a file system to sync (nothing to do).
pub fn sys_syncfs(fd: i32) -> KResult<usize> {
    if file(fd)?.is_path_only() {
        return Err(Errno::EBADF);
    }
    Ok(0)
}

// ---- preadv2/pwritev2 ----

const RWF_HIPRI: u32 = 0x01;
const RWF_DSYNC: u32 = 0x02;
const RWF_SYNC: u32 = 0x04;
const RWF_NOWAIT: u32 = 0x08;
const RWF_APPEND: u32 = 0x10;
const RWF_NOAPPEND: u32 = 0x20;
const RWF_ATOMIC: u32 = 0x40;
const RWF_DONTCACHE: u32 = 0x80;
const RWF_NOSIGNAL: u32 = 0x100;
const RWF_SUPPORTED: u32 = 0x1ff;

/// kiocb_set_rw_flags: unknown flags and the ones no file here supports
/// (RWF_ATOMIC, RWF_DONTCACHE) fail with EOPNOTSUPP, RWF_APPEND with
/// RWF_NOAPPEND with EINVAL. The sync and polling hints need nothing on
/// in-memory files; RWF_NOWAIT is checked by the file itself.
fn check_rw_flags(flags: u32) -> KResult<()> {
    let _hints = RWF_HIPRI | RWF_DSYNC | RWF_SYNC;
    if flags & !RWF_SUPPORTED != 0 || flags & (RWF_ATOMIC | RWF_DONTCACHE) != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    if flags & RWF_APPEND != 0 && flags & RWF_NOAPPEND != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// The position a preadv2/pwritev2 works at: `None` for -1 (the file
/// position, which the call then advances); other negative values are
/// EINVAL, and a position on a file that cannot seek is ESPIPE.
fn rw2_position(f: &OpenFile, pos: i64) -> KResult<Option<u64>> {
    match pos {
        -1 => Ok(None),
        p if p < 0 => Err(Errno::EINVAL),
        p if !f.ops().seekable() => {
            let _ = p;
            Err(Errno::ESPIPE)
        }
        p => Ok(Some(p as u64)),
    }
}

/// preadv2(2)
pub fn sys_preadv2(fd: i32, iov: usize, count: usize, pos: i64, flags: u32) -> KResult<usize> {
    if pos < -1 {
        return Err(Errno::EINVAL);
    }
    let f = file(fd)?;
    let at = rw2_position(&f, pos)?;
    let vecs = read_iovecs(iov, count)?;
    if !f.readable() || f.is_path_only() {
        return Err(Errno::EBADF);
    }
    let total: usize = vecs.iter().map(|v| v.len as usize).sum();
    if total == 0 {
        return Ok(0);
    }
    check_rw_flags(flags)?;
    if flags & RWF_NOWAIT != 0 {
        let len = clip_to_mapped(total, vecs[0].base as usize, true).map(|_| total)?;
        let mut buf = crate::mm::uaccess::try_buffer(len.min(CHUNK * 16))?;
        let n = f.read_nowait(at, &mut buf)?;
        return scatter(&vecs, &buf[..n]);
    }
    match at {
        None => readv_file(&f, &vecs),
        Some(p) => preadv_file(&f, &vecs, p),
    }
}

/// pwritev2(2)
pub fn sys_pwritev2(fd: i32, iov: usize, count: usize, pos: i64, flags: u32) -> KResult<usize> {
    if pos < -1 {
        return Err(Errno::EINVAL);
    }
    let f = file(fd)?;
    let at = rw2_position(&f, pos)?;
    let vecs = read_iovecs(iov, count)?;
    if !f.writable() || f.is_path_only() {
        return Err(Errno::EBADF);
    }
    if vecs.iter().all(|v| v.len == 0) {
        return Ok(0);
    }
    check_rw_flags(flags)?;
    let data = gather_vecs(&vecs)?;
    if flags & RWF_NOWAIT != 0 {
        return f.write_nowait(at, &data);
    }
    if flags & RWF_NOSIGNAL != 0 {
        if let Some(pipe) = crate::fs::pipe::pipe_of(&f) {
            return pipe.write_nosignal(&f, &data);
        }
    }
    let append_flag = f.flags() & linux_raw_sys::general::O_APPEND != 0;
    let append = match flags & (RWF_APPEND | RWF_NOAPPEND) {
        RWF_APPEND => Some(true),
        RWF_NOAPPEND if append_flag => Some(false),
        _ => None,
    };
    match (at, append) {
        (None, None) => write_with_kernel(&data, |b| f.write(b)),
        (Some(p), None) => {
            let mut pos = p;
            write_with_kernel(&data, |b| {
                let n = f.write_at(pos, b)?;
                pos += n as u64;
                Ok(n)
            })
        }
        (at, Some(append)) if f.ops().seekable() => {
            let mut off = at.unwrap_or_else(|| f.offset());
            let n = f.write_at_append(&mut off, &data, append)?;
            if at.is_none() {
                f.set_offset(off);
            }
            Ok(n)
        }
        // Streams have no position to append at.
        (None, Some(_)) => write_with_kernel(&data, |b| f.write(b)),
        (Some(_), Some(_)) => Err(Errno::ESPIPE),
    }
}

/// Scatters `data` over the iovecs (EFAULT only if nothing could land).
fn scatter(vecs: &[IoVec], data: &[u8]) -> KResult<usize> {
    let mut at = 0;
    for v in vecs {
        if at == data.len() {
            break;
        }
        let take = (v.len as usize).min(data.len() - at);
        if let Err(e) = write_bytes(v.base as usize, &data[at..at + take]) {
            return if at == 0 { Err(e) } else { Ok(at) };
        }
        at += take;
    }
    Ok(at)
}

// ---- fallocate ----

/// fallocate mode bits (FALLOC_FL_*).
const FALLOC_FL_KEEP_SIZE: u32 = 0x01;
const FALLOC_FL_PUNCH_HOLE: u32 = 0x02;
const FALLOC_FL_COLLAPSE_RANGE: u32 = 0x08;
const FALLOC_FL_ZERO_RANGE: u32 = 0x10;
const FALLOC_FL_INSERT_RANGE: u32 = 0x20;
const FALLOC_FL_UNSHARE_RANGE: u32 = 0x40;
const FALLOC_FL_WRITE_ZEROES: u32 = 0x80;
const FALLOC_FL_MODE_MASK: u32 = FALLOC_FL_PUNCH_HOLE
    | FALLOC_FL_COLLAPSE_RANGE
    | FALLOC_FL_ZERO_RANGE
    | FALLOC_FL_INSERT_RANGE
    | FALLOC_FL_UNSHARE_RANGE
    | FALLOC_FL_WRITE_ZEROES;

/// fallocate(2), checked in vfs_fallocate's order; the file system then
/// decides which modes it implements (tmpfs: allocation, KEEP_SIZE and
/// punching holes; every other mode EOPNOTSUPP, as Linux's tmpfs).
pub fn sys_fallocate(fd: i32, mode: u32, offset: i64, len: i64) -> KResult<usize> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    if offset < 0 || len <= 0 {
        return Err(Errno::EINVAL);
    }
    if mode & !(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE) != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    match mode & FALLOC_FL_MODE_MASK {
        0 | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_ZERO_RANGE => {}
        FALLOC_FL_PUNCH_HOLE if mode & FALLOC_FL_KEEP_SIZE != 0 => {}
        FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_WRITE_ZEROES if mode & FALLOC_FL_KEEP_SIZE == 0 => {}
        _ => return Err(Errno::EOPNOTSUPP),
    }
    if !f.writable() {
        return Err(Errno::EBADF);
    }
    let st = f.stat()?;
    match st.file_type() {
        Some(FileType::Fifo) => return Err(Errno::ESPIPE),
        Some(FileType::Directory) => return Err(Errno::EISDIR),
        Some(FileType::Regular) => {}
        _ => return Err(Errno::ENODEV),
    }
    let end = offset.checked_add(len).ok_or(Errno::EFBIG)?;
    if end as u64 > crate::fs::tmpfs::MAX_FILE_SIZE {
        return Err(Errno::EFBIG);
    }
    let inode = f.inode().ok_or(Errno::EOPNOTSUPP)?;
    if mode & FALLOC_FL_PUNCH_HOLE == 0 {
        // inode_newsize_ok: RLIMIT_FSIZE applies even with KEEP_SIZE.
        check_file_size_limit(end as u64)?;
    }
    inode.fallocate(mode, offset as u64, len as u64)?;
    crate::fs::notify::modified(&f);
    Ok(0)
}

/// RLIMIT_FSIZE for a file growing to `size` bytes: SIGXFSZ and EFBIG.
pub(super) fn check_file_size_limit(size: u64) -> KResult<()> {
    let me = crate::sched::current();
    let limit = me.process.rlimit(crate::process::RLIMIT_FSIZE);
    if limit != crate::process::RLIM_INFINITY && size > limit {
        crate::signal::delivery::send_to_thread(&me, crate::signal::SigInfo::kernel(crate::signal::SIGXFSZ, 0, 0));
        return Err(Errno::EFBIG);
    }
    Ok(())
}
