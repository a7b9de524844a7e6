//! Expected values are what Linux 6.x produced for the same input through
//! a pty (tests/contracts/tty).

use super::*;
use alloc::vec;

fn ld() -> LineDiscipline {
    LineDiscipline::new(Termios::linux_default())
}

/// Feeds `input`, returns the echo.
fn feed(ld: &mut LineDiscipline, input: &[u8]) -> Vec<u8> {
    let mut echo = Vec::new();
    for &b in input {
        assert!(ld.can_receive());
        ld.receive(b, &mut echo);
    }
    echo
}

fn read_all(ld: &mut LineDiscipline) -> Vec<u8> {
    let mut buf = [0u8; 8192];
    match ld.read(&mut buf) {
        Read::Data(n) => buf[..n].to_vec(),
        Read::Empty => b"<empty>".to_vec(),
    }
}

fn with_lflag(ld: &mut LineDiscipline, on: u32, off: u32) {
    let mut t = ld.termios();
    t.lflag = (t.lflag | on) & !off;
    ld.set_termios(t);
}

#[test]
fn erase_kill_werase() {
    let mut l = ld();
    assert_eq!(feed(&mut l, b"abc\x7fd\n"), b"abc\x08 \x08d\r\n");
    assert_eq!(read_all(&mut l), b"abd\n");
    assert_eq!(feed(&mut l, b"xyz\x15ok\n"), b"xyz\x08 \x08\x08 \x08\x08 \x08ok\r\n");
    assert_eq!(read_all(&mut l), b"ok\n");
    assert_eq!(feed(&mut l, b"one two\x17three\n"), b"one two\x08 \x08\x08 \x08\x08 \x08three\r\n");
    assert_eq!(read_all(&mut l), b"one three\n");
}

#[test]
fn eof_handling() {
    let mut l = ld();
    assert_eq!(feed(&mut l, b"partial\x04"), b"partial");
    assert_eq!(read_all(&mut l), b"partial");
    feed(&mut l, b"\x04");
    assert_eq!(l.read(&mut [0u8; 16]), Read::Data(0));
    assert_eq!(l.read(&mut [0u8; 16]), Read::Empty);
    // A ^D ending a line a short read began only pushes it.
    feed(&mut l, b"abc\x04");
    let mut b3 = [0u8; 3];
    assert_eq!(l.read(&mut b3), Read::Data(3));
    assert_eq!(l.read(&mut b3), Read::Empty);
}

#[test]
fn echo_modes() {
    let mut l = ld();
    with_lflag(&mut l, 0, g::ECHOE);
    assert_eq!(feed(&mut l, b"ab\x7f\n"), b"ab^?\r\n");
    read_all(&mut l);
    with_lflag(&mut l, g::ECHOE, g::ECHOKE);
    assert_eq!(feed(&mut l, b"xy\x15\n"), b"xy^U\r\n\r\n");
    read_all(&mut l);
    with_lflag(&mut l, g::ECHOKE, 0);
    assert_eq!(feed(&mut l, b"xy\x15\n"), b"xy\x08 \x08\x08 \x08\r\n");
    read_all(&mut l);
    with_lflag(&mut l, 0, g::ECHO);
    assert_eq!(feed(&mut l, b"secret\n"), b"");
    assert_eq!(read_all(&mut l), b"secret\n");
    with_lflag(&mut l, g::ECHONL, 0);
    assert_eq!(feed(&mut l, b"nl\n"), b"\r\n");
    read_all(&mut l);
    with_lflag(&mut l, g::ECHO, g::ECHONL);
    assert_eq!(feed(&mut l, b"\x01\x1bx\n"), b"^A^[x\r\n");
    assert_eq!(read_all(&mut l), b"\x01\x1bx\n");
    with_lflag(&mut l, 0, g::ECHOCTL);
    assert_eq!(feed(&mut l, b"\x01\n"), b"\x01\r\n");
}

#[test]
fn signal_chars_flush() {
    let mut l = ld();
    let mut echo = Vec::new();
    for &b in b"pending" {
        l.receive(b, &mut echo);
    }
    let r = l.receive(3, &mut echo);
    assert_eq!(r.signal, Some(g::SIGINT));
    assert!(r.flush_output);
    assert_eq!(echo, b"^C");
    assert!(!l.readable());
    with_lflag(&mut l, g::NOFLSH, 0);
    let mut echo = Vec::new();
    for &b in b"kept\x03" {
        l.receive(b, &mut echo);
    }
    assert_eq!(echo, b"kept^C");
    feed(&mut l, b"\n");
    assert_eq!(read_all(&mut l), b"kept\n");
    // A changed VINTR that is not a control character echoes as itself.
    let mut t = l.termios();
    t.cc[g::VINTR as usize] = b'q';
    l.set_termios(t);
    let mut echo = Vec::new();
    assert_eq!(l.receive(b'q', &mut echo).signal, Some(g::SIGINT));
    assert_eq!(echo, b"q");
}

