//! Process system calls: fork/vfork/clone, execve, exit, wait, process
//! groups and sessions, credentials, limits, usage, prctl.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

use kevlar_hal::arch::context::FpuState;
use kevlar_hal::arch::trap::TrapFrame;
use kevlar_hal::sync::SpinLock;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::{creds, fs_context};
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::{UserPtr, read_path, read_string_array, write_bytes};
use crate::process::exec::{self, ARG_MAX, MAX_ARG_STRINGS};
use crate::process::exit::{exit_group, exit_thread, total_usage};
use crate::process::fork::{CloneArgs, clone, flags::*};
use crate::process::wait::{self, WaitTarget};
use crate::process::creds::{CAP_SETGID, CAP_SYS_RESOURCE};
use crate::process::{Pid, RLIM_INFINITY, RLIM_NLIMITS, Rlimit, Usage, WaitStatus, find_process};
use crate::sched::current;
use crate::signal::SIGCHLD;
use crate::time::Timeval;

/// fork(2)
pub fn sys_fork(frame: &TrapFrame) -> KResult<usize> {
    clone(frame, CloneArgs { exit_signal: SIGCHLD, ..Default::default() }).map(|p| p as usize)
}

/// vfork(2)
pub fn sys_vfork(frame: &TrapFrame) -> KResult<usize> {
    let args = CloneArgs { flags: CLONE_VM | CLONE_VFORK, exit_signal: SIGCHLD, ..Default::default() };
    clone(frame, args).map(|p| p as usize)
}

/// clone(2): x86_64 argument order is (flags, stack, parent_tid, child_tid, tls).
/// Only the low 32 bits carry flags (the clone3-only flags live above),
/// and the low byte of those is the exit signal.
pub fn sys_clone(frame: &TrapFrame, flags: u64, stack: u64, parent_tid: u64, child_tid: u64, tls: u64) -> KResult<usize> {
    let flags = flags & 0xffff_ffff;
    let args = CloneArgs { flags: flags & !0xff, stack, parent_tid, child_tid, tls, exit_signal: (flags & 0xff) as u32 };
    clone(frame, args).map(|p| p as usize)
}

#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct CloneArgs3 {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

/// clone3(2): the checks of Linux's copy_clone_args_from_user and
/// clone3_args_valid, then clone.
pub fn sys_clone3(frame: &TrapFrame, uargs: usize, size: usize) -> KResult<usize> {
    const CLONE_ARGS_SIZE_VER0: usize = 64;
    const CSIGNAL: u64 = 0xff;
    if size > 4096 {
        return Err(Errno::E2BIG);
    }
    if size < CLONE_ARGS_SIZE_VER0 {
        return Err(Errno::EINVAL);
    }
    let mut raw = [0u8; core::mem::size_of::<CloneArgs3>()];
    let n = size.min(raw.len());
    crate::mm::uaccess::read_into(uargs, &mut raw[..n])?;
    if size > raw.len() {
        // Fields of a newer ABI than this kernel knows must be zero.
        let extra = crate::mm::uaccess::read_bytes(uargs + raw.len(), size - raw.len())?;
        if extra.iter().any(|&b| b != 0) {
            return Err(Errno::E2BIG);
        }
    }
    let a = CloneArgs3::read_from_bytes(&raw).map_err(|_| Errno::EINVAL)?;
    // set_tid needs pid namespaces (not supported yet: EINVAL, listed in
    // docs/compat.md); the rest are Linux's own checks.
    if a.set_tid != 0 || a.set_tid_size != 0 || a.exit_signal & !CSIGNAL != 0 || a.exit_signal > 64 {
        return Err(Errno::EINVAL);
    }
    let known = 0xffff_ffff | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP;
    // The exit-signal byte and CLONE_DETACHED are not flags in clone3
    // (except CLONE_NEWTIME, whose bit lies in that byte).
    if a.flags & !known != 0 || a.flags & (CLONE_DETACHED | (CSIGNAL & !CLONE_NEWTIME)) != 0 {
        return Err(Errno::EINVAL);
    }
    if a.flags & CLONE_SIGHAND != 0 && a.flags & CLONE_CLEAR_SIGHAND != 0 {
        return Err(Errno::EINVAL);
    }
    if a.flags & (CLONE_THREAD | CLONE_PARENT) != 0 && a.exit_signal != 0 {
        return Err(Errno::EINVAL);
    }
    if (a.stack == 0) != (a.stack_size == 0) {
        return Err(Errno::EINVAL);
    }
    let args = CloneArgs {
        flags: a.flags,
        // The stack is given as its lowest address and size; it grows down.
        stack: if a.stack != 0 { a.stack.wrapping_add(a.stack_size) } else { 0 },
        parent_tid: a.parent_tid,
        child_tid: a.child_tid,
        tls: a.tls,
        exit_signal: a.exit_signal as u32,
    };
    clone(frame, args).map(|p| p as usize)
}

