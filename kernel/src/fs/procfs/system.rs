//! System-wide /proc files: meminfo, cpuinfo, stat, uptime, loadavg,
//! version, filesystems, cmdline, mounts.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::errno::{Errno, KResult};

/// Files in /proc itself.
pub const FILES: &[&str] =
    &["cmdline", "cpuinfo", "filesystems", "loadavg", "locks", "meminfo", "mounts", "stat", "uptime", "version"];

/// File systems this kernel can mount (as /proc/filesystems lists them).
pub const FILESYSTEMS: &[(&str, bool)] = &[("sysfs", true), ("tmpfs", true), ("devtmpfs", true), ("proc", true), ("devpts", true), ("cgroup2", true), ("ext3", false), ("ext2", false), ("ext4", false)];

pub fn render(name: &str) -> KResult<Vec<u8>> {
    Ok(match name {
        "cmdline" => format!("{}\n", kevlar_hal::boot_info::get().cmdline()).into_bytes(),
        "cpuinfo" => cpuinfo().into_bytes(),
        "filesystems" => {
            let mut s = String::new();
            for (fs, nodev) in FILESYSTEMS {
                let _ = writeln!(s, "{}\t{}", if *nodev { "nodev" } else { "" }, fs);
            }
            s.into_bytes()
        }
        "loadavg" => {
            let running = crate::sched::nr_runnable() + 1;
            let total: usize = crate::process::all_processes().iter().map(|p| p.threads().len()).sum();
            let last = crate::process::last_pid();
            format!("0.00 0.00 0.00 {}/{} {}\n", running, total, last).into_bytes()
        }
        "locks" => crate::fs::lock::proc_locks_text().into_bytes(),
        "meminfo" => meminfo().into_bytes(),
        "mounts" => mounts_text(MountsFormat::Mounts).into_bytes(),
        "stat" => stat().into_bytes(),
        "uptime" => {
            let (up, idle) = (crate::time::monotonic_ns() / 10_000_000, crate::sched::cpu_ticks().idle * 100 / kevlar_hal::arch::apic::TIMER_HZ as u64);
            format!("{}.{:02} {}.{:02}\n", up / 100, up % 100, idle / 100, idle % 100).into_bytes()
        }
        "version" => format!(
            "Linux version {} (kevlar@kevlar) (rustc) {}\n",
            crate::syscall::system_release(),
            crate::syscall::system_version()
        )
        .into_bytes(),
        _ => return Err(Errno::ENOENT),
    })
}

fn meminfo() -> String {
    let f = kevlar_hal::mem::frame::stats();
    let total = f.total as u64 * 4;
    let free = f.free as u64 * 4;
    let mut s = String::new();
    for (k, v) in [
        ("MemTotal", total),
        ("MemFree", free),
        ("MemAvailable", free),
        ("Buffers", 0),
        ("Cached", 0),
        ("SwapCached", 0),
        ("Active", 0),
        ("Inactive", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Dirty", 0),
        ("Writeback", 0),
        ("AnonPages", 0),
        ("Mapped", 0),
        ("Shmem", 0),
        ("Slab", 0),
        ("CommitLimit", total),
        ("Committed_AS", 0),
    ] {
        let _ = writeln!(s, "{:<16}{:>8} kB", format!("{k}:"), v);
    }
    s
}

fn cpuinfo() -> String {
    use kevlar_hal::arch::cpu::cpuid;
    let (max_leaf, b, c, d) = cpuid(0, 0);
    let mut vendor = [0u8; 12];
    vendor[0..4].copy_from_slice(&b.to_le_bytes());
    vendor[4..8].copy_from_slice(&d.to_le_bytes());
    vendor[8..12].copy_from_slice(&c.to_le_bytes());
    let (eax1, _, ecx1, edx1) = if max_leaf >= 1 { cpuid(1, 0) } else { (0, 0, 0, 0) };
    let family = ((eax1 >> 8) & 0xf) + if (eax1 >> 8) & 0xf == 0xf { (eax1 >> 20) & 0xff } else { 0 };
    let model = ((eax1 >> 4) & 0xf) | if matches!((eax1 >> 8) & 0xf, 6 | 0xf) { ((eax1 >> 16) & 0xf) << 4 } else { 0 };
    let mut brand = [0u8; 48];
    if cpuid(0x8000_0000, 0).0 >= 0x8000_0004 {
        for (i, leaf) in (0x8000_0002u32..=0x8000_0004).enumerate() {
            let (a, b, c, d) = cpuid(leaf, 0);
            for (j, r) in [a, b, c, d].iter().enumerate() {
                brand[i * 16 + j * 4..i * 16 + j * 4 + 4].copy_from_slice(&r.to_le_bytes());
            }
        }
    }
    let brand = String::from_utf8_lossy(&brand).trim_matches(char::from(0)).trim().into();
    let brand: String = brand;
    let mhz = kevlar_hal::arch::time::tsc_hz() / 1_000_000;
    // A subset of the flag names, from CPUID leaf 1 (EDX, then ECX).
    const EDX: [(u32, &str); 12] = [
        (0, "fpu"),
        (4, "tsc"),
        (5, "msr"),
        (6, "pae"),
        (8, "cx8"),
        (9, "apic"),
        (15, "cmov"),
        (19, "clflush"),
        (23, "mmx"),
        (24, "fxsr"),
        (25, "sse"),
        (26, "sse2"),
    ];
    const ECX: [(u32, &str); 6] = [(0, "pni"), (9, "ssse3"), (19, "sse4_1"), (20, "sse4_2"), (23, "popcnt"), (30, "rdrand")];
    let mut flags = String::new();
    for (bit, name) in EDX {
        if edx1 & (1 << bit) != 0 {
            let _ = write!(flags, "{} ", name);
        }
    }
    for (bit, name) in ECX {
        if ecx1 & (1 << bit) != 0 {
            let _ = write!(flags, "{} ", name);
        }
    }
    format!(
        "processor\t: 0\nvendor_id\t: {}\ncpu family\t: {}\nmodel\t\t: {}\nmodel name\t: {}\nstepping\t: {}\ncpu MHz\t\t: {}.000\ncache size\t: 512 KB\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\nfpu\t\t: yes\nflags\t\t: {}\nbogomips\t: {}.00\nclflush size\t: 64\naddress sizes\t: 40 bits physical, 48 bits virtual\n\n",
        String::from_utf8_lossy(&vendor),
        family,
        model,
        brand,
        eax1 & 0xf,
        mhz,
        flags.trim_end(),
        mhz * 2
    )
}

fn stat() -> String {
    let t = crate::sched::cpu_ticks();
    let ck = |x: u64| x * 100 / kevlar_hal::arch::apic::TIMER_HZ as u64;
    let boot = kevlar_hal::arch::time::boot_unix_ns() / 1_000_000_000;
    format!(
        "cpu  {} 0 {} {} 0 0 0 0 0 0\ncpu0 {} 0 {} {} 0 0 0 0 0 0\nintr {}\nctxt {}\nbtime {}\nprocesses {}\nprocs_running {}\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
        ck(t.user),
        ck(t.system),
        ck(t.idle),
        ck(t.user),
        ck(t.system),
        ck(t.idle),
        t.user + t.system + t.idle,
        crate::sched::context_switches(),
        boot,
        crate::process::forks_total(),
        crate::sched::nr_runnable() + 1,
    )
}

/// Which mount table view to render.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MountsFormat {
    /// /proc/mounts, /proc/PID/mounts
    Mounts,
    /// /proc/PID/mountinfo
    MountInfo,
    /// /proc/PID/mountstats
    MountStats,
}

