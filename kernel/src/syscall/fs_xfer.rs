//! Moving data between descriptors inside the kernel: sendfile,
//! copy_file_range, splice, tee, vmsplice.
//!
//! As on Linux, a splice into a pipe waits for one free buffer and then
//! moves what fits; a splice out of a pipe waits for data and then moves
//! what is there (fs::pipe's "Splicing" section). Between two files
//! (sendfile, copy_file_range) the copy runs to the count or to EOF, in
//! bounded kernel chunks. Checks follow Linux's order: fs/splice.c and
//! fs/read_write.c.

use alloc::sync::Arc;

use linux_raw_sys::general as g;

use super::file;
use super::fs_io::{IoVec, MAX_RW, check_file_size_limit, read_iovecs, write_with_kernel};
use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::fs::inode::FileType;
use crate::fs::pipe::{Pipe, pipe_of};
use crate::fs::tmpfs::MAX_FILE_SIZE;
use crate::mm::PAGE_SIZE;
use crate::mm::uaccess::{UserPtr, read_into, try_buffer, write_bytes};

const SPLICE_F_NONBLOCK: u32 = 0x02;
/// SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_GIFT: MOVE,
/// MORE and GIFT are hints that change nothing observable here.
const SPLICE_F_ALL: u32 = 0x0f;
/// Bounce buffer for file-to-file copies.
const CHUNK: usize = 64 * 1024;

/// The open file behind `fd` for I/O: O_PATH descriptors are EBADF here
/// (Linux's fdget refuses them).
fn io_file(fd: i32) -> KResult<Arc<OpenFile>> {
    let f = file(fd)?;
    if f.is_path_only() {
        return Err(Errno::EBADF);
    }
    Ok(f)
}

/// Reads a `loff_t` argument (None for NULL).
fn read_offset(ptr: usize) -> KResult<Option<i64>> {
    if ptr == 0 { Ok(None) } else { UserPtr::<i64>::new(ptr).read().map(Some) }
}

/// Whether a splice can read from `f` (Linux: the file has splice_read):
/// not directories, nor descriptors without a file behind them.
fn check_splice_source(f: &OpenFile) -> KResult<()> {
    if f.ops().as_socket().is_some() {
        return Ok(());
    }
    match f.inode().map(|i| i.stat().file_type()) {
        Some(Some(FileType::Directory)) | None => Err(Errno::EINVAL),
        _ => Ok(()),
    }
}

/// Where a transfer reads or writes `f`: at `pos` for a seekable file
/// (the caller stores it back), or as a stream.
#[derive(Clone, Copy)]
enum At {
    Pos(u64),
    Stream,
}

impl At {
    /// The file position of `f`, for calls given no offset pointer.
    fn position_of(f: &OpenFile) -> At {
        if f.ops().seekable() { At::Pos(f.offset()) } else { At::Stream }
    }
}

/// Reads into `buf` at `at` (advancing it).
fn read_at(f: &OpenFile, at: &mut At, buf: &mut [u8]) -> KResult<usize> {
    match at {
        At::Pos(p) => {
            let n = f.read_at(*p, buf)?;
            *p += n as u64;
            Ok(n)
        }
        At::Stream => f.read(buf),
    }
}

/// Writes all of `data` at `at` (advancing it), or as much as goes.
fn write_at(f: &OpenFile, at: &mut At, data: &[u8]) -> KResult<usize> {
    match at {
        At::Pos(p) => write_with_kernel(data, |b| {
            let n = f.write_at(*p, b)?;
            *p += n as u64;
            Ok(n)
        }),
        At::Stream => write_with_kernel(data, |b| f.write(b)),
    }
}

/// splice_file_to_pipe: a page-sized piece of `inp` per pipe buffer
/// (cut at page boundaries of the file, as tmpfs's splice_read does).
fn file_to_pipe(inp: &OpenFile, at: &mut At, pipe: &Pipe, len: usize, nonblock: bool) -> KResult<usize> {
    check_splice_source(inp)?;
    if let Some(sock) = inp.ops().as_socket() {
        // A socket splices like one read (unix_stream_splice_read): wait
        // for the first data, then take only what is already there.
        let mut first = true;
        let wait = !(nonblock || inp.nonblocking());
        return pipe.splice_in(len.min(MAX_RW), nonblock, &mut |page| {
            let got = sock.recv(page.len(), 0, !(first && wait))?;
            first = false;
            page[..got.data.len()].copy_from_slice(&got.data);
            Ok(got.data.len())
        });
    }
    let start = *at;
    let mut cursor = start;
    let n = pipe.splice_in(len.min(MAX_RW), nonblock, &mut |page| {
        let piece = match cursor {
            At::Pos(p) => page.len().min(PAGE_SIZE - (p % PAGE_SIZE as u64) as usize),
            At::Stream => page.len(),
        };
        read_at(inp, &mut cursor, &mut page[..piece])
    })?;
    // Only what reached the pipe counts as read.
    if let At::Pos(p) = start {
        *at = At::Pos(p + n as u64);
    }
    Ok(n)
}

