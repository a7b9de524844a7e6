//! Sockets: what every socket family shares, and the families.
//!
//! A socket is an open file whose I/O object also implements [`Socket`]
//! (reached through [`FileOps::as_socket`]). The system-call layer
//! (syscall/socket.rs) decodes user memory (addresses, iovecs, control
//! messages) and calls the family through this trait; the family owns its
//! queues, states and wake-ups.
//!
//! Only AF_UNIX exists so far. Other families fail honestly in
//! [`create`] (EAFNOSUPPORT, as Linux without that family), never with a
//! socket that pretends.

pub mod unix;

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use linux_raw_sys::net as n;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile};
use crate::fs::inode::Stat;

/// Largest number of descriptors one SCM_RIGHTS message may carry
/// (Linux's SCM_MAX_FD).
pub const SCM_MAX_FD: usize = 253;
/// net.core.wmem_default and rmem_default: a new socket's buffer sizes,
/// also the ceilings (wmem_max, rmem_max) for SO_SNDBUF and SO_RCVBUF.
pub const DEFAULT_BUF: usize = 212_992;
/// Smallest buffers SO_SNDBUF and SO_RCVBUF set (SOCK_MIN_SNDBUF/RCVBUF).
const MIN_SNDBUF: usize = 4608;
const MIN_RCVBUF: usize = 2304;
/// net.core.somaxconn: listen(2) clamps its backlog to this.
pub const SOMAXCONN: u32 = 4096;

/// Credentials as SO_PEERCRED and SCM_CREDENTIALS carry them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ucred {
    pub pid: i32,
    pub uid: u32,
    pub gid: u32,
}

impl Ucred {
    /// What a message carries when its sender's credentials were not
    /// attached: pid 0 and the overflow ids (Linux's munged invalid ids).
    pub const NONE: Ucred = Ucred { pid: 0, uid: 65534, gid: 65534 };
    /// SO_PEERCRED of a socket that never had a peer.
    pub const UNSET: Ucred = Ucred { pid: 0, uid: u32::MAX, gid: u32::MAX };

    /// The caller's process with its real ids (what a message carries).
    pub fn current_real() -> Ucred {
        let me = crate::sched::current();
        let c = me.process.creds.lock();
        Ucred { pid: me.process.pid, uid: c.uid, gid: c.gid }
    }

    /// The caller's process with its effective ids (SO_PEERCRED).
    pub fn current_effective() -> Ucred {
        let me = crate::sched::current();
        let c = me.process.creds.lock();
        Ucred { pid: me.process.pid, uid: c.euid, gid: c.egid }
    }
}

/// Ancillary data of one send, already checked and resolved.
#[derive(Default)]
pub struct SendControl {
    /// SCM_RIGHTS: the open files to pass.
    pub rights: Vec<Arc<OpenFile>>,
    /// SCM_CREDENTIALS: the credentials the sender chose to present.
    pub creds: Option<Ucred>,
}

/// What one receive delivers.
#[derive(Default)]
pub struct Received {
    /// The bytes received (at most what was asked for).
    pub data: Vec<u8>,
    /// The call's result: `data.len()`, or the whole datagram's length
    /// with MSG_TRUNC.
    pub len: usize,
    /// msg_flags: MSG_TRUNC, MSG_EOR, ...
    pub flags: u32,
    /// The sender's address (None: the sender is unnamed or the family
    /// does not report one).
    pub from: Option<Vec<u8>>,
    /// SCM_CREDENTIALS to deliver (the receiver asked with SO_PASSCRED).
    pub creds: Option<Ucred>,
    /// SCM_RIGHTS: open files to install in the receiver.
    pub rights: Vec<Arc<OpenFile>>,
}

