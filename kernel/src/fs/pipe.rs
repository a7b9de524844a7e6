//! Pipes and FIFOs, modelled as Linux models them (fs/pipe.c): a ring of
//! page-sized buffers, 16 by default (F_SETPIPE_SZ changes the count).
//!
//! Everything user-visible about capacity follows from that model, so it
//! is kept rather than a plain byte queue:
//! - a write first tops up the last buffer with its odd part
//!   (`len % PAGE`) if that fits whole, then fills fresh pages; so small
//!   writes merge (1-byte writes fill 65536 bytes) but 100-byte writes
//!   fill only 64000 (40 per page), and a write of at most PIPE_BUF bytes
//!   lands in one buffer, which is what makes it atomic;
//! - "full" means no free buffer: POLLOUT, blocking writers and EBUSY on
//!   shrinking all count buffers, not bytes;
//! - with O_DIRECT on the writing file each buffer is a packet: never
//!   merged into, and read whole or not at all (the rest of a packet a
//!   short read leaves is discarded).
//!
//! Wake-ups carry keys (see sched::wait): a write wakes readers with IN
//! (every write, since edge-triggered epoll counts each as an edge); a
//! read wakes writers with OUT only if the pipe was full (a writer only
//! ever waits for a full pipe to get a free buffer); closing an end wakes
//! the other with HUP or ERR.
//!
//! End of file comes once no writer is left; a write with no reader left
//! raises SIGPIPE and fails with EPIPE.
//!
//! splice, tee and vmsplice (the "Splicing" section below) move buffers
//! in and out whole, as Linux does: data spliced in from a file or user
//! memory, and copies made by tee, are buffers of their own that later
//! writes never merge into; a splice waits only until it can move
//! something, then moves what fits.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::general as g;

use super::file::{FileOps, OpenFile, PollEvents};
use super::inode::Stat;
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::read_into;
use crate::sched::wait::WaitQueue;
use crate::signal::{SIGPIPE, SigInfo};

/// Atomic write size (PIPE_BUF), also the size of one buffer.
pub const PIPE_BUF: usize = 4096;
const PAGE: usize = 4096;
/// Default number of buffers (16 pages: 65536 bytes).
const DEFAULT_SLOTS: usize = 16;
/// Largest size an unprivileged F_SETPIPE_SZ may ask for
/// (/proc/sys/fs/pipe-max-size).
const PIPE_MAX_SIZE: usize = 1 << 20;

/// One page of pipe data: bytes `start..start + len` of `data` are queued.
struct Buffer {
    data: Box<[u8]>,
    start: usize,
    len: usize,
    /// Written in packet mode (O_DIRECT): not merged into, read whole.
    packet: bool,
    /// Put here by splice, tee or vmsplice: never merged into (Linux's
    /// buffers without PIPE_BUF_FLAG_CAN_MERGE).
    spliced: bool,
}

impl Buffer {
    fn new(packet: bool) -> Buffer {
        Buffer { data: alloc::vec![0u8; PAGE].into_boxed_slice(), start: 0, len: 0, packet, spliced: false }
    }

    fn takes_merges(&self) -> bool {
        !self.packet && !self.spliced
    }
}

struct State {
    bufs: VecDeque<Buffer>,
    /// How many buffers the pipe may hold (Linux's max_usage).
    slots: usize,
    /// Bytes queued (FIONREAD).
    bytes: usize,
    readers: usize,
    writers: usize,
    /// Opens of each end so far: a FIFO open waits for the other end's
    /// count to move, and a reader reports hang-up only once a writer
    /// has come since it opened.
    reader_opens: u64,
    writer_opens: u64,
}

impl State {
    fn full(&self) -> bool {
        self.bufs.len() >= self.slots
    }
}

/// The shared buffer of a pipe.
pub struct Pipe {
    state: SpinLock<State>,
    /// Woken on every change (data, space, an end opening or closing),
    /// with the key of what changed.
    waiters: WaitQueue,
    ino: u64,
}

static NEXT_PIPE_INO: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(1);

