//! Terminals: Linux's line discipline (canonical editing, echo, signal
//! characters), termios, controlling terminals and job control, over a
//! driver that carries the output: the serial console
//! ([`console`]) or the master side of a pseudo-terminal ([`pty`]).

pub mod pty;

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::ioctl as io;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::fs::inode::{Stat, make_dev};
use crate::mm::uaccess::UserPtr;
use crate::process::{self, Pid};
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::signal::{SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SigInfo};

/// `struct termios` as TCGETS/TCSETS exchange it.
#[derive(Clone, Copy, Debug, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct Termios {
    /// Input modes.
    pub iflag: u32,
    /// Output modes.
    pub oflag: u32,
    /// Control modes.
    pub cflag: u32,
    /// Local modes.
    pub lflag: u32,
    /// Line discipline.
    pub line: u8,
    /// Control characters.
    pub cc: [u8; 19],
}

/// `struct winsize`.
#[derive(Clone, Copy, Debug, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct WinSize {
    /// Rows.
    pub row: u16,
    /// Columns.
    pub col: u16,
    /// Width in pixels.
    pub xpixel: u16,
    /// Height in pixels.
    pub ypixel: u16,
}

// termios bits (asm-generic/termbits.h).
const ICRNL: u32 = 0o400;
const INLCR: u32 = 0o100;
const IGNCR: u32 = 0o200;
const OPOST: u32 = 1;
const ONLCR: u32 = 4;
const ISIG: u32 = 1;
const ICANON: u32 = 2;
const ECHO: u32 = 0o10;
const ECHOE: u32 = 0o20;
const ECHOK: u32 = 0o40;
const ECHONL: u32 = 0o100;
const ECHOCTL: u32 = 0o1000;
const NOFLSH: u32 = 0o200;
const TOSTOP: u32 = 0o400;
const VINTR: usize = 0;
const VQUIT: usize = 1;
const VERASE: usize = 2;
const VKILL: usize = 3;
const VEOF: usize = 4;
const VTIME: usize = 5;
const VMIN: usize = 6;
const VSUSP: usize = 10;
const VEOL: usize = 11;
const VWERASE: usize = 14;
const VEOL2: usize = 16;

impl Default for Termios {
    /// Linux's tty_std_termios.
    fn default() -> Self {
        let mut cc = [0u8; 19];
        cc[VINTR] = 3;
        cc[VQUIT] = 0x1c;
        cc[VERASE] = 0x7f;
        cc[VKILL] = 0x15;
        cc[VEOF] = 4;
        cc[VTIME] = 0;
        cc[VMIN] = 1;
        cc[8] = 0x11; // VSTART
        cc[9] = 0x13; // VSTOP
        cc[VSUSP] = 0x1a;
        cc[12] = 0x12; // VREPRINT
        cc[13] = 0x0f; // VDISCARD
        cc[VWERASE] = 0x17;
        cc[15] = 0x16; // VLNEXT
        Termios {
            iflag: ICRNL | 0o2000, // ICRNL | IXON
            oflag: OPOST | ONLCR,
            cflag: 0o17 | 0o60 | 0o200 | 0o2000, // B38400 | CS8 | CREAD | HUPCL
            lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | 0o4000 | 0o100000, // | ECHOKE | IEXTEN
            line: 0,
            cc,
        }
    }
}

struct State {
    termios: Termios,
    winsize: WinSize,
    /// Bytes ready for read().
    ready: VecDeque<u8>,
    /// The line being edited (canonical mode).
    line: Vec<u8>,
    /// End-of-file marks pending in `ready` (^D on an empty line).
    eof_pending: usize,
    /// Foreground process group.
    fg_pgrp: Pid,
    /// Session that owns the terminal (0: none).
    session: Pid,
    /// The other side went away: reads see end-of-file, writes EIO.
    hung_up: bool,
}

/// What carries a terminal's output and learns about its opens and closes.
pub trait TtyDriver: Send + Sync {
    /// Emits processed output bytes.
    fn write_out(&self, bytes: &[u8]);
    /// A descriptor to the terminal was opened.
    fn opened(&self) {}
    /// A descriptor to the terminal was closed for good.
    fn closed(&self) {}
    /// Waits until output can be taken (a pty master that is behind).
    fn wait_for_room(&self) -> KResult<()> {
        Ok(())
    }
}

