//! The socket calls: socket, socketpair, bind, connect, listen, accept4,
//! getsockname, getpeername, send/recv in all their forms, shutdown and
//! socket options. This layer moves addresses, iovecs and control
//! messages between user memory and the family's `net::Socket`, with
//! Linux's checks on each (net/socket.c and net/core/scm.c).

use alloc::sync::Arc;
use alloc::vec::Vec;

use linux_raw_sys::general as g;
use linux_raw_sys::net as n;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::fs_io::{IoVec, gather_vecs, read_iovecs};
use super::{file, install_file};
use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile};
use crate::mm::uaccess::{UserPtr, read_bytes, write_bytes};
use crate::net::{self, Received, SendControl, Ucred};

/// sizeof(struct sockaddr_storage): the longest address a call takes.
const SOCKADDR_MAX: usize = 128;
/// The most iovecs in one message (UIO_MAXIOV), also sendmmsg's batch.
const UIO_MAXIOV: usize = 1024;
/// Longest control buffer a send may pass (net.core.optmem_max).
const OPTMEM_MAX: usize = 131_072;
/// recvmmsg: wait only for the first message.
const MSG_WAITFORONE: u32 = 0x10000;
/// sizeof(struct cmsghdr).
const CMSG_HDR: usize = 16;
/// The flags socket(2) and accept4(2) take besides the type.
const SOCK_FLAGS: u32 = g::O_CLOEXEC | g::O_NONBLOCK;

/// `struct msghdr`.
#[derive(Clone, Copy, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct MsgHdr {
    name: u64,
    namelen: u32,
    _pad: u32,
    iov: u64,
    iovlen: u64,
    control: u64,
    controllen: u64,
    flags: u32,
    _pad2: u32,
}

const CMSG_LEN_OFFSET: usize = 0;

fn cmsg_align(len: usize) -> usize {
    len.div_ceil(8) * 8
}

/// The socket behind `fd`: EBADF, then ENOTSOCK.
fn socket_file(fd: i32) -> KResult<Arc<OpenFile>> {
    let f = file(fd)?;
    net::socket_of(&f)?;
    Ok(f)
}

/// Copies an address in (move_addr_to_kernel): EINVAL beyond a
/// sockaddr_storage.
fn read_addr(addr: usize, len: i32) -> KResult<Vec<u8>> {
    let len = usize::try_from(len).map_err(|_| Errno::EINVAL)?;
    if len > SOCKADDR_MAX {
        return Err(Errno::EINVAL);
    }
    if len == 0 {
        return Ok(Vec::new());
    }
    read_bytes(addr, len)
}

/// Copies an address out (move_addr_to_user): as much as the caller's
/// length allows, and the full length back in `*len_ptr`.
fn write_addr(addr: &[u8], uaddr: usize, len_ptr: usize) -> KResult<()> {
    let ulen = UserPtr::<i32>::new(len_ptr).read()?;
    let ulen = usize::try_from(ulen).map_err(|_| Errno::EINVAL)?;
    let n = ulen.min(addr.len());
    if n > 0 {
        write_bytes(uaddr, &addr[..n])?;
    }
    UserPtr::<i32>::new(len_ptr).write(&(addr.len() as i32))
}

/// Splits socket(2)'s type into the type and O_CLOEXEC/O_NONBLOCK.
fn split_type(ty: u32) -> KResult<(u32, u32)> {
    let flags = ty & !net::SOCK_TYPE_MASK;
    if flags & !SOCK_FLAGS != 0 {
        return Err(Errno::EINVAL);
    }
    Ok((ty & net::SOCK_TYPE_MASK, flags))
}

fn socket_open_file(ops: Arc<dyn FileOps>, flags: u32) -> Arc<OpenFile> {
    OpenFile::new(ops, None, g::O_RDWR | (flags & g::O_NONBLOCK))
}

