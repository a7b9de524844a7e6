//! The terminal line discipline: what Linux's N_TTY does to the bytes
//! between a terminal device and the programs reading and writing it.
//!
//! Input: character mapping (ISTRIP, IUCLC, ICRNL, INLCR, IGNCR), flow
//! control characters (IXON, IXANY), signal characters (ISIG), canonical
//! line editing (erase, word erase, kill, literal-next, reprint, EOF, EOL)
//! with Linux's echo rules (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL,
//! ECHOPRT), a 4096-byte input buffer with Linux's overflow rule, and
//! canonical and non-canonical reads. Output: OPOST processing (ONLCR,
//! OCRNL, ONOCR, ONLRET, OLCUC, tab expansion) with the column tracking
//! that echo and tab erasure depend on.
//!
//! The discipline holds no locks and knows no processes or devices: it
//! turns input bytes into readable data, echo bytes and requests (signal
//! the foreground group, flush, stop or start output) that the terminal
//! carries out. That keeps it testable on the host against what Linux is
//! observed to do (tests/contracts/tty).

#![no_std]
#![deny(unsafe_code)]

extern crate alloc;

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use linux_raw_sys::general as g;
use zerocopy::{FromBytes, Immutable, IntoBytes};

/// Size of the input buffer (Linux's N_TTY_BUF_SIZE).
pub const BUF_SIZE: usize = 4096;

/// `struct termios` as TCGETS/TCSETS exchange it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable)]
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
    /// Line discipline number (0: N_TTY).
    pub line: u8,
    /// Control characters.
    pub cc: [u8; 19],
}

impl Termios {
    /// Linux's tty_std_termios: what a new terminal starts with.
    pub fn linux_default() -> Termios {
        let mut cc = [0u8; 19];
        let set = |cc: &mut [u8; 19], i: u32, v: u8| cc[i as usize] = v;
        set(&mut cc, g::VINTR, 0x03);
        set(&mut cc, g::VQUIT, 0x1c);
        set(&mut cc, g::VERASE, 0x7f);
        set(&mut cc, g::VKILL, 0x15);
        set(&mut cc, g::VEOF, 0x04);
        set(&mut cc, g::VTIME, 0);
        set(&mut cc, g::VMIN, 1);
        set(&mut cc, g::VSTART, 0x11);
        set(&mut cc, g::VSTOP, 0x13);
        set(&mut cc, g::VSUSP, 0x1a);
        set(&mut cc, g::VREPRINT, 0x12);
        set(&mut cc, g::VDISCARD, 0x0f);
        set(&mut cc, g::VWERASE, 0x17);
        set(&mut cc, g::VLNEXT, 0x16);
        Termios {
            iflag: g::ICRNL | g::IXON,
            oflag: g::OPOST | g::ONLCR,
            cflag: g::B38400 | g::CS8 | g::CREAD | g::HUPCL,
            lflag: g::ISIG | g::ICANON | g::ECHO | g::ECHOE | g::ECHOK | g::ECHOCTL | g::ECHOKE | g::IEXTEN,
            line: 0,
            cc,
        }
    }

    fn i(&self, f: u32) -> bool {
        self.iflag & f != 0
    }
    fn o(&self, f: u32) -> bool {
        self.oflag & f != 0
    }
    fn l(&self, f: u32) -> bool {
        self.lflag & f != 0
    }

    /// Whether `c` is the (enabled) control character at index `v`.
    /// A character set to 0 (_POSIX_VDISABLE) matches nothing.
    fn is(&self, c: u8, v: u32) -> bool {
        let x = self.cc[v as usize];
        x != 0 && x == c
    }

    /// Whether reads are line by line.
    pub fn canonical(&self) -> bool {
        self.l(g::ICANON)
    }

    /// VMIN and VTIME (tenths of a second) for non-canonical reads.
    pub fn min_time(&self) -> (u8, u8) {
        (self.cc[g::VMIN as usize], self.cc[g::VTIME as usize])
    }
}

/// Linux's iscntrl (lib/ctype.c): C0 controls, DEL and the C1 range.
fn is_cntrl(c: u8) -> bool {
    c < 0x20 || c == 0x7f || (0x80..0xa0).contains(&c)
}

/// Linux's isalnum, Latin-1 letters included (lib/ctype.c).
fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || (c >= 0xc0 && c != 0xd7 && c != 0xf7)
}

