//! Pipes: a bounded byte buffer with a reading end and a writing end.
//! Writes of up to PIPE_BUF bytes are atomic (never interleaved); reads
//! return what is there; end-of-file when no writer is left; SIGPIPE and
//! EPIPE when no reader is left.

use alloc::collections::VecDeque;
use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;

use super::file::{FileOps, OpenFile, PollEvents};
use super::inode::Stat;
use crate::errno::{Errno, KResult};
use crate::sched::wait::WaitQueue;
use crate::signal::{SIGPIPE, SigInfo};


/// Atomic write size (PIPE_BUF).
pub const PIPE_BUF: usize = 4096;
/// Default capacity (16 pages, as Linux).
pub const PIPE_CAPACITY: usize = 65536;

struct State {
    buf: VecDeque<u8>,
    capacity: usize,
    readers: usize,
    writers: usize,
    /// Opens of each end so far (a FIFO open waits for the other end's
    /// count to move).
    reader_opens: u64,
    writer_opens: u64,
}

/// The shared buffer of a pipe.
pub struct Pipe {
    state: SpinLock<State>,
    /// Woken on every change (data, space, an end closing).
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
        }
        (Arc::new(PipeReader { pipe: pipe.clone() }), Arc::new(PipeWriter { pipe }))
    }

    /// A pipe with no ends open yet (the buffer of a FIFO).
    pub fn empty() -> Arc<Pipe> {
        Arc::new(Pipe {
            state: SpinLock::new(State { buf: VecDeque::new(), capacity: PIPE_CAPACITY, readers: 0, writers: 0, reader_opens: 0, writer_opens: 0 }),
            waiters: WaitQueue::new(),
            ino: NEXT_PIPE_INO.fetch_add(1, core::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Opens a FIFO end per fifo(7): a reader waits for a writer and a
    /// writer for a reader, unless O_NONBLOCK (a lone non-blocking writer
    /// gets ENXIO); O_RDWR never waits.
    pub fn open_fifo(self: &Arc<Self>, flags: u32) -> KResult<Arc<dyn FileOps>> {
        use linux_raw_sys::general as g;
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
                let reader = Arc::new(PipeReader { pipe: me });
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
                drop(st);
                self.waiters.wake_all();
                Ok(Arc::new(PipeDuplex { reader: PipeReader { pipe: me.clone() }, writer: PipeWriter { pipe: me } }))
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
}

/// The reading end.
pub struct PipeReader {
    pipe: Arc<Pipe>,
}

/// The writing end.
pub struct PipeWriter {
    pipe: Arc<Pipe>,
}

impl FileOps for PipeReader {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let take = || -> Option<KResult<usize>> {
            let mut st = self.pipe.state.lock();
            if !st.buf.is_empty() {
                let n = buf.len().min(st.buf.len());
                let (a, b) = st.buf.as_slices();
                let from_a = n.min(a.len());
                buf[..from_a].copy_from_slice(&a[..from_a]);
                buf[from_a..n].copy_from_slice(&b[..n - from_a]);
                st.buf.drain(..n);
                return Some(Ok(n));
            }
            if st.writers == 0 {
                return Some(Ok(0));
            }
            None
        };
        let mut take = take;
        if let Some(r) = take() {
            self.pipe.waiters.wake_all();
            return r;
        }
        if file.nonblocking() {
            return Err(Errno::EAGAIN);
        }
        let r = self.pipe.waiters.wait_until(&mut take)?;
        self.pipe.waiters.wake_all();
        r
    }

    fn write(&self, _: &OpenFile, _: &mut u64, _: &[u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }

    fn poll(&self) -> PollEvents {
        let st = self.pipe.state.lock();
        let mut ev = PollEvents::empty();
        if !st.buf.is_empty() {
            ev |= PollEvents::IN | PollEvents::RDNORM;
        }
        if st.writers == 0 {
            ev |= PollEvents::HUP;
        }
        ev
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.pipe.waiters)
    }

    fn stat(&self) -> Option<Stat> {
        Some(self.pipe.stat())
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        if cmd == linux_raw_sys::ioctl::FIONREAD {
            let n = self.pipe.state.lock().buf.len() as i32;
            crate::mm::uaccess::UserPtr::<i32>::new(arg).write(&n)?;
            return Ok(0);
        }
        Err(Errno::ENOTTY)
    }

    fn release(&self) {
        self.pipe.state.lock().readers -= 1;
        self.pipe.waiters.wake_all();
    }
}

impl FileOps for PipeWriter {
    fn read(&self, _: &OpenFile, _: &mut u64, _: &mut [u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }

    fn write(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let atomic = buf.len() <= PIPE_BUF;
        let mut written = 0;
        loop {
            let step = {
                let mut st = self.pipe.state.lock();
                if st.readers == 0 {
                    None
                } else {
                    let space = st.capacity - st.buf.len();
                    let want = buf.len() - written;
                    let n = if atomic && space < want { 0 } else { space.min(want) };
                    st.buf.extend(&buf[written..written + n]);
                    Some(n)
                }
            };
            let Some(n) = step else {
                if written > 0 {
                    return Ok(written);
                }
                let me = crate::sched::current();
                crate::signal::delivery::send_to_thread(&me, SigInfo::from_current(SIGPIPE));
                return Err(Errno::EPIPE);
            };
            if n > 0 {
                written += n;
                self.pipe.waiters.wake_all();
            }
            if written == buf.len() {
                return Ok(written);
            }
            if file.nonblocking() {
                return if written > 0 { Ok(written) } else { Err(Errno::EAGAIN) };
            }
            let need = if atomic { buf.len() } else { 1 };
            let r = self.pipe.waiters.wait_until(|| {
                let st = self.pipe.state.lock();
                (st.readers == 0 || st.capacity - st.buf.len() >= need).then_some(())
            });
            if let Err(e) = r {
                return if written > 0 { Ok(written) } else { Err(e) };
            }
        }
    }

    fn poll(&self) -> PollEvents {
        let st = self.pipe.state.lock();
        let mut ev = PollEvents::empty();
        if st.capacity - st.buf.len() >= PIPE_BUF {
            ev |= PollEvents::OUT | PollEvents::WRNORM;
        }
        if st.readers == 0 {
            ev |= PollEvents::ERR;
        }
        ev
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.pipe.waiters)
    }

    fn stat(&self) -> Option<Stat> {
        Some(self.pipe.stat())
    }

    fn release(&self) {
        self.pipe.state.lock().writers -= 1;
        self.pipe.waiters.wake_all();
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

    fn poll(&self) -> PollEvents {
        (self.reader.poll() & (PollEvents::IN | PollEvents::RDNORM)) | (self.writer.poll() & (PollEvents::OUT | PollEvents::WRNORM))
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.reader.pipe.waiters)
    }

    fn release(&self) {
        self.reader.release();
        self.writer.release();
    }
}