/// execve(2)
pub fn sys_execve(frame: &mut TrapFrame, path: usize, argv: usize, envp: usize) -> KResult<usize> {
    let path = read_path(path)?;
    let mut argv = read_string_array(argv, MAX_ARG_STRINGS, ARG_MAX)?;
    let envp = read_string_array(envp, MAX_ARG_STRINGS, ARG_MAX)?;
    if argv.is_empty() {
        argv.push(Vec::new()); // Linux >= 5.18 supplies an empty argv[0]
    }
    let me = current();
    let fs = fs_context();
    let c = creds();
    let image = exec::load(&fs, &c, &path, argv, envp)?;

    // The other threads die first; the caller becomes the leader.
    crate::process::exit::de_thread()?;
    // Point of no return: the old program is replaced.
    if let Some(old) = me.mm() {
        // Robust and PI futexes held by the caller, and its tid word (only
        // written if a vfork parent still shares the memory), as at exit.
        crate::ipc::futex::release_on_exit(&me, &old);
        let ctid = me.clear_child_tid.swap(0, Ordering::Relaxed);
        if ctid != 0 && Arc::strong_count(&old) > 2 {
            crate::ipc::futex::clear_tid_word(&old, ctid);
        }
    }
    let old_mm = me.replace_mm(image.mm);
    if let Some(done) = me.vfork_done.lock().take() {
        done.complete();
    }
    drop(old_mm);
    let closing = me.files().lock().take_cloexec();
    drop(closing);
    let handlers = me.sighand().lock().clone();
    let mut handlers = handlers;
    handlers.reset_for_exec();
    me.set_sighand(Arc::new(SpinLock::new(handlers)));
    *me.altstack.lock() = crate::signal::AltStack { flags: crate::signal::SS_DISABLE, ..Default::default() };
    // A new program is an ordinary child of its parent (see ExitSignal).
    me.process.exit_signal.set(SIGCHLD);
    crate::signal::posix_timer::delete_all(&me.process);
    me.clear_child_tid.store(0, Ordering::Relaxed);
    me.set_comm(&image.comm);
    me.process.did_exec.store(true, Ordering::Relaxed);
    *me.process.creds.lock() = image.creds;
    *me.process.args.lock() = image.args;
    *me.process.exe.lock() = Some(image.exe);
    FpuState::new().load();
    let _ = kevlar_hal::arch::context::set_fs_base(0);
    let _ = kevlar_hal::arch::context::set_user_gs_base(0);
    *frame = TrapFrame::new_user(image.entry, image.sp);
    Ok(0)
}

/// exit(2): ends the calling thread (on the way back to user mode; the
/// return value is never seen).
pub fn sys_exit(code: i32) -> KResult<usize> {
    exit_thread(WaitStatus::Exited(code as u8));
    Ok(0)
}

/// exit_group(2)
pub fn sys_exit_group(code: i32) -> KResult<usize> {
    exit_group(WaitStatus::Exited(code as u8));
    Ok(0)
}

#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    rest: [i64; 14],
}

fn ticks_to_timeval(ticks: u64) -> Timeval {
    let us = ticks * 1_000_000 / kevlar_hal::arch::apic::TIMER_HZ as u64;
    Timeval { sec: (us / 1_000_000) as i64, usec: (us % 1_000_000) as i64 }
}