/// socket(2)
pub fn sys_socket(domain: u32, ty: u32, protocol: u32) -> KResult<usize> {
    let (ty, flags) = split_type(ty)?;
    let ops = net::create(domain, ty, protocol)?;
    Ok(install_file(socket_open_file(ops, flags), flags & g::O_CLOEXEC != 0)? as usize)
}

/// socketpair(2)
pub fn sys_socketpair(domain: u32, ty: u32, protocol: u32, sv: usize) -> KResult<usize> {
    let (ty, flags) = split_type(ty)?;
    let (a, b) = net::create_pair(domain, ty, protocol)?;
    let cloexec = flags & g::O_CLOEXEC != 0;
    let me = crate::sched::current();
    let files = me.files();
    let limit = super::fs_open::nofile_limit();
    let (fa, fb) = {
        let mut t = files.lock();
        let fa = t.alloc(socket_open_file(a, flags), cloexec, 0, limit)?;
        match t.alloc(socket_open_file(b, flags), cloexec, 0, limit) {
            Ok(fb) => (fa, fb),
            Err(e) => {
                let _ = t.remove(fa);
                return Err(e);
            }
        }
    };
    if let Err(e) = UserPtr::<[i32; 2]>::new(sv).write(&[fa, fb]) {
        let mut t = files.lock();
        let _ = t.remove(fa);
        let _ = t.remove(fb);
        return Err(e);
    }
    Ok(0)
}

/// bind(2)
pub fn sys_bind(fd: i32, addr: usize, len: i32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let addr = read_addr(addr, len)?;
    net::socket_of(&f)?.bind(&addr)?;
    Ok(0)
}

/// connect(2)
pub fn sys_connect(fd: i32, addr: usize, len: i32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let addr = read_addr(addr, len)?;
    net::socket_of(&f)?.connect(&addr, f.nonblocking())?;
    Ok(0)
}

/// listen(2): the backlog is clamped to net.core.somaxconn (a negative
/// one, taken as unsigned, too).
pub fn sys_listen(fd: i32, backlog: i32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let backlog = (backlog as u32).min(net::SOMAXCONN);
    net::socket_of(&f)?.listen(backlog)?;
    Ok(0)
}

/// accept4(2) (and accept): the address is delivered before the new
/// descriptor is installed, so a bad address buffer loses the connection
/// with EFAULT, as on Linux.
pub fn sys_accept4(fd: i32, addr: usize, len_ptr: usize, flags: u32) -> KResult<usize> {
    if flags & !SOCK_FLAGS != 0 {
        return Err(Errno::EINVAL);
    }
    let f = socket_file(fd)?;
    let conn = net::socket_of(&f)?.accept(f.nonblocking())?;
    let new = socket_open_file(conn, flags);
    if addr != 0 {
        let peer = net::socket_of(&new)?.peer_name().unwrap_or_default();
        write_addr(&peer, addr, len_ptr)?;
    }
    Ok(install_file(new, flags & g::O_CLOEXEC != 0)? as usize)
}

/// getsockname(2)
pub fn sys_getsockname(fd: i32, addr: usize, len_ptr: usize) -> KResult<usize> {
    let f = socket_file(fd)?;
    let name = net::socket_of(&f)?.local_name();
    write_addr(&name, addr, len_ptr)?;
    Ok(0)
}

/// getpeername(2)
pub fn sys_getpeername(fd: i32, addr: usize, len_ptr: usize) -> KResult<usize> {
    let f = socket_file(fd)?;
    let name = net::socket_of(&f)?.peer_name()?;
    write_addr(&name, addr, len_ptr)?;
    Ok(0)
}

/// shutdown(2)
pub fn sys_shutdown(fd: i32, how: i32) -> KResult<usize> {
    let f = socket_file(fd)?;
    net::socket_of(&f)?.shutdown(how as u32)?;
    Ok(0)
}

