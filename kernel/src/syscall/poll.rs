//! poll, ppoll, select, pselect6: wait for readiness on several files at
//! once, sleeping on every file's wait queue.
//!
//! Timeouts follow Linux: select, pselect6 and ppoll write the time left
//! back to the caller's timeout (also when interrupted, so that a restart
//! after a stop and continue waits only for what is left); poll resumes
//! through a restart block with its original deadline.
//!
//! O_PATH descriptors are not pollable: poll reports them POLLNVAL and
//! select fails with EBADF, as for closed ones. select looks at no more
//! descriptors than the table can hold (Linux's max_fds): a larger nfds
//! is cut down to that rather than refused.

use alloc::sync::Arc;
use alloc::vec::Vec;

use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::file;
use crate::errno::{Errno, KResult};
use crate::fs::file::{OpenFile, PollEvents};
use crate::mm::uaccess::{UserPtr, read_into, write_bytes};
use crate::sched::current;
use crate::sched::wait::{WaitQueue, sleep_on};
use crate::signal::restart::{self, RestartBlock};
use crate::signal::{SigSet, UNBLOCKABLE};
use crate::time::{Timespec, Timeval, monotonic_ns};

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

/// Waits until `ready` returns a count > 0, the deadline passes (0), or a
/// signal arrives (ERESTARTNOHAND / EINTR).
fn wait_ready(files: &[Arc<OpenFile>], deadline: Option<u64>, mut ready: impl FnMut() -> usize) -> KResult<usize> {
    let queues: Vec<&WaitQueue> = files.iter().filter_map(|f| f.ops().wait_queue()).collect();
    match sleep_on(&queues, deadline, || {
        let n = ready();
        (n > 0).then_some(n)
    }) {
        Ok(n) => Ok(n),
        Err(e) if e == Errno::ETIMEDOUT => Ok(0),
        Err(e) if e == Errno::ERESTARTSYS => Err(Errno::ERESTARTNOHAND),
        Err(e) => Err(e),
    }
}

fn do_poll(fds_addr: usize, nfds: usize, deadline: Option<u64>) -> KResult<usize> {
    if nfds > current().process.rlimit(7) as usize {
        return Err(Errno::EINVAL);
    }
    let mut fds: Vec<PollFd> = Vec::with_capacity(nfds);
    for k in 0..nfds {
        fds.push(UserPtr::<PollFd>::new(fds_addr).add(k).read()?);
    }
    let files: Vec<Option<Arc<OpenFile>>> = fds.iter().map(|p| if p.fd < 0 { None } else { pollable(p.fd) }).collect();
    let live: Vec<Arc<OpenFile>> = files.iter().flatten().cloned().collect();
    let mut scan = || {
        let mut n = 0;
        for (p, f) in fds.iter_mut().zip(&files) {
            p.revents = 0;
            if p.fd < 0 {
                continue;
            }
            let ev = match f {
                None => PollEvents::NVAL,
                Some(f) => {
                    let want = PollEvents::from_bits_truncate(p.events as u16) | PollEvents::ERR | PollEvents::HUP;
                    f.ops().poll() & want
                }
            };
            p.revents = ev.bits() as i16;
            if !ev.is_empty() {
                n += 1;
            }
        }
        n
    };
    let n = if deadline == Some(0) { scan() } else { wait_ready(&live, deadline, &mut scan)? };
    for (k, p) in fds.iter().enumerate() {
        UserPtr::<PollFd>::new(fds_addr).add(k).write(p)?;
    }
    Ok(n)
}

/// A deadline `ns` from now; a zero timeout stays 0, which the waits
/// treat as "do not block".
fn deadline_after(ns: u64) -> u64 {
    if ns == 0 { 0 } else { monotonic_ns().saturating_add(ns) }
}

/// poll(2)
pub fn sys_poll(fds: usize, nfds: usize, timeout_ms: i32) -> KResult<usize> {
    let deadline = (timeout_ms >= 0).then(|| deadline_after(timeout_ms as u64 * 1_000_000));
    resume_poll(fds, nfds, deadline)
}