/// The operations of a socket family (Linux's proto_ops). Addresses are
/// raw `struct sockaddr` bytes as the caller passed them.
pub trait Socket: Send + Sync {
    /// The options every socket has.
    fn options(&self) -> &SocketOptions;
    /// SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET.
    fn sock_type(&self) -> u32;
    /// AF_UNIX, ...
    fn family(&self) -> u32;
    /// bind(2)
    fn bind(&self, addr: &[u8]) -> KResult<()>;
    /// connect(2); `nonblock` from O_NONBLOCK.
    fn connect(&self, addr: &[u8], nonblock: bool) -> KResult<()>;
    /// listen(2) with the clamped backlog.
    fn listen(&self, backlog: u32) -> KResult<()>;
    /// accept(2): the new connection's I/O object.
    fn accept(&self, nonblock: bool) -> KResult<Arc<dyn FileOps>>;
    /// sendmsg(2) of `data`, to `to` if given. `nonblock` combines
    /// O_NONBLOCK and MSG_DONTWAIT.
    fn send(&self, data: &[u8], to: Option<&[u8]>, control: SendControl, flags: u32, nonblock: bool) -> KResult<usize>;
    /// recvmsg(2) of at most `len` bytes.
    fn recv(&self, len: usize, flags: u32, nonblock: bool) -> KResult<Received>;
    /// shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR.
    fn shutdown(&self, how: u32) -> KResult<()>;
    /// getsockname(2): the address bytes.
    fn local_name(&self) -> Vec<u8>;
    /// getpeername(2): the address bytes, ENOTCONN without a peer.
    fn peer_name(&self) -> KResult<Vec<u8>>;
    /// Family-specific SOL_SOCKET options for getsockopt (SO_ACCEPTCONN,
    /// SO_ERROR, SO_PEERCRED...): None if the family has no such option.
    fn get_option(&self, name: u32) -> Option<KResult<Vec<u8>>>;
    /// SIOCINQ (FIONREAD) and SIOCOUTQ.
    fn queued(&self, outgoing: bool) -> KResult<usize>;
}

/// Options kept for every socket (the SOL_SOCKET level that does not
/// depend on the family), read and changed by get/setsockopt.
pub struct SocketOptions {
    sndbuf: core::sync::atomic::AtomicUsize,
    rcvbuf: core::sync::atomic::AtomicUsize,
    /// SO_RCVTIMEO and SO_SNDTIMEO in nanoseconds (0: wait forever).
    rcvtimeo: AtomicU64,
    sndtimeo: AtomicU64,
    /// SO_PASSCRED, SO_REUSEADDR, ... as bits of `flags`.
    flags: core::sync::atomic::AtomicU32,
    /// SO_LINGER (on, seconds).
    linger: kevlar_hal::sync::SpinLock<(i32, i32)>,
    /// SO_PRIORITY, SO_RCVLOWAT.
    priority: core::sync::atomic::AtomicI32,
    rcvlowat: core::sync::atomic::AtomicI32,
    /// The socket's inode number (fstat, /proc/PID/fd).
    ino: u64,
    /// Who created it (fstat's owner).
    owner: (u32, u32),
}

/// Boolean SOL_SOCKET options: each one's bit in SocketOptions::flags.
const BOOL_OPTIONS: &[u32] = &[n::SO_PASSCRED, n::SO_REUSEADDR, n::SO_REUSEPORT, n::SO_KEEPALIVE, n::SO_BROADCAST, n::SO_DONTROUTE, n::SO_OOBINLINE];

fn bool_bit(name: u32) -> Option<u32> {
    BOOL_OPTIONS.iter().position(|&o| o == name).map(|i| 1 << i)
}

static NEXT_SOCKET_INO: AtomicU64 = AtomicU64::new(1000);

impl SocketOptions {
    /// Defaults of a new socket created by the caller.
    pub fn new() -> SocketOptions {
        let c = crate::syscall::creds();
        SocketOptions {
            sndbuf: DEFAULT_BUF.into(),
            rcvbuf: DEFAULT_BUF.into(),
            rcvtimeo: AtomicU64::new(0),
            sndtimeo: AtomicU64::new(0),
            flags: 0.into(),
            linger: kevlar_hal::sync::SpinLock::new((0, 0)),
            priority: 0.into(),
            rcvlowat: 1.into(),
            ino: NEXT_SOCKET_INO.fetch_add(1, Ordering::Relaxed),
            owner: (c.fsuid, c.fsgid),
        }
    }

