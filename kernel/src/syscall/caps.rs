//! capget, capset and the capability prctls (capabilities(7)).

use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};
use crate::mm::uaccess::UserPtr;
use crate::process::creds::{CAP_ALL, CAP_SETPCAP};
use crate::sched::current;

const VERSION_1: u32 = 0x1998_0330;
const VERSION_2: u32 = 0x2007_1026;
const VERSION_3: u32 = 0x2008_0522;

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// Checks the header; an unknown version is answered with the one the
/// kernel prefers, as Linux does. Returns the number of data structs.
fn header(hdr: usize) -> KResult<(usize, i32)> {
    let mut h = UserPtr::<CapHeader>::new(hdr).read()?;
    match h.version {
        VERSION_1 => Ok((1, h.pid)),
        VERSION_2 | VERSION_3 => Ok((2, h.pid)),
        _ => {
            h.version = VERSION_3;
            UserPtr::<CapHeader>::new(hdr).write(&h)?;
            Err(Errno::EINVAL)
        }
    }
}

/// capget(2)
pub fn sys_capget(hdr: usize, data: usize) -> KResult<usize> {
    let (n, pid) = match header(hdr) {
        Err(e) if e == Errno::EINVAL && data == 0 => return Ok(0),
        r => r?,
    };
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    let target = if pid == 0 { current() } else { crate::process::find_thread(pid).ok_or(Errno::ESRCH)? };
    let c = target.process.creds.lock().clone();
    for i in 0..n {
        let shift = 32 * i;
        let d = CapData {
            effective: (c.cap_effective >> shift) as u32,
            permitted: (c.cap_permitted >> shift) as u32,
            inheritable: (c.cap_inheritable >> shift) as u32,
        };
        UserPtr::<CapData>::new(data).add(i).write(&d)?;
    }
    Ok(0)
}

/// capset(2): only the caller's own sets, and never growing them beyond
/// what it is permitted.
pub fn sys_capset(hdr: usize, data: usize) -> KResult<usize> {
    let (n, pid) = header(hdr)?;
    let me = current();
    if pid != 0 && pid != me.tid() {
        return Err(Errno::EPERM);
    }
    let (mut eff, mut perm, mut inh) = (0u64, 0u64, 0u64);
    for i in 0..n {
        let d = UserPtr::<CapData>::new(data).add(i).read()?;
        eff |= (d.effective as u64) << (32 * i);
        perm |= (d.permitted as u64) << (32 * i);
        inh |= (d.inheritable as u64) << (32 * i);
    }
    let (eff, perm, inh) = (eff & CAP_ALL, perm & CAP_ALL, inh & CAP_ALL);
    let mut c = me.process.creds.lock();
    let inh_limit = if c.capable(CAP_SETPCAP) { c.cap_inheritable | c.cap_bounding } else { c.cap_inheritable | c.cap_permitted };
    if perm & !c.cap_permitted != 0 || inh & !inh_limit != 0 || inh & !(c.cap_inheritable | c.cap_bounding) != 0 || eff & !perm != 0 {
        return Err(Errno::EPERM);
    }
    c.cap_effective = eff;
    c.cap_permitted = perm;
    c.cap_inheritable = inh;
    // Ambient capabilities must stay permitted and inheritable.
    c.cap_ambient &= perm & inh;
    Ok(0)
}

/// prctl options about capabilities; `None` if `option` is not one.
pub fn prctl(option: u32, a2: usize, a3: usize) -> Option<KResult<usize>> {
    use linux_raw_sys::prctl::*;
    let me = current();
    let cap_bit = |c: usize| if c as u32 <= linux_raw_sys::general::CAP_LAST_CAP { Ok(1u64 << c) } else { Err(Errno::EINVAL) };
    Some(match option {
        PR_CAPBSET_READ => cap_bit(a2).map(|b| (me.process.creds.lock().cap_bounding & b != 0) as usize),
        PR_CAPBSET_DROP => cap_bit(a2).and_then(|b| {
            let mut c = me.process.creds.lock();
            if !c.capable(CAP_SETPCAP) {
                return Err(Errno::EPERM);
            }
            c.cap_bounding &= !b;
            Ok(0)
        }),
        PR_GET_KEEPCAPS => Ok(me.process.creds.lock().keep_caps as usize),
        PR_SET_KEEPCAPS if a2 <= 1 => {
            me.process.creds.lock().keep_caps = a2 == 1;
            Ok(0)
        }
        PR_SET_KEEPCAPS => Err(Errno::EINVAL),
        PR_GET_NO_NEW_PRIVS => Ok(me.process.creds.lock().no_new_privs as usize),
        PR_SET_NO_NEW_PRIVS if a2 == 1 => {
            me.process.creds.lock().no_new_privs = true;
            Ok(0)
        }
        PR_SET_NO_NEW_PRIVS => Err(Errno::EINVAL),
        PR_CAP_AMBIENT => {
            let mut c = me.process.creds.lock();
            match a2 as u32 {
                PR_CAP_AMBIENT_IS_SET => cap_bit(a3).map(|b| (c.cap_ambient & b != 0) as usize),
                PR_CAP_AMBIENT_RAISE => cap_bit(a3).and_then(|b| {
                    if c.cap_permitted & c.cap_inheritable & b == 0 {
                        return Err(Errno::EPERM);
                    }
                    c.cap_ambient |= b;
                    Ok(0)
                }),
                PR_CAP_AMBIENT_LOWER => cap_bit(a3).map(|b| {
                    c.cap_ambient &= !b;
                    0
                }),
                PR_CAP_AMBIENT_CLEAR_ALL => {
                    c.cap_ambient = 0;
                    Ok(0)
                }
                _ => Err(Errno::EINVAL),
            }
        }
        _ => return None,
    })
}