/// poll until `deadline`, first call or resumed by restart_syscall.
pub fn resume_poll(fds: usize, nfds: usize, deadline: Option<u64>) -> KResult<usize> {
    match do_poll(fds, nfds, deadline) {
        Err(e) if e == Errno::ERESTARTNOHAND => Err(restart::save(RestartBlock::Poll { fds, nfds, deadline_ns: deadline })),
        r => r,
    }
}

/// Applies a temporary signal mask for the duration of a call (ppoll,
/// pselect6); it is restored on return, or after the handler that the
/// call was interrupted for.
fn with_temp_mask(sigmask: usize, sigsetsize: usize, f: impl FnOnce() -> KResult<usize>) -> KResult<usize> {
    if sigmask == 0 {
        return f();
    }
    if sigsetsize != 8 {
        return Err(Errno::EINVAL);
    }
    let mask: SigSet = UserPtr::<u64>::new(sigmask).read()?;
    let me = current();
    let old = me.sigmask();
    me.set_sigmask(mask & !UNBLOCKABLE);
    let r = f();
    if r.is_err_and(|e| e == Errno::ERESTARTNOHAND) {
        // Keep the temporary mask until the signal is acted on: a handler
        // runs with it and the frame restores `old`; otherwise the
        // return path restores it (and the call restarts).
        *me.saved_sigmask.lock() = Some(old);
        return r;
    }
    me.set_sigmask(old);
    r
}

/// Reads a timespec timeout: its deadline (None without one).
fn timespec_deadline(ts: usize) -> KResult<Option<u64>> {
    if ts == 0 {
        return Ok(None);
    }
    let t = UserPtr::<Timespec>::new(ts).read()?.validate()?;
    Ok(Some(deadline_after(t.to_ns())))
}

/// Time left until `deadline`, to write back to the caller's timeout;
/// None when nothing is written (no timeout, or a zero one).
fn time_left(deadline: Option<u64>) -> Option<u64> {
    deadline.filter(|&d| d != 0).map(|d| d.saturating_sub(monotonic_ns()))
}

/// Writes the time left back to a timespec timeout. A failed write is
/// not reported (the result stands), but the call then must not restart
/// with a timeout it could not update (Linux's poll_select_finish).
fn finish_timespec(addr: usize, deadline: Option<u64>, r: KResult<usize>) -> KResult<usize> {
    let Some(left) = time_left(deadline) else { return r };
    if UserPtr::<Timespec>::new(addr).write(&Timespec::from_ns(left)).is_err() && r == Err(Errno::ERESTARTNOHAND) {
        return Err(Errno::EINTR);
    }
    r
}

/// ppoll(2)
pub fn sys_ppoll(fds: usize, nfds: usize, tmo: usize, sigmask: usize, sigsetsize: usize) -> KResult<usize> {
    let deadline = timespec_deadline(tmo)?;
    let r = with_temp_mask(sigmask, sigsetsize, || do_poll(fds, nfds, deadline));
    finish_timespec(tmo, deadline, r)
}

/// The open file behind `fd` if it can be polled (not O_PATH).
fn pollable(fd: i32) -> Option<Arc<OpenFile>> {
    file(fd).ok().filter(|f| !f.is_path_only())
}

/// The size of the caller's descriptor table as Linux would have it
/// (max_fds): 64 slots, grown to a power of two times 128 to cover the
/// highest descriptor in use.
fn table_size() -> usize {
    let highest = current().files().lock().fds().last().copied().unwrap_or(0) as usize;
    if highest < 64 { 64 } else { (highest / 128 + 1).next_power_of_two() * 128 }
}

