//! Pseudo-terminals (pty(7)): opening /dev/ptmx creates a pair; the
//! master side is an ordinary descriptor, the slave side a terminal at
//! /dev/pts/N (see fs::devpts). What the slave's programs write comes out
//! of the master; what is written to the master goes through the slave's
//! line discipline as if typed.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::ioctl as io;

use super::{Tty, TtyDriver, TtyFile};
use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::fs::inode::make_dev;
use crate::mm::uaccess::UserPtr;
use crate::sched::wait::WaitQueue;

/// Major number of pty slaves (UNIX98 ptys).
pub const PTY_SLAVE_MAJOR: u32 = 136;
/// Most ptys at once (/proc/sys/kernel/pty/max is 4096 on Linux).
const PTY_MAX: u32 = 4096;
/// Output the master has not read yet, at most (then slave writes wait).
const MASTER_BUFFER: usize = 65536;

/// The shared state of one pty pair.
pub struct Pty {
    /// Number N of /dev/pts/N.
    pub index: u32,
    /// The slave terminal.
    pub tty: Arc<Tty>,
    out: Arc<MasterSide>,
    /// TIOCSPTLCK: the slave cannot be opened while locked.
    locked: AtomicBool,
    /// Owner of /dev/pts/N (the process that opened /dev/ptmx).
    pub owner: (u32, u32),
}

/// Output of the slave, waiting for the master to read it.
struct MasterSide {
    buf: SpinLock<VecDeque<u8>>,
    waiters: WaitQueue,
    /// Slave descriptors open now, and whether one ever was.
    slave_opens: AtomicUsize,
    slave_seen: AtomicBool,
    /// The master was closed (the slave is hung up).
    master_gone: AtomicBool,
}

impl TtyDriver for MasterSide {
    fn write_out(&self, bytes: &[u8]) {
        // Never dropped: writers wait for room first, so the buffer only
        // overshoots by one piece of output or by echoed input.
        self.buf.lock().extend(bytes);
        self.waiters.wake_all();
    }

    fn has_room(&self) -> bool {
        self.buf.lock().len() < MASTER_BUFFER || self.master_gone.load(Ordering::Acquire)
    }

    fn room_queue(&self) -> Option<&WaitQueue> {
        Some(&self.waiters)
    }

    fn flush_output(&self) {
        self.buf.lock().clear();
        self.waiters.wake_all();
    }

    fn input_taken(&self) {
        // A master writer may have been waiting for the slave to read.
        self.waiters.wake_all();
    }

    fn opened(&self) {
        self.slave_opens.fetch_add(1, Ordering::AcqRel);
        self.slave_seen.store(true, Ordering::Release);
    }

    fn closed(&self) {
        self.slave_opens.fetch_sub(1, Ordering::AcqRel);
        self.waiters.wake_all();
    }
}

impl MasterSide {
    /// The slave has been opened and every slave descriptor is closed.
    fn slave_gone(&self) -> bool {
        self.slave_seen.load(Ordering::Acquire) && self.slave_opens.load(Ordering::Acquire) == 0
    }
}

static PTYS: SpinLock<BTreeMap<u32, Weak<Pty>>> = SpinLock::new(BTreeMap::new());

/// The live pty numbered `index`.
pub fn find(index: u32) -> Option<Arc<Pty>> {
    PTYS.lock().get(&index).and_then(|w| w.upgrade())
}

/// Indices of live ptys (the /dev/pts listing).
pub fn indices() -> alloc::vec::Vec<u32> {
    PTYS.lock().iter().filter(|(_, w)| w.strong_count() > 0).map(|(i, _)| *i).collect()
}

/// Opens /dev/ptmx: a new pair, returning the master's I/O object.
pub fn open_master() -> KResult<Arc<dyn FileOps>> {
    let mut table = PTYS.lock();
    table.retain(|_, w| w.strong_count() > 0);
    let index = (0..PTY_MAX).find(|i| !table.contains_key(i)).ok_or(Errno::ENOSPC)?;
    let out = Arc::new(MasterSide {
        buf: SpinLock::new(VecDeque::new()),
        waiters: WaitQueue::new(),
        slave_opens: AtomicUsize::new(0),
        slave_seen: AtomicBool::new(false),
        master_gone: AtomicBool::new(false),
    });
    let owner = {
        let c = crate::sched::current().process.creds.lock().clone();
        (c.fsuid, c.fsgid)
    };
    // The pty driver's initial settings: no HUPCL (Linux's pty_init).
    let mut termios = super::Termios::linux_default();
    termios.cflag &= !linux_raw_sys::general::HUPCL;
    let tty = Tty::new(out.clone(), make_dev(PTY_SLAVE_MAJOR, index), termios);
    let pty = Arc::new(Pty { index, tty, out, locked: AtomicBool::new(true), owner });
    table.insert(index, Arc::downgrade(&pty));
    Ok(Arc::new(PtyMaster { pty }))
}

