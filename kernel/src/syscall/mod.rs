//! System calls: the dispatch table and shared argument decoding.
//!
//! Numbers come from linux-raw-sys (`__NR_*`), never typed by hand. Each
//! family lives in its own module with one `sys_*` function per call that
//! reads like the man page. A handler returns `KResult<usize>`; an error
//! becomes `-errno` in RAX. Calls not in the table fail with ENOSYS and are
//! listed in docs/compat.md.

mod caps;
mod epoll;
mod eventfd;
mod fs_attr;
mod fs_dir;
mod fs_io;
mod fs_open;
mod fs_stat;
mod fs_xattr;
mod fs_xfer;
mod futex;
mod inotify;
mod lock;
mod mem;
mod mount;
pub mod names;
mod pidfd;
mod poll;
mod process;
mod sched;
mod signal;
mod signalfd;
mod socket;
mod system;
mod time;
mod timerfd;

use alloc::sync::Arc;
use core::sync::atomic::{AtomicI32, Ordering};

use kevlar_hal::arch::trap::TrapFrame;
use linux_raw_sys::general as nr;

use crate::errno::{Errno, KResult};
use crate::fs::file::OpenFile;
use crate::fs::path::{FsContext, ParentAndName, PathNode, Resolver};
use crate::process::creds::Credentials;
use crate::sched::current;

/// `dirfd` value meaning the working directory.
pub const AT_FDCWD: i32 = -100;

/// Which process's system calls are traced: 0 none, -1 all, else a pid
/// (kernel command line `kevlar.strace=`).
pub static TRACE_PID: AtomicI32 = AtomicI32::new(0);

/// Runs the system call in `frame` and stores its result in RAX.
pub fn dispatch(frame: &mut TrapFrame) {
    // The entry keeps the number in the error-code slot too (Linux's
    // orig_ax), so a call interrupted by a signal can be restarted after
    // RAX has taken the result (signal::delivery).
    let n = frame.rax as usize;
    let a = [frame.rdi as usize, frame.rsi as usize, frame.rdx as usize, frame.r10 as usize, frame.r8 as usize, frame.r9 as usize];
    let result = call(n, a, frame);
    let trace = TRACE_PID.load(Ordering::Relaxed);
    let ret = match result {
        Ok(v) => v as u64,
        Err(e) => (-(e.code() as i64)) as u64,
    };
    if trace != 0 {
        trace_call(trace, n, &a, &result);
    }
    // rt_sigreturn and execve set the whole frame themselves.
    if n as u32 != nr::__NR_rt_sigreturn && !(n as u32 == nr::__NR_execve && result.is_ok()) {
        frame.rax = ret;
    }
}

fn trace_call(trace: i32, n: usize, a: &[usize; 6], result: &KResult<usize>) {
    let me = current();
    if trace != -1 && trace != me.process.pid {
        return;
    }
    let name = names::syscall_name(n).unwrap_or("?");
    match result {
        Ok(v) => kevlar_hal::println!("[{}] {}({:#x}, {:#x}, {:#x}, {:#x}) = {:#x}", me.tid(), name, a[0], a[1], a[2], a[3], v),
        Err(e) => kevlar_hal::println!("[{}] {}({:#x}, {:#x}, {:#x}, {:#x}) = -{:?}", me.tid(), name, a[0], a[1], a[2], a[3], e),
    }
}