/// sendto(2) (and send): an address of length 0 means none.
pub fn sys_sendto(fd: i32, buf: usize, len: usize, flags: u32, addr: usize, addrlen: i32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let len = len.min(i32::MAX as usize);
    let data = if len == 0 { Vec::new() } else { read_bytes(buf, len)? };
    let to = if addr != 0 && addrlen != 0 { Some(read_addr(addr, addrlen)?) } else { None };
    send(&f, &data, to.as_deref(), SendControl::default(), flags)
}

fn send(f: &OpenFile, data: &[u8], to: Option<&[u8]>, control: SendControl, flags: u32) -> KResult<usize> {
    let nonblock = f.nonblocking() || flags & n::MSG_DONTWAIT != 0;
    let r = net::socket_of(f)?.send(data, to, control, flags, nonblock);
    if r.as_ref().is_ok_and(|&n| n > 0) {
        crate::fs::notify::modified(f);
    }
    r
}

/// recvfrom(2) (and recv). Descriptors that came with the data are
/// closed: there is nowhere to put them.
pub fn sys_recvfrom(fd: i32, buf: usize, len: usize, flags: u32, addr: usize, len_ptr: usize) -> KResult<usize> {
    let f = socket_file(fd)?;
    let len = len.min(i32::MAX as usize);
    let got = recv(&f, len, flags)?;
    write_bytes(buf, &got.data)?;
    if addr != 0 {
        write_addr(got.from.as_deref().unwrap_or(&[]), addr, len_ptr)?;
    }
    Ok(got.len)
}

fn recv(f: &OpenFile, len: usize, flags: u32) -> KResult<Received> {
    let nonblock = f.nonblocking() || flags & n::MSG_DONTWAIT != 0;
    let got = net::socket_of(f)?.recv(len, flags, nonblock)?;
    if !got.data.is_empty() {
        crate::fs::notify::accessed(f);
    }
    Ok(got)
}

/// The checked parts of a user `struct msghdr` for a send.
struct SendMsg {
    to: Option<Vec<u8>>,
    data: Vec<u8>,
    control: SendControl,
}

/// Reads a msghdr and everything it points to for sendmsg
/// (copy_msghdr_from_user, then scm_send's control-message checks).
fn read_send_msg(hdr: &MsgHdr, is_unix: bool) -> KResult<SendMsg> {
    let namelen = (hdr.namelen as i32).max(-1);
    if namelen < 0 {
        return Err(Errno::EINVAL);
    }
    let to = if hdr.name != 0 && namelen > 0 {
        Some(read_addr(hdr.name as usize, namelen.min(SOCKADDR_MAX as i32))?)
    } else {
        None
    };
    if hdr.iovlen as usize > UIO_MAXIOV {
        return Err(Errno::EMSGSIZE);
    }
    let vecs = read_iovecs(hdr.iov as usize, hdr.iovlen as usize)?;
    if hdr.controllen > i32::MAX as u64 {
        return Err(Errno::ENOBUFS);
    }
    let controllen = hdr.controllen as usize;
    if controllen > OPTMEM_MAX {
        return Err(Errno::ENOBUFS);
    }
    let ctl = if controllen > 0 { read_bytes(hdr.control as usize, controllen)? } else { Vec::new() };
    let control = parse_control(&ctl, is_unix)?;
    let data = gather_vecs(&vecs)?;
    Ok(SendMsg { to, data, control })
}