fn rusage_of(u: Usage) -> Rusage {
    let mut rest = [0; 14];
    rest[0] = (u.max_rss_pages * (kevlar_hal::arch::PAGE_SIZE as u64 / 1024)) as i64; // ru_maxrss, KiB
    rest[4] = u.minor_faults as i64; // ru_minflt
    rest[12] = u.voluntary_switches as i64; // ru_nvcsw
    rest[13] = u.involuntary_switches as i64; // ru_nivcsw
    Rusage { utime: ticks_to_timeval(u.user_ticks), stime: ticks_to_timeval(u.system_ticks), rest }
}

/// wait4(2)
pub fn sys_wait4(pid: Pid, status: usize, options: u32, rusage: usize) -> KResult<usize> {
    use wait::{WALL, WCLONE, WCONTINUED, WEXITED, WNOHANG, WNOTHREAD, WUNTRACED};
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WCLONE | WALL) != 0 {
        return Err(Errno::EINVAL);
    }
    let target = match pid {
        -1 => WaitTarget::Any,
        0 => WaitTarget::Pgid(current().process.pgid()),
        p if p < 0 => WaitTarget::Pgid(-p),
        p => WaitTarget::Pid(p),
    };
    match wait::wait(target, options | WEXITED)? {
        None => Ok(0),
        Some(r) => {
            UserPtr::<i32>::new(status).write_if_nonnull(&r.status.encode())?;
            UserPtr::<Rusage>::new(rusage).write_if_nonnull(&rusage_of(r.usage))?;
            Ok(r.pid as usize)
        }
    }
}

/// waitid(2)
pub fn sys_waitid(idtype: u32, id: i32, infop: usize, options: u32, rusage: usize) -> KResult<usize> {
    use wait::{WALL, WCLONE, WCONTINUED, WEXITED, WNOHANG, WNOTHREAD, WNOWAIT, WUNTRACED};
    const P_ALL: u32 = 0;
    const P_PID: u32 = 1;
    const P_PGID: u32 = 2;
    if options & !(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WCLONE | WALL) != 0
        || options & (WUNTRACED | WEXITED | WCONTINUED) == 0
    {
        return Err(Errno::EINVAL);
    }
    const P_PIDFD: u32 = 3;
    let mut options = options;
    let mut nonblocking_pidfd = false;
    let target = match idtype {
        P_ALL => WaitTarget::Any,
        P_PID if id > 0 => WaitTarget::Pid(id),
        P_PGID if id > 0 => WaitTarget::Pgid(id),
        P_PGID if id == 0 => WaitTarget::Pgid(current().process.pgid()),
        P_PIDFD if id >= 0 => {
            let (pid, nonblocking) = super::pidfd::wait_target(id)?;
            nonblocking_pidfd = nonblocking && options & WNOHANG == 0;
            if nonblocking_pidfd {
                options |= WNOHANG;
            }
            WaitTarget::Pid(pid)
        }
        _ => return Err(Errno::EINVAL),
    };
    let result = wait::wait(target, options)?;
    // A non-blocking pidfd makes waitid say EAGAIN rather than wait.
    if result.is_none() && nonblocking_pidfd {
        return Err(Errno::EAGAIN);
    }
    let mut info = [0u8; 128];
    if let Some(r) = result {
        use crate::signal::*;
        let (code, st) = match r.status {
            WaitStatus::Exited(c) => (CLD_EXITED, c as i32),
            WaitStatus::Signaled(s, core) => (if core { CLD_DUMPED } else { CLD_KILLED }, s as i32),
            WaitStatus::Stopped(s) => (CLD_STOPPED, s as i32),
            WaitStatus::Continued => (CLD_CONTINUED, SIGCONT as i32),
        };
        let si = SigInfo { signo: SIGCHLD, code, pid: r.pid, uid: r.uid, status: st, ..Default::default() };
        info = si.to_bytes();
        UserPtr::<Rusage>::new(rusage).write_if_nonnull(&rusage_of(r.usage))?;
    }
    if infop != 0 {
        write_bytes(infop, &info)?;
    }
    Ok(0)
}

fn process_or_self(pid: Pid) -> KResult<Arc<crate::process::Process>> {
    if pid == 0 {
        return Ok(current().process.clone());
    }
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    find_process(pid).filter(|p| p.is_alive()).ok_or(Errno::ESRCH)
}

/// getpgid(2)
pub fn sys_getpgid(pid: Pid) -> KResult<usize> {
    Ok(process_or_self(pid)?.pgid() as usize)
}

