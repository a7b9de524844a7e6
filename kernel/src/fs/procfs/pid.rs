//! /proc/PID: one process's (or thread's) state in proc(5)'s formats.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write;

use super::PidFile;
use crate::errno::{Errno, KResult};
use crate::fs::path::PathNode;
use crate::process::thread::ThreadState;
use crate::process::{self, Lifecycle, Pid, Process, Thread};
use crate::signal::{SIG_DFL, SIG_IGN};

fn proc_of(pid: Pid) -> KResult<Arc<Process>> {
    process::find_process(pid).ok_or(Errno::ENOENT)
}

/// The thread a /proc/PID[/task/TID] node describes (the leader, or any
/// thread if it is gone).
fn thread_of(p: &Process, tid: Option<Pid>) -> Option<Arc<Thread>> {
    let threads = p.threads();
    let want = tid.unwrap_or(p.pid);
    threads.iter().find(|t| t.tid() == want).cloned().or_else(|| if tid.is_none() { threads.first().cloned() } else { None })
}

/// One-letter state for stat and status.
fn state_char(p: &Process, t: Option<&Arc<Thread>>) -> (char, &'static str) {
    if let Lifecycle::Zombie(_) = p.lifecycle() {
        return ('Z', "zombie");
    }
    match t.map(|t| t.state()) {
        Some(ThreadState::Running) | Some(ThreadState::Runnable) => ('R', "running"),
        Some(ThreadState::Sleeping) => ('S', "sleeping"),
        Some(ThreadState::Stopped) => ('T', "stopped"),
        _ => ('X', "dead"),
    }
}

fn clock_ticks(ticks: u64) -> u64 {
    ticks * 100 / kevlar_hal::arch::apic::TIMER_HZ as u64
}

/// Descriptors open in process `pid`.
pub fn fds(pid: Pid) -> KResult<Vec<i32>> {
    let p = proc_of(pid)?;
    let t = thread_of(&p, None).ok_or(Errno::ENOENT)?;
    Ok(t.files().lock().fds())
}

/// The mount table as thread `t` sees it (its namespace and root).
fn mounts(t: Option<&alloc::sync::Arc<crate::process::thread::Thread>>, format: super::system::MountsFormat) -> Vec<u8> {
    match t {
        Some(t) => {
            let fs = t.fs().lock().clone();
            super::system::mounts_text_of(&fs, format).into_bytes()
        }
        None => Vec::new(),
    }
}

pub fn render(pid: Pid, tid: Option<Pid>, f: PidFile) -> KResult<Vec<u8>> {
    let p = proc_of(pid)?;
    let t = thread_of(&p, tid);
    Ok(match f {
        PidFile::Stat => stat(&p, t.as_ref(), tid).into_bytes(),
        PidFile::Status => status(&p, t.as_ref()).into_bytes(),
        PidFile::Statm => {
            let mm = t.as_ref().and_then(|t| t.mm());
            let pages = mm.as_ref().map_or(0, |m| m.total_mapped() / 4096);
            let resident = mm.as_ref().map_or(0, |m| m.resident_pages().0);
            format!("{pages} {resident} 0 0 0 0 0\n").into_bytes()
        }
        PidFile::Maps => maps(t.as_ref(), false).into_bytes(),
        PidFile::Smaps => maps(t.as_ref(), true).into_bytes(),
        PidFile::Cmdline => memory_range(&p, t.as_ref(), true),
        PidFile::Environ => memory_range(&p, t.as_ref(), false),
        PidFile::Comm => {
            let mut c = t.as_ref().map_or_else(|| p.comm(), |t| t.comm());
            c.push(b'\n');
            c
        }
        PidFile::Mounts => mounts(t.as_ref(), super::system::MountsFormat::Mounts),
        PidFile::MountInfo => mounts(t.as_ref(), super::system::MountsFormat::MountInfo),
        PidFile::MountStats => mounts(t.as_ref(), super::system::MountsFormat::MountStats),
        PidFile::Cgroup => {
            let mut line = b"0::".to_vec();
            line.extend_from_slice(&p.cgroup().path());
            line.push(b'\n');
            line
        }
        PidFile::Limits => limits(&p).into_bytes(),
        _ => return Err(Errno::EISDIR),
    })
}