/// One byte of the input buffer and what it means for line reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cell {
    byte: u8,
    /// Ends a line (canonical mode): newline, EOL, EOL2 or EOF.
    line_end: bool,
    /// An end-of-file mark (VEOF), which is not data.
    eof: bool,
}

impl Cell {
    fn data(byte: u8) -> Cell {
        Cell { byte, line_end: false, eof: false }
    }
}

/// What a received byte asks of the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// Signal the foreground process group with this (ISIG).
    pub signal: Option<u32>,
    /// Input and not-yet-read output were flushed: the terminal must drop
    /// output queued for its device too (Linux's tty_driver_flush_buffer).
    pub flush_output: bool,
    /// New data became readable (a line completed, or any byte in
    /// non-canonical mode).
    pub readable: bool,
}

/// Outcome of a read from the input buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// This many bytes were copied (canonical: 0 means end of file).
    Data(usize),
    /// Nothing is readable yet.
    Empty,
}

/// Kinds of erasure (Linux's ERASE, WERASE, KILL).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Erase {
    Char,
    Word,
    Line,
}

/// The state of one terminal's line discipline.
#[derive(Debug)]
pub struct LineDiscipline {
    termios: Termios,
    buf: VecDeque<Cell>,
    /// Canonical mode: cells at the front that form complete lines (the
    /// rest is the line being edited).
    committed: usize,
    /// A read took part of the first line; an EOF ending that line only
    /// pushes it instead of reporting end of file.
    mid_line: bool,
    /// Output column, and the column where the line being edited began.
    column: usize,
    canon_column: usize,
    /// The next input byte is literal (VLNEXT).
    lnext: bool,
    /// ECHOPRT: inside a "\erased/" sequence.
    erasing: bool,
    /// Output is stopped by a STOP character, or by tcflow(TCOOFF).
    stopped: bool,
    tco_stopped: bool,
}

impl LineDiscipline {
    /// A line discipline with settings `termios` and an empty buffer.
    pub fn new(termios: Termios) -> LineDiscipline {
        LineDiscipline {
            termios,
            buf: VecDeque::new(),
            committed: 0,
            mid_line: false,
            column: 0,
            canon_column: 0,
            lnext: false,
            erasing: false,
            stopped: false,
            tco_stopped: false,
        }
    }

    /// The current settings.
    pub fn termios(&self) -> Termios {
        self.termios
    }

    /// Changes the settings (Linux's n_tty_set_termios): switching between
    /// canonical and non-canonical mode re-reads the buffer in the new mode,
    /// pending input becoming one line when canonical mode starts.
    pub fn set_termios(&mut self, t: Termios) {
        let old = self.termios;
        self.termios = t;
        if (old.lflag ^ t.lflag) & (g::ICANON | g::EXTPROC) != 0 {
            for c in self.buf.iter_mut() {
                c.line_end = false;
            }
            self.mid_line = false;
            if !t.canonical() || self.buf.is_empty() {
                self.committed = 0;
            } else {
                if let Some(last) = self.buf.back_mut() {
                    last.line_end = true;
                }
                self.committed = self.buf.len();
            }
            self.erasing = false;
            self.lnext = false;
        }
        if !t.i(g::IXON) && old.i(g::IXON) && !self.tco_stopped {
            self.stopped = false;
        }
    }

    /// Whether output is held back (STOP character or TCOOFF).
    pub fn output_stopped(&self) -> bool {
        self.stopped || self.tco_stopped
    }

    /// tcflow(TCOOFF / TCOON).
    pub fn set_tco_stopped(&mut self, stop: bool) {
        self.tco_stopped = stop;
        if !stop {
            self.stopped = false;
        }
    }

    /// Whether a byte can be taken now. When the buffer is full Linux keeps
    /// the rest in the device's buffer until a read makes room; in
    /// canonical mode with no complete line it takes bytes anyway (the last
    /// one is overwritten) so that erase and newline still work.
    pub fn can_receive(&self) -> bool {
        self.buf.len() < BUF_SIZE - 1 || self.overflowing()
    }

    fn overflowing(&self) -> bool {
        self.termios.canonical() && self.committed == 0
    }

    /// Drops all input (TCIFLUSH, or a signal character without NOFLSH).
    pub fn flush_input(&mut self) {
        self.buf.clear();
        self.committed = 0;
        self.mid_line = false;
        self.erasing = false;
        self.lnext = false;
    }