/// getsid(2)
pub fn sys_getsid(pid: Pid) -> KResult<usize> {
    Ok(process_or_self(pid)?.sid() as usize)
}

/// setpgid(2)
pub fn sys_setpgid(pid: Pid, pgid: Pid) -> KResult<usize> {
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    let me = current().process.clone();
    let target = if pid == 0 { me.clone() } else { find_process(pid).filter(|p| p.is_alive()).ok_or(Errno::ESRCH)? };
    let is_child = target.parent().is_some_and(|p| Arc::ptr_eq(&p, &me));
    if !Arc::ptr_eq(&target, &me) && !is_child {
        return Err(Errno::ESRCH);
    }
    if is_child && target.sid() != me.sid() {
        return Err(Errno::EPERM);
    }
    if is_child && target.did_exec.load(Ordering::Relaxed) {
        return Err(Errno::EACCES);
    }
    if target.sid() == target.pid {
        return Err(Errno::EPERM); // a session leader
    }
    let pgid = if pgid == 0 { target.pid } else { pgid };
    if pgid != target.pid && !crate::process::all_processes().iter().any(|p| p.pgid() == pgid && p.sid() == me.sid()) {
        return Err(Errno::EPERM);
    }
    target.set_pgid(pgid);
    Ok(0)
}

/// setsid(2)
pub fn sys_setsid() -> KResult<usize> {
    let me = current().process.clone();
    let pid = me.pid;
    if crate::process::all_processes().iter().any(|p| p.pgid() == pid) && me.pgid() == pid
        || crate::process::all_processes().iter().any(|p| p.pid != pid && p.pgid() == pid)
    {
        return Err(Errno::EPERM);
    }
    me.set_sid(pid);
    me.set_pgid(pid);
    *me.ctty.lock() = None;
    Ok(pid as usize)
}

/// set_tid_address(2)
pub fn sys_set_tid_address(addr: usize) -> KResult<usize> {
    let me = current();
    me.clear_child_tid.store(addr, Ordering::Relaxed);
    Ok(me.tid() as usize)
}

/// arch_prctl(2)
pub fn sys_arch_prctl(code: u32, addr: usize) -> KResult<usize> {
    use kevlar_hal::arch::context::*;
    const ARCH_SET_GS: u32 = 0x1001;
    const ARCH_SET_FS: u32 = 0x1002;
    const ARCH_GET_FS: u32 = 0x1003;
    const ARCH_GET_GS: u32 = 0x1004;
    match code {
        ARCH_SET_FS => set_fs_base(addr as u64).map(|_| 0).map_err(|_| Errno::EPERM),
        ARCH_SET_GS => set_user_gs_base(addr as u64).map(|_| 0).map_err(|_| Errno::EPERM),
        ARCH_GET_FS => UserPtr::<u64>::new(addr).write(&fs_base()).map(|_| 0),
        ARCH_GET_GS => UserPtr::<u64>::new(addr).write(&user_gs_base()).map(|_| 0),
        _ => Err(Errno::EINVAL),
    }
}

