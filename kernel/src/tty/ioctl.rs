//! Terminal ioctls (ioctl_tty(2)). `via_master` is set when the call came
//! through a pty master, which acts on its slave's settings but is not
//! subject to the slave's controlling-terminal checks.

use alloc::sync::Arc;

use kevlar_ldisc::Termios;
use linux_raw_sys::general as g;
use linux_raw_sys::ioctl as io;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::{Tty, WinSize, signal_group};
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::process::{self, creds::CAP_SYS_ADMIN};
use crate::sched::current;
use crate::signal::{SIGTTOU, SIGWINCH};

/// `struct termios2` (TCGETS2/TCSETS2): termios with explicit speeds.
#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Termios2 {
    termios: Termios,
    ispeed: u32,
    ospeed: u32,
}

/// The speed a CBAUD code stands for (termios(3)).
fn baud_rate(code: u32) -> u32 {
    const RATES: [u32; 16] = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400];
    const HIGH: [u32; 15] = [57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000];
    if code & g::CBAUDEX == 0 {
        RATES[(code & 0xf) as usize]
    } else {
        HIGH.get(((code & 0xf) as usize).wrapping_sub(1)).copied().unwrap_or(0)
    }
}

/// Runs a terminal ioctl.
pub fn ioctl(tty: &Arc<Tty>, cmd: u32, arg: usize, via_master: bool) -> KResult<usize> {
    let check_change = || if via_master { Ok(()) } else { tty.job_control(SIGTTOU) };
    match cmd {
        io::TCGETS => {
            let t = tty.state.lock().ld.termios();
            UserPtr::<Termios>::new(arg).write(&t)?;
            Ok(0)
        }
        io::TCGETS2 => {
            let t = tty.state.lock().ld.termios();
            let speed = baud_rate(t.cflag & g::CBAUD);
            UserPtr::<Termios2>::new(arg).write(&Termios2 { termios: t, ispeed: speed, ospeed: speed })?;
            Ok(0)
        }
        io::TCSETS | io::TCSETSW | io::TCSETSF | io::TCSETS2 | io::TCSETSW2 | io::TCSETSF2 => {
            check_change()?;
            let t = if matches!(cmd, io::TCSETS2 | io::TCSETSW2 | io::TCSETSF2) {
                UserPtr::<Termios2>::new(arg).read()?.termios
            } else {
                UserPtr::<Termios>::new(arg).read()?
            };
            let restarted = {
                let mut st = tty.state.lock();
                if matches!(cmd, io::TCSETSF | io::TCSETSF2) {
                    st.ld.flush_input();
                    st.pending.clear();
                }
                let was_stopped = st.ld.output_stopped();
                st.ld.set_termios(t);
                was_stopped && !st.ld.output_stopped()
            };
            if restarted {
                tty.output_restarted();
            }
            tty.wake();
            Ok(0)
        }
        io::TIOCGWINSZ => {
            let w = tty.state.lock().winsize;
            UserPtr::<WinSize>::new(arg).write(&w)?;
            Ok(0)
        }
        io::TIOCSWINSZ => {
            let w = UserPtr::<WinSize>::new(arg).read()?;
            let fg = {
                let mut st = tty.state.lock();
                let changed = st.winsize != w;
                st.winsize = w;
                if changed { st.fg_pgrp } else { 0 }
            };
            // The foreground job learns the new size.
            signal_group(fg, SIGWINCH);
            Ok(0)
        }
        io::TIOCGPGRP => {
            if !via_master && !tty.is_ctty_of(&current().process) {
                return Err(Errno::ENOTTY);
            }
            let pg = tty.state.lock().fg_pgrp;
            UserPtr::<i32>::new(arg).write(&pg)?;
            Ok(0)
        }
        io::TIOCSPGRP => {
            check_change()?;
            let p = current().process.clone();
            let session = tty.state.lock().session;
            if !tty.is_ctty_of(&p) || session != p.sid() {
                return Err(Errno::ENOTTY);
            }
            let pg = UserPtr::<i32>::new(arg).read()?;
            if pg < 0 {
                return Err(Errno::EINVAL);
            }
            let members = process::process_group(pg);
            let Some(member) = members.first() else { return Err(Errno::ESRCH) };
            if member.sid() != session {
                return Err(Errno::EPERM);
            }
            tty.state.lock().fg_pgrp = pg;
            Ok(0)
        }
        io::TIOCGSID => {
            if !via_master && !tty.is_ctty_of(&current().process) {
                return Err(Errno::ENOTTY);
            }
            let s = tty.state.lock().session;
            if s == 0 {
                return Err(Errno::ENOTTY);
            }
            UserPtr::<i32>::new(arg).write(&s)?;
            Ok(0)
        }
        io::TIOCSCTTY => {
            tty.set_controlling(arg == 1)?;
            Ok(0)
        }
        io::TIOCNOTTY => {
            let p = current().process.clone();
            if !tty.is_ctty_of(&p) {
                return Err(Errno::ENOTTY);
            }
            if p.sid() == p.pid {
                tty.disassociate(p.sid(), false);
            } else {
                tty.forget(&p);
            }
            Ok(0)
        }
        io::FIONREAD => {
            let n = tty.state.lock().ld.readable_len() as i32;
            UserPtr::<i32>::new(arg).write(&n)?;
            Ok(0)
        }
        io::TIOCOUTQ => {
            // Output goes straight to the device: nothing is ever queued.
            UserPtr::<i32>::new(arg).write(&0)?;
            Ok(0)
        }
        io::TCFLSH => {
            check_change()?;
            let (input, output) = match arg as u32 {
                g::TCIFLUSH => (true, false),
                g::TCOFLUSH => (false, true),
                g::TCIOFLUSH => (true, true),
                _ => return Err(Errno::EINVAL),
            };
            if input {
                let mut st = tty.state.lock();
                st.ld.flush_input();
                st.pending.clear();
            }
            if output {
                tty.driver.flush_output();
            }
            tty.wake();
            Ok(0)
        }
        io::TCXONC => {
            check_change()?;
            match arg as u32 {
                g::TCOOFF => tty.state.lock().ld.set_tco_stopped(true),
                g::TCOON => {
                    tty.state.lock().ld.set_tco_stopped(false);
                    tty.output_restarted();
                }
                g::TCIOFF | g::TCION => {
                    let index = if arg as u32 == g::TCIOFF { g::VSTOP } else { g::VSTART };
                    let c = tty.state.lock().ld.termios().cc[index as usize];
                    if c != 0 {
                        tty.driver.write_out(&[c]);
                    }
                }
                _ => return Err(Errno::EINVAL),
            }
            Ok(0)
        }
        // tcdrain and breaks: output is never queued, and neither the
        // console nor a pty has a line to hold in break.
        io::TCSBRK | io::TCSBRKP | io::TIOCSBRK | io::TIOCCBRK => {
            check_change()?;
            Ok(0)
        }
        io::TIOCEXCL | io::TIOCNXCL => {
            tty.state.lock().exclusive = cmd == io::TIOCEXCL;
            Ok(0)
        }
        io::TIOCGEXCL => {
            let e = tty.state.lock().exclusive as i32;
            UserPtr::<i32>::new(arg).write(&e)?;
            Ok(0)
        }
        io::TIOCGETD => {
            UserPtr::<i32>::new(arg).write(&0)?; // N_TTY
            Ok(0)
        }
        io::TIOCSETD => match UserPtr::<i32>::new(arg).read()? {
            0 => Ok(0),
            _ => Err(Errno::EINVAL), // only N_TTY exists here
        },
        io::TIOCSTI => {
            // Faking input needs CAP_SYS_ADMIN (Linux 6.2+ with
            // dev.tty.legacy_tiocsti off, its default).
            let p = current().process.clone();
            if !p.creds.lock().capable(CAP_SYS_ADMIN) {
                return Err(Errno::EIO);
            }
            let c = UserPtr::<u8>::new(arg).read()?;
            tty.receive(&[c]);
            Ok(0)
        }
        io::TIOCVHANGUP => {
            if !current().process.creds.lock().capable(CAP_SYS_ADMIN) {
                return Err(Errno::EPERM);
            }
            tty.hangup();
            Ok(0)
        }
        _ => Err(Errno::ENOTTY),
    }
}