/// A terminal.
pub struct Tty {
    state: SpinLock<State>,
    readers: WaitQueue,
    driver: Arc<dyn TtyDriver>,
    rdev: u64,
}

static CONSOLE: SpinLock<Option<Arc<Tty>>> = SpinLock::new(None);

/// The serial port as a terminal's output.
struct SerialDriver;

impl TtyDriver for SerialDriver {
    fn write_out(&self, bytes: &[u8]) {
        for &b in bytes {
            kevlar_hal::arch::serial::write_byte(b);
        }
    }
}

/// The console terminal (ttyS0, also /dev/console).
pub fn console() -> Arc<Tty> {
    CONSOLE.lock().get_or_insert_with(|| Tty::new(Arc::new(SerialDriver), make_dev(4, 64), Termios::default())).clone()
}

/// Serial receive interrupt: feed received bytes to the console.
pub fn serial_interrupt() {
    let tty = console();
    while let Some(b) = kevlar_hal::arch::serial::read_byte() {
        tty.input(b);
    }
}

impl Tty {
    /// A terminal with settings `termios` whose output goes to `driver`.
    pub fn new(driver: Arc<dyn TtyDriver>, rdev: u64, termios: Termios) -> Arc<Tty> {
        Arc::new(Tty {
            state: SpinLock::new(State {
                termios,
                winsize: WinSize { row: 24, col: 80, xpixel: 0, ypixel: 0 },
                ready: VecDeque::new(),
                line: Vec::new(),
                eof_pending: 0,
                fg_pgrp: 0,
                session: 0,
                hung_up: false,
            }),
            readers: WaitQueue::new(),
            driver,
            rdev,
        })
    }

    fn output(&self, bytes: &[u8]) {
        self.driver.write_out(bytes);
    }

    fn echo(&self, st: &State, bytes: &[u8]) {
        if st.termios.lflag & ECHO == 0 {
            return;
        }
        self.output_processed(st, bytes);
    }

    fn output_processed(&self, st: &State, bytes: &[u8]) {
        if st.termios.oflag & OPOST != 0 && st.termios.oflag & ONLCR != 0 {
            for chunk in bytes.split_inclusive(|&b| b == b'\n') {
                if chunk.ends_with(b"\n") {
                    self.output(&chunk[..chunk.len() - 1]);
                    self.output(b"\r\n");
                } else {
                    self.output(chunk);
                }
            }
        } else {
            self.output(bytes);
        }
    }

    /// One received byte through the line discipline.
    pub fn input(&self, mut b: u8) {
        let mut signal = None;
        {
            let mut st = self.state.lock();
            let t = st.termios;
            if b == b'\r' {
                if t.iflag & IGNCR != 0 {
                    return;
                }
                if t.iflag & ICRNL != 0 {
                    b = b'\n';
                }
            } else if b == b'\n' && t.iflag & INLCR != 0 {
                b = b'\r';
            }
            if t.lflag & ISIG != 0 {
                let sig = if b == t.cc[VINTR] {
                    Some(SIGINT)
                } else if b == t.cc[VQUIT] {
                    Some(SIGQUIT)
                } else if b == t.cc[VSUSP] {
                    Some(SIGTSTP)
                } else {
                    None
                };
                if let Some(sig) = sig {
                    if t.lflag & NOFLSH == 0 {
                        st.line.clear();
                        st.ready.clear();
                    }
                    if t.lflag & ECHOCTL != 0 && t.lflag & ECHO != 0 {
                        self.output(&[b'^', b ^ 0x40]);
                    }
                    signal = Some((sig, st.fg_pgrp));
                }
            }
            if signal.is_none() {
                if t.lflag & ICANON != 0 {
                    self.canonical_input(&mut st, b);
                } else {
                    st.ready.push_back(b);
                    self.echo(&st, &[b]);
                }
            }
        }
        if let Some((sig, pgrp)) = signal {
            if pgrp > 0 {
                for p in process::process_group(pgrp) {
                    p.send_signal(SigInfo::kernel(sig, crate::signal::SI_KERNEL, 0));
                }
            }
        }
        self.readers.wake_all();
    }