/// Decodes SOL_SOCKET control messages of a send (__scm_send): every
/// header must fit; SCM_RIGHTS holds at most SCM_MAX_FD descriptors in
/// all (AF_UNIX only), SCM_CREDENTIALS exactly one ucred the sender may
/// claim; other levels are ignored and other types are EINVAL.
fn parse_control(ctl: &[u8], is_unix: bool) -> KResult<SendControl> {
    let mut out = SendControl::default();
    let mut at = 0;
    while at + CMSG_HDR <= ctl.len() {
        let len = u64::from_ne_bytes(ctl[at + CMSG_LEN_OFFSET..at + 8].try_into().map_err(|_| Errno::EINVAL)?) as usize;
        let level = i32::from_ne_bytes(ctl[at + 8..at + 12].try_into().map_err(|_| Errno::EINVAL)?);
        let ty = i32::from_ne_bytes(ctl[at + 12..at + 16].try_into().map_err(|_| Errno::EINVAL)?);
        if len < CMSG_HDR || len > ctl.len() - at {
            return Err(Errno::EINVAL);
        }
        let body = &ctl[at + CMSG_HDR..at + len];
        if level == n::SOL_SOCKET as i32 {
            match ty as u32 {
                n::SCM_RIGHTS => {
                    if !is_unix {
                        return Err(Errno::EINVAL);
                    }
                    let count = body.len() / 4;
                    if count > net::SCM_MAX_FD || out.rights.len() + count > net::SCM_MAX_FD {
                        return Err(Errno::EINVAL);
                    }
                    for k in 0..count {
                        let fd = i32::from_ne_bytes([body[4 * k], body[4 * k + 1], body[4 * k + 2], body[4 * k + 3]]);
                        out.rights.push(file(fd)?);
                    }
                }
                n::SCM_CREDENTIALS => {
                    if len != CMSG_HDR + 12 {
                        return Err(Errno::EINVAL);
                    }
                    let word = |i: usize| u32::from_ne_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
                    let claimed = Ucred { pid: word(0) as i32, uid: word(4), gid: word(8) };
                    check_claimed_creds(&claimed)?;
                    out.creds = Some(claimed);
                }
                _ => return Err(Errno::EINVAL),
            }
        }
        at += cmsg_align(len);
    }
    Ok(out)
}

/// scm_check_creds: the sender may claim its own process (or any with
/// CAP_SYS_ADMIN), one of its user ids (or any with CAP_SETUID) and one
/// of its group ids (or any with CAP_SETGID); a claimed pid must exist.
fn check_claimed_creds(c: &Ucred) -> KResult<()> {
    use crate::process::creds::{CAP_SETGID, CAP_SETUID, CAP_SYS_ADMIN};
    let me = crate::sched::current();
    let cr = me.process.creds.lock().clone();
    let pid_ok = c.pid == me.process.pid || cr.capable(CAP_SYS_ADMIN);
    let uid_ok = [cr.uid, cr.euid, cr.suid].contains(&c.uid) || cr.capable(CAP_SETUID);
    let gid_ok = [cr.gid, cr.egid, cr.sgid].contains(&c.gid) || cr.capable(CAP_SETGID);
    if !(pid_ok && uid_ok && gid_ok) {
        return Err(Errno::EPERM);
    }
    if c.pid != me.process.pid && crate::process::find_process(c.pid).is_none() {
        return Err(Errno::ESRCH);
    }
    Ok(())
}

/// sendmsg(2)
pub fn sys_sendmsg(fd: i32, msg: usize, flags: u32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let hdr = UserPtr::<MsgHdr>::new(msg).read()?;
    sendmsg_one(&f, &hdr, flags)
}

fn sendmsg_one(f: &OpenFile, hdr: &MsgHdr, flags: u32) -> KResult<usize> {
    let is_unix = net::socket_of(f)?.family() == n::AF_UNIX;
    let m = read_send_msg(hdr, is_unix)?;
    send(f, &m.data, m.to.as_deref(), m.control, flags)
}

/// sendmmsg(2): sends until one fails; the count sent, or the error if
/// none was.
pub fn sys_sendmmsg(fd: i32, vec: usize, vlen: u32, flags: u32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let vlen = (vlen as usize).min(UIO_MAXIOV);
    let mut sent = 0;
    while sent < vlen {
        let at = vec + sent * MMSG_SIZE;
        let r = UserPtr::<MsgHdr>::new(at).read().and_then(|hdr| sendmsg_one(&f, &hdr, flags));
        match r {
            Ok(n) => UserPtr::<u32>::new(at + core::mem::size_of::<MsgHdr>()).write(&(n as u32))?,
            Err(e) if sent == 0 => return Err(e),
            Err(_) => break,
        }
        sent += 1;
    }
    Ok(sent)
}