/// Escapes space, tab, newline and backslash as Linux's mangle() does.
fn mangle(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b' ' | b'\t' | b'\n' | b'\\' => {
                let _ = write!(out, "\\{:03o}", b);
            }
            _ => out.push(b as char),
        }
    }
}

/// The mount table of the namespace of `fs` (a process's file-system
/// context), as seen from its root, in one of Linux's three formats.
pub fn mounts_text_of(fs: &crate::fs::path::FsContext, format: MountsFormat) -> String {
    use crate::fs::inode::{dev_major, dev_minor};
    use crate::fs::mount::MountNamespace;
    let root_mnt = &fs.root.mnt;
    let mut s = String::new();
    for m in fs.ns.mounts() {
        let Some(point) = MountNamespace::path_of(&m, root_mnt) else { continue };
        let source: &[u8] = if m.sb.source.is_empty() { b"none" } else { &m.sb.source };
        let flags = m.flags();
        match format {
            MountsFormat::Mounts => {
                mangle(&mut s, source);
                s.push(' ');
                mangle(&mut s, &point);
                let _ = writeln!(
                    s,
                    " {} {}{}{} 0 0",
                    m.sb.fs_type,
                    if m.readonly() { "ro" } else { "rw" },
                    flags.options(),
                    m.sb.options()
                );
            }
            MountsFormat::MountInfo => {
                let dev = m.sb.root.stat().dev;
                let parent = m.parent().map_or(m.id, |p| p.id);
                let _ = write!(s, "{} {} {}:{} ", m.id, parent, dev_major(dev), dev_minor(dev));
                mangle(&mut s, &m.root_path);
                s.push(' ');
                mangle(&mut s, &point);
                let ro = flags.contains(crate::fs::mount::MountFlags::READONLY);
                let _ = write!(s, " {}{} - {} ", if ro { "ro" } else { "rw" }, flags.options(), m.sb.fs_type);
                mangle(&mut s, source);
                let _ = writeln!(s, " {}{}", if m.sb.readonly() { "ro" } else { "rw" }, m.sb.options());
            }
            MountsFormat::MountStats => {
                s.push_str("device ");
                mangle(&mut s, source);
                s.push_str(" mounted on ");
                mangle(&mut s, &point);
                let _ = writeln!(s, " with fstype {}", m.sb.fs_type);
            }
        }
    }
    s
}

/// /proc/mounts: the caller's own view.
pub fn mounts_text(format: MountsFormat) -> String {
    let fs = crate::sched::current().fs().lock().clone();
    mounts_text_of(&fs, format)
}