    /// Bytes a read could take now (FIONREAD): canonical mode counts only
    /// complete lines, without their end-of-file marks.
    pub fn readable_len(&self) -> usize {
        if self.termios.canonical() {
            self.buf.iter().take(self.committed).filter(|c| !c.eof).count()
        } else {
            self.buf.len()
        }
    }

    /// Whether a read would return at once (data, or end of file).
    pub fn readable(&self) -> bool {
        if self.termios.canonical() { self.committed > 0 } else { !self.buf.is_empty() }
    }

    /// Takes one byte from the device; echo (already output-processed)
    /// is appended to `echo`.
    pub fn receive(&mut self, byte: u8, echo: &mut Vec<u8>) -> Received {
        let t = self.termios;
        let mut r = Received::default();
        if self.overflowing() && self.buf.len() >= BUF_SIZE {
            self.buf.pop_back();
        }
        let mut c = byte;
        if t.i(g::ISTRIP) {
            c &= 0x7f;
        }
        if t.i(g::IUCLC) && t.l(g::IEXTEN) {
            c = c.to_ascii_lowercase();
        }
        if self.lnext {
            self.lnext = false;
            return self.receive_plain(c, echo);
        }
        if t.i(g::IXON) {
            if self.stopped && !self.tco_stopped && t.i(g::IXANY) && !t.is(c, g::VINTR) && !t.is(c, g::VQUIT) && !t.is(c, g::VSUSP) {
                self.stopped = false;
            }
            if t.is(c, g::VSTART) {
                self.stopped = false;
                return r;
            }
            if t.is(c, g::VSTOP) {
                self.stopped = true;
                return r;
            }
        }
        if t.l(g::ISIG) {
            let signal = if t.is(c, g::VINTR) {
                Some(g::SIGINT)
            } else if t.is(c, g::VQUIT) {
                Some(g::SIGQUIT)
            } else if t.is(c, g::VSUSP) {
                Some(g::SIGTSTP)
            } else {
                None
            };
            if let Some(sig) = signal {
                r.signal = Some(sig);
                if !t.l(g::NOFLSH) {
                    self.flush_input();
                    echo.clear();
                    r.flush_output = true;
                }
                if t.i(g::IXON) {
                    self.stopped = self.tco_stopped;
                }
                if t.l(g::ECHO) {
                    self.echo_char(c, echo);
                }
                return r;
            }
        }
        if c == b'\r' {
            if t.i(g::IGNCR) {
                return r;
            }
            if t.i(g::ICRNL) {
                c = b'\n';
            }
        } else if c == b'\n' && t.i(g::INLCR) {
            c = b'\r';
        }
        if t.canonical() {
            if t.is(c, g::VERASE) || t.is(c, g::VKILL) || (t.is(c, g::VWERASE) && t.l(g::IEXTEN)) {
                self.erase(c, echo);
                return r;
            }
            if t.is(c, g::VLNEXT) && t.l(g::IEXTEN) {
                self.lnext = true;
                if t.l(g::ECHO) {
                    self.finish_erasing(echo);
                    if t.l(g::ECHOCTL) {
                        self.echo_raw(b'^', echo);
                        self.echo_raw(0x08, echo);
                    }
                }
                return r;
            }
            if t.is(c, g::VREPRINT) && t.l(g::ECHO) && t.l(g::IEXTEN) {
                self.finish_erasing(echo);
                self.echo_char(c, echo);
                self.echo_raw(b'\n', echo);
                let line: Vec<u8> = self.buf.iter().skip(self.committed).map(|c| c.byte).collect();
                for b in line {
                    self.echo_char(b, echo);
                }
                return r;
            }
            if c == b'\n' {
                if t.l(g::ECHO) || t.l(g::ECHONL) {
                    self.echo_raw(b'\n', echo);
                }
                return self.end_line(Cell { byte: c, line_end: true, eof: false });
            }
            if t.is(c, g::VEOF) {
                return self.end_line(Cell { byte: 0, line_end: true, eof: true });
            }
            if t.is(c, g::VEOL) || (t.is(c, g::VEOL2) && t.l(g::IEXTEN)) {
                if t.l(g::ECHO) {
                    if self.committed == self.buf.len() {
                        self.canon_column = self.column;
                    }
                    self.echo_char(c, echo);
                }
                return self.end_line(Cell { byte: c, line_end: true, eof: false });
            }
        }
        self.receive_plain(c, echo)
    }