/// Opens /dev/pts/N (the slave).
pub fn open_slave(index: u32, flags: u32) -> KResult<Arc<dyn FileOps>> {
    let pty = find(index).ok_or(Errno::EIO)?;
    if pty.locked.load(Ordering::Acquire) {
        return Err(Errno::EIO);
    }
    Ok(TtyFile::open(pty.tty.clone(), flags, false)?)
}

/// The master side of a pair.
struct PtyMaster {
    pty: Arc<Pty>,
}

impl FileOps for PtyMaster {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let out = &self.pty.out;
        let take = || -> Option<KResult<usize>> {
            let mut b = out.buf.lock();
            if !b.is_empty() {
                let n = buf.len().min(b.len());
                for (dst, src) in buf.iter_mut().zip(b.drain(..n)) {
                    *dst = src;
                }
                return Some(Ok(n));
            }
            // Linux reports EIO once every slave descriptor is closed.
            out.slave_gone().then_some(Err(Errno::EIO))
        };
        let mut take = take;
        let r = match take() {
            Some(r) => r,
            None if file.nonblocking() => Err(Errno::EAGAIN),
            None => out.waiters.wait_until(&mut take)?,
        };
        // Slave writers waiting for room may go on.
        self.pty.tty.wake();
        r
    }

    /// What the master writes is typed at the slave: it waits while the
    /// slave's input queue is full (the slave is not reading).
    fn write(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        let tty = &self.pty.tty;
        let mut done = 0;
        while done < buf.len() {
            done += tty.receive(&buf[done..]);
            if done == buf.len() {
                break;
            }
            let r = if file.nonblocking() {
                Err(Errno::EAGAIN)
            } else {
                self.pty.out.waiters.wait_until(|| tty.can_receive().then_some(()))
            };
            if let Err(e) = r {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
        }
        Ok(done)
    }

    fn poll(&self) -> PollEvents {
        let out = &self.pty.out;
        let mut ev = PollEvents::empty();
        if self.pty.tty.can_receive() {
            ev |= PollEvents::OUT | PollEvents::WRNORM;
        }
        if !out.buf.lock().is_empty() {
            ev |= PollEvents::IN | PollEvents::RDNORM;
        }
        if out.slave_gone() {
            ev |= PollEvents::HUP;
        }
        ev
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.pty.out.waiters)
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        match cmd {
            io::TIOCGPTN => UserPtr::<u32>::new(arg).write(&self.pty.index).map(|_| 0),
            io::TIOCSPTLCK => {
                let lock = UserPtr::<i32>::new(arg).read()? != 0;
                self.pty.locked.store(lock, Ordering::Release);
                Ok(0)
            }
            io::TIOCGPTLCK => UserPtr::<i32>::new(arg).write(&(self.pty.locked.load(Ordering::Acquire) as i32)).map(|_| 0),
            io::TIOCGPTPEER => {
                // Opens this pair's slave (Linux 4.13): through devpts as
                // the caller sees it, so the descriptor has its path.
                if self.pty.locked.load(Ordering::Acquire) {
                    return Err(Errno::EIO);
                }
                let path = alloc::format!("/dev/pts/{}", self.pty.index);
                let flags = arg as u32;
                let f = crate::syscall::open_path(path.as_bytes(), flags | linux_raw_sys::general::O_NOCTTY)?;
                Ok(crate::syscall::install_file(f, flags & linux_raw_sys::general::O_CLOEXEC != 0)? as usize)
            }
            io::FIONREAD => UserPtr::<i32>::new(arg).write(&(self.pty.out.buf.lock().len() as i32)).map(|_| 0),
            io::TCFLSH => {
                // The master's input is the slave's output, and its output
                // the slave's unprocessed input.
                let g = linux_raw_sys::general::TCIOFLUSH;
                match arg as u32 {
                    x if x > g => return Err(Errno::EINVAL),
                    x => {
                        if x != linux_raw_sys::general::TCOFLUSH {
                            self.pty.out.buf.lock().clear();
                        }
                        if x != linux_raw_sys::general::TCIFLUSH {
                            self.pty.tty.state.lock().pending.clear();
                        }
                    }
                }
                self.pty.out.waiters.wake_all();
                Ok(0)
            }
            // Settings, window size and job-control queries act on the
            // slave.
            io::TCGETS | io::TCSETS | io::TCSETSW | io::TCSETSF | io::TCGETS2 | io::TCSETS2 | io::TCSETSW2 | io::TCSETSF2 | io::TIOCGWINSZ | io::TIOCSWINSZ | io::TIOCGPGRP | io::TIOCGSID => {
                super::ioctl::ioctl(&self.pty.tty, cmd, arg, true)
            }
            _ => Err(Errno::ENOTTY),
        }
    }

    fn is_tty(&self) -> bool {
        true
    }

    fn release(&self) {
        // The master is gone: the slave side hangs up.
        self.pty.out.master_gone.store(true, Ordering::Release);
        self.pty.out.waiters.wake_all();
        self.pty.tty.hangup();
    }
}