    fn canonical_input(&self, st: &mut State, b: u8) {
        let t = st.termios;
        if b == t.cc[VERASE] || b == 0x08 {
            if st.line.pop().is_some() && t.lflag & ECHOE != 0 {
                self.echo(st, b"\x08 \x08");
            }
        } else if b == t.cc[VKILL] {
            let n = st.line.len();
            st.line.clear();
            if t.lflag & ECHOK != 0 {
                for _ in 0..n {
                    self.echo(st, b"\x08 \x08");
                }
            }
        } else if b == t.cc[VWERASE] {
            while st.line.last() == Some(&b' ') {
                st.line.pop();
                self.echo(st, b"\x08 \x08");
            }
            while st.line.last().is_some_and(|&c| c != b' ') {
                st.line.pop();
                self.echo(st, b"\x08 \x08");
            }
        } else if b == t.cc[VEOF] {
            let line = core::mem::take(&mut st.line);
            if line.is_empty() {
                st.eof_pending += 1;
            }
            st.ready.extend(line);
        } else if b == b'\n' || (b != 0 && (b == t.cc[VEOL] || b == t.cc[VEOL2])) {
            st.line.push(b);
            let line = core::mem::take(&mut st.line);
            st.ready.extend(line);
            if t.lflag & ECHO != 0 || t.lflag & ECHONL != 0 {
                self.output_processed(st, b"\n");
            }
        } else {
            st.line.push(b);
            if t.lflag & ECHOCTL != 0 && b < 0x20 && b != b'\t' {
                self.echo(st, &[b'^', b ^ 0x40]);
            } else {
                self.echo(st, &[b]);
            }
        }
    }

    fn read_ready(&self, st: &State) -> bool {
        !st.ready.is_empty() || st.eof_pending > 0
    }

    /// Job control (termios(3), "Background process groups"): a process
    /// in a background group of this, its controlling terminal, gets
    /// SIGTTIN for reading and SIGTTOU for writing (with TOSTOP) or for
    /// changing settings; its whole group stops. If the signal is blocked or
    /// ignored, a read fails with EIO and a write or setting proceeds; an
    /// orphaned group gets EIO.
    fn job_control(&self, sig: u32) -> KResult<()> {
        let me = current();
        let p = me.process.clone();
        let is_ctty = p.ctty.lock().as_ref().is_some_and(|t| core::ptr::eq(Arc::as_ptr(t), self));
        if !is_ctty {
            return Ok(());
        }
        let fg = self.state.lock().fg_pgrp;
        if fg == 0 || fg == p.pgid() {
            return Ok(());
        }
        let blocked = me.sigmask() & crate::signal::sig_bit(sig) != 0;
        let ignored = me.sighand().lock().get(sig).handler == crate::signal::SIG_IGN;
        if blocked || ignored {
            return if sig == SIGTTIN { Err(Errno::EIO) } else { Ok(()) };
        }
        if process::pgrp_is_orphaned(p.pgid()) {
            return Err(Errno::EIO);
        }
        for member in process::process_group(p.pgid()) {
            member.send_signal(SigInfo::kernel(sig, crate::signal::SI_KERNEL, 0));
        }
        Err(Errno::ERESTARTSYS)
    }

    /// Hangup (the master of a pty closed, or the session leader left):
    /// SIGHUP and SIGCONT to the foreground group, reads get end-of-file.
    pub fn hangup(&self) {
        let fg = {
            let mut st = self.state.lock();
            st.hung_up = true;
            let fg = st.fg_pgrp;
            st.session = 0;
            st.fg_pgrp = 0;
            fg
        };
        if fg > 0 {
            for p in process::process_group(fg) {
                p.send_signal(SigInfo::kernel(crate::signal::SIGHUP, crate::signal::SI_KERNEL, 0));
                p.send_signal(SigInfo::kernel(crate::signal::SIGCONT, crate::signal::SI_KERNEL, 0));
            }
        }
        self.readers.wake_all();
    }

    /// Detaches the terminal from its session (the session leader exited):
    /// the foreground group is hung up, every member loses the terminal.
    pub fn disassociate(&self, sid: Pid) {
        let fg = {
            let mut st = self.state.lock();
            if st.session != sid {
                return;
            }
            let fg = st.fg_pgrp;
            st.session = 0;
            st.fg_pgrp = 0;
            fg
        };
        if fg > 0 {
            for p in process::process_group(fg) {
                p.send_signal(SigInfo::kernel(crate::signal::SIGHUP, crate::signal::SI_KERNEL, 0));
                p.send_signal(SigInfo::kernel(crate::signal::SIGCONT, crate::signal::SI_KERNEL, 0));
            }
        }
        for p in process::all_processes() {
            if p.sid() == sid {
                let mut c = p.ctty.lock();
                if c.as_ref().is_some_and(|t| core::ptr::eq(Arc::as_ptr(t), self)) {
                    *c = None;
                }
            }
        }
    }