/// sizeof(struct mmsghdr): a msghdr and the length, padded.
const MMSG_SIZE: usize = 64;

/// recvmsg(2)
pub fn sys_recvmsg(fd: i32, msg: usize, flags: u32) -> KResult<usize> {
    let f = socket_file(fd)?;
    recvmsg_one(&f, msg, flags)
}

fn recvmsg_one(f: &OpenFile, msg: usize, flags: u32) -> KResult<usize> {
    let mut hdr = UserPtr::<MsgHdr>::new(msg).read()?;
    if hdr.iovlen as usize > UIO_MAXIOV {
        return Err(Errno::EMSGSIZE);
    }
    let vecs = read_iovecs(hdr.iov as usize, hdr.iovlen as usize)?;
    let total: usize = vecs.iter().map(|v| v.len as usize).sum();
    let got = recv(f, total, flags)?;
    scatter(&vecs, &got.data)?;
    if hdr.name != 0 {
        let from = got.from.clone().unwrap_or_default();
        let n = (hdr.namelen as usize).min(from.len());
        if (hdr.namelen as i32) < 0 {
            return Err(Errno::EINVAL);
        }
        if n > 0 {
            write_bytes(hdr.name as usize, &from[..n])?;
        }
        hdr.namelen = from.len() as u32;
    }
    let (used, ctrunc) = deliver_control(&hdr, got.creds, got.rights, flags)?;
    hdr.controllen = used as u64;
    hdr.flags = got.flags | if ctrunc { n::MSG_CTRUNC } else { 0 };
    UserPtr::<MsgHdr>::new(msg).write(&hdr)?;
    Ok(got.len)
}

/// Writes received bytes across the caller's iovecs.
fn scatter(vecs: &[IoVec], data: &[u8]) -> KResult<()> {
    let mut at = 0;
    for v in vecs {
        if at == data.len() {
            break;
        }
        let take = (v.len as usize).min(data.len() - at);
        write_bytes(v.base as usize, &data[at..at + take])?;
        at += take;
    }
    Ok(())
}