#[allow(clippy::cognitive_complexity)]
fn call(n: usize, a: [usize; 6], frame: &mut TrapFrame) -> KResult<usize> {
    let n = u32::try_from(n).map_err(|_| Errno::ENOSYS)?;
    let i = |k: usize| a[k] as i32;
    match n {
        // Files: I/O
        nr::__NR_read => fs_io::sys_read(i(0), a[1], a[2]),
        nr::__NR_write => fs_io::sys_write(i(0), a[1], a[2]),
        nr::__NR_readv => fs_io::sys_readv(i(0), a[1], a[2]),
        nr::__NR_writev => fs_io::sys_writev(i(0), a[1], a[2]),
        nr::__NR_pread64 => fs_io::sys_pread64(i(0), a[1], a[2], a[3] as i64),
        nr::__NR_pwrite64 => fs_io::sys_pwrite64(i(0), a[1], a[2], a[3] as i64),
        nr::__NR_preadv => fs_io::sys_preadv(i(0), a[1], a[2], a[3] as i64),
        nr::__NR_pwritev => fs_io::sys_pwritev(i(0), a[1], a[2], a[3] as i64),
        nr::__NR_lseek => fs_io::sys_lseek(i(0), a[1] as i64, a[2] as u32),
        nr::__NR_ioctl => fs_io::sys_ioctl(i(0), a[1] as u32, a[2]),
        nr::__NR_getdents64 => fs_dir::sys_getdents64(i(0), a[1], a[2]),
        nr::__NR_fsync | nr::__NR_fdatasync => fs_io::sys_fsync(i(0)),
        nr::__NR_sync => fs_io::sys_sync(),
        nr::__NR_syncfs => fs_io::sys_syncfs(i(0)),
        nr::__NR_sync_file_range => fs_io::sys_sync_file_range(i(0), a[1] as i64, a[2] as i64, a[3] as u32),
        // Files: descriptors
        nr::__NR_open => fs_open::sys_openat(AT_FDCWD, a[0], a[1] as u32, a[2] as u32),
        nr::__NR_openat => fs_open::sys_openat(i(0), a[1], a[2] as u32, a[3] as u32),
        nr::__NR_creat => fs_open::sys_openat(AT_FDCWD, a[0], linux_raw_sys::general::O_CREAT | linux_raw_sys::general::O_WRONLY | linux_raw_sys::general::O_TRUNC, a[1] as u32),
        nr::__NR_close => fs_open::sys_close(i(0)),
        nr::__NR_close_range => fs_open::sys_close_range(a[0] as u32, a[1] as u32, a[2] as u32),
        nr::__NR_dup => fs_open::sys_dup(i(0)),
        nr::__NR_dup2 => fs_open::sys_dup2(i(0), i(1)),
        nr::__NR_dup3 => fs_open::sys_dup3(i(0), i(1), a[2] as u32),
        nr::__NR_fcntl => fs_open::sys_fcntl(i(0), a[1] as u32, a[2]),
        nr::__NR_pipe => fs_open::sys_pipe2(a[0], 0),
        nr::__NR_pipe2 => fs_open::sys_pipe2(a[0], a[1] as u32),
        // Files: metadata
        nr::__NR_stat => fs_stat::sys_newfstatat(AT_FDCWD, a[0], a[1], 0),
        nr::__NR_lstat => fs_stat::sys_newfstatat(AT_FDCWD, a[0], a[1], linux_raw_sys::general::AT_SYMLINK_NOFOLLOW),
        nr::__NR_fstat => fs_stat::sys_fstat(i(0), a[1]),
        nr::__NR_newfstatat => fs_stat::sys_newfstatat(i(0), a[1], a[2], a[3] as u32),
        nr::__NR_statx => fs_stat::sys_statx(i(0), a[1], a[2] as u32, a[3] as u32, a[4]),
        nr::__NR_statfs => fs_stat::sys_statfs(a[0], a[1]),
        nr::__NR_fstatfs => fs_stat::sys_fstatfs(i(0), a[1]),
        nr::__NR_access => fs_stat::sys_faccessat(AT_FDCWD, a[0], a[1] as u32, 0),
        nr::__NR_faccessat => fs_stat::sys_faccessat(i(0), a[1], a[2] as u32, 0),
        nr::__NR_faccessat2 => fs_stat::sys_faccessat(i(0), a[1], a[2] as u32, a[3] as u32),
        nr::__NR_readlink => fs_stat::sys_readlinkat(AT_FDCWD, a[0], a[1], a[2]),
        nr::__NR_readlinkat => fs_stat::sys_readlinkat(i(0), a[1], a[2], a[3]),
        nr::__NR_chmod => fs_attr::sys_fchmodat(AT_FDCWD, a[0], a[1] as u32, 0),
        nr::__NR_fchmod => fs_attr::sys_fchmod(i(0), a[1] as u32),
        nr::__NR_fchmodat => fs_attr::sys_fchmodat(i(0), a[1], a[2] as u32, 0),
        nr::__NR_fchmodat2 => fs_attr::sys_fchmodat(i(0), a[1], a[2] as u32, a[3] as u32),
        nr::__NR_chown => fs_attr::sys_fchownat(AT_FDCWD, a[0], a[1] as u32, a[2] as u32, 0),
        nr::__NR_lchown => fs_attr::sys_fchownat(AT_FDCWD, a[0], a[1] as u32, a[2] as u32, linux_raw_sys::general::AT_SYMLINK_NOFOLLOW),
        nr::__NR_fchown => fs_attr::sys_fchown(i(0), a[1] as u32, a[2] as u32),
        nr::__NR_fchownat => fs_attr::sys_fchownat(i(0), a[1], a[2] as u32, a[3] as u32, a[4] as u32),
        nr::__NR_utimensat => fs_attr::sys_utimensat(i(0), a[1], a[2], a[3] as u32),
        nr::__NR_utimes => fs_attr::sys_utimes(a[0], a[1]),
        nr::__NR_utime => fs_attr::sys_utime(a[0], a[1]),
        nr::__NR_truncate => fs_attr::sys_truncate(a[0], a[1] as i64),
        nr::__NR_ftruncate => fs_attr::sys_ftruncate(i(0), a[1] as i64),
        nr::__NR_umask => fs_attr::sys_umask(a[0] as u32),
        // Files: directories and names
        nr::__NR_mkdir => fs_dir::sys_mkdirat(AT_FDCWD, a[0], a[1] as u32),
        nr::__NR_mkdirat => fs_dir::sys_mkdirat(i(0), a[1], a[2] as u32),
        nr::__NR_mknod => fs_dir::sys_mknodat(AT_FDCWD, a[0], a[1] as u32, a[2] as u64),
        nr::__NR_mknodat => fs_dir::sys_mknodat(i(0), a[1], a[2] as u32, a[3] as u64),
        nr::__NR_rmdir => fs_dir::sys_unlinkat(AT_FDCWD, a[0], linux_raw_sys::general::AT_REMOVEDIR),
        nr::__NR_unlink => fs_dir::sys_unlinkat(AT_FDCWD, a[0], 0),
        nr::__NR_unlinkat => fs_dir::sys_unlinkat(i(0), a[1], a[2] as u32),
        nr::__NR_rename => fs_dir::sys_renameat2(AT_FDCWD, a[0], AT_FDCWD, a[1], 0),
        nr::__NR_renameat => fs_dir::sys_renameat2(i(0), a[1], i(2), a[3], 0),
        nr::__NR_renameat2 => fs_dir::sys_renameat2(i(0), a[1], i(2), a[3], a[4] as u32),
        nr::__NR_link => fs_dir::sys_linkat(AT_FDCWD, a[0], AT_FDCWD, a[1], 0),
        nr::__NR_linkat => fs_dir::sys_linkat(i(0), a[1], i(2), a[3], a[4] as u32),
        nr::__NR_symlink => fs_dir::sys_symlinkat(a[0], AT_FDCWD, a[1]),
        nr::__NR_symlinkat => fs_dir::sys_symlinkat(a[0], i(1), a[2]),
        nr::__NR_chdir => fs_dir::sys_chdir(a[0]),
        nr::__NR_fchdir => fs_dir::sys_fchdir(i(0)),
        nr::__NR_chroot => fs_dir::sys_chroot(a[0]),
        nr::__NR_getcwd => fs_dir::sys_getcwd(a[0], a[1]),
        // Files: extended (openat2, memfd, vectored I/O flags, fallocate,
        // in-kernel transfers, extended attributes)
        nr::__NR_openat2 => fs_open::sys_openat2(i(0), a[1], a[2], a[3]),
        nr::__NR_memfd_create => fs_open::sys_memfd_create(a[0], a[1] as u32),
        nr::__NR_preadv2 => fs_io::sys_preadv2(i(0), a[1], a[2], a[3] as i64, a[5] as u32),
        nr::__NR_pwritev2 => fs_io::sys_pwritev2(i(0), a[1], a[2], a[3] as i64, a[5] as u32),
        nr::__NR_fallocate => fs_io::sys_fallocate(i(0), a[1] as u32, a[2] as i64, a[3] as i64),
        nr::__NR_sendfile => fs_xfer::sys_sendfile(i(0), i(1), a[2], a[3]),
        nr::__NR_splice => fs_xfer::sys_splice(i(0), a[1], i(2), a[3], a[4], a[5] as u32),
        nr::__NR_tee => fs_xfer::sys_tee(i(0), i(1), a[2], a[3] as u32),
        nr::__NR_vmsplice => fs_xfer::sys_vmsplice(i(0), a[1], a[2], a[3] as u32),
        nr::__NR_copy_file_range => fs_xfer::sys_copy_file_range(i(0), a[1], i(2), a[3], a[4], a[5] as u32),
        nr::__NR_setxattr => fs_xattr::sys_setxattr(fs_xattr::By::Path(a[0]), a[1], a[2], a[3], a[4] as u32),
        nr::__NR_lsetxattr => fs_xattr::sys_setxattr(fs_xattr::By::Link(a[0]), a[1], a[2], a[3], a[4] as u32),
        nr::__NR_fsetxattr => fs_xattr::sys_setxattr(fs_xattr::By::Fd(i(0)), a[1], a[2], a[3], a[4] as u32),
        nr::__NR_getxattr => fs_xattr::sys_getxattr(fs_xattr::By::Path(a[0]), a[1], a[2], a[3]),
        nr::__NR_lgetxattr => fs_xattr::sys_getxattr(fs_xattr::By::Link(a[0]), a[1], a[2], a[3]),
        nr::__NR_fgetxattr => fs_xattr::sys_getxattr(fs_xattr::By::Fd(i(0)), a[1], a[2], a[3]),
        nr::__NR_listxattr => fs_xattr::sys_listxattr(fs_xattr::By::Path(a[0]), a[1], a[2]),
        nr::__NR_llistxattr => fs_xattr::sys_listxattr(fs_xattr::By::Link(a[0]), a[1], a[2]),
        nr::__NR_flistxattr => fs_xattr::sys_listxattr(fs_xattr::By::Fd(i(0)), a[1], a[2]),
        nr::__NR_removexattr => fs_xattr::sys_removexattr(fs_xattr::By::Path(a[0]), a[1]),
        nr::__NR_lremovexattr => fs_xattr::sys_removexattr(fs_xattr::By::Link(a[0]), a[1]),
        nr::__NR_fremovexattr => fs_xattr::sys_removexattr(fs_xattr::By::Fd(i(0)), a[1]),
        // Readiness
        nr::__NR_poll => poll::sys_poll(a[0], a[1], i(2)),
        nr::__NR_ppoll => poll::sys_ppoll(a[0], a[1], a[2], a[3], a[4]),
        nr::__NR_select => poll::sys_select(i(0), a[1], a[2], a[3], a[4]),
        nr::__NR_pselect6 => poll::sys_pselect6(i(0), a[1], a[2], a[3], a[4], a[5]),
        // Memory
        nr::__NR_brk => mem::sys_brk(a[0]),
        nr::__NR_mmap => mem::sys_mmap(a[0], a[1], a[2] as u32, a[3] as u32, i(4), a[5] as u64),
        nr::__NR_munmap => mem::sys_munmap(a[0], a[1]),
        nr::__NR_mprotect => mem::sys_mprotect(a[0], a[1], a[2] as u32),
        nr::__NR_madvise => mem::sys_madvise(a[0], a[1], i(2)),
        nr::__NR_msync => mem::sys_msync(a[0], a[1], i(2)),
        nr::__NR_mremap => mem::sys_mremap(a[0], a[1], a[2], a[3] as u32, a[4]),
        nr::__NR_mincore => mem::sys_mincore(a[0], a[1], a[2]),
        nr::__NR_mlock => mem::sys_mlock(a[0], a[1]),
        nr::__NR_mlock2 => mem::sys_mlock2(a[0], a[1], a[2] as u32),
        nr::__NR_munlock => mem::sys_munlock(a[0], a[1]),
        nr::__NR_mlockall => mem::sys_mlockall(a[0] as u32),
        nr::__NR_munlockall => mem::sys_munlockall(),
        // Processes
        nr::__NR_fork => process::sys_fork(frame),
        nr::__NR_vfork => process::sys_vfork(frame),
        nr::__NR_clone => process::sys_clone(frame, a[0] as u64, a[1] as u64, a[2] as u64, a[3] as u64, a[4] as u64),
        nr::__NR_clone3 => process::sys_clone3(frame, a[0], a[1]),
        nr::__NR_execve => process::sys_execve(frame, a[0], a[1], a[2]),
        nr::__NR_exit => process::sys_exit(i(0)),
        nr::__NR_exit_group => process::sys_exit_group(i(0)),
        nr::__NR_wait4 => process::sys_wait4(i(0), a[1], a[2] as u32, a[3]),
        nr::__NR_waitid => process::sys_waitid(a[0] as u32, i(1), a[2], a[3] as u32, a[4]),
        nr::__NR_getpid => Ok(current().process.pid as usize),
        nr::__NR_gettid => Ok(current().tid() as usize),
        nr::__NR_getppid => Ok(current().process.ppid() as usize),
        nr::__NR_getpgrp => Ok(current().process.pgid() as usize),
        nr::__NR_getpgid => process::sys_getpgid(i(0)),
        nr::__NR_setpgid => process::sys_setpgid(i(0), i(1)),
        nr::__NR_getsid => process::sys_getsid(i(0)),
        nr::__NR_setsid => process::sys_setsid(),
        nr::__NR_set_tid_address => process::sys_set_tid_address(a[0]),
        nr::__NR_arch_prctl => process::sys_arch_prctl(a[0] as u32, a[1]),
        nr::__NR_prctl => process::sys_prctl(i(0), a[1], a[2], a[3], a[4]),
        nr::__NR_sched_yield => {
            crate::sched::schedule();
            Ok(0)
        }
        nr::__NR_sched_getaffinity => process::sys_sched_getaffinity(i(0), a[1], a[2]),
        nr::__NR_sched_setaffinity => process::sys_sched_setaffinity(i(0), a[1], a[2]),
        nr::__NR_sched_setscheduler => sched::sys_sched_setscheduler(i(0), i(1), a[2]),
        nr::__NR_sched_getscheduler => sched::sys_sched_getscheduler(i(0)),
        nr::__NR_sched_setparam => sched::sys_sched_setparam(i(0), a[1]),
        nr::__NR_sched_getparam => sched::sys_sched_getparam(i(0), a[1]),
        nr::__NR_sched_get_priority_max => sched::sys_sched_get_priority_max(i(0)),
        nr::__NR_sched_get_priority_min => sched::sys_sched_get_priority_min(i(0)),
        nr::__NR_sched_rr_get_interval => sched::sys_sched_rr_get_interval(i(0), a[1]),
        nr::__NR_getpriority => sched::sys_getpriority(i(0), i(1)),
        nr::__NR_setpriority => sched::sys_setpriority(i(0), i(1), i(2)),
        nr::__NR_getuid => Ok(current().process.creds.lock().uid as usize),
        nr::__NR_geteuid => Ok(current().process.creds.lock().euid as usize),
        nr::__NR_getgid => Ok(current().process.creds.lock().gid as usize),
        nr::__NR_getegid => Ok(current().process.creds.lock().egid as usize),
        nr::__NR_setuid => process::sys_setresuid(a[0] as u32, a[0] as u32, u32::MAX, true),
        nr::__NR_setgid => process::sys_setresgid(a[0] as u32, a[0] as u32, u32::MAX, true),
        nr::__NR_setreuid => process::sys_setreuid(a[0] as u32, a[1] as u32),
        nr::__NR_setregid => process::sys_setregid(a[0] as u32, a[1] as u32),
        nr::__NR_setresuid => process::sys_setresuid(a[0] as u32, a[1] as u32, a[2] as u32, false),
        nr::__NR_setresgid => process::sys_setresgid(a[0] as u32, a[1] as u32, a[2] as u32, false),
        nr::__NR_getresuid => process::sys_getresuid(a[0], a[1], a[2]),
        nr::__NR_getresgid => process::sys_getresgid(a[0], a[1], a[2]),
        nr::__NR_getgroups => process::sys_getgroups(i(0), a[1]),
        nr::__NR_setgroups => process::sys_setgroups(a[0], a[1]),
        nr::__NR_setfsuid => process::sys_setfsuid(a[0] as u32),
        nr::__NR_setfsgid => process::sys_setfsgid(a[0] as u32),
        nr::__NR_capget => caps::sys_capget(a[0], a[1]),
        nr::__NR_capset => caps::sys_capset(a[0], a[1]),
        nr::__NR_getrlimit => process::sys_prlimit64(0, a[0] as u32, 0, a[1]),
        nr::__NR_setrlimit => process::sys_prlimit64(0, a[0] as u32, a[1], 0),
        nr::__NR_prlimit64 => process::sys_prlimit64(i(0), a[1] as u32, a[2], a[3]),
        nr::__NR_getrusage => process::sys_getrusage(i(0), a[1]),
        nr::__NR_times => process::sys_times(a[0]),
        // Signals
        nr::__NR_rt_sigaction => signal::sys_rt_sigaction(a[0] as u32, a[1], a[2], a[3]),
        nr::__NR_rt_sigprocmask => signal::sys_rt_sigprocmask(i(0), a[1], a[2], a[3]),
        nr::__NR_rt_sigreturn => signal::sys_rt_sigreturn(frame),
        nr::__NR_rt_sigpending => signal::sys_rt_sigpending(a[0], a[1]),
        nr::__NR_rt_sigsuspend => signal::sys_rt_sigsuspend(a[0], a[1]),
        nr::__NR_sigaltstack => signal::sys_sigaltstack(a[0], a[1], frame.rsp),
        nr::__NR_kill => signal::sys_kill(i(0), a[1] as u32),
        nr::__NR_tkill => signal::sys_tgkill(-1, i(0), a[1] as u32),
        nr::__NR_tgkill => signal::sys_tgkill(i(0), i(1), a[2] as u32),
        nr::__NR_pause => signal::sys_pause(),
        nr::__NR_alarm => signal::sys_alarm(a[0] as u32),
        nr::__NR_setitimer => signal::sys_setitimer(i(0), a[1], a[2]),
        nr::__NR_getitimer => signal::sys_getitimer(i(0), a[1]),
        nr::__NR_rt_sigqueueinfo => signal::sys_rt_sigqueueinfo(i(0), a[1] as u32, a[2]),
        nr::__NR_rt_tgsigqueueinfo => signal::sys_rt_tgsigqueueinfo(i(0), i(1), a[2] as u32, a[3]),
        nr::__NR_rt_sigtimedwait => signal::sys_rt_sigtimedwait(a[0], a[1], a[2], a[3]),
        nr::__NR_restart_syscall => signal::sys_restart_syscall(),
        // Time
        nr::__NR_clock_gettime => time::sys_clock_gettime(i(0), a[1]),
        nr::__NR_clock_getres => time::sys_clock_getres(i(0), a[1]),
        nr::__NR_clock_settime => time::sys_clock_settime(i(0), a[1]),
        nr::__NR_gettimeofday => time::sys_gettimeofday(a[0], a[1]),
        nr::__NR_settimeofday => time::sys_settimeofday(a[0], a[1]),
        nr::__NR_time => time::sys_time(a[0]),
        nr::__NR_nanosleep => time::sys_nanosleep(a[0], a[1]),
        nr::__NR_clock_nanosleep => time::sys_clock_nanosleep(i(0), a[1] as u32, a[2], a[3]),
        nr::__NR_timer_create => time::sys_timer_create(i(0), a[1], a[2]),
        nr::__NR_timer_settime => time::sys_timer_settime(i(0), a[1] as u32, a[2], a[3]),
        nr::__NR_timer_gettime => time::sys_timer_gettime(i(0), a[1]),
        nr::__NR_timer_getoverrun => time::sys_timer_getoverrun(i(0)),
        nr::__NR_timer_delete => time::sys_timer_delete(i(0)),
        // Futexes
        nr::__NR_futex => futex::sys_futex(a[0], a[1] as u32, a[2] as u32, a[3], a[4], a[5] as u32),
        nr::__NR_set_robust_list => futex::sys_set_robust_list(a[0], a[1]),
        nr::__NR_get_robust_list => futex::sys_get_robust_list(i(0), a[1], a[2]),
        // System
        nr::__NR_uname => system::sys_uname(a[0]),
        nr::__NR_sethostname => system::sys_sethostname(a[0], a[1]),
        nr::__NR_setdomainname => system::sys_setdomainname(a[0], a[1]),
        nr::__NR_sysinfo => system::sys_sysinfo(a[0]),
        nr::__NR_getrandom => system::sys_getrandom(a[0], a[1], a[2] as u32),
        nr::__NR_reboot => system::sys_reboot(a[0] as u32, a[1] as u32, a[2] as u32),
        nr::__NR_getcpu => system::sys_getcpu(a[0], a[1]),
        // Event descriptors
        nr::__NR_epoll_create => epoll::sys_epoll_create(i(0)),
        nr::__NR_epoll_create1 => epoll::sys_epoll_create1(a[0] as u32),
        nr::__NR_epoll_ctl => epoll::sys_epoll_ctl(i(0), a[1] as u32, i(2), a[3]),
        nr::__NR_epoll_wait => epoll::sys_epoll_wait(i(0), a[1], i(2), i(3)),
        nr::__NR_epoll_pwait => epoll::sys_epoll_pwait(i(0), a[1], i(2), i(3), a[4], a[5]),
        nr::__NR_epoll_pwait2 => epoll::sys_epoll_pwait2(i(0), a[1], i(2), a[3], a[4], a[5]),
        nr::__NR_eventfd => eventfd::sys_eventfd(a[0] as u32),
        nr::__NR_eventfd2 => eventfd::sys_eventfd2(a[0] as u32, a[1] as u32),
        nr::__NR_timerfd_create => timerfd::sys_timerfd_create(i(0), a[1] as u32),
        nr::__NR_timerfd_settime => timerfd::sys_timerfd_settime(i(0), a[1] as u32, a[2], a[3]),
        nr::__NR_timerfd_gettime => timerfd::sys_timerfd_gettime(i(0), a[1]),
        nr::__NR_signalfd => signalfd::sys_signalfd(i(0), a[1], a[2]),
        nr::__NR_signalfd4 => signalfd::sys_signalfd4(i(0), a[1], a[2], a[3] as u32),
        nr::__NR_inotify_init => inotify::sys_inotify_init(),
        nr::__NR_inotify_init1 => inotify::sys_inotify_init1(a[0] as u32),
        nr::__NR_inotify_add_watch => inotify::sys_inotify_add_watch(i(0), a[1], a[2] as u32),
        nr::__NR_inotify_rm_watch => inotify::sys_inotify_rm_watch(i(0), i(1)),
        nr::__NR_pidfd_open => pidfd::sys_pidfd_open(i(0), a[1] as u32),
        nr::__NR_pidfd_send_signal => pidfd::sys_pidfd_send_signal(i(0), a[1] as u32, a[2], a[3] as u32),
        // Sockets
        nr::__NR_socket => socket::sys_socket(a[0] as u32, a[1] as u32, a[2] as u32),
        nr::__NR_socketpair => socket::sys_socketpair(a[0] as u32, a[1] as u32, a[2] as u32, a[3]),
        nr::__NR_bind => socket::sys_bind(i(0), a[1], i(2)),
        nr::__NR_connect => socket::sys_connect(i(0), a[1], i(2)),
        nr::__NR_listen => socket::sys_listen(i(0), i(1)),
        nr::__NR_accept => socket::sys_accept4(i(0), a[1], a[2], 0),
        nr::__NR_accept4 => socket::sys_accept4(i(0), a[1], a[2], a[3] as u32),
        nr::__NR_getsockname => socket::sys_getsockname(i(0), a[1], a[2]),
        nr::__NR_getpeername => socket::sys_getpeername(i(0), a[1], a[2]),
        nr::__NR_shutdown => socket::sys_shutdown(i(0), i(1)),
        nr::__NR_sendto => socket::sys_sendto(i(0), a[1], a[2], a[3] as u32, a[4], i(5)),
        nr::__NR_recvfrom => socket::sys_recvfrom(i(0), a[1], a[2], a[3] as u32, a[4], a[5]),
        nr::__NR_sendmsg => socket::sys_sendmsg(i(0), a[1], a[2] as u32),
        nr::__NR_recvmsg => socket::sys_recvmsg(i(0), a[1], a[2] as u32),
        nr::__NR_sendmmsg => socket::sys_sendmmsg(i(0), a[1], a[2] as u32, a[3] as u32),
        nr::__NR_recvmmsg => socket::sys_recvmmsg(i(0), a[1], a[2] as u32, a[3] as u32, a[4]),
        nr::__NR_setsockopt => socket::sys_setsockopt(i(0), i(1), i(2), a[3], i(4)),
        nr::__NR_getsockopt => socket::sys_getsockopt(i(0), i(1), i(2), a[3], a[4]),
        // Mounts and locks
        nr::__NR_flock => lock::sys_flock(i(0), a[1] as u32),
        nr::__NR_mount => mount::sys_mount(a[0], a[1], a[2], a[3] as u64, a[4]),
        nr::__NR_umount2 => mount::sys_umount2(a[0], a[1] as u32),
        nr::__NR_pivot_root => mount::sys_pivot_root(a[0], a[1]),
        nr::__NR_unshare => mount::sys_unshare(a[0] as u64),
        _ => Err(Errno::ENOSYS),
    }
}