/// Splices from `pipe` into `out` at `at` (iter_file_splice_write).
fn pipe_to_file(pipe: &Pipe, out: &OpenFile, at: &mut At, len: usize, nonblock: bool) -> KResult<usize> {
    pipe.splice_out(len.min(MAX_RW), nonblock, &mut |data| write_at(out, at, data))
}

/// do_splice_direct: copies up to `count` bytes from `inp` to `out`
/// through a kernel buffer, until EOF or a short write.
fn file_to_file(inp: &OpenFile, in_at: &mut At, out: &OpenFile, out_at: &mut At, count: usize) -> KResult<usize> {
    check_splice_source(inp)?;
    let mut buf = try_buffer(count.min(CHUNK))?;
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        let n = match read_at(inp, in_at, &mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        let w = match write_at(out, out_at, &buf[..n]) {
            Ok(w) => w,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += w;
        if w < n {
            // The reader went further than the writer: step it back.
            if let At::Pos(p) = in_at {
                *p -= (n - w) as u64;
            }
            break;
        }
    }
    Ok(done)
}

/// sendfile(2)
pub fn sys_sendfile(out_fd: i32, in_fd: i32, offset_ptr: usize, count: usize) -> KResult<usize> {
    let inp = io_file(in_fd)?;
    if !inp.readable() {
        return Err(Errno::EBADF);
    }
    // The source must be a file that can be mapped (sendfile(2)), which a
    // socket is not.
    if inp.ops().as_socket().is_some() {
        return Err(Errno::EINVAL);
    }
    let mut at = match offset_ptr {
        0 => At::position_of(&inp),
        ptr => {
            if !inp.ops().seekable() {
                return Err(Errno::ESPIPE);
            }
            let off = UserPtr::<i64>::new(ptr).read()?;
            At::Pos(u64::try_from(off).map_err(|_| Errno::EINVAL)?)
        }
    };
    let mut count = count.min(MAX_RW);
    let out = io_file(out_fd)?;
    if !out.writable() {
        return Err(Errno::EBADF);
    }
    if let At::Pos(p) = at {
        if p >= MAX_FILE_SIZE {
            return Err(Errno::EOVERFLOW);
        }
        count = count.min((MAX_FILE_SIZE - p) as usize);
    }
    let n = match pipe_of(&out) {
        Some(pipe) => file_to_pipe(&inp, &mut at, &pipe, count, out.nonblocking())?,
        None => {
            if out.flags() & g::O_APPEND != 0 {
                return Err(Errno::EINVAL);
            }
            file_to_file(&inp, &mut at, &out, &mut At::Stream, count)?
        }
    };
    if n > 0 {
        if let At::Pos(p) = at {
            if offset_ptr != 0 {
                UserPtr::<i64>::new(offset_ptr).write(&(p as i64))?;
            } else {
                inp.set_offset(p);
            }
        }
    }
    Ok(n)
}

/// splice(2)
pub fn sys_splice(fd_in: i32, off_in: usize, fd_out: i32, off_out: usize, len: usize, flags: u32) -> KResult<usize> {
    if len == 0 {
        return Ok(0);
    }
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Errno::EINVAL);
    }
    let inp = io_file(fd_in)?;
    let out = io_file(fd_out)?;
    let ipipe = pipe_of(&inp);
    let opipe = pipe_of(&out);
    if (ipipe.is_some() && off_in != 0) || (opipe.is_some() && off_out != 0) {
        return Err(Errno::ESPIPE);
    }
    let given_out = read_offset(off_out)?;
    let given_in = read_offset(off_in)?;
    if !inp.readable() || !out.writable() {
        return Err(Errno::EBADF);
    }
    let nonblock = flags & SPLICE_F_NONBLOCK != 0;
    match (ipipe, opipe) {
        (Some(ip), Some(op)) => {
            if Arc::ptr_eq(&ip, &op) {
                return Err(Errno::EINVAL);
            }
            ip.splice_to_pipe(&op, len, nonblock || inp.nonblocking() || out.nonblocking())
        }
        (Some(ip), None) => {
            let mut at = splice_position(&out, given_out)?;
            if out.flags() & g::O_APPEND != 0 {
                return Err(Errno::EINVAL);
            }
            let n = pipe_to_file(&ip, &out, &mut at, len, nonblock || inp.nonblocking())?;
            store_position(&out, off_out, at)?;
            Ok(n)
        }
        (None, Some(op)) => {
            let mut at = splice_position(&inp, given_in)?;
            let n = file_to_pipe(&inp, &mut at, &op, len, nonblock || out.nonblocking())?;
            store_position(&inp, off_in, at)?;
            Ok(n)
        }
        (None, None) => Err(Errno::EINVAL),
    }
}

