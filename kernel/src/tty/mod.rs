//! Terminals: a line discipline (libs/ldisc, Linux's N_TTY) between a
//! device and the programs using it, plus what only the kernel can do:
//! queues and sleeping, controlling terminals, job control, signals to
//! the foreground group, and hangup.
//!
//! Devices: the serial console ([`console`]) and pseudo-terminals
//! ([`pty`]). A [`TtyDriver`] carries processed output to the device;
//! input arrives through [`Tty::receive`].

pub mod console;
mod file;
mod ioctl;
pub mod pty;

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;
use kevlar_ldisc::{LineDiscipline, Read};
use linux_raw_sys::general as g;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};
use crate::process::{self, Pid};
use crate::sched::current;
use crate::sched::wait::{WaitQueue, sleep_on};
use crate::signal::{SI_KERNEL, SIGCONT, SIGHUP, SIGTTIN, SIGTTOU, SigInfo};
use crate::time::monotonic_ns;

pub use console::console;
pub use file::TtyFile;
pub use kevlar_ldisc::Termios;

/// `struct winsize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable)]
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

/// Received bytes the line discipline has no room for yet, at most (Linux's
/// flip buffers): how far a pty master can write ahead of the reader.
const INPUT_QUEUE_MAX: usize = 64 * 1024;

/// Output is handed to the driver in pieces of this size, so a writer
/// waiting for room never holds a large processed buffer.
const OUTPUT_PIECE: usize = 1024;

struct State {
    ld: LineDiscipline,
    /// Received bytes waiting for room in the line discipline.
    pending: VecDeque<u8>,
    /// Echo produced while output was stopped (sent when it restarts).
    held_echo: Vec<u8>,
    winsize: WinSize,
    /// Foreground process group (0: none).
    fg_pgrp: Pid,
    /// Session the terminal controls (0: none).
    session: Pid,
    /// TIOCEXCL: further opens need CAP_SYS_ADMIN.
    exclusive: bool,
}

/// What carries a terminal's output to its device and learns about opens.
pub trait TtyDriver: Send + Sync {
    /// Takes processed output bytes.
    fn write_out(&self, bytes: &[u8]);
    /// Whether more output can be taken now (a pty master behind on reading).
    fn has_room(&self) -> bool {
        true
    }
    /// Where writers wait for [`TtyDriver::has_room`].
    fn room_queue(&self) -> Option<&WaitQueue> {
        None
    }
    /// Drops output the device has not taken yet (TCOFLUSH, a signal
    /// character without NOFLSH).
    fn flush_output(&self) {}
    /// The line discipline took queued input: writers to the input side
    /// (a pty master) may continue.
    fn input_taken(&self) {}
    /// A descriptor to the terminal was opened.
    fn opened(&self) {}
    /// A descriptor to the terminal was closed for good.
    fn closed(&self) {}
}

/// Side effects of input, carried out once the state lock is dropped.
#[derive(Default)]
struct Effects {
    echo: Vec<u8>,
    flush_output: bool,
    signals: Vec<(u32, Pid)>,
}

/// A terminal.
pub struct Tty {
    state: SpinLock<State>,
    /// Woken when input becomes readable, output may continue, or the
    /// terminal hangs up.
    events: WaitQueue,
    driver: Arc<dyn TtyDriver>,
    rdev: u64,
    /// Hangups so far: a descriptor opened before the latest one is hung up
    /// (reads end of file, writes and ioctls EIO), as Linux's vhangup.
    hangups: AtomicU64,
}

impl Tty {
    /// A terminal with settings `termios` whose output goes to `driver`.
    pub fn new(driver: Arc<dyn TtyDriver>, rdev: u64, termios: Termios) -> Arc<Tty> {
        Arc::new(Tty {
            state: SpinLock::new(State {
                ld: LineDiscipline::new(termios),
                pending: VecDeque::new(),
                held_echo: Vec::new(),
                winsize: WinSize::default(),
                fg_pgrp: 0,
                session: 0,
                exclusive: false,
            }),
            events: WaitQueue::new(),
            driver,
            rdev,
            hangups: AtomicU64::new(0),
        })
    }