// ---- shared helpers for handlers ----

/// The open file behind `fd` in the caller's table.
pub fn file(fd: i32) -> KResult<Arc<OpenFile>> {
    current().files().lock().get(fd)
}

/// A snapshot of the caller's file-system context.
pub fn fs_context() -> FsContext {
    current().fs().lock().clone()
}

/// Owner, group and mode of a new inode in a directory with metadata
/// `dir` (Linux's inode_init_owner): the creator's fsuid; the directory's
/// group if it is set-group-id (and a new directory keeps that bit),
/// else the creator's fsgid; a set-group-id bit on a group-executable
/// file the creator could not have set is dropped.
pub fn new_inode_owner(dir: &crate::fs::inode::Stat, c: &Credentials, mode: u32, is_dir: bool) -> (u32, u32, u32) {
    const S_ISGID: u32 = 0o2000;
    if dir.mode & S_ISGID != 0 {
        let mut mode = mode;
        if is_dir {
            mode |= S_ISGID;
        } else if mode & (S_ISGID | 0o010) == (S_ISGID | 0o010)
            && !c.in_group(dir.gid)
            && !c.capable(crate::process::creds::CAP_FSETID)
        {
            mode &= !S_ISGID;
        }
        return (c.fsuid, dir.gid, mode);
    }
    (c.fsuid, c.fsgid, mode)
}