/// The file side of a splice: the given offset (EINVAL if the file
/// cannot seek, or for a negative one) or the file position.
fn splice_position(f: &OpenFile, given: Option<i64>) -> KResult<At> {
    match given {
        Some(off) => {
            if !f.ops().seekable() {
                return Err(Errno::EINVAL);
            }
            Ok(At::Pos(u64::try_from(off).map_err(|_| Errno::EINVAL)?))
        }
        None => Ok(At::position_of(f)),
    }
}

/// Stores the file side's new position: through the offset pointer if
/// there was one, else as the file position.
fn store_position(f: &OpenFile, ptr: usize, at: At) -> KResult<()> {
    if let At::Pos(p) = at {
        if ptr != 0 {
            UserPtr::<i64>::new(ptr).write(&(p as i64))?;
        } else {
            f.set_offset(p);
        }
    }
    Ok(())
}

/// tee(2)
pub fn sys_tee(fd_in: i32, fd_out: i32, len: usize, flags: u32) -> KResult<usize> {
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Errno::EINVAL);
    }
    if len == 0 {
        return Ok(0);
    }
    let inp = io_file(fd_in)?;
    let out = io_file(fd_out)?;
    if !inp.readable() || !out.writable() {
        return Err(Errno::EBADF);
    }
    match (pipe_of(&inp), pipe_of(&out)) {
        (Some(ip), Some(op)) if !Arc::ptr_eq(&ip, &op) => {
            let nonblock = flags & SPLICE_F_NONBLOCK != 0 || inp.nonblocking() || out.nonblocking();
            ip.tee_to(&op, len, nonblock)
        }
        _ => Err(Errno::EINVAL),
    }
}

/// vmsplice(2): user memory into a pipe (a write end), or out of one (a
/// read end) into user memory.
pub fn sys_vmsplice(fd: i32, iov: usize, nr_segs: usize, flags: u32) -> KResult<usize> {
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Errno::EINVAL);
    }
    let f = io_file(fd)?;
    let into_pipe = if f.writable() {
        true
    } else if f.readable() {
        false
    } else {
        return Err(Errno::EBADF);
    };
    let vecs = read_iovecs(iov, nr_segs)?;
    let total: usize = vecs.iter().map(|v| v.len as usize).sum();
    if total == 0 {
        return Ok(0);
    }
    let pipe = pipe_of(&f).ok_or(Errno::EBADF)?;
    let nonblock = flags & SPLICE_F_NONBLOCK != 0;
    if into_pipe {
        let mut cursor = UserCursor { vecs: &vecs, index: 0, offset: 0 };
        pipe.splice_in(total, nonblock || f.nonblocking(), &mut |page| cursor.read_piece(page))
    } else {
        let mut cursor = UserCursor { vecs: &vecs, index: 0, offset: 0 };
        pipe.splice_out(total, nonblock, &mut |data| cursor.write_all(data))
    }
}

/// A position in a list of user iovecs.
struct UserCursor<'a> {
    vecs: &'a [IoVec],
    index: usize,
    offset: usize,
}