#[test]
fn input_maps() {
    let raw = |iflag: u32, input: &[u8]| {
        let mut l = ld();
        let mut t = l.termios();
        t.iflag = iflag;
        t.lflag &= !(g::ICANON | g::ECHO);
        l.set_termios(t);
        feed(&mut l, input);
        read_all(&mut l)
    };
    assert_eq!(raw(g::ICRNL, b"a\rb\nc"), b"a\nb\nc");
    assert_eq!(raw(g::INLCR, b"a\rb\nc"), b"a\rb\rc");
    assert_eq!(raw(g::IGNCR, b"a\rb\nc"), b"ab\nc");
    assert_eq!(raw(g::INLCR | g::ICRNL, b"a\rb\nc"), b"a\nb\rc");
    assert_eq!(raw(g::ISTRIP, b"\xc1\xe2"), b"Ab");
    assert_eq!(raw(g::IXON, b"x\x13y\x11z"), b"xyz");
    assert_eq!(raw(0, b"x\x13y\x11z"), b"x\x13y\x11z");
}

#[test]
fn output_maps() {
    let mut l = ld();
    let out = |l: &mut LineDiscipline, oflag: u32, s: &[u8]| {
        let mut t = l.termios();
        t.oflag = oflag;
        l.set_termios(t);
        let mut o = Vec::new();
        l.process_output(s, &mut o);
        o
    };
    assert_eq!(out(&mut l, 0, b"a\nb\r"), b"a\nb\r");
    assert_eq!(out(&mut l, g::OPOST | g::ONLCR, b"a\nb\r"), b"a\r\nb\r");
    assert_eq!(out(&mut l, g::OPOST | g::OCRNL, b"a\nb\r"), b"a\nb\n");
    assert_eq!(out(&mut l, g::OPOST | g::ONOCR, b"\rx\r"), b"\rx\r");
    assert_eq!(out(&mut l, g::OPOST | g::ONLRET, b"ab\n\rc"), b"ab\n\rc");
    assert_eq!(out(&mut l, g::OPOST | g::XTABS, b"a\tbc\td\n"), b"a      bc      d\n");
}

#[test]
fn canonical_reads_and_limits() {
    let mut l = ld();
    with_lflag(&mut l, 0, g::ECHO);
    feed(&mut l, b"one\ntwo\n");
    assert_eq!(read_all(&mut l), b"one\n");
    assert_eq!(read_all(&mut l), b"two\n");
    let mut t = l.termios();
    t.cc[g::VEOL as usize] = b';';
    t.cc[g::VEOL2 as usize] = b'|';
    l.set_termios(t);
    feed(&mut l, b"x;y|");
    assert_eq!(read_all(&mut l), b"x;");
    assert_eq!(read_all(&mut l), b"y|");
    feed(&mut l, b"pend\nin");
    assert_eq!(l.readable_len(), 5);
    // A line longer than the buffer keeps its first 4095 bytes, the last
    // one replaced by each new byte, so the newline always gets in.
    let mut l = ld();
    with_lflag(&mut l, 0, g::ECHO);
    feed(&mut l, &vec![b'z'; 5000]);
    feed(&mut l, b"\n");
    let got = read_all(&mut l);
    assert_eq!(got.len(), 4096);
    assert_eq!(got.last(), Some(&b'\n'));
}

#[test]
fn full_buffer_refuses_in_raw_mode() {
    let mut l = ld();
    with_lflag(&mut l, 0, g::ICANON | g::ECHO);
    let mut echo = Vec::new();
    let mut n = 0;
    while l.can_receive() {
        l.receive(b'r', &mut echo);
        n += 1;
    }
    assert_eq!(n, BUF_SIZE - 1);
    let mut buf = [0u8; 10];
    assert_eq!(l.read(&mut buf), Read::Data(10));
    assert!(l.can_receive());
}

#[test]
fn mode_switch_pushes_pending_input() {
    let mut l = ld();
    with_lflag(&mut l, 0, g::ICANON | g::ECHO);
    feed(&mut l, b"abc");
    with_lflag(&mut l, g::ICANON, 0);
    assert!(l.readable());
    assert_eq!(read_all(&mut l), b"abc");
}

#[test]
fn lnext_and_reprint() {
    let mut l = ld();
    assert_eq!(feed(&mut l, b"a\x16\x03"), b"a^\x08^C");
    let mut t = l.termios();
    t.lflag &= !g::ECHO;
    l.set_termios(t);
    feed(&mut l, b"\n");
    assert_eq!(read_all(&mut l), b"a\x03\n");
    let mut l = ld();
    assert_eq!(feed(&mut l, b"ab\x12"), b"ab^R\r\nab");
}

#[test]
fn tab_erase_backs_up_to_the_tab_start() {
    let mut l = ld();
    assert_eq!(feed(&mut l, b"ab\t\x7f"), b"ab\t\x08\x08\x08\x08\x08\x08");
}
