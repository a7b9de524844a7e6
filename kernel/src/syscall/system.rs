//! uname, sysinfo, getrandom, reboot, getcpu, hostnames.

use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::creds;
use crate::errno::{Errno, KResult};
use crate::mm::uaccess::{UserPtr, read_bytes, write_bytes};

static HOSTNAME: SpinLock<Vec<u8>> = SpinLock::new(Vec::new());
static DOMAINNAME: SpinLock<Vec<u8>> = SpinLock::new(Vec::new());

/// Kernel release reported by uname (Linux-like, so version checks pass).
pub const RELEASE: &str = "6.12.0-kevlar";
/// Kernel version string.
pub const VERSION: &str = "#1 SMP PREEMPT_DYNAMIC Kevlar";

#[derive(FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Utsname {
    fields: [[u8; 65]; 6],
}

fn field(s: &[u8]) -> [u8; 65] {
    let mut f = [0u8; 65];
    let n = s.len().min(64);
    f[..n].copy_from_slice(&s[..n]);
    f
}

/// The current host name.
pub fn hostname() -> Vec<u8> {
    let h = HOSTNAME.lock();
    if h.is_empty() { b"(none)".to_vec() } else { h.clone() }
}

/// The current NIS domain name.
pub fn domainname() -> Vec<u8> {
    let d = DOMAINNAME.lock();
    if d.is_empty() { b"(none)".to_vec() } else { d.clone() }
}

/// Sets the host name (sethostname, /proc/sys/kernel/hostname).
pub fn set_hostname(name: &[u8]) -> KResult<()> {
    if name.len() > 64 {
        return Err(Errno::EINVAL);
    }
    *HOSTNAME.lock() = name.to_vec();
    Ok(())
}

/// Sets the domain name.
pub fn set_domainname(name: &[u8]) -> KResult<()> {
    if name.len() > 64 {
        return Err(Errno::EINVAL);
    }
    *DOMAINNAME.lock() = name.to_vec();
    Ok(())
}

/// A name as uname reports it: "(none)" while unset.
fn name_field(store: &SpinLock<Vec<u8>>) -> [u8; 65] {
    let n = store.lock();
    field(if n.is_empty() { b"(none)" } else { &n })
}

/// uname(2)
pub fn sys_uname(buf: usize) -> KResult<usize> {
    let u = Utsname {
        fields: [
            field(b"Linux"),
            name_field(&HOSTNAME),
            field(RELEASE.as_bytes()),
            field(VERSION.as_bytes()),
            field(b"x86_64"),
            name_field(&DOMAINNAME),
        ],
    };
    UserPtr::<Utsname>::new(buf).write(&u)?;
    Ok(0)
}

fn set_name(store: &SpinLock<Vec<u8>>, name: usize, len: usize) -> KResult<usize> {
    if len > 64 {
        return Err(Errno::EINVAL);
    }
    if !creds().capable(crate::process::creds::CAP_SYS_ADMIN) {
        return Err(Errno::EPERM);
    }
    let v = read_bytes(name, len)?;
    *store.lock() = v;
    Ok(0)
}

/// sethostname(2)
pub fn sys_sethostname(name: usize, len: usize) -> KResult<usize> {
    set_name(&HOSTNAME, name, len)
}

/// setdomainname(2)
pub fn sys_setdomainname(name: usize, len: usize) -> KResult<usize> {
    set_name(&DOMAINNAME, name, len)
}

#[derive(Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Sysinfo {
    uptime: i64,
    loads: [u64; 3],
    totalram: u64,
    freeram: u64,
    sharedram: u64,
    bufferram: u64,
    totalswap: u64,
    freeswap: u64,
    procs: u16,
    pad: [u16; 3],
    totalhigh: u64,
    freehigh: u64,
    mem_unit: u32,
    pad2: [u8; 4],
}

/// sysinfo(2)
pub fn sys_sysinfo(buf: usize) -> KResult<usize> {
    let f = kevlar_hal::mem::frame::stats();
    let si = Sysinfo {
        uptime: (crate::time::monotonic_ns() / 1_000_000_000) as i64,
        totalram: f.total as u64 * 4096,
        freeram: f.free as u64 * 4096,
        procs: crate::process::all_processes().len().min(u16::MAX as usize) as u16,
        mem_unit: 1,
        ..Default::default()
    };
    UserPtr::<Sysinfo>::new(buf).write(&si)?;
    Ok(0)
}

/// getrandom(2)
pub fn sys_getrandom(buf: usize, len: usize, flags: u32) -> KResult<usize> {
    const GRND_NONBLOCK: u32 = 1;
    const GRND_RANDOM: u32 = 2;
    const GRND_INSECURE: u32 = 4;
    if flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0 || flags & (GRND_RANDOM | GRND_INSECURE) == GRND_RANDOM | GRND_INSECURE {
        return Err(Errno::EINVAL);
    }
    let len = len.min(33_554_431);
    let mut done = 0;
    let mut chunk = [0u8; 256];
    while done < len {
        let n = (len - done).min(chunk.len());
        crate::random::fill(&mut chunk[..n]);
        write_bytes(buf + done, &chunk[..n])?;
        done += n;
    }
    Ok(done)
}

/// reboot(2): power-off, halt and restart end the virtual machine.
pub fn sys_reboot(magic1: u32, magic2: u32, cmd: u32) -> KResult<usize> {
    const MAGIC1: u32 = 0xfee1_dead;
    const MAGIC2: [u32; 4] = [672_274_793, 85_072_278, 369_367_448, 537_993_216];
    const CMD_RESTART: u32 = 0x0123_4567;
    const CMD_HALT: u32 = 0xcdef_0123;
    const CMD_POWER_OFF: u32 = 0x4321_fedc;
    const CMD_CAD_ON: u32 = 0x89ab_cdef;
    const CMD_CAD_OFF: u32 = 0;
    if !creds().capable(crate::process::creds::CAP_SYS_BOOT) {
        return Err(Errno::EPERM);
    }
    if magic1 != MAGIC1 || !MAGIC2.contains(&magic2) {
        return Err(Errno::EINVAL);
    }
    match cmd {
        CMD_POWER_OFF | CMD_HALT => {
            kevlar_hal::println!("[kevlar] power down");
            kevlar_hal::exit_qemu(0)
        }
        CMD_RESTART => {
            kevlar_hal::println!("[kevlar] restart");
            kevlar_hal::exit_qemu(0)
        }
        // Ctrl-Alt-Del has no keyboard to come from here; the setting
        // is accepted as on Linux.
        CMD_CAD_ON | CMD_CAD_OFF => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

/// getcpu(2)
pub fn sys_getcpu(cpu: usize, node: usize) -> KResult<usize> {
    UserPtr::<u32>::new(cpu).write_if_nonnull(&kevlar_hal::arch::cpu_id())?;
    UserPtr::<u32>::new(node).write_if_nonnull(&0)?;
    Ok(0)
}