/// Builds the received control messages in the caller's buffer
/// (put_cmsg and scm_detach_fds): credentials first, then descriptors,
/// as many as fit (each installed in the caller's table); what does not
/// fit is dropped and flagged with MSG_CTRUNC. Returns the bytes used.
fn deliver_control(hdr: &MsgHdr, creds: Option<Ucred>, rights: Vec<Arc<OpenFile>>, flags: u32) -> KResult<(usize, bool)> {
    let room = hdr.controllen as usize;
    if hdr.control == 0 {
        // Nowhere to put anything (the files are closed).
        return Ok((0, creds.is_some() || !rights.is_empty()));
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut ctrunc = false;
    let put = |buf: &mut Vec<u8>, ty: u32, body: &[u8]| -> bool {
        let left = room - buf.len();
        if left < CMSG_HDR {
            return false;
        }
        let len = (CMSG_HDR + body.len()).min(left);
        let start = buf.len();
        buf.extend_from_slice(&(len as u64).to_ne_bytes());
        buf.extend_from_slice(&(n::SOL_SOCKET as i32).to_ne_bytes());
        buf.extend_from_slice(&(ty as i32).to_ne_bytes());
        buf.extend_from_slice(&body[..len - CMSG_HDR]);
        let space = cmsg_align(CMSG_HDR + body.len()).min(left);
        buf.resize(start + space, 0);
        len == CMSG_HDR + body.len()
    };
    if let Some(c) = creds {
        let mut body = c.pid.to_ne_bytes().to_vec();
        body.extend_from_slice(&c.uid.to_ne_bytes());
        body.extend_from_slice(&c.gid.to_ne_bytes());
        ctrunc |= !put(&mut buf, n::SCM_CREDENTIALS, &body);
    }
    if !rights.is_empty() {
        let left = room - buf.len();
        let fit = if left > CMSG_HDR { (left - CMSG_HDR) / 4 } else { 0 };
        let cloexec = flags & n::MSG_CMSG_CLOEXEC != 0;
        let mut fds: Vec<i32> = Vec::new();
        for file in rights.iter().take(fit) {
            match install_file(file.clone(), cloexec) {
                Ok(fd) => fds.push(fd),
                Err(_) => break,
            }
        }
        if !fds.is_empty() {
            let body: Vec<u8> = fds.iter().flat_map(|fd| fd.to_ne_bytes()).collect();
            put(&mut buf, n::SCM_RIGHTS, &body);
        }
        if fds.len() < rights.len() {
            ctrunc = true;
        }
    }
    if !buf.is_empty() {
        write_bytes(hdr.control as usize, &buf)?;
    }
    Ok((buf.len(), ctrunc))
}

/// recvmmsg(2): receives until one fails or `vlen` are in; with
/// MSG_WAITFORONE only the first waits. The timeout is checked after
/// each message, as Linux does.
pub fn sys_recvmmsg(fd: i32, vec: usize, vlen: u32, flags: u32, timeout: usize) -> KResult<usize> {
    let f = socket_file(fd)?;
    let deadline = if timeout != 0 {
        let ts = UserPtr::<crate::time::Timespec>::new(timeout).read()?;
        if ts.sec < 0 || !(0..1_000_000_000).contains(&ts.nsec) {
            return Err(Errno::EINVAL);
        }
        Some(crate::time::monotonic_ns().saturating_add(ts.sec as u64 * 1_000_000_000 + ts.nsec as u64))
    } else {
        None
    };
    let vlen = (vlen as usize).min(UIO_MAXIOV);
    let mut flags = flags;
    let mut got = 0;
    while got < vlen {
        let at = vec + got * MMSG_SIZE;
        match recvmsg_one(&f, at, flags & !MSG_WAITFORONE) {
            Ok(n) => UserPtr::<u32>::new(at + core::mem::size_of::<MsgHdr>()).write(&(n as u32))?,
            Err(e) if got == 0 => return Err(e),
            Err(_) => break,
        }
        got += 1;
        if flags & MSG_WAITFORONE != 0 {
            flags |= n::MSG_DONTWAIT;
        }
        if deadline.is_some_and(|d| crate::time::monotonic_ns() >= d) {
            break;
        }
    }
    Ok(got)
}

/// setsockopt(2): only SOL_SOCKET exists for AF_UNIX (EOPNOTSUPP
/// otherwise, as Linux).
pub fn sys_setsockopt(fd: i32, level: i32, name: i32, val: usize, len: i32) -> KResult<usize> {
    let f = socket_file(fd)?;
    let sock = net::socket_of(&f)?;
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    if level != n::SOL_SOCKET as i32 {
        return Err(Errno::EOPNOTSUPP);
    }
    let want = (len as usize).min(64);
    let bytes = if want > 0 { read_bytes(val, want)? } else { Vec::new() };
    sock.options().set(name as u32, &bytes)?;
    Ok(0)
}

/// getsockopt(2): the value cut to the caller's length, and its length
/// back.
pub fn sys_getsockopt(fd: i32, level: i32, name: i32, val: usize, len_ptr: usize) -> KResult<usize> {
    let f = socket_file(fd)?;
    let sock = net::socket_of(&f)?;
    let len = UserPtr::<i32>::new(len_ptr).read()?;
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    if level != n::SOL_SOCKET as i32 {
        return Err(Errno::EOPNOTSUPP);
    }
    let name = name as u32;
    let value = match sock.get_option(name) {
        Some(v) => v?,
        None => sock.options().get(name).ok_or(Errno::ENOPROTOOPT)?,
    };
    let n = (len as usize).min(value.len());
    if n > 0 {
        write_bytes(val, &value[..n])?;
    }
    UserPtr::<i32>::new(len_ptr).write(&(n as i32))?;
    Ok(0)
}
