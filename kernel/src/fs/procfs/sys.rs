//! /proc/sys: kernel parameters (sysctl). Writable only where the write
//! really changes something here (host and domain names).

use alloc::format;
use alloc::vec::Vec;

use crate::errno::{Errno, KResult};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    ReadOnly,
    Writable,
}

const TREE: &[(&str, Kind)] = &[
    ("sys", Kind::Dir),
    ("sys/fs", Kind::Dir),
    ("sys/fs/file-max", Kind::ReadOnly),
    ("sys/fs/nr_open", Kind::ReadOnly),
    ("sys/fs/pipe-max-size", Kind::ReadOnly),
    ("sys/kernel", Kind::Dir),
    ("sys/kernel/cap_last_cap", Kind::ReadOnly),
    ("sys/kernel/domainname", Kind::Writable),
    ("sys/kernel/hostname", Kind::Writable),
    ("sys/kernel/ngroups_max", Kind::ReadOnly),
    ("sys/kernel/osrelease", Kind::ReadOnly),
    ("sys/kernel/ostype", Kind::ReadOnly),
    ("sys/kernel/overflowgid", Kind::ReadOnly),
    ("sys/kernel/overflowuid", Kind::ReadOnly),
    ("sys/kernel/pid_max", Kind::ReadOnly),
    ("sys/kernel/printk", Kind::ReadOnly),
    ("sys/kernel/random", Kind::Dir),
    ("sys/kernel/random/boot_id", Kind::ReadOnly),
    ("sys/kernel/random/entropy_avail", Kind::ReadOnly),
    ("sys/kernel/random/poolsize", Kind::ReadOnly),
    ("sys/kernel/random/uuid", Kind::ReadOnly),
    ("sys/kernel/randomize_va_space", Kind::ReadOnly),
    ("sys/kernel/threads-max", Kind::ReadOnly),
    ("sys/kernel/version", Kind::ReadOnly),
    ("sys/vm", Kind::Dir),
    ("sys/vm/max_map_count", Kind::ReadOnly),
    ("sys/vm/overcommit_memory", Kind::ReadOnly),
];

fn kind(path: &str) -> Option<Kind> {
    TREE.iter().find(|(p, _)| *p == path).map(|(_, k)| *k)
}

pub fn is_dir(path: &str) -> bool {
    kind(path) == Some(Kind::Dir)
}

pub fn is_writable(path: &str) -> bool {
    kind(path) == Some(Kind::Writable)
}

/// Direct children of directory `path`: (name, full path).
pub fn children(path: &'static str) -> Vec<(&'static str, &'static str)> {
    TREE.iter()
        .filter_map(|(p, _)| {
            let rest = p.strip_prefix(path)?.strip_prefix('/')?;
            (!rest.contains('/')).then_some((rest, *p))
        })
        .collect()
}

fn uuid() -> Vec<u8> {
    let mut b = [0u8; 16];
    crate::random::fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}\n",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
    )
    .into_bytes()
}

static BOOT_ID: kevlar_hal::sync::SpinLock<Option<Vec<u8>>> = kevlar_hal::sync::SpinLock::new(None);

pub fn read(path: &str) -> KResult<Vec<u8>> {
    let line = |s: &str| format!("{s}\n").into_bytes();
    Ok(match path {
        "sys/fs/file-max" => line("9223372036854775807"),
        "sys/fs/nr_open" => line("1048576"),
        "sys/fs/pipe-max-size" => line("1048576"),
        "sys/kernel/cap_last_cap" => line(&format!("{}", linux_raw_sys::general::CAP_LAST_CAP)),
        "sys/kernel/domainname" => {
            let mut d = crate::syscall::domainname();
            d.push(b'\n');
            d
        }
        "sys/kernel/hostname" => {
            let mut h = crate::syscall::hostname();
            h.push(b'\n');
            h
        }
        "sys/kernel/ngroups_max" => line("65536"),
        "sys/kernel/osrelease" => line(crate::syscall::system_release()),
        "sys/kernel/ostype" => line("Linux"),
        "sys/kernel/overflowgid" | "sys/kernel/overflowuid" => line("65534"),
        "sys/kernel/pid_max" => line("32768"),
        "sys/kernel/printk" => line("4\t4\t1\t7"),
        "sys/kernel/random/boot_id" => BOOT_ID.lock().get_or_insert_with(uuid).clone(),
        "sys/kernel/random/entropy_avail" => line("256"),
        "sys/kernel/random/poolsize" => line("256"),
        "sys/kernel/random/uuid" => uuid(),
        // No address-space randomisation yet (issue 5): 0, as Linux
        // booted with norandmaps reports.
        "sys/kernel/randomize_va_space" => line("0"),
        "sys/kernel/threads-max" => line("32768"),
        "sys/kernel/version" => line(crate::syscall::system_version()),
        "sys/vm/max_map_count" => line("65530"),
        "sys/vm/overcommit_memory" => line("0"),
        _ => return Err(Errno::EISDIR),
    })
}

pub fn write(path: &str, data: &[u8]) -> KResult<()> {
    let value = data.strip_suffix(b"\n").unwrap_or(data);
    match path {
        "sys/kernel/hostname" => crate::syscall::set_hostname(value),
        "sys/kernel/domainname" => crate::syscall::set_domainname(value),
        _ => Err(Errno::EACCES),
    }
}