/// prctl(2): the options programs commonly use; others EINVAL.
pub fn sys_prctl(option: i32, a2: usize, _a3: usize, _a4: usize, _a5: usize) -> KResult<usize> {
    use linux_raw_sys::prctl::*;
    if let Some(r) = super::caps::prctl(option as u32, a2, _a3) {
        return r;
    }
    let me = current();
    let p = &me.process;
    match option as u32 {
        PR_SET_PDEATHSIG => {
            if a2 > 64 {
                return Err(Errno::EINVAL);
            }
            p.pdeath_signal.store(a2 as i32, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_PDEATHSIG => UserPtr::<i32>::new(a2).write(&p.pdeath_signal.load(Ordering::Relaxed)).map(|_| 0),
        PR_SET_NAME => {
            let name = crate::mm::uaccess::read_bytes(a2, 16).or_else(|_| crate::mm::uaccess::read_cstr(a2, 16, Errno::EINVAL))?;
            crate::sched::current().set_comm(&name);
            Ok(0)
        }
        PR_GET_NAME => write_bytes(a2, &crate::process::comm_bytes(&crate::sched::current().comm())).map(|_| 0),
        PR_SET_CHILD_SUBREAPER => {
            p.child_subreaper.store(a2 != 0, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_CHILD_SUBREAPER => UserPtr::<i32>::new(a2).write(&(p.child_subreaper.load(Ordering::Relaxed) as i32)).map(|_| 0),
        PR_GET_DUMPABLE => Ok(1),
        PR_SET_DUMPABLE if a2 <= 1 => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

/// sched_getaffinity(2): one CPU for now.
pub fn sys_sched_getaffinity(pid: Pid, len: usize, mask: usize) -> KResult<usize> {
    if pid != 0 && crate::process::find_thread(pid).is_none() {
        return Err(Errno::ESRCH);
    }
    if len < 8 || len % 8 != 0 {
        return Err(Errno::EINVAL);
    }
    UserPtr::<u64>::new(mask).write(&1)?;
    Ok(8)
}

/// sched_setaffinity(2): accepts any mask that includes CPU 0.
pub fn sys_sched_setaffinity(pid: Pid, len: usize, mask: usize) -> KResult<usize> {
    if pid != 0 && crate::process::find_thread(pid).is_none() {
        return Err(Errno::ESRCH);
    }
    if len < 8 {
        return Err(Errno::EINVAL);
    }
    let m = UserPtr::<u64>::new(mask).read()?;
    if m & 1 == 0 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

/// setresuid(2) (and setuid, when `posix`).
pub fn sys_setresuid(r: u32, e: u32, s: u32, posix: bool) -> KResult<usize> {
    let me = current();
    let mut c = me.process.creds.lock();
    let old = c.clone();
    let (mut ids, privileged) = c.uids();
    let r = if posix { ids.set(r, privileged) } else { ids.set_res(r, e, s, privileged) };
    c.update_caps_after_id_change(&old);
    r.map(|_| 0).map_err(|_| Errno::EPERM)
}

/// setresgid(2) (and setgid, when `posix`).
pub fn sys_setresgid(r: u32, e: u32, s: u32, posix: bool) -> KResult<usize> {
    let me = current();
    let mut c = me.process.creds.lock();
    let (mut ids, privileged) = c.gids();
    let r = if posix { ids.set(r, privileged) } else { ids.set_res(r, e, s, privileged) };
    r.map(|_| 0).map_err(|_| Errno::EPERM)
}

/// setreuid(2)
pub fn sys_setreuid(r: u32, e: u32) -> KResult<usize> {
    let me = current();
    let mut c = me.process.creds.lock();
    let old = c.clone();
    let (mut ids, privileged) = c.uids();
    let r = ids.set_re(r, e, privileged);
    c.update_caps_after_id_change(&old);
    r.map(|_| 0).map_err(|_| Errno::EPERM)
}

/// setregid(2)
pub fn sys_setregid(r: u32, e: u32) -> KResult<usize> {
    let me = current();
    let mut c = me.process.creds.lock();
    let (mut ids, privileged) = c.gids();
    ids.set_re(r, e, privileged).map(|_| 0).map_err(|_| Errno::EPERM)
}

/// getresuid(2)
pub fn sys_getresuid(r: usize, e: usize, s: usize) -> KResult<usize> {
    let c = creds();
    UserPtr::<u32>::new(r).write(&c.uid)?;
    UserPtr::<u32>::new(e).write(&c.euid)?;
    UserPtr::<u32>::new(s).write(&c.suid)?;
    Ok(0)
}

/// getresgid(2)
pub fn sys_getresgid(r: usize, e: usize, s: usize) -> KResult<usize> {
    let c = creds();
    UserPtr::<u32>::new(r).write(&c.gid)?;
    UserPtr::<u32>::new(e).write(&c.egid)?;
    UserPtr::<u32>::new(s).write(&c.sgid)?;
    Ok(0)
}

/// getgroups(2)
pub fn sys_getgroups(size: i32, list: usize) -> KResult<usize> {
    let c = creds();
    if size < 0 {
        return Err(Errno::EINVAL);
    }
    if size == 0 {
        return Ok(c.groups.len());
    }
    if (size as usize) < c.groups.len() {
        return Err(Errno::EINVAL);
    }
    for (k, g) in c.groups.iter().enumerate() {
        UserPtr::<u32>::new(list).add(k).write(g)?;
    }
    Ok(c.groups.len())
}

/// setgroups(2)
pub fn sys_setgroups(size: usize, list: usize) -> KResult<usize> {
    const NGROUPS_MAX: usize = 65536;
    if size > NGROUPS_MAX {
        return Err(Errno::EINVAL);
    }
    if !creds().capable(CAP_SETGID) {
        return Err(Errno::EPERM);
    }
    let mut groups = Vec::with_capacity(size);
    for k in 0..size {
        groups.push(UserPtr::<u32>::new(list).add(k).read()?);
    }
    groups.sort_unstable();
    current().process.creds.lock().groups = groups;
    Ok(0)
}

/// setfsuid(2): returns the previous fsuid whether or not it changed.
pub fn sys_setfsuid(uid: u32) -> KResult<usize> {
    let me = current();
    let mut c = me.process.creds.lock();
    let old = c.clone();
    let (mut ids, privileged) = c.uids();
    let prev = ids.set_fs(uid, privileged);
    c.update_caps_after_id_change(&old);
    Ok(prev as usize)
}

/// setfsgid(2)
pub fn sys_setfsgid(gid: u32) -> KResult<usize> {
    let me = current();
    let mut c = me.process.creds.lock();
    let (mut ids, privileged) = c.gids();
    Ok(ids.set_fs(gid, privileged) as usize)
}

/// prlimit64(2) (also getrlimit and setrlimit).
pub fn sys_prlimit64(pid: Pid, resource: u32, new: usize, old: usize) -> KResult<usize> {
    if resource as usize >= RLIM_NLIMITS {
        return Err(Errno::EINVAL);
    }
    let target = process_or_self(pid)?;
    if pid != 0 && pid != current().process.pid {
        let c = creds();
        let t = target.creds.lock();
        let same = [t.uid, t.euid, t.suid].iter().all(|&u| u == c.uid) && [t.gid, t.egid, t.sgid].iter().all(|&g| g == c.gid);
        if !same && !c.capable(CAP_SYS_RESOURCE) {
            return Err(Errno::EPERM);
        }
    }
    let r = resource as usize;
    let cur = target.rlimits.lock()[r];
    if new != 0 {
        let [c, m] = UserPtr::<[u64; 2]>::new(new).read()?;
        if c > m {
            return Err(Errno::EINVAL);
        }
        if m > cur.max && !creds().capable(CAP_SYS_RESOURCE) {
            return Err(Errno::EPERM);
        }
        if r == 7 && m > 1024 * 1024 && m != RLIM_INFINITY {
            return Err(Errno::EPERM); // above fs.nr_open
        }
        target.rlimits.lock()[r] = Rlimit { cur: c, max: m };
    }
    if old != 0 {
        UserPtr::<[u64; 2]>::new(old).write(&[cur.cur, cur.max])?;
    }
    Ok(0)
}

/// getrusage(2)
pub fn sys_getrusage(who: i32, usage: usize) -> KResult<usize> {
    let me = current();
    let u = match who {
        0 => total_usage(&me.process),
        -1 => *me.process.children_usage.lock(),
        1 => Usage { max_rss_pages: total_usage(&me.process).max_rss_pages, ..me.usage() },
        _ => return Err(Errno::EINVAL),
    };
    UserPtr::<Rusage>::new(usage).write(&rusage_of(u))?;
    Ok(0)
}

/// times(2): CPU times in clock ticks (USER_HZ = 100), and the elapsed
/// ticks since boot as the result.
pub fn sys_times(buf: usize) -> KResult<usize> {
    let hz = kevlar_hal::arch::apic::TIMER_HZ as u64;
    let to_clk = |t: u64| (t * 100 / hz) as i64;
    let me = current();
    let own = total_usage(&me.process);
    let kids = *me.process.children_usage.lock();
    let tms = [to_clk(own.user_ticks), to_clk(own.system_ticks), to_clk(kids.user_ticks), to_clk(kids.system_ticks)];
    UserPtr::<[i64; 4]>::new(buf).write_if_nonnull(&tms)?;
    Ok((crate::time::monotonic_ns() / 10_000_000) as usize)
}