    /// Reads per the current mode (canonical: up to one line).
    pub fn read(&self, buf: &mut [u8], nonblock: bool) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.job_control(SIGTTIN)?;
        let take = |st: &mut State, buf: &mut [u8]| -> usize {
            let canonical = st.termios.lflag & ICANON != 0;
            let mut n = 0;
            while n < buf.len() {
                let Some(b) = st.ready.pop_front() else { break };
                buf[n] = b;
                n += 1;
                if canonical && b == b'\n' {
                    break;
                }
            }
            if n == 0 && st.eof_pending > 0 {
                st.eof_pending -= 1;
            }
            n
        };
        {
            let mut st = self.state.lock();
            if self.read_ready(&st) {
                return Ok(take(&mut st, buf));
            }
            if st.hung_up {
                return Ok(0);
            }
            let t = st.termios;
            if t.lflag & ICANON == 0 && t.cc[VMIN] == 0 && t.cc[VTIME] == 0 {
                return Ok(0);
            }
        }
        if nonblock {
            return Err(Errno::EAGAIN);
        }
        self.readers.wait_until(|| {
            let mut st = self.state.lock();
            if st.hung_up && !self.read_ready(&st) {
                return Some(0);
            }
            self.read_ready(&st).then(|| take(&mut st, buf))
        })
    }

    /// Writes with output processing.
    pub fn write(&self, buf: &[u8]) -> KResult<usize> {
        if self.state.lock().termios.lflag & TOSTOP != 0 {
            self.job_control(SIGTTOU)?;
        }
        self.driver.wait_for_room()?;
        let st = self.state.lock();
        if st.hung_up {
            return Err(Errno::EIO);
        }
        self.output_processed(&st, buf);
        Ok(buf.len())
    }

    /// Input from the other side of a pseudo-terminal (or the serial port):
    /// every byte through the line discipline.
    pub fn input_bytes(&self, bytes: &[u8]) {
        for &b in bytes {
            self.input(b);
        }
    }

    /// Whether a read would not block.
    pub fn readable(&self) -> bool {
        let st = self.state.lock();
        self.read_ready(&st) || st.hung_up
    }

    /// Makes this the controlling terminal of the caller's session.
    fn set_controlling(self: &Arc<Self>, force: bool) -> KResult<()> {
        let me = current();
        let p = me.process.clone();
        if p.sid() != p.pid {
            return Err(Errno::EPERM);
        }
        let mut st = self.state.lock();
        if st.session != 0 && st.session != p.sid() && !(force && p.creds.lock().capable(crate::process::creds::CAP_SYS_ADMIN)) {
            return Err(Errno::EPERM);
        }
        st.session = p.sid();
        st.fg_pgrp = p.pgid();
        drop(st);
        *p.ctty.lock() = Some(self.clone());
        Ok(())
    }

    /// Terminal ioctls.
    pub fn ioctl(self: &Arc<Self>, cmd: u32, arg: usize) -> KResult<usize> {
        match cmd {
            io::TCGETS => {
                let t = self.state.lock().termios;
                UserPtr::<Termios>::new(arg).write(&t)?;
                Ok(0)
            }
            io::TCSETS | io::TCSETSW | io::TCSETSF => {
                self.job_control(SIGTTOU)?;
                let t = UserPtr::<Termios>::new(arg).read()?;
                let mut st = self.state.lock();
                if cmd == io::TCSETSF {
                    st.ready.clear();
                }
                let was_canon = st.termios.lflag & ICANON != 0;
                st.termios = t;
                if was_canon && t.lflag & ICANON == 0 {
                    // Leaving canonical mode: the partial line becomes input.
                    let line = core::mem::take(&mut st.line);
                    st.ready.extend(line);
                }
                drop(st);
                self.readers.wake_all();
                Ok(0)
            }
            io::TIOCGWINSZ => {
                let w = self.state.lock().winsize;
                UserPtr::<WinSize>::new(arg).write(&w)?;
                Ok(0)
            }
            io::TIOCSWINSZ => {
                let w = UserPtr::<WinSize>::new(arg).read()?;
                let fg = {
                    let mut st = self.state.lock();
                    let changed = (st.winsize.row, st.winsize.col, st.winsize.xpixel, st.winsize.ypixel) != (w.row, w.col, w.xpixel, w.ypixel);
                    st.winsize = w;
                    if changed { st.fg_pgrp } else { 0 }
                };
                // The foreground job learns the new size (SIGWINCH).
                if fg > 0 {
                    for p in process::process_group(fg) {
                        p.send_signal(SigInfo::kernel(crate::signal::SIGWINCH, crate::signal::SI_KERNEL, 0));
                    }
                }
                Ok(0)
            }
            io::TIOCGPGRP => {
                let me = current();
                let st = self.state.lock();
                if st.session != me.process.sid() {
                    return Err(Errno::ENOTTY);
                }
                let pg = st.fg_pgrp;
                drop(st);
                UserPtr::<i32>::new(arg).write(&pg)?;
                Ok(0)
            }
            io::TIOCSPGRP => {
                self.job_control(SIGTTOU)?;
                let pg = UserPtr::<i32>::new(arg).read()?;
                let me = current();
                let mut st = self.state.lock();
                if st.session != me.process.sid() {
                    return Err(Errno::ENOTTY);
                }
                if pg < 0 {
                    return Err(Errno::EINVAL);
                }
                if !process::all_processes().iter().any(|p| p.pgid() == pg && p.sid() == st.session) {
                    return Err(Errno::EPERM);
                }
                st.fg_pgrp = pg;
                Ok(0)
            }
            io::TIOCGSID => {
                let me = current();
                let st = self.state.lock();
                if st.session == 0 || st.session != me.process.sid() {
                    return Err(Errno::ENOTTY);
                }
                let s = st.session;
                drop(st);
                UserPtr::<i32>::new(arg).write(&s)?;
                Ok(0)
            }
            io::TIOCSCTTY => {
                self.set_controlling(arg == 1)?;
                Ok(0)
            }
            io::TIOCNOTTY => {
                let me = current();
                let mut c = me.process.ctty.lock();
                if c.as_ref().is_none_or(|t| !Arc::ptr_eq(t, self)) {
                    return Err(Errno::ENOTTY);
                }
                *c = None;
                Ok(0)
            }
            io::FIONREAD => {
                let n = self.state.lock().ready.len() as i32;
                UserPtr::<i32>::new(arg).write(&n)?;
                Ok(0)
            }
            io::TCFLSH => {
                let mut st = self.state.lock();
                if arg == 0 || arg == 2 {
                    st.ready.clear();
                    st.line.clear();
                }
                Ok(0)
            }
            io::TCSBRK | io::TCXONC => Ok(0), // output is never held back
            _ => Err(Errno::ENOTTY),
        }
    }
}