    /// An ordinary byte: echoed and queued.
    fn receive_plain(&mut self, c: u8, echo: &mut Vec<u8>) -> Received {
        if self.termios.l(g::ECHO) {
            self.finish_erasing(echo);
            if c == b'\n' {
                self.echo_raw(b'\n', echo);
            } else {
                if self.committed == self.buf.len() {
                    self.canon_column = self.column;
                }
                self.echo_char(c, echo);
            }
        }
        self.buf.push_back(Cell::data(c));
        Received { readable: !self.termios.canonical(), ..Received::default() }
    }

    fn end_line(&mut self, cell: Cell) -> Received {
        self.buf.push_back(cell);
        self.committed = self.buf.len();
        Received { readable: true, ..Received::default() }
    }

    /// Linux's eraser(): ERASE takes one character, WERASE a word (letters,
    /// digits and '_', plus the blanks after it), KILL the whole line.
    fn erase(&mut self, c: u8, echo: &mut Vec<u8>) {
        let t = self.termios;
        if self.buf.len() == self.committed {
            return;
        }
        let kind = if t.is(c, g::VERASE) {
            Erase::Char
        } else if t.is(c, g::VWERASE) {
            Erase::Word
        } else {
            Erase::Line
        };
        if kind == Erase::Line {
            if !t.l(g::ECHO) {
                self.buf.truncate(self.committed);
                return;
            }
            if !t.l(g::ECHOK) || !t.l(g::ECHOKE) || !t.l(g::ECHOE) {
                self.buf.truncate(self.committed);
                self.finish_erasing(echo);
                self.echo_char(t.cc[g::VKILL as usize], echo);
                if t.l(g::ECHOK) {
                    self.echo_raw(b'\n', echo);
                }
                return;
            }
        }
        let utf8 = t.i(g::IUTF8);
        let continuation = |b: u8| utf8 && b & 0xc0 == 0x80;
        let mut seen_alnums = 0;
        while self.buf.len() > self.committed {
            // One character, with its UTF-8 continuation bytes.
            let mut head = self.buf.len();
            let mut ch;
            loop {
                head -= 1;
                ch = self.buf[head].byte;
                if !continuation(ch) || head == self.committed {
                    break;
                }
            }
            if continuation(ch) {
                break; // never erase part of a character
            }
            if kind == Erase::Word {
                if is_alnum(ch) || ch == b'_' {
                    seen_alnums += 1;
                } else if seen_alnums > 0 {
                    break;
                }
            }
            let removed: Vec<u8> = self.buf.drain(head..).map(|c| c.byte).collect();
            if t.l(g::ECHO) {
                if t.l(g::ECHOPRT) {
                    if !self.erasing {
                        self.echo_raw(b'\\', echo);
                        self.erasing = true;
                    }
                    self.echo_char(ch, echo);
                    for &b in &removed[1..] {
                        self.echo_raw(b, echo);
                        self.column = self.column.saturating_sub(1);
                    }
                } else if kind == Erase::Char && !t.l(g::ECHOE) {
                    self.echo_char(t.cc[g::VERASE as usize], echo);
                } else if ch == b'\t' {
                    self.erase_tab(echo);
                } else {
                    let wipe = |me: &mut Self, echo: &mut Vec<u8>| {
                        me.echo_raw(0x08, echo);
                        me.echo_raw(b' ', echo);
                        me.echo_raw(0x08, echo);
                    };
                    if is_cntrl(ch) && t.l(g::ECHOCTL) {
                        wipe(self, echo);
                    }
                    if !is_cntrl(ch) || t.l(g::ECHOCTL) {
                        wipe(self, echo);
                    }
                }
            }
            if kind == Erase::Char {
                break;
            }
        }
        if self.buf.len() == self.committed && t.l(g::ECHO) {
            self.finish_erasing(echo);
        }
    }

    /// Backs up over an erased tab: to the column the tab started from,
    /// counted from the previous tab or the start of the line.
    fn erase_tab(&mut self, echo: &mut Vec<u8>) {
        let t = self.termios;
        let mut chars = 0;
        let mut after_tab = false;
        for cell in self.buf.iter().skip(self.committed).rev() {
            let b = cell.byte;
            if b == b'\t' {
                after_tab = true;
                break;
            } else if is_cntrl(b) {
                if t.l(g::ECHOCTL) {
                    chars += 2;
                }
            } else if !(t.i(g::IUTF8) && b & 0xc0 == 0x80) {
                chars += 1;
            }
        }
        if !after_tab {
            chars += self.canon_column;
        }
        let backs = (8 - (chars & 7)).min(self.column);
        for _ in 0..backs {
            echo.push(0x08);
            self.column = self.column.saturating_sub(1);
        }
    }