/// The caller's credentials.
pub fn creds() -> Credentials {
    current().process.creds.lock().clone()
}

/// The directory a `*at` call starts from.
fn base_dir(fs: &FsContext, dirfd: i32, path: &[u8]) -> KResult<Arc<PathNode>> {
    if path.first() == Some(&b'/') || dirfd == AT_FDCWD {
        return Ok(fs.cwd.clone());
    }
    let f = file(dirfd)?;
    let node = f.path().cloned().ok_or(Errno::ENOTDIR)?;
    if !node.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    Ok(node)
}

/// Resolves `path` relative to `dirfd`.
pub fn resolve_at(dirfd: i32, path: &[u8], follow: bool) -> KResult<Arc<PathNode>> {
    let fs = fs_context();
    let creds = creds();
    let base = base_dir(&fs, dirfd, path)?;
    Resolver::new(&fs, &creds).resolve(&base, path, follow)
}

/// Resolves `path` or, when empty and AT_EMPTY_PATH is given, the file of
/// `dirfd` itself.
pub fn resolve_at_flags(dirfd: i32, path: &[u8], flags: u32) -> KResult<Arc<PathNode>> {
    if path.is_empty() {
        if flags & linux_raw_sys::general::AT_EMPTY_PATH == 0 {
            return Err(Errno::ENOENT);
        }
        if dirfd == AT_FDCWD {
            return Ok(fs_context().cwd);
        }
        return file(dirfd)?.path().cloned().ok_or(Errno::EBADF);
    }
    resolve_at(dirfd, path, flags & linux_raw_sys::general::AT_SYMLINK_NOFOLLOW == 0)
}