    /// Device number of the terminal.
    pub fn rdev(&self) -> u64 {
        self.rdev
    }

    /// The foreground process group (0: none).
    pub fn foreground_pgrp(&self) -> Pid {
        self.state.lock().fg_pgrp
    }

    /// The current hangup generation (see `hangups`).
    fn generation(&self) -> u64 {
        self.hangups.load(Ordering::Acquire)
    }

    fn hung_up_since(&self, generation: u64) -> bool {
        self.generation() != generation
    }

    /// Wakes everything waiting on this terminal (pollers included).
    pub fn wake(&self) {
        self.events.wake_all();
    }

    // ---- input ----

    /// Bytes from the device (typed, or written to a pty master): queued
    /// and run through the line discipline as far as it has room. Returns
    /// how many were queued (0 when the queue is full).
    pub fn receive(&self, bytes: &[u8]) -> usize {
        let mut fx = Effects::default();
        let taken = {
            let mut st = self.state.lock();
            let n = INPUT_QUEUE_MAX.saturating_sub(st.pending.len()).min(bytes.len());
            st.pending.extend(&bytes[..n]);
            Self::run_input(&mut st, &mut fx);
            n
        };
        self.carry_out(fx);
        taken
    }

    /// Whether the input queue can take more bytes now.
    pub fn can_receive(&self) -> bool {
        self.state.lock().pending.len() < INPUT_QUEUE_MAX
    }

    /// Feeds queued input to the line discipline while it has room.
    fn run_input(st: &mut State, fx: &mut Effects) {
        while let Some(&b) = st.pending.front() {
            if !st.ld.can_receive() {
                break;
            }
            st.pending.pop_front();
            let r = st.ld.receive(b, &mut fx.echo);
            if r.flush_output {
                fx.flush_output = true;
                st.held_echo.clear();
            }
            if let Some(sig) = r.signal {
                fx.signals.push((sig, st.fg_pgrp));
            }
        }
        if st.ld.output_stopped() {
            st.held_echo.append(&mut fx.echo);
        }
    }

    fn carry_out(&self, fx: Effects) {
        if fx.flush_output {
            self.driver.flush_output();
        }
        if !fx.echo.is_empty() {
            self.driver.write_out(&fx.echo);
        }
        for (sig, pgrp) in fx.signals {
            signal_group(pgrp, sig);
        }
        self.events.wake_all();
        self.driver.input_taken();
    }

    /// Output may flow again (START character, TCOON): held echo goes out
    /// and writers wake.
    fn output_restarted(&self) {
        let echo = core::mem::take(&mut self.state.lock().held_echo);
        if !echo.is_empty() {
            self.driver.write_out(&echo);
        }
        self.events.wake_all();
    }

    // ---- reading ----

    /// Reads per the current mode: canonical, up to one line; otherwise
    /// as VMIN and VTIME say (termios(3), "Noncanonical mode").
    pub fn read(&self, generation: u64, buf: &mut [u8], nonblock: bool) -> KResult<usize> {
        if self.hung_up_since(generation) {
            return Ok(0);
        }
        self.job_control(SIGTTIN)?;
        if buf.is_empty() {
            return Ok(0);
        }
        let termios = self.state.lock().ld.termios();
        if termios.canonical() {
            return self.read_some(generation, buf, nonblock, None).map(|r| r.unwrap_or(0));
        }
        let (vmin, vtime) = termios.min_time();
        let interval = vtime as u64 * 100_000_000;
        if vmin == 0 {
            // A read returns what is there, waiting up to VTIME for it.
            let deadline = (vtime > 0).then(|| monotonic_ns() + interval);
            if vtime == 0 {
                return self.take(buf).map_or(Ok(0), Ok);
            }
            return self.read_some(generation, buf, nonblock, deadline).map(|r| r.unwrap_or(0));
        }
        // Wait for VMIN bytes (or as many as fit); with VTIME, give up
        // when the gap after a byte exceeds it.
        let needed = (vmin as usize).min(buf.len());
        let mut copied = 0;
        while copied < needed {
            let deadline = (vtime > 0 && copied > 0).then(|| monotonic_ns() + interval);
            match self.read_some(generation, &mut buf[copied..], nonblock && copied == 0, deadline) {
                Ok(Some(0)) | Ok(None) => break,
                Ok(Some(n)) => copied += n,
                Err(e) if copied == 0 => return Err(e),
                Err(_) => break,
            }
            if nonblock {
                break;
            }
        }
        Ok(copied)
    }