    /// Takes over the boolean options of `other` (a connection accepted
    /// from a listener inherits its SO_PASSCRED).
    pub fn inherit_flags(&self, other: &SocketOptions) {
        self.flags.store(other.flags.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// The inode number.
    pub fn ino(&self) -> u64 {
        self.ino
    }

    /// SO_SNDBUF.
    pub fn sndbuf(&self) -> usize {
        self.sndbuf.load(Ordering::Relaxed)
    }

    /// SO_RCVBUF.
    pub fn rcvbuf(&self) -> usize {
        self.rcvbuf.load(Ordering::Relaxed)
    }

    /// SO_PASSCRED.
    pub fn passcred(&self) -> bool {
        self.flag(n::SO_PASSCRED)
    }

    fn flag(&self, name: u32) -> bool {
        bool_bit(name).is_some_and(|b| self.flags.load(Ordering::Relaxed) & b != 0)
    }

    /// The deadline of a receive (`send` false) or send starting now:
    /// None waits forever.
    pub fn deadline(&self, send: bool) -> Option<u64> {
        let t = if send { self.sndtimeo.load(Ordering::Relaxed) } else { self.rcvtimeo.load(Ordering::Relaxed) };
        (t != 0).then(|| crate::time::monotonic_ns().saturating_add(t))
    }

    /// fstat of the socket.
    pub fn stat(&self) -> Stat {
        let now = crate::time::realtime();
        Stat {
            dev: crate::fs::inode::make_dev(0, 8),
            ino: self.ino,
            mode: 0o140777,
            nlink: 1,
            uid: self.owner.0,
            gid: self.owner.1,
            blksize: 4096,
            atime: now,
            mtime: now,
            ctime: now,
            ..Default::default()
        }
    }

    /// setsockopt(SOL_SOCKET, name): EINVAL for values shorter than an
    /// int, ENOPROTOOPT for options this kernel does not have.
    pub fn set(&self, name: u32, val: &[u8]) -> KResult<()> {
        use crate::process::creds::CAP_NET_ADMIN;
        if val.len() < 4 {
            return Err(Errno::EINVAL);
        }
        let int = i32::from_ne_bytes([val[0], val[1], val[2], val[3]]);
        if let Some(bit) = bool_bit(name) {
            if int != 0 {
                self.flags.fetch_or(bit, Ordering::Relaxed);
            } else {
                self.flags.fetch_and(!bit, Ordering::Relaxed);
            }
            return Ok(());
        }
        // Buffer sizes are doubled (the kernel's bookkeeping overhead),
        // clamped to [min, 2 * max]; the FORCE variants skip the maximum.
        let clamp = |v: i32, max: Option<usize>, min: usize| -> usize {
            let v = v.max(0) as usize;
            let v = max.map_or(v, |m| v.min(m));
            (v * 2).max(min)
        };
        match name {
            n::SO_SNDBUF => self.sndbuf.store(clamp(int, Some(DEFAULT_BUF), MIN_SNDBUF), Ordering::Relaxed),
            n::SO_RCVBUF => self.rcvbuf.store(clamp(int, Some(DEFAULT_BUF), MIN_RCVBUF), Ordering::Relaxed),
            n::SO_SNDBUFFORCE | n::SO_RCVBUFFORCE => {
                if !crate::syscall::creds().capable(CAP_NET_ADMIN) {
                    return Err(Errno::EPERM);
                }
                if name == n::SO_SNDBUFFORCE {
                    self.sndbuf.store(clamp(int, None, MIN_SNDBUF), Ordering::Relaxed);
                } else {
                    self.rcvbuf.store(clamp(int, None, MIN_RCVBUF), Ordering::Relaxed);
                }
            }
            n::SO_RCVTIMEO_OLD | n::SO_SNDTIMEO_OLD | n::SO_RCVTIMEO_NEW | n::SO_SNDTIMEO_NEW => {
                let ns = timeout_from_timeval(val)?;
                let rcv = name == n::SO_RCVTIMEO_OLD || name == n::SO_RCVTIMEO_NEW;
                let slot = if rcv { &self.rcvtimeo } else { &self.sndtimeo };
                slot.store(ns, Ordering::Relaxed);
            }
            n::SO_LINGER => {
                if val.len() < 8 {
                    return Err(Errno::EINVAL);
                }
                let secs = i32::from_ne_bytes([val[4], val[5], val[6], val[7]]);
                *self.linger.lock() = (i32::from(int != 0), secs);
            }
            n::SO_PRIORITY => {
                if !(0..=6).contains(&int) && !crate::syscall::creds().capable(CAP_NET_ADMIN) {
                    return Err(Errno::EPERM);
                }
                self.priority.store(int, Ordering::Relaxed);
            }
            n::SO_RCVLOWAT => self.rcvlowat.store(int.max(1), Ordering::Relaxed),
            _ => return Err(Errno::ENOPROTOOPT),
        }
        Ok(())
    }

    /// getsockopt(SOL_SOCKET, name) for the options kept here.
    pub fn get(&self, name: u32) -> Option<Vec<u8>> {
        let int = |v: i32| Some(v.to_ne_bytes().to_vec());
        if bool_bit(name).is_some() {
            return int(i32::from(self.flag(name)));
        }
        match name {
            n::SO_SNDBUF => int(self.sndbuf() as i32),
            n::SO_RCVBUF => int(self.rcvbuf() as i32),
            n::SO_RCVTIMEO_OLD | n::SO_RCVTIMEO_NEW => Some(timeval_bytes(self.rcvtimeo.load(Ordering::Relaxed))),
            n::SO_SNDTIMEO_OLD | n::SO_SNDTIMEO_NEW => Some(timeval_bytes(self.sndtimeo.load(Ordering::Relaxed))),
            n::SO_LINGER => {
                let (on, secs) = *self.linger.lock();
                let mut v = on.to_ne_bytes().to_vec();
                v.extend_from_slice(&secs.to_ne_bytes());
                Some(v)
            }
            n::SO_PRIORITY => int(self.priority.load(Ordering::Relaxed)),
            n::SO_RCVLOWAT => int(self.rcvlowat.load(Ordering::Relaxed)),
            n::SO_SNDLOWAT => int(1),
            _ => None,
        }
    }
}

impl Default for SocketOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// A `struct timeval` timeout as nanoseconds (0: forever). EDOM for
/// microseconds out of range; a negative time means "do not wait" on
/// Linux, which we store as the shortest wait.
fn timeout_from_timeval(val: &[u8]) -> KResult<u64> {
    if val.len() < 16 {
        return Err(Errno::EINVAL);
    }
    let sec = i64::from_ne_bytes(val[0..8].try_into().map_err(|_| Errno::EINVAL)?);
    let usec = i64::from_ne_bytes(val[8..16].try_into().map_err(|_| Errno::EINVAL)?);
    if !(0..1_000_000).contains(&usec) {
        return Err(Errno::EDOM);
    }
    if sec < 0 {
        return Ok(1);
    }
    if sec == 0 && usec == 0 {
        return Ok(0);
    }
    Ok((sec as u64).saturating_mul(1_000_000_000).saturating_add(usec as u64 * 1000))
}

fn timeval_bytes(ns: u64) -> Vec<u8> {
    let sec = (ns / 1_000_000_000) as i64;
    let usec = ((ns % 1_000_000_000) / 1000) as i64;
    let mut v = sec.to_ne_bytes().to_vec();
    v.extend_from_slice(&usec.to_ne_bytes());
    v
}

/// Linux's socket types (the low four bits of socket(2)'s type).
pub const SOCK_TYPE_MASK: u32 = 0xf;
/// Families and types Linux knows of (NPROTO, SOCK_MAX).
const NPROTO: u32 = 46;
const SOCK_MAX: u32 = 11;

/// socket(2) for one family: the socket's I/O object. EAFNOSUPPORT for a
/// family this kernel does not have.
pub fn create(family: u32, ty: u32, protocol: u32) -> KResult<Arc<dyn FileOps>> {
    if family >= NPROTO {
        return Err(Errno::EAFNOSUPPORT);
    }
    if ty >= SOCK_MAX {
        return Err(Errno::EINVAL);
    }
    match family {
        n::AF_UNIX => Ok(unix::UnixSocket::create(ty, protocol)?),
        _ => Err(Errno::EAFNOSUPPORT),
    }
}

/// socketpair(2): two connected sockets. Families that exist in Linux
/// but cannot make pairs (AF_INET) fail with EOPNOTSUPP there; without
/// them here, EAFNOSUPPORT except for those two, which Linux would
/// refuse anyway.
pub fn create_pair(family: u32, ty: u32, protocol: u32) -> KResult<(Arc<dyn FileOps>, Arc<dyn FileOps>)> {
    if family >= NPROTO {
        return Err(Errno::EAFNOSUPPORT);
    }
    if ty >= SOCK_MAX {
        return Err(Errno::EINVAL);
    }
    match family {
        n::AF_UNIX => {
            let (a, b) = unix::UnixSocket::pair(ty, protocol)?;
            Ok((a, b))
        }
        n::AF_INET | n::AF_INET6 => Err(Errno::EOPNOTSUPP),
        _ => Err(Errno::EAFNOSUPPORT),
    }
}

/// The socket behind an open file, ENOTSOCK if it is not one.
pub fn socket_of(file: &OpenFile) -> KResult<&dyn Socket> {
    file.ops().as_socket().ok_or(Errno::ENOTSOCK)
}