/// Resolves the directory holding `path`'s last component.
pub fn resolve_parent_at(dirfd: i32, path: &[u8]) -> KResult<ParentAndName> {
    let fs = fs_context();
    let creds = creds();
    let base = base_dir(&fs, dirfd, path)?;
    Resolver::new(&fs, &creds).resolve_parent(&base, path)
}

pub use fs_dir::{check_socket_file_free, lookup_socket_file, make_socket_file};
pub use system::{RELEASE, VERSION, domainname, hostname, set_domainname, set_hostname};

/// The kernel release string (uname -r).
pub fn system_release() -> &'static str {
    RELEASE
}

/// The kernel version string (uname -v).
pub fn system_version() -> &'static str {
    VERSION
}

/// Installs an open file in the caller's descriptor table.
pub fn install_file(file: Arc<OpenFile>, cloexec: bool) -> KResult<i32> {
    fs_open::install(file, cloexec)
}

/// Opens `path` as open(2) would, for the kernel's own opens on a
/// process's behalf (TIOCGPTPEER).
pub fn open_path(path: &[u8], flags: u32) -> KResult<Arc<OpenFile>> {
    fs_open::open(AT_FDCWD, path, flags, 0)
}

/// Opens /dev/console for init's standard streams.
pub fn open_console() -> KResult<Arc<OpenFile>> {
    fs_open::open(AT_FDCWD, b"/dev/console", linux_raw_sys::general::O_RDWR, 0)
}