    /// Takes what the line discipline has readable now, if anything.
    fn take(&self, buf: &mut [u8]) -> Option<usize> {
        let mut fx = Effects::default();
        let got = {
            let mut st = self.state.lock();
            match st.ld.read(buf) {
                Read::Data(n) => {
                    // Room was made: queued input moves in.
                    Self::run_input(&mut st, &mut fx);
                    Some(n)
                }
                Read::Empty => None,
            }
        };
        if got.is_some() {
            self.carry_out(fx);
        }
        got
    }

    /// Waits until something is readable (or `deadline`: Ok(None)), then
    /// reads it. End of file after a hangup is Ok(Some(0)).
    fn read_some(&self, generation: u64, buf: &mut [u8], nonblock: bool, deadline: Option<u64>) -> KResult<Option<usize>> {
        let r = sleep_on(&[&self.events], deadline, || {
            if let Some(n) = self.take(buf) {
                return Some(Ok(Some(n)));
            }
            if self.hung_up_since(generation) {
                return Some(Ok(Some(0)));
            }
            nonblock.then_some(Err(Errno::EAGAIN))
        });
        match r {
            Ok(v) => v,
            Err(Errno::ETIMEDOUT) => Ok(None),
            Err(e) => Err(e),
        }
    }

    // ---- writing ----

