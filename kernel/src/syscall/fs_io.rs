//! read, write and their vectored and positional forms; lseek; sendfile;
//! ioctl; fsync.

use alloc::vec::Vec;

use linux_raw_sys::ioctl as io;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::file;
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::{UserPtr, read_into, write_bytes};

/// Largest single transfer (Linux's MAX_RW_COUNT).
const MAX_RW: usize = 0x7fff_f000;
/// Kernel bounce buffer per step.
const CHUNK: usize = 64 * 1024;
/// Most iovecs (IOV_MAX).
const IOV_MAX: usize = 1024;

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct IoVec {
    base: u64,
    len: u64,
}

/// read(2)
pub fn sys_read(fd: i32, buf: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
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

fn read_iovecs(iov: usize, count: usize) -> KResult<Vec<IoVec>> {
    if count > IOV_MAX {
        return Err(Errno::EINVAL);
    }
    let mut v = Vec::with_capacity(count);
    let mut total: u64 = 0;
    for k in 0..count {
        let e = UserPtr::<IoVec>::new(iov).add(k).read()?;
        if e.len > isize::MAX as u64 {
            return Err(Errno::EINVAL);
        }
        total = total.checked_add(e.len).ok_or(Errno::EINVAL)?;
        v.push(e);
    }
    if total > isize::MAX as u64 {
        return Err(Errno::EINVAL);
    }
    Ok(v)
}

/// readv(2)
pub fn sys_readv(fd: i32, iov: usize, count: usize) -> KResult<usize> {
    let f = file(fd)?;
    let vecs = read_iovecs(iov, count)?;
    if let Some(r) = readv_stream(&f, &vecs) {
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

fn gather(iov: usize, count: usize) -> KResult<Vec<u8>> {
    let vecs = read_iovecs(iov, count)?;
    let total: usize = vecs.iter().map(|v| v.len as usize).sum();
    let mut data = alloc::vec![0u8; total.min(MAX_RW)];
    let mut at = 0;
    for v in vecs {
        let n = (v.len as usize).min(data.len() - at);
        read_into(v.base as usize, &mut data[at..at + n])?;
        at += n;
    }
    Ok(data)
}

fn write_with_kernel(data: &[u8], mut op: impl FnMut(&[u8]) -> KResult<usize>) -> KResult<usize> {
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
    let mut pos = offset as u64;
    let mut done = 0;
    for v in vecs {
        let n = read_with(v.len as usize, v.base as usize, |b| {
            let n = f.read_at(pos, b)?;
            pos += n as u64;
            Ok(n)
        })?;
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
    Ok(f.seek(offset, whence)? as usize)
}

/// sendfile(2): copies between descriptors through a kernel buffer.
pub fn sys_sendfile(out_fd: i32, in_fd: i32, offset_ptr: usize, count: usize) -> KResult<usize> {
    let out = file(out_fd)?;
    let inp = file(in_fd)?;
    if !inp.readable() || !out.writable() {
        return Err(Errno::EBADF);
    }
    let count = count.min(MAX_RW);
    let mut pos: Option<u64> = if offset_ptr != 0 {
        let o = UserPtr::<i64>::new(offset_ptr).read()?;
        if o < 0 {
            return Err(Errno::EINVAL);
        }
        Some(o as u64)
    } else {
        None
    };
    let mut buf = alloc::vec![0u8; count.min(CHUNK)];
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        let n = match pos {
            Some(p) => inp.read_at(p, &mut buf[..want]),
            None => inp.read(&mut buf[..want]),
        };
        let n = match n {
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        if n == 0 {
            break;
        }
        let w = match write_with_kernel(&buf[..n], |b| out.write(b)) {
            Ok(w) => w,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += w;
        if let Some(p) = pos.as_mut() {
            *p += w as u64;
        }
        if w < n {
            break;
        }
    }
    if let Some(p) = pos {
        UserPtr::<i64>::new(offset_ptr).write(&(p as i64))?;
    }
    Ok(done)
}

/// ioctl(2): generic requests here, the rest to the file.
pub fn sys_ioctl(fd: i32, cmd: u32, arg: usize) -> KResult<usize> {
    let f = file(fd)?;
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

/// fsync(2), fdatasync(2), syncfs(2): data already lives in its final
/// place on the in-memory file systems, so there is nothing to flush.
pub fn sys_fsync(fd: i32) -> KResult<usize> {
    file(fd)?;
    Ok(0)
}