    fn finish_erasing(&mut self, echo: &mut Vec<u8>) {
        if self.erasing {
            self.echo_raw(b'/', echo);
            self.erasing = false;
        }
    }

    /// Echoes `c`, as ^X when it is a control character and ECHOCTL is on.
    fn echo_char(&mut self, c: u8, echo: &mut Vec<u8>) {
        if self.termios.l(g::ECHOCTL) && is_cntrl(c) && c != b'\t' {
            echo.push(b'^');
            echo.push(c ^ 0o100);
            self.column += 2;
        } else {
            self.echo_raw(c, echo);
        }
    }

    /// Echoes `c` through output processing.
    fn echo_raw(&mut self, c: u8, echo: &mut Vec<u8>) {
        if self.termios.o(g::OPOST) {
            self.output_char(c, echo);
        } else {
            echo.push(c);
        }
    }

    /// Output processing of what programs write (OPOST and friends).
    pub fn process_output(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        if !self.termios.o(g::OPOST) {
            out.extend_from_slice(bytes);
            return;
        }
        for &b in bytes {
            self.output_char(b, out);
        }
    }

    /// Linux's do_output_char, with its column tracking.
    fn output_char(&mut self, mut c: u8, out: &mut Vec<u8>) {
        let t = self.termios;
        match c {
            b'\n' => {
                if t.o(g::ONLRET) {
                    self.column = 0;
                }
                if t.o(g::ONLCR) {
                    self.column = 0;
                    self.canon_column = 0;
                    out.extend_from_slice(b"\r\n");
                    return;
                }
                self.canon_column = self.column;
            }
            b'\r' => {
                if t.o(g::ONOCR) && self.column == 0 {
                    return;
                }
                if t.o(g::OCRNL) {
                    c = b'\n';
                    if t.o(g::ONLRET) {
                        self.column = 0;
                        self.canon_column = 0;
                    }
                } else {
                    self.column = 0;
                    self.canon_column = 0;
                }
            }
            b'\t' => {
                let spaces = 8 - (self.column & 7);
                self.column += spaces;
                if t.oflag & g::TABDLY == g::XTABS {
                    out.extend(core::iter::repeat_n(b' ', spaces));
                    return;
                }
            }
            0x08 => self.column = self.column.saturating_sub(1),
            _ => {
                if !is_cntrl(c) {
                    if t.o(g::OLCUC) {
                        c = c.to_ascii_uppercase();
                    }
                    if !(t.i(g::IUTF8) && c & 0xc0 == 0x80) {
                        self.column += 1;
                    }
                }
            }
        }
        out.push(c);
    }

    /// Copies readable input to `dst`: canonical mode up to the end of one
    /// line (an end-of-file mark is not copied), non-canonical mode
    /// whatever is there.
    pub fn read(&mut self, dst: &mut [u8]) -> Read {
        if dst.is_empty() {
            return Read::Data(0);
        }
        if !self.termios.canonical() {
            if self.buf.is_empty() {
                return Read::Empty;
            }
            let n = dst.len().min(self.buf.len());
            for (d, c) in dst.iter_mut().zip(self.buf.drain(..n)) {
                *d = c.byte; // an old EOF mark reads as NUL, as on Linux
            }
            return Read::Data(n);
        }
        let mut n = 0;
        while n < dst.len() && self.committed > 0 {
            let cell = self.buf.pop_front().expect("committed cells exist");
            self.committed -= 1;
            if cell.eof {
                if n == 0 && self.mid_line {
                    // The EOF only pushed a line a short read began.
                    self.mid_line = false;
                    continue;
                }
                self.mid_line = false;
                return Read::Data(n);
            }
            dst[n] = cell.byte;
            n += 1;
            if cell.line_end {
                self.mid_line = false;
                return Read::Data(n);
            }
        }
        if n == 0 {
            return Read::Empty;
        }
        self.mid_line = true;
        Read::Data(n)
    }
}

#[cfg(test)]
mod tests;
