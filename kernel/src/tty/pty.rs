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

use super::{Tty, TtyDriver};
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
        // Never dropped: writers wait for room first (wait_for_room), so
        // the buffer only overshoots by one write or by echoed input.
        self.buf.lock().extend(bytes);
        self.waiters.wake_all();
    }

    fn wait_for_room(&self) -> KResult<()> {
        self.waiters.wait_until(|| (self.buf.lock().len() < MASTER_BUFFER || self.master_gone.load(Ordering::Acquire)).then_some(()))
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
    let termios = super::Termios { cflag: 0o17 | 0o60 | 0o200, ..super::Termios::default() };
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
    Ok(super::TtyFile::open(pty.tty.clone(), flags, false))
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
        if let Some(r) = take() {
            return r;
        }
        if file.nonblocking() {
            return Err(Errno::EAGAIN);
        }
        out.waiters.wait_until(&mut take)?
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.pty.tty.input_bytes(buf);
        Ok(buf.len())
    }

    fn poll(&self) -> PollEvents {
        let out = &self.pty.out;
        let mut ev = PollEvents::OUT | PollEvents::WRNORM;
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
                // Open the slave without a path lookup (Linux 4.13).
                let ops = open_slave(self.pty.index, arg as u32)?;
                let f = OpenFile::new(ops, None, arg as u32 | linux_raw_sys::general::O_RDWR);
                let cloexec = arg as u32 & linux_raw_sys::general::O_CLOEXEC != 0;
                Ok(crate::syscall::install_file(f, cloexec)? as usize)
            }
            io::FIONREAD => UserPtr::<i32>::new(arg).write(&(self.pty.out.buf.lock().len() as i32)).map(|_| 0),
            // Settings and window size of the pair live in the slave.
            io::TCGETS | io::TCSETS | io::TCSETSW | io::TCSETSF | io::TIOCGWINSZ | io::TIOCSWINSZ | io::TCFLSH => {
                self.pty.tty.ioctl(cmd, arg)
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