impl Pipe {
    /// A new pipe with one reader and one writer.
    pub fn new() -> (Arc<PipeReader>, Arc<PipeWriter>) {
        let pipe = Self::empty();
        {
            let mut st = pipe.state.lock();
            st.readers = 1;
            st.writers = 1;
            st.writer_opens = 1;
            st.reader_opens = 1;
        }
        (Arc::new(PipeReader { pipe: pipe.clone(), writer_opens_seen: 0 }), Arc::new(PipeWriter { pipe }))
    }

    /// A pipe with no ends open yet (the buffer of a FIFO).
    pub fn empty() -> Arc<Pipe> {
        Arc::new(Pipe {
            state: SpinLock::new(State {
                bufs: VecDeque::new(),
                slots: DEFAULT_SLOTS,
                bytes: 0,
                readers: 0,
                writers: 0,
                reader_opens: 0,
                writer_opens: 0,
            }),
            waiters: WaitQueue::new(),
            ino: NEXT_PIPE_INO.fetch_add(1, core::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Opens a FIFO end per fifo(7): a reader waits for a writer and a
    /// writer for a reader, unless O_NONBLOCK (a lone non-blocking writer
    /// gets ENXIO); O_RDWR never waits. The buffer lives as long as some
    /// end is open: the last close empties it.
    pub fn open_fifo(self: &Arc<Self>, flags: u32) -> KResult<Arc<dyn FileOps>> {
        let acc = flags & g::O_ACCMODE;
        let nonblock = flags & g::O_NONBLOCK != 0;
        let me = self.clone();
        match acc {
            g::O_RDONLY => {
                let seen = {
                    let mut st = self.state.lock();
                    st.readers += 1;
                    st.reader_opens += 1;
                    st.writer_opens
                };
                self.waiters.wake_all();
                let reader = Arc::new(PipeReader { pipe: me, writer_opens_seen: seen });
                if !nonblock {
                    // Dropping `reader` on EINTR gives the count back.
                    self.waiters.wait_until(|| {
                        let st = self.state.lock();
                        (st.writers > 0 || st.writer_opens != seen).then_some(())
                    })?;
                }
                Ok(reader)
            }
            g::O_WRONLY => {
                if nonblock && self.state.lock().readers == 0 {
                    return Err(Errno::ENXIO);
                }
                let seen = {
                    let mut st = self.state.lock();
                    st.writers += 1;
                    st.writer_opens += 1;
                    st.reader_opens
                };
                self.waiters.wake_all();
                let writer = Arc::new(PipeWriter { pipe: me });
                self.waiters.wait_until(|| {
                    let st = self.state.lock();
                    (st.readers > 0 || st.reader_opens != seen).then_some(())
                })?;
                Ok(writer)
            }
            _ => {
                let mut st = self.state.lock();
                st.readers += 1;
                st.writers += 1;
                st.reader_opens += 1;
                st.writer_opens += 1;
                let seen = st.writer_opens;
                drop(st);
                self.waiters.wake_all();
                Ok(Arc::new(PipeDuplex { reader: PipeReader { pipe: me.clone(), writer_opens_seen: seen }, writer: PipeWriter { pipe: me } }))
            }
        }
    }

    fn stat(&self) -> Stat {
        let now = crate::time::realtime();
        Stat {
            dev: crate::fs::inode::make_dev(0, 12),
            ino: self.ino,
            mode: 0o010600,
            nlink: 1,
            blksize: 4096,
            atime: now,
            mtime: now,
            ctime: now,
            ..Default::default()
        }
    }

    /// The capacity in bytes (F_GETPIPE_SZ).
    pub fn size(&self) -> usize {
        self.state.lock().slots * PAGE
    }

    /// F_SETPIPE_SZ: rounds `size` up to a power-of-two number of pages
    /// (at least one); EINVAL beyond 2^31, EPERM above pipe-max-size
    /// without CAP_SYS_RESOURCE, EBUSY if the data queued needs more
    /// buffers than the new size has. Returns the new size.
    pub fn set_size(&self, size: u32) -> KResult<usize> {
        if size > 1 << 31 {
            return Err(Errno::EINVAL);
        }
        let bytes = (size as usize).max(PAGE).next_power_of_two();
        let slots = bytes / PAGE;
        let mut st = self.state.lock();
        if slots > st.slots && bytes > PIPE_MAX_SIZE && !crate::syscall::creds().capable(crate::process::creds::CAP_SYS_RESOURCE) {
            return Err(Errno::EPERM);
        }
        if st.bufs.len() > slots {
            return Err(Errno::EBUSY);
        }
        let grew = slots > st.slots;
        st.slots = slots;
        drop(st);
        if grew {
            self.waiters.wake_with(PollEvents::OUT | PollEvents::WRNORM);
        }
        Ok(bytes)
    }

    /// Bytes queued (FIONREAD).
    fn queued(&self) -> usize {
        self.state.lock().bytes
    }

    /// Takes up to `buf.len()` bytes; None when there is nothing to take
    /// yet (empty, writers left). A packet is taken whole and ends the read.
    fn take(&self, buf: &mut [u8]) -> Option<usize> {
        {
            let st = self.state.lock();
            if st.bufs.is_empty() {
                return (st.writers == 0).then_some(0);
            }
        }
        Some(self.copy_out(buf, true))
    }

    /// Moves queued bytes into `buf`. With `packets` (read(2)), a packet
    /// buffer is taken whole, its unread rest dropped, and ends the copy;
    /// without (splice), buffers are drained byte-wise across packets.
    /// Wakes writers if this made room in a full pipe.
    fn copy_out(&self, buf: &mut [u8], packets: bool) -> usize {
        let mut st = self.state.lock();
        let was_full = st.full();
        let mut n = 0;
        while n < buf.len() {
            let Some(b) = st.bufs.front_mut() else { break };
            let k = b.len.min(buf.len() - n);
            buf[n..n + k].copy_from_slice(&b.data[b.start..b.start + k]);
            n += k;
            b.start += k;
            b.len -= k;
            let packet = packets && b.packet;
            if packet || b.len == 0 {
                let gone = st.bufs.pop_front().map_or(0, |b| b.len);
                st.bytes -= k + gone;
            } else {
                st.bytes -= k;
            }
            if packet {
                break;
            }
        }
        drop(st);
        if was_full && n > 0 {
            self.waiters.wake_with(PollEvents::OUT | PollEvents::WRNORM);
        }
        n
    }

    fn read(&self, file: &OpenFile, buf: &mut [u8]) -> KResult<usize> {
        self.read_with(buf, file.nonblocking())
    }

    fn read_with(&self, buf: &mut [u8], nonblock: bool) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if let Some(n) = self.take(buf) {
            return Ok(n);
        }
        if nonblock {
            return Err(Errno::EAGAIN);
        }
        self.waiters.wait_until(|| self.take(buf))
    }

    fn write(&self, file: &OpenFile, total: usize, src: &dyn Fn(usize, &mut [u8]) -> KResult<()>) -> KResult<usize> {
        self.write_with(file, file.nonblocking(), true, total, src)
    }

    /// write(2) with pwritev2's RWF_NOSIGNAL: EPIPE without SIGPIPE.
    pub fn write_nosignal(&self, file: &OpenFile, buf: &[u8]) -> KResult<usize> {
        self.write_with(file, file.nonblocking(), false, buf.len(), &from_kernel(buf))
    }

    /// pipe_write: `src` copies the caller's bytes (kernel or user memory)
    /// into pipe pages, always outside the state lock. `nonblock` for
    /// O_NONBLOCK or RWF_NOWAIT; `sigpipe` unless RWF_NOSIGNAL.
    fn write_with(&self, file: &OpenFile, nonblock: bool, sigpipe: bool, total: usize, src: &dyn Fn(usize, &mut [u8]) -> KResult<()>) -> KResult<usize> {
        if total == 0 {
            return Ok(0);
        }
        let epipe = || if sigpipe { broken_pipe() } else { Errno::EPIPE };
        let packet = file.flags() & g::O_DIRECT != 0;
        let mut done = 0;
        // The odd part first: merged into the last buffer if it fits
        // there whole and that buffer takes merges.
        let odd = total % PAGE;
        let mut staged: Option<Buffer> = None;
        if odd != 0 {
            let mut b = Buffer::new(packet);
            src(0, &mut b.data[..odd])?;
            b.len = odd;
            let mut st = self.state.lock();
            if st.readers == 0 {
                drop(st);
                return Err(epipe());
            }
            let merged = match st.bufs.back_mut() {
                Some(last) if last.takes_merges() && last.start + last.len + odd <= PAGE => {
                    let at = last.start + last.len;
                    last.data[at..at + odd].copy_from_slice(&b.data[..odd]);
                    last.len += odd;
                    true
                }
                _ => false,
            };
            if merged {
                st.bytes += odd;
                drop(st);
                done = odd;
                self.wake_readers();
                if done == total {
                    return Ok(done);
                }
            } else {
                // It starts the first fresh page instead: topped up below.
                staged = Some(b);
            }
        }
        loop {
            let page = match staged.take() {
                Some(mut b) if b.len < PAGE => {
                    // Fill the rest of a staged odd part, page-wise.
                    let more = (PAGE - b.len).min(total - done - b.len);
                    let at = b.len;
                    if let Err(e) = src(done + at, &mut b.data[at..at + more]) {
                        return if done > 0 { Ok(done) } else { Err(e) };
                    }
                    b.len += more;
                    b
                }
                Some(b) => b,
                None => {
                    let mut b = Buffer::new(packet);
                    let n = PAGE.min(total - done);
                    if let Err(e) = src(done, &mut b.data[..n]) {
                        return if done > 0 { Ok(done) } else { Err(e) };
                    }
                    b.len = n;
                    b
                }
            };
            let mut st = self.state.lock();
            if st.readers == 0 {
                drop(st);
                // SIGPIPE even after a partial write, as Linux sends it.
                let e = epipe();
                return if done > 0 { Ok(done) } else { Err(e) };
            }
            if !st.full() {
                st.bytes += page.len;
                done += page.len;
                st.bufs.push_back(page);
                drop(st);
                self.wake_readers();
                if done == total {
                    return Ok(done);
                }
                continue;
            }
            drop(st);
            staged = Some(page);
            if nonblock {
                return if done > 0 { Ok(done) } else { Err(Errno::EAGAIN) };
            }
            let r = self.waiters.wait_until(|| {
                let st = self.state.lock();
                (st.readers == 0 || !st.full()).then_some(())
            });
            if let Err(e) = r {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
        }
    }

    fn wake_readers(&self) {
        self.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
    }

    fn read_events(&self, writer_opens_seen: u64) -> PollEvents {
        let st = self.state.lock();
        let mut ev = PollEvents::empty();
        if !st.bufs.is_empty() {
            ev |= PollEvents::IN | PollEvents::RDNORM;
        }
        // A FIFO reader that has never had a writer is not hung up.
        if st.writers == 0 && st.writer_opens != writer_opens_seen {
            ev |= PollEvents::HUP;
        }
        ev
    }

    fn write_events(&self) -> PollEvents {
        let st = self.state.lock();
        let mut ev = PollEvents::empty();
        if !st.full() {
            ev |= PollEvents::OUT | PollEvents::WRNORM;
        }
        if st.readers == 0 {
            ev |= PollEvents::ERR;
        }
        ev
    }

    fn ioctl(&self, cmd: u32, arg: usize) -> KResult<usize> {
        if cmd == linux_raw_sys::ioctl::FIONREAD {
            let n = self.queued() as i32;
            crate::mm::uaccess::UserPtr::<i32>::new(arg).write(&n)?;
            return Ok(0);
        }
        Err(Errno::ENOTTY)
    }

    fn release_reader(&self) {
        let mut st = self.state.lock();
        st.readers -= 1;
        self.drop_data_if_unused(&mut st);
        drop(st);
        self.waiters.wake_with(PollEvents::ERR | PollEvents::OUT);
    }

    fn release_writer(&self) {
        let mut st = self.state.lock();
        st.writers -= 1;
        self.drop_data_if_unused(&mut st);
        drop(st);
        self.waiters.wake_with(PollEvents::HUP | PollEvents::IN);
    }

    /// A FIFO's buffer is freed with its last open end (the next open
    /// starts empty, at the default size).
    fn drop_data_if_unused(&self, st: &mut State) {
        if st.readers == 0 && st.writers == 0 {
            st.bufs.clear();
            st.bytes = 0;
            st.slots = DEFAULT_SLOTS;
        }
    }
}

// ---- Splicing: splice, tee, vmsplice, sendfile into a pipe ----

impl Pipe {
    /// Waits until a buffer is free (wait_for_space): EPIPE with SIGPIPE
    /// once no reader is left, EAGAIN instead of waiting if `nonblock`.
    fn wait_for_space(&self, nonblock: bool) -> KResult<()> {
        self.waiters.wait_until(|| {
            let st = self.state.lock();
            if st.readers == 0 {
                drop(st);
                return Some(Err(broken_pipe()));
            }
            if !st.full() {
                return Some(Ok(()));
            }
            nonblock.then_some(Err(Errno::EAGAIN))
        })?
    }

    /// Waits until there is data (ipipe_prep): Ok(false) when the pipe is
    /// empty with no writer left (end of file), EAGAIN if `nonblock`.
    fn wait_for_data(&self, nonblock: bool) -> KResult<bool> {
        self.waiters.wait_until(|| {
            let st = self.state.lock();
            if !st.bufs.is_empty() {
                return Some(Ok(true));
            }
            if st.writers == 0 {
                return Some(Ok(false));
            }
            nonblock.then_some(Err(Errno::EAGAIN))
        })?
    }

    /// Splices into the pipe: waits for a free buffer, then fills fresh
    /// buffers through `fill` (given a page, it returns how many bytes it
    /// put there, 0 at the end of its data) while buffers are free and
    /// fewer than `max` bytes were added. Never waits once it has started.
    pub fn splice_in(&self, max: usize, nonblock: bool, fill: &mut dyn FnMut(&mut [u8]) -> KResult<usize>) -> KResult<usize> {
        if max == 0 {
            return Ok(0);
        }
        self.wait_for_space(nonblock)?;
        let mut done = 0;
        while done < max && !self.state.lock().full() {
            let mut b = Buffer::new(false);
            b.spliced = true;
            let want = (max - done).min(PAGE);
            let n = match fill(&mut b.data[..want]) {
                Ok(n) => n,
                Err(e) if done == 0 => return Err(e),
                Err(_) => break,
            };
            if n == 0 {
                break;
            }
            b.len = n;
            let mut st = self.state.lock();
            if st.readers == 0 {
                drop(st);
                if done == 0 {
                    return Err(broken_pipe());
                }
                break;
            }
            if st.full() {
                break; // raced with a writer: callers count only `done`
            }
            st.bytes += n;
            st.bufs.push_back(b);
            done += n;
        }
        if done > 0 {
            self.wake_readers();
        }
        Ok(done)
    }

    /// Splices out of the pipe: waits for data (0 at end of file), then
    /// hands up to `max` queued bytes to `sink`, which returns how many it
    /// took; what it did not take goes back to the front of the pipe.
    pub fn splice_out(&self, max: usize, nonblock: bool, sink: &mut dyn FnMut(&[u8]) -> KResult<usize>) -> KResult<usize> {
        if max == 0 || !self.wait_for_data(nonblock)? {
            return Ok(0);
        }
        let mut data = alloc::vec![0u8; max.min(self.size())];
        let n = self.take_all(&mut data);
        data.truncate(n);
        let taken = match sink(&data) {
            Ok(k) => k.min(n),
            Err(e) => {
                self.unread(&data);
                return Err(e);
            }
        };
        if taken < n {
            self.unread(&data[taken..]);
        }
        Ok(taken)
    }

    /// Takes queued bytes into `buf` across packet boundaries (a splice
    /// moves buffers, it does not read them as read(2) does).
    fn take_all(&self, buf: &mut [u8]) -> usize {
        self.copy_out(buf, false)
    }

    /// Puts bytes a splice could not deliver back in front of the pipe.
    fn unread(&self, data: &[u8]) {
        let mut st = self.state.lock();
        for chunk in data.chunks(PAGE).rev() {
            let mut b = Buffer::new(false);
            b.spliced = true;
            b.data[..chunk.len()].copy_from_slice(chunk);
            b.len = chunk.len();
            st.bytes += chunk.len();
            st.bufs.push_front(b);
        }
        drop(st);
        if !data.is_empty() {
            self.wake_readers();
        }
    }

    /// Locks two different pipes in address order (no ABBA deadlock
    /// between a splice from A to B and one from B to A).
    fn lock_both<'a>(a: &'a Pipe, b: &'a Pipe) -> (kevlar_hal::sync::SpinLockGuard<'a, State>, kevlar_hal::sync::SpinLockGuard<'a, State>) {
        if (a as *const Pipe) < (b as *const Pipe) {
            let ga = a.state.lock();
            (ga, b.state.lock())
        } else {
            let gb = b.state.lock();
            (a.state.lock(), gb)
        }
    }

    /// splice between pipes (splice_pipe_to_pipe): whole buffers move as
    /// they are; a buffer split at `len` leaves its rest behind and the
    /// moved part takes no merges.
    pub fn splice_to_pipe(&self, out: &Pipe, len: usize, nonblock: bool) -> KResult<usize> {
        loop {
            if !self.wait_for_data(nonblock)? {
                // Empty and no writers: end of file, unless the output
                // has no reader either.
                if out.state.lock().readers == 0 {
                    return Err(broken_pipe());
                }
                return Ok(0);
            }
            out.wait_for_space(nonblock)?;
            let (mut ist, mut ost) = Self::lock_both(self, out);
            let in_was_full = ist.full();
            let mut done = 0;
            let mut broken = false;
            while done < len {
                if ost.readers == 0 {
                    broken = true;
                    break;
                }
                if ist.bufs.is_empty() || ost.full() {
                    break;
                }
                let want = len - done;
                let front = ist.bufs.front_mut().expect("not empty");
                let moved = if want >= front.len {
                    ist.bufs.pop_front().expect("not empty")
                } else {
                    let mut part = Buffer::new(front.packet);
                    part.spliced = true;
                    part.data[..want].copy_from_slice(&front.data[front.start..front.start + want]);
                    part.len = want;
                    front.start += want;
                    front.len -= want;
                    part
                };
                ist.bytes -= moved.len;
                ost.bytes += moved.len;
                done += moved.len;
                ost.bufs.push_back(moved);
            }
            drop(ist);
            drop(ost);
            if done > 0 {
                out.wake_readers();
                if in_was_full {
                    self.waiters.wake_with(PollEvents::OUT | PollEvents::WRNORM);
                }
                return Ok(done);
            }
            if broken {
                return Err(broken_pipe());
            }
            if nonblock {
                return Err(Errno::EAGAIN);
            }
            // Raced with another reader or writer: wait again.
        }
    }

    /// tee (link_pipe): copies up to `len` bytes of this pipe's buffers to
    /// `out` without consuming them; the copies take no merges.
    pub fn tee_to(&self, out: &Pipe, len: usize, nonblock: bool) -> KResult<usize> {
        // ipipe_prep: an empty pipe with no writer is not an error here.
        self.wait_for_data(nonblock)?;
        out.wait_for_space(nonblock)?;
        let (ist, mut ost) = Self::lock_both(self, out);
        let mut done = 0;
        let mut broken = false;
        for b in ist.bufs.iter() {
            if done == len {
                break;
            }
            if ost.readers == 0 {
                broken = true;
                break;
            }
            if ost.full() {
                break;
            }
            let k = b.len.min(len - done);
            let mut copy = Buffer::new(b.packet);
            copy.spliced = true;
            copy.data[..k].copy_from_slice(&b.data[b.start..b.start + k]);
            copy.len = k;
            ost.bytes += k;
            ost.bufs.push_back(copy);
            done += k;
        }
        if ist.bufs.is_empty() && ost.readers == 0 {
            broken = true;
        }
        drop(ist);
        drop(ost);
        if done > 0 {
            out.wake_readers();
            return Ok(done);
        }
        if broken {
            return Err(broken_pipe());
        }
        Ok(0)
    }
}

/// SIGPIPE to the writer, and the EPIPE its write fails with.
fn broken_pipe() -> Errno {
    let me = crate::sched::current();
    crate::signal::delivery::send_to_thread(&me, SigInfo::from_current(SIGPIPE));
    Errno::EPIPE
}

/// Copies from user memory for a write.
fn from_user(addr: usize) -> impl Fn(usize, &mut [u8]) -> KResult<()> {
    move |off, dst| read_into(addr + off, dst)
}

/// Copies from kernel memory for a write.
fn from_kernel(buf: &[u8]) -> impl Fn(usize, &mut [u8]) -> KResult<()> + '_ {
    move |off, dst| {
        dst.copy_from_slice(&buf[off..off + dst.len()]);
        Ok(())
    }
}

/// The pipe behind a pipe or FIFO descriptor (F_GETPIPE_SZ and friends:
/// EBADF for anything else, as Linux's get_pipe_info).
pub fn pipe_of(file: &OpenFile) -> Option<Arc<Pipe>> {
    if let Some(r) = file.ops_as::<PipeReader>() {
        return Some(r.pipe.clone());
    }
    if let Some(w) = file.ops_as::<PipeWriter>() {
        return Some(w.pipe.clone());
    }
    file.ops_as::<PipeDuplex>().map(|d| d.reader.pipe.clone())
}

/// The reading end.
pub struct PipeReader {
    pipe: Arc<Pipe>,
    /// The pipe's writer-open count when this end was opened.
    writer_opens_seen: u64,
}

/// The writing end.
pub struct PipeWriter {
    pipe: Arc<Pipe>,
}

impl FileOps for PipeReader {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        self.pipe.read(file, buf)
    }

    fn read_nowait(&self, _file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> Option<KResult<usize>> {
        Some(self.pipe.read_with(buf, true))
    }

    fn write(&self, _: &OpenFile, _: &mut u64, _: &[u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }

    fn stream_read_max(&self) -> Option<usize> {
        Some(self.pipe.size())
    }

    fn poll(&self) -> PollEvents {
        self.pipe.read_events(self.writer_opens_seen)
    }

    fn wait_queue(&self) -> Option<&crate::sched::wait::WaitQueue> {
        Some(&self.pipe.waiters)
    }

    fn stat(&self) -> Option<Stat> {
        Some(self.pipe.stat())
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        self.pipe.ioctl(cmd, arg)
    }

    fn release(&self) {
        self.pipe.release_reader();
    }
}

impl FileOps for PipeWriter {
    fn read(&self, _: &OpenFile, _: &mut u64, _: &mut [u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }

    fn write(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.pipe.write(file, buf.len(), &from_kernel(buf))
    }

    fn write_nowait(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> Option<KResult<usize>> {
        Some(self.pipe.write_with(file, true, true, buf.len(), &from_kernel(buf)))
    }

    fn write_user(&self, file: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        Some(self.pipe.write(file, len, &from_user(addr)))
    }

    fn poll(&self) -> PollEvents {
        self.pipe.write_events()
    }

    fn wait_queue(&self) -> Option<&crate::sched::wait::WaitQueue> {
        Some(&self.pipe.waiters)
    }

    fn stat(&self) -> Option<Stat> {
        Some(self.pipe.stat())
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        self.pipe.ioctl(cmd, arg)
    }

    fn release(&self) {
        self.pipe.release_writer();
    }
}

/// A FIFO opened O_RDWR: both ends in one open file.
pub struct PipeDuplex {
    reader: PipeReader,
    writer: PipeWriter,
}

impl FileOps for PipeDuplex {
    fn read(&self, file: &OpenFile, offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        self.reader.read(file, offset, buf)
    }

    fn write(&self, file: &OpenFile, offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.writer.write(file, offset, buf)
    }

    fn stream_read_max(&self) -> Option<usize> {
        self.reader.stream_read_max()
    }

    fn write_user(&self, file: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        self.writer.write_user(file, addr, len)
    }

    fn read_nowait(&self, file: &OpenFile, offset: &mut u64, buf: &mut [u8]) -> Option<KResult<usize>> {
        self.reader.read_nowait(file, offset, buf)
    }

    fn write_nowait(&self, file: &OpenFile, offset: &mut u64, buf: &[u8]) -> Option<KResult<usize>> {
        self.writer.write_nowait(file, offset, buf)
    }

    fn poll(&self) -> PollEvents {
        self.reader.poll() | self.writer.poll()
    }

    fn wait_queue(&self) -> Option<&crate::sched::wait::WaitQueue> {
        Some(&self.reader.pipe.waiters)
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        self.reader.pipe.ioctl(cmd, arg)
    }

    fn release(&self) {
        // Both counts go down together, before anyone is woken.
        let mut st = self.reader.pipe.state.lock();
        st.readers -= 1;
        st.writers -= 1;
        self.reader.pipe.drop_data_if_unused(&mut st);
        drop(st);
        self.reader.pipe.waiters.wake_all();
    }
}
