//! poll, ppoll, select, pselect6: wait for readiness on several files at
//! once, sleeping on every file's wait queue.
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

fn deadline_after_ms(ms: i32) -> Option<u64> {
    (ms >= 0).then(|| monotonic_ns() + ms as u64 * 1_000_000)
}

/// poll(2)
pub fn sys_poll(fds: usize, nfds: usize, timeout_ms: i32) -> KResult<usize> {
    do_poll(fds, nfds, deadline_after_ms(timeout_ms))
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
    if r.is_err_and(|e| e == Errno::ERESTARTNOHAND || e == Errno::EINTR) {
        *me.saved_sigmask.lock() = Some(old);
        return Err(Errno::EINTR);
    }
    me.set_sigmask(old);
    r
}

fn timespec_deadline(ts: usize) -> KResult<Option<u64>> {
    if ts == 0 {
        return Ok(None);
    }
    let t = UserPtr::<Timespec>::new(ts).read()?.validate()?;
    Ok(Some(monotonic_ns().saturating_add(t.to_ns())))
}

/// ppoll(2)
pub fn sys_ppoll(fds: usize, nfds: usize, tmo: usize, sigmask: usize, sigsetsize: usize) -> KResult<usize> {
    let deadline = timespec_deadline(tmo)?;
    with_temp_mask(sigmask, sigsetsize, || do_poll(fds, nfds, deadline))
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

/// select(2)
pub fn sys_select(nfds: i32, rd: usize, wr: usize, ex: usize, tv: usize) -> KResult<usize> {
    let deadline = if tv == 0 {
        None
    } else {
        let t = UserPtr::<Timeval>::new(tv).read()?;
        if t.sec < 0 || !(0..1_000_000).contains(&t.usec) {
            return Err(Errno::EINVAL);
        }
        Some(monotonic_ns() + t.sec as u64 * 1_000_000_000 + t.usec as u64 * 1000)
    };
    do_select(nfds, rd, wr, ex, deadline)
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
    with_temp_mask(mask, len, || do_select(nfds, rd, wr, ex, deadline))
}