fn stat(p: &Process, t: Option<&Arc<Thread>>, tid: Option<Pid>) -> String {
    let (state, _) = state_char(p, t);
    let usage = crate::process::exit::total_usage(p);
    let kids = *p.children_usage.lock();
    let own = match (tid, t) {
        (Some(_), Some(t)) => t.usage(),
        _ => usage,
    };
    let (utime, stime) = (own.user_ticks, own.system_ticks);
    let (tty_nr, tpgid) = match p.ctty.lock().as_ref() {
        Some(tty) => (tty.rdev(), tty.foreground_pgrp()),
        None => (0, -1),
    };
    let params = t.map(|t| t.sched_params()).unwrap_or_default();
    let priority = if params.is_realtime() { -1 - params.rt_priority as i64 } else { 20 + params.nice as i64 };
    let mm = t.and_then(|t| t.mm());
    let vsize = mm.as_ref().map_or(0, |m| m.total_mapped());
    let rss = mm.as_ref().map_or(0, |m| m.resident_pages().0);
    let start_ticks = p.start_ns / 10_000_000;
    let args = *p.args.lock();
    let (mask, pending) = t.map_or((0, 0), |t| (t.sigmask(), t.pending_set()));
    let (ignored, caught) = handler_sets(t);
    format!(
        "{} ({}) {} {} {} {} {} {} 4194304 {} {} 0 0 {} {} {} {} {} {} {} 0 {} {} {} 18446744073709551615 0 0 0 0 0 {} {} {} {} 0 0 0 {} 0 {} {} 0 0 0 0 0 0 {} {} {} {} 0\n",
        tid.unwrap_or(p.pid),
        String::from_utf8_lossy(&t.map_or_else(|| p.comm(), |t| t.comm())),
        state,
        p.ppid(),
        p.pgid(),
        p.sid(),
        tty_nr,
        tpgid,
        own.minor_faults,
        kids.minor_faults,
        clock_ticks(utime),
        clock_ticks(stime),
        clock_ticks(kids.user_ticks),
        clock_ticks(kids.system_ticks),
        priority,
        params.nice,
        p.threads().len(),
        start_ticks,
        vsize,
        rss,
        pending & 0xffff_ffff,
        mask & 0xffff_ffff,
        ignored & 0xffff_ffff,
        caught & 0xffff_ffff,
        p.exit_signal.get(),
        params.rt_priority,
        params.policy,
        args.arg_start,
        args.arg_end,
        args.env_start,
        args.env_end,
    )
}

/// Sets of ignored and caught signals (SigIgn / SigCgt).
fn handler_sets(t: Option<&Arc<Thread>>) -> (u64, u64) {
    let Some(t) = t else { return (0, 0) };
    let h = t.sighand();
    let h = h.lock();
    let (mut ign, mut cgt) = (0u64, 0u64);
    for sig in 1..=64u32 {
        match h.get(sig).handler {
            SIG_IGN => ign |= 1 << (sig - 1),
            SIG_DFL => {}
            _ => cgt |= 1 << (sig - 1),
        }
    }
    (ign, cgt)
}

