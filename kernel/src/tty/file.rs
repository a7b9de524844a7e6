//! An open terminal: the descriptor side of a [`Tty`].

use alloc::sync::Arc;

use super::Tty;
use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::fs::inode::Stat;
use crate::sched::current;
use crate::sched::wait::WaitQueue;

/// An open terminal (a pty slave, the console).
pub struct TtyFile {
    pub(super) tty: Arc<Tty>,
    /// The terminal's hangup generation when this was opened: after a
    /// hangup the descriptor reads end of file and fails the rest.
    generation: u64,
}

impl TtyFile {
    /// Opens `tty`. A session leader without a terminal acquires it unless
    /// O_NOCTTY, or the open is of /dev/console (`no_ctty`), as on Linux.
    pub fn open(tty: Arc<Tty>, flags: u32, no_ctty: bool) -> KResult<Arc<TtyFile>> {
        let p = current().process.clone();
        if tty.state.lock().exclusive && !p.creds.lock().capable(crate::process::creds::CAP_SYS_ADMIN) {
            return Err(Errno::EBUSY);
        }
        if flags & linux_raw_sys::general::O_NOCTTY == 0 && !no_ctty {
            let free = tty.state.lock().session == 0;
            if p.sid() == p.pid && p.ctty.lock().is_none() && free {
                let _ = tty.set_controlling(false);
            }
        }
        tty.driver.opened();
        let generation = tty.generation();
        Ok(Arc::new(TtyFile { tty, generation }))
    }

    /// Whether a hangup happened since this was opened.
    pub(super) fn hung_up(&self) -> bool {
        self.tty.hung_up_since(self.generation)
    }
}

impl FileOps for TtyFile {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        self.tty.read(self.generation, buf, file.nonblocking())
    }

    fn write(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.tty.write(self.generation, buf, file.nonblocking())
    }

    fn stream_read_max(&self) -> Option<usize> {
        // One read never returns more than the line discipline holds, and
        // must not be split into pieces that would each wait.
        Some(kevlar_ldisc::BUF_SIZE)
    }

    fn poll(&self) -> PollEvents {
        self.tty.poll_events(self.generation)
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.tty.events)
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        if self.hung_up() {
            // Linux's hung_up_tty_ioctl.
            return Err(if cmd == linux_raw_sys::ioctl::TIOCSPGRP { Errno::ENOTTY } else { Errno::EIO });
        }
        if cmd == linux_raw_sys::ioctl::TIOCGPTPEER && crate::fs::inode::dev_major(self.tty.rdev()) == super::pty::PTY_SLAVE_MAJOR {
            return Err(Errno::EIO); // only a master has a peer to open
        }
        super::ioctl::ioctl(&self.tty, cmd, arg, false)
    }

    fn is_tty(&self) -> bool {
        true
    }

    fn release(&self) {
        self.tty.driver.closed();
    }

    fn stat(&self) -> Option<Stat> {
        None
    }
}