    /// Writes with output processing, waiting while output is stopped or
    /// the device is behind.
    pub fn write(&self, generation: u64, buf: &[u8], nonblock: bool) -> KResult<usize> {
        if self.hung_up_since(generation) {
            return Err(Errno::EIO);
        }
        if self.state.lock().ld.termios().lflag & g::TOSTOP != 0 {
            self.job_control(SIGTTOU)?;
        }
        let mut done = 0;
        while done < buf.len() {
            let queues: Vec<&WaitQueue> = core::iter::once(&self.events).chain(self.driver.room_queue()).collect();
            let ready = sleep_on(&queues, None, || {
                if self.hung_up_since(generation) {
                    return Some(Err(Errno::EIO));
                }
                if !self.state.lock().ld.output_stopped() && self.driver.has_room() {
                    return Some(Ok(()));
                }
                nonblock.then_some(Err(Errno::EAGAIN))
            });
            if let Err(e) = ready.and_then(|r| r) {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
            let piece = &buf[done..buf.len().min(done + OUTPUT_PIECE)];
            let mut out = Vec::new();
            self.state.lock().ld.process_output(piece, &mut out);
            self.driver.write_out(&out);
            done += piece.len();
        }
        Ok(done)
    }

    /// Bytes from the kernel itself (the console's log), processed as if a
    /// program wrote them but never waiting.
    pub fn write_kernel(&self, buf: &[u8]) {
        let mut out = Vec::new();
        self.state.lock().ld.process_output(buf, &mut out);
        self.driver.write_out(&out);
    }

    // ---- job control and sessions ----

    /// Job control (termios(3), "Background process groups"), Linux's
    /// tty_check_change: a process in a background group of its
    /// controlling terminal gets SIGTTIN for reading, SIGTTOU for writing
    /// with TOSTOP or changing settings, and the call restarts once it is
    /// continued. With the signal blocked or ignored, reads fail with EIO
    /// and the rest proceeds; an orphaned group gets EIO.
    fn job_control(&self, sig: u32) -> KResult<()> {
        let me = current();
        let p = me.process.clone();
        if !self.is_ctty_of(&p) {
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
        signal_group(p.pgid(), sig);
        Err(Errno::ERESTARTSYS)
    }

    fn is_ctty_of(&self, p: &process::Process) -> bool {
        p.ctty.lock().as_ref().is_some_and(|t| core::ptr::eq(Arc::as_ptr(t), self))
    }

    /// Hangup (a pty master closed): every descriptor open now is hung up,
    /// the session loses its controlling terminal, and the session leader
    /// gets SIGHUP and SIGCONT (Linux's __tty_hangup).
    pub fn hangup(&self) {
        self.hangups.fetch_add(1, Ordering::AcqRel);
        let session = {
            let mut st = self.state.lock();
            let s = st.session;
            st.session = 0;
            st.fg_pgrp = 0;
            s
        };
        if session > 0 {
            for p in process::all_processes() {
                if p.sid() != session {
                    continue;
                }
                self.forget(&p);
                if p.pid == session && p.is_alive() {
                    p.send_signal(SigInfo::kernel(SIGHUP, SI_KERNEL, 0));
                    p.send_signal(SigInfo::kernel(SIGCONT, SI_KERNEL, 0));
                }
            }
        }
        self.events.wake_all();
    }

    /// Detaches the terminal from session `sid` (Linux's disassociate_ctty):
    /// when its leader exits the foreground group gets SIGHUP; with
    /// TIOCNOTTY, SIGHUP and SIGCONT. Every process of the session loses
    /// the terminal.
    pub fn disassociate(&self, sid: Pid, on_exit: bool) {
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
        signal_group(fg, SIGHUP);
        if !on_exit {
            signal_group(fg, SIGCONT);
        }
        for p in process::all_processes() {
            if p.sid() == sid {
                self.forget(&p);
            }
        }
    }

    /// Clears `p`'s controlling terminal if it is this one.
    fn forget(&self, p: &process::Process) {
        let mut c = p.ctty.lock();
        if c.as_ref().is_some_and(|t| core::ptr::eq(Arc::as_ptr(t), self)) {
            *c = None;
        }
    }

    /// TIOCSCTTY, and the acquisition on open: makes this the controlling
    /// terminal of the caller's session. A terminal another session holds
    /// is taken only with `steal` and CAP_SYS_ADMIN.
    fn set_controlling(self: &Arc<Self>, steal: bool) -> KResult<()> {
        let p = current().process.clone();
        let sid = p.sid();
        let mut st = self.state.lock();
        if sid == p.pid && st.session == sid {
            return Ok(());
        }
        if sid != p.pid || p.ctty.lock().is_some() {
            return Err(Errno::EPERM);
        }
        let old = st.session;
        if old != 0 {
            if !(steal && p.creds.lock().capable(crate::process::creds::CAP_SYS_ADMIN)) {
                return Err(Errno::EPERM);
            }
            drop(st);
            for q in process::all_processes() {
                if q.sid() == old {
                    self.forget(&q);
                }
            }
            st = self.state.lock();
        }
        st.session = sid;
        st.fg_pgrp = p.pgid();
        drop(st);
        *p.ctty.lock() = Some(self.clone());
        Ok(())
    }

    /// What poll reports for a descriptor of generation `generation`.
    fn poll_events(&self, generation: u64) -> crate::fs::file::PollEvents {
        use crate::fs::file::PollEvents as P;
        if self.hung_up_since(generation) {
            return P::IN | P::OUT | P::ERR | P::HUP | P::RDNORM | P::WRNORM;
        }
        let st = self.state.lock();
        let mut ev = P::empty();
        if st.ld.readable() {
            ev |= P::IN | P::RDNORM;
        }
        if !st.ld.output_stopped() && self.driver.has_room() {
            ev |= P::OUT | P::WRNORM;
        }
        ev
    }
}

/// Sends `sig` to every living member of process group `pgrp` (0: none).
fn signal_group(pgrp: Pid, sig: u32) {
    if pgrp <= 0 {
        return;
    }
    for p in process::process_group(pgrp) {
        p.send_signal(SigInfo::kernel(sig, SI_KERNEL, 0));
    }
}