fn status(p: &Process, t: Option<&Arc<Thread>>) -> String {
    let (c, name) = state_char(p, t);
    let creds = p.creds.lock().clone();
    let umask = t.map_or(0o022, |t| t.fs().lock().umask);
    let mm = t.and_then(|t| t.mm());
    let vm_kib = mm.as_ref().map_or(0, |m| m.total_mapped() / 1024);
    let (mask, pending) = t.map_or((0, 0), |t| (t.sigmask(), t.pending_set()));
    let (ign, cgt) = handler_sets(t);
    let mut s = String::new();
    let _ = write!(s, "Name:\t{}\n", String::from_utf8_lossy(&t.map_or_else(|| p.comm(), |t| t.comm())));
    let _ = write!(s, "Umask:\t{:04o}\n", umask);
    let _ = write!(s, "State:\t{} ({})\n", c, name);
    let _ = write!(s, "Tgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\nTracerPid:\t0\n", p.pid, t.map_or(p.pid, |t| t.tid()), p.ppid());
    let _ = write!(s, "Uid:\t{}\t{}\t{}\t{}\n", creds.uid, creds.euid, creds.suid, creds.fsuid);
    let _ = write!(s, "Gid:\t{}\t{}\t{}\t{}\n", creds.gid, creds.egid, creds.sgid, creds.fsgid);
    let _ = write!(s, "FDSize:\t64\nGroups:\t");
    for g in &creds.groups {
        let _ = write!(s, "{} ", g);
    }
    let _ = write!(s, "\nNStgid:\t{}\nNSpid:\t{}\nNSpgid:\t{}\nNSsid:\t{}\n", p.pid, p.pid, p.pgid(), p.sid());
    if mm.is_some() {
        let _ = write!(s, "VmPeak:\t{:8} kB\nVmSize:\t{:8} kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\n", vm_kib, vm_kib);
        let (rss, peak) = mm.as_ref().map_or((0, 0), |m| m.resident_pages());
        let _ = write!(s, "VmHWM:\t{:8} kB\nVmRSS:\t{:8} kB\n", peak * 4, rss * 4);
    }
    let _ = write!(s, "Threads:\t{}\n", p.threads().len());
    let _ = write!(s, "SigQ:\t0/{}\n", p.rlimit(11));
    let _ = write!(s, "SigPnd:\t{:016x}\nShdPnd:\t{:016x}\n", pending & !p.shared_pending_bits(), p.shared_pending_bits());
    let _ = write!(s, "SigBlk:\t{:016x}\nSigIgn:\t{:016x}\nSigCgt:\t{:016x}\n", mask, ign, cgt);
    let _ = write!(s, "CapInh:\t{:016x}\nCapPrm:\t{:016x}\nCapEff:\t{:016x}\n", creds.cap_inheritable, creds.cap_permitted, creds.cap_effective);
    let _ = write!(s, "CapBnd:\t{:016x}\nCapAmb:\t{:016x}\n", creds.cap_bounding, creds.cap_ambient);
    let _ = write!(s, "NoNewPrivs:\t{}\nSeccomp:\t0\nSeccomp_filters:\t0\n", creds.no_new_privs as u8);
    let _ = write!(s, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
    let own = t.map(|t| t.usage()).unwrap_or_default();
    let _ = write!(s, "voluntary_ctxt_switches:\t{}\nnonvoluntary_ctxt_switches:\t{}\n", own.voluntary_switches, own.involuntary_switches);
    s
}

/// /proc/PID/maps, or smaps (`detail`: each mapping followed by its
/// sizes and flags).
fn maps(t: Option<&Arc<Thread>>, detail: bool) -> String {
    let mut s = String::new();
    let Some(mm) = t.and_then(|t| t.mm()) else { return s };
    let root = &crate::sched::current().fs().lock().root.clone();
    for v in mm.vmas() {
        map_line(&mut s, &v, root);
        if detail {
            smaps_fields(&mut s, &v, mm.resident_in(v.start, v.end));
        }
    }
    s
}

/// One line of /proc/PID/maps.
fn map_line(s: &mut String, v: &crate::mm::vma::Vma, root: &Arc<PathNode>) {
    use crate::mm::vma::{Backing, VmaKind};
    let p = v.prot;
    let perms = [
        if p.contains(crate::mm::Prot::READ) { 'r' } else { '-' },
        if p.contains(crate::mm::Prot::WRITE) { 'w' } else { '-' },
        if p.contains(crate::mm::Prot::EXEC) { 'x' } else { '-' },
        if v.shared { 's' } else { 'p' },
    ];
    let (offset, dev, ino, name) = match &v.backing {
        Backing::File { source, offset, path, .. } => {
            let (dev, ino) = source.dev_ino();
            let name = match path {
                Some(node) => node.display_from(root),
                None => source.path(),
            };
            (*offset, dev, ino, String::from_utf8_lossy(&name).into_owned())
        }
        Backing::Anonymous => (0, 0, 0, String::new()),
    };
    let name = match v.kind {
        VmaKind::Heap => String::from("[heap]"),
        VmaKind::Stack => String::from("[stack]"),
        VmaKind::Vvar => String::from("[vvar]"),
        VmaKind::Vdso => String::from("[vdso]"),
        VmaKind::Normal => name,
    };
    let line_start = s.len();
    let _ = write!(
        s,
        "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {}",
        v.start,
        v.end,
        perms[0],
        perms[1],
        perms[2],
        perms[3],
        offset,
        crate::fs::inode::dev_major(dev),
        crate::fs::inode::dev_minor(dev),
        ino
    );
    if !name.is_empty() {
        // Linux pads the name to column 73.
        for _ in (s.len() - line_start)..73 {
            s.push(' ');
        }
        s.push_str(&name);
    }
    s.push('\n');
}

/// The per-mapping part of /proc/PID/smaps. Pages are counted from the
/// page table: anonymous memory is all private and dirty, file pages are
/// reported as clean and shared or private by the mapping's kind (there is
/// no swap, KSM or huge page here).
fn smaps_fields(s: &mut String, v: &crate::mm::vma::Vma, resident: usize) {
    use crate::mm::vma::{Backing, VmaFlags, VmaKind};
    let kib = |pages: usize| pages * 4;
    let size = v.len() / 1024;
    let rss = kib(resident);
    let anon = matches!(v.backing, Backing::Anonymous);
    let (shared_clean, private_clean, private_dirty) = match (anon, v.shared) {
        (true, _) => (0, 0, rss),
        (false, true) => (rss, 0, 0),
        (false, false) => (0, rss, 0),
    };
    let locked = if v.flags.contains(VmaFlags::LOCKED) { rss } else { 0 };
    let rows: [(&str, usize); 22] = [
        ("Size", size),
        ("KernelPageSize", 4),
        ("MMUPageSize", 4),
        ("Rss", rss),
        ("Pss", rss),
        ("Pss_Dirty", private_dirty),
        ("Shared_Clean", shared_clean),
        ("Shared_Dirty", 0),
        ("Private_Clean", private_clean),
        ("Private_Dirty", private_dirty),
        ("Referenced", rss),
        ("Anonymous", if anon { rss } else { 0 }),
        ("KSM", 0),
        ("LazyFree", 0),
        ("AnonHugePages", 0),
        ("ShmemPmdMapped", 0),
        ("FilePmdMapped", 0),
        ("Shared_Hugetlb", 0),
        ("Private_Hugetlb", 0),
        ("Swap", 0),
        ("SwapPss", 0),
        ("Locked", locked),
    ];
    for (name, value) in rows {
        let _ = writeln!(s, "{:<16}{:>8} kB", alloc::format!("{name}:"), value);
    }
    let _ = writeln!(s, "THPeligible:    0");
    let p = v.prot;
    let mut flags = String::new();
    let mut flag = |on: bool, f: &str| {
        if on {
            flags.push_str(f);
            flags.push(' ');
        }
    };
    flag(p.contains(crate::mm::Prot::READ), "rd");
    flag(p.contains(crate::mm::Prot::WRITE), "wr");
    flag(p.contains(crate::mm::Prot::EXEC), "ex");
    flag(v.shared, "sh");
    flag(true, "mr");
    flag(!v.shared || v.flags.contains(VmaFlags::MAY_WRITE), "mw");
    flag(true, "me");
    flag(v.shared, "ms");
    flag(v.flags.contains(VmaFlags::GROWSDOWN) || v.kind == VmaKind::Stack, "gd");
    flag(v.flags.contains(VmaFlags::LOCKED), "lo");
    flag(v.flags.contains(VmaFlags::DONTFORK), "dc");
    flag(v.flags.contains(VmaFlags::ACCOUNT), "ac");
    flag(v.flags.contains(VmaFlags::NORESERVE), "nr");
    flag(v.flags.contains(VmaFlags::WIPEONFORK), "wf");
    let _ = writeln!(s, "VmFlags: {}", flags);
}

/// cmdline or environ: read from the process's memory.
fn memory_range(p: &Process, t: Option<&Arc<Thread>>, cmdline: bool) -> Vec<u8> {
    let Some(mm) = t.and_then(|t| t.mm()) else { return Vec::new() };
    let a = *p.args.lock();
    let (start, end) = if cmdline { (a.arg_start, a.arg_end) } else { (a.env_start, a.env_end) };
    if end <= start {
        return Vec::new();
    }
    mm.read_user(start as usize, (end - start) as usize)
}

fn limits(p: &Process) -> String {
    const NAMES: [(&str, &str); 16] = [
        ("Max cpu time", "seconds"),
        ("Max file size", "bytes"),
        ("Max data size", "bytes"),
        ("Max stack size", "bytes"),
        ("Max core file size", "bytes"),
        ("Max resident set", "bytes"),
        ("Max processes", "processes"),
        ("Max open files", "files"),
        ("Max locked memory", "bytes"),
        ("Max address space", "bytes"),
        ("Max file locks", "locks"),
        ("Max pending signals", "signals"),
        ("Max msgqueue size", "bytes"),
        ("Max nice priority", ""),
        ("Max realtime priority", ""),
        ("Max realtime timeout", "us"),
    ];
    let lim = *p.rlimits.lock();
    let mut s = format!("{:<25} {:<20} {:<20} {:<10}\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    let show = |v: u64| if v == process::RLIM_INFINITY { String::from("unlimited") } else { format!("{v}") };
    for (i, (name, unit)) in NAMES.iter().enumerate() {
        let _ = writeln!(s, "{:<25} {:<20} {:<20} {:<10}", name, show(lim[i].cur), show(lim[i].max), unit);
    }
    s
}

pub fn fdinfo(pid: Pid, fd: i32) -> KResult<Vec<u8>> {
    let p = proc_of(pid)?;
    let t = thread_of(&p, None).ok_or(Errno::ENOENT)?;
    let files = t.files();
    let (f, cloexec) = {
        let table = files.lock();
        (table.get(fd).map_err(|_| Errno::ENOENT)?, table.cloexec(fd).unwrap_or(false))
    };
    let flags = f.flags() | if cloexec { linux_raw_sys::general::O_CLOEXEC } else { 0 };
    let mnt_id = f.path().map_or(0, |p| p.mnt.id);
    Ok(format!("pos:\t{}\nflags:\t0{:o}\nmnt_id:\t{}\nino:\t{}\n", f.offset(), flags, mnt_id, f.stat().map_or(0, |s| s.ino)).into_bytes())
}

fn fs_of(pid: Pid) -> KResult<crate::fs::path::FsContext> {
    let p = proc_of(pid)?;
    let t = thread_of(&p, None).ok_or(Errno::ENOENT)?;
    let fs = t.fs().lock().clone();
    Ok(fs)
}

pub fn link_node(pid: Pid, f: PidFile) -> KResult<Arc<PathNode>> {
    match f {
        PidFile::Exe => proc_of(pid)?.exe.lock().clone().ok_or(Errno::ENOENT),
        PidFile::Cwd => Ok(fs_of(pid)?.cwd),
        PidFile::Root => Ok(fs_of(pid)?.root),
        _ => Err(Errno::EINVAL),
    }
}

pub fn link_text(pid: Pid, f: PidFile) -> KResult<Vec<u8>> {
    let node = link_node(pid, f)?;
    let root = crate::sched::current().fs().lock().root.clone();
    Ok(node.display_from(&root))
}

fn fd_file(pid: Pid, fd: i32) -> KResult<Arc<crate::fs::file::OpenFile>> {
    let p = proc_of(pid)?;
    let t = thread_of(&p, None).ok_or(Errno::ENOENT)?;
    let files = t.files();
    let f = files.lock().get(fd).map_err(|_| Errno::ENOENT)?;
    Ok(f)
}

pub fn fd_link_node(pid: Pid, fd: i32) -> KResult<Arc<PathNode>> {
    fd_file(pid, fd)?.path().cloned().ok_or(Errno::ENOENT)
}

pub fn fd_link_text(pid: Pid, fd: i32) -> KResult<Vec<u8>> {
    let f = fd_file(pid, fd)?;
    if let Some(node) = f.path() {
        let root = crate::sched::current().fs().lock().root.clone();
        return Ok(node.display_from(&root));
    }
    // Event descriptors: "anon_inode:[eventfd]" and the like.
    if let Some(name) = f.ops().anon_name() {
        return Ok(format!("anon_inode:{}", name).into_bytes());
    }
    // Pipes and other objects without a path: "pipe:[inode]" as Linux.
    let st = f.stat()?;
    let kind = match st.mode & 0o170000 {
        0o010000 => "pipe",
        0o140000 => "socket",
        _ => "anon_inode",
    };
    Ok(format!("{}:[{}]", kind, st.ino).into_bytes())
}

/// A write to /proc/PID/comm (the leader) or /proc/PID/task/TID/comm.
pub fn write_comm(pid: Pid, tid: Option<Pid>, buf: &[u8]) -> KResult<()> {
    let p = proc_of(pid)?;
    let t = thread_of(&p, tid).ok_or(Errno::ENOENT)?;
    let end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    t.set_comm(&buf[..end]);
    Ok(())
}