impl UserCursor<'_> {
    /// The next piece of user memory, up to a page boundary, into `page`
    /// (as vmsplice takes user pages one by one); 0 at the end.
    fn read_piece(&mut self, page: &mut [u8]) -> KResult<usize> {
        while self.index < self.vecs.len() && self.offset == self.vecs[self.index].len as usize {
            self.index += 1;
            self.offset = 0;
        }
        let Some(v) = self.vecs.get(self.index) else { return Ok(0) };
        let addr = v.base as usize + self.offset;
        let piece = (v.len as usize - self.offset).min(PAGE_SIZE - addr % PAGE_SIZE).min(page.len());
        read_into(addr, &mut page[..piece])?;
        self.offset += piece;
        Ok(piece)
    }

    /// Copies `data` out over the iovecs; returns how much landed.
    fn write_all(&mut self, data: &[u8]) -> KResult<usize> {
        let mut done = 0;
        while done < data.len() && self.index < self.vecs.len() {
            let v = &self.vecs[self.index];
            let take = (v.len as usize - self.offset).min(data.len() - done);
            if let Err(e) = write_bytes(v.base as usize + self.offset, &data[done..done + take]) {
                return if done == 0 { Err(e) } else { Ok(done) };
            }
            done += take;
            self.offset += take;
            if self.offset == v.len as usize {
                self.index += 1;
                self.offset = 0;
            }
        }
        Ok(done)
    }
}

/// copy_file_range(2), with generic_copy_file_checks' rules: regular
/// files only, one file system (tmpfs has no cross-file-system copy, so
/// EXDEV), no overlapping ranges within one file, the count cut at the
/// input's EOF.
pub fn sys_copy_file_range(fd_in: i32, off_in: usize, fd_out: i32, off_out: usize, len: usize, flags: u32) -> KResult<usize> {
    let fin = io_file(fd_in)?;
    let fout = io_file(fd_out)?;
    let pos_in = match read_offset(off_in)? {
        Some(p) => p,
        None => fin.offset() as i64,
    };
    let pos_out = match read_offset(off_out)? {
        Some(p) => p,
        None => fout.offset() as i64,
    };
    if flags != 0 {
        return Err(Errno::EINVAL);
    }
    let (sin, sout) = (fin.stat()?, fout.stat()?);
    if sin.is_dir() || sout.is_dir() {
        return Err(Errno::EISDIR);
    }
    if sin.file_type() != Some(FileType::Regular) || sout.file_type() != Some(FileType::Regular) {
        return Err(Errno::EINVAL);
    }
    if !fin.readable() || !fout.writable() || fout.flags() & g::O_APPEND != 0 {
        return Err(Errno::EBADF);
    }
    let (iin, iout) = (fin.inode().ok_or(Errno::EINVAL)?, fout.inode().ok_or(Errno::EINVAL)?);
    if iin.fs_id() != iout.fs_id() {
        return Err(Errno::EXDEV);
    }
    let mut count = len as u64;
    if (pos_in as u64).checked_add(count).is_none() || (pos_out as u64).checked_add(count).is_none() {
        return Err(Errno::EOVERFLOW);
    }
    if pos_in < 0 || pos_out < 0 {
        return Err(Errno::EINVAL);
    }
    let (pos_in, pos_out) = (pos_in as u64, pos_out as u64);
    count = if pos_in >= sin.size { 0 } else { count.min(sin.size - pos_in) };
    // generic_write_check_limits: RLIMIT_FSIZE and the largest file.
    if count > 0 {
        check_file_size_limit(pos_out + 1)?;
        if pos_out >= MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        count = count.min(MAX_FILE_SIZE - pos_out);
    }
    let same = sin.dev == sout.dev && sin.ino == sout.ino;
    if same && pos_out + count > pos_in && pos_out < pos_in + count {
        return Err(Errno::EINVAL);
    }
    if count == 0 {
        return Ok(0);
    }
    let (mut at_in, mut at_out) = (At::Pos(pos_in), At::Pos(pos_out));
    let n = file_to_file(&fin, &mut at_in, &fout, &mut at_out, (count as usize).min(MAX_RW))?;
    if n > 0 {
        let (new_in, new_out) = (pos_in + n as u64, pos_out + n as u64);
        match off_in {
            0 => fin.set_offset(new_in),
            ptr => UserPtr::<i64>::new(ptr).write(&(new_in as i64))?,
        }
        match off_out {
            0 => fout.set_offset(new_out),
            ptr => UserPtr::<i64>::new(ptr).write(&(new_out as i64))?,
        }
    }
    Ok(n)
}