fn do_select(nfds: i32, rd: usize, wr: usize, ex: usize, deadline: Option<u64>) -> KResult<usize> {
    if nfds < 0 {
        return Err(Errno::EINVAL);
    }
    let nfds = (nfds as usize).min(table_size()) as i32;
    let bytes = (nfds as usize).div_ceil(64) * 8;
    let read_set = |addr: usize| -> KResult<Vec<u8>> {
        let mut v = alloc::vec![0u8; bytes];
        if addr != 0 {
            read_into(addr, &mut v)?;
        }
        Ok(v)
    };
    let (ri, wi, ei) = (read_set(rd)?, read_set(wr)?, read_set(ex)?);
    let is_set = |s: &[u8], fd: usize| s[fd / 8] & (1 << (fd % 8)) != 0;
    let mut watched: Vec<(usize, Arc<OpenFile>)> = Vec::new();
    for fd in 0..nfds as usize {
        if is_set(&ri, fd) || is_set(&wi, fd) || is_set(&ei, fd) {
            watched.push((fd, pollable(fd as i32).ok_or(Errno::EBADF)?));
        }
    }
    let (mut ro, mut wo, mut eo) = (alloc::vec![0u8; bytes], alloc::vec![0u8; bytes], alloc::vec![0u8; bytes]);
    let mut scan = || {
        ro.fill(0);
        wo.fill(0);
        eo.fill(0);
        let mut n = 0;
        for (fd, f) in &watched {
            let ev = f.ops().poll();
            let fd = *fd;
            if is_set(&ri, fd) && ev.intersects(PollEvents::IN | PollEvents::HUP | PollEvents::ERR) {
                ro[fd / 8] |= 1 << (fd % 8);
                n += 1;
            }
            if is_set(&wi, fd) && ev.intersects(PollEvents::OUT | PollEvents::ERR) {
                wo[fd / 8] |= 1 << (fd % 8);
                n += 1;
            }
            if is_set(&ei, fd) && ev.contains(PollEvents::PRI) {
                eo[fd / 8] |= 1 << (fd % 8);
                n += 1;
            }
        }
        n
    };
    let files: Vec<Arc<OpenFile>> = watched.iter().map(|(_, f)| f.clone()).collect();
    let n = if deadline == Some(0) { scan() } else { wait_ready(&files, deadline, &mut scan)? };
    for (addr, set) in [(rd, &ro), (wr, &wo), (ex, &eo)] {
        if addr != 0 {
            write_bytes(addr, set)?;
        }
    }
    Ok(n)
}

/// select(2). Microseconds beyond a second carry into the seconds (as
/// Linux accepts them); the result must still be a valid time.
pub fn sys_select(nfds: i32, rd: usize, wr: usize, ex: usize, tv: usize) -> KResult<usize> {
    let deadline = if tv == 0 {
        None
    } else {
        let t = UserPtr::<Timeval>::new(tv).read()?;
        let ts = Timespec { sec: t.sec.saturating_add(t.usec / 1_000_000), nsec: (t.usec % 1_000_000) * 1000 }.validate()?;
        Some(deadline_after(ts.to_ns()))
    };
    let r = do_select(nfds, rd, wr, ex, deadline);
    let Some(left) = time_left(deadline) else { return r };
    if UserPtr::<Timeval>::new(tv).write(&Timeval::from_ns(left)).is_err() && r == Err(Errno::ERESTARTNOHAND) {
        return Err(Errno::EINTR);
    }
    r
}

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct SigsetArg {
    ss: u64,
    ss_len: u64,
}

/// pselect6(2)
pub fn sys_pselect6(nfds: i32, rd: usize, wr: usize, ex: usize, tmo: usize, sig: usize) -> KResult<usize> {
    let deadline = timespec_deadline(tmo)?;
    let (mask, len) = if sig == 0 {
        (0, 0)
    } else {
        let a = UserPtr::<SigsetArg>::new(sig).read()?;
        (a.ss as usize, a.ss_len as usize)
    };
    let r = with_temp_mask(mask, len, || do_select(nfds, rd, wr, ex, deadline));
    finish_timespec(tmo, deadline, r)
}