/// An open terminal.
pub struct TtyFile {
    tty: Arc<Tty>,
}

impl TtyFile {
    /// Opens `tty`; a session leader without a terminal acquires it unless
    /// O_NOCTTY (Linux's rule; /dev/console is exempt, as on Linux).
    pub fn open(tty: Arc<Tty>, flags: u32, is_console_alias: bool) -> Arc<TtyFile> {
        if flags & linux_raw_sys::general::O_NOCTTY == 0 && !is_console_alias {
            let me = current();
            let p = me.process.clone();
            if p.sid() == p.pid && p.ctty.lock().is_none() && tty.state.lock().session == 0 {
                let _ = tty.set_controlling(false);
            }
        }
        tty.driver.opened();
        Arc::new(TtyFile { tty })
    }
}

impl FileOps for TtyFile {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        self.tty.read(buf, file.nonblocking())
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.tty.write(buf)
    }

    fn poll(&self) -> PollEvents {
        let st = self.tty.state.lock();
        let mut ev = PollEvents::OUT | PollEvents::WRNORM;
        if self.tty.read_ready(&st) {
            ev |= PollEvents::IN | PollEvents::RDNORM;
        }
        if st.hung_up {
            ev |= PollEvents::HUP;
        }
        ev
    }

    fn release(&self) {
        self.tty.driver.closed();
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.tty.readers)
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        self.tty.ioctl(cmd, arg)
    }

    fn is_tty(&self) -> bool {
        true
    }

    fn stat(&self) -> Option<Stat> {
        None
    }
}

impl Tty {
    /// Device number of the terminal.
    pub fn rdev(&self) -> u64 {
        self.rdev
    }

    /// The foreground process group (0: none).
    pub fn foreground_pgrp(&self) -> Pid {
        self.state.lock().fg_pgrp
    }
}
