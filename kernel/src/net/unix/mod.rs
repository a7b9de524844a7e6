//! AF_UNIX sockets (unix(7)): stream, datagram and seqpacket, with the
//! behaviour Linux's af_unix shows to programs.
//!
//! Model. Every socket has a receive queue of messages; a sender puts its
//! message straight into the receiver's queue. A stream reads across
//! message boundaries, a datagram or seqpacket socket reads one message
//! per call. A message is charged to its sender until it is consumed
//! (Linux's sk_wmem_alloc with the same per-message sizes), which is what
//! blocks a fast writer and what POLLOUT and SIOCOUTQ report.
//!
//! A connect to a listening socket makes the server's half at once (an
//! "embryo", already connected to the client, so the client may write
//! before the accept); accept hands the embryo out as a new file.
//!
//! Locking. Each socket has one state lock; no code holds two at once
//! except connect, which takes the listener's and then the client's (a
//! listening socket never connects, so the order cannot invert). Messages
//! and open files are never dropped under a lock: dropping one wakes its
//! sender or releases a file, both of which take locks of their own.

pub mod name;

use alloc::collections::VecDeque;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::net as n;

use self::name::{Address, Name};
use super::{Received, SendControl, Socket, SocketOptions, Ucred};
use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::fs::inode::Stat;
use crate::sched::wait::{WaitQueue, sleep_on};

/// sk_shutdown bits.
const RCV_SHUTDOWN: u8 = 1;
const SEND_SHUTDOWN: u8 = 2;
const SHUTDOWN_MASK: u8 = 3;
/// net.unix.max_dgram_qlen: how many datagrams a socket that is not
/// connected back to the sender may hold before senders wait.
const MAX_DGRAM_QLEN: usize = 10;
/// The largest piece one stream send queues at a time: a page of head
/// room and 32 KiB of fragments (Linux's SKB_MAX_HEAD(0) +
/// UNIX_SKB_FRAGS_SZ).
const SKB_MAX_HEAD: usize = 3776;
const STREAM_PIECE: usize = SKB_MAX_HEAD + 32768;
/// Longest read(2) on a socket in one call.
const READ_MAX: usize = 1 << 20;

/// What a socket is doing (Linux's sk_state for AF_UNIX).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Conn {
    /// Not connected (TCP_CLOSE).
    Closed,
    /// Accepting connections.
    Listening,
    /// Connected (for a datagram socket: has a default destination).
    Established,
}

/// One queued message (Linux's skb on a unix socket).
struct Message {
    data: Vec<u8>,
    /// Bytes of `data` already read (streams read messages in parts).
    consumed: usize,
    /// SCM_RIGHTS carried (taken by the first read that reaches it).
    rights: Vec<Arc<OpenFile>>,
    /// The sender's credentials, if attached.
    creds: Option<Ucred>,
    /// The sending socket: its name when the message is read is the
    /// source address (as Linux reads skb->sk), and it is charged
    /// `charge` bytes until the message goes away.
    sender: Arc<UnixSocket>,
    charge: usize,
}

impl Message {
    fn remaining(&self) -> usize {
        self.data.len() - self.consumed
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        // Its memory is given back to the sender, which may write again.
        self.sender.wmem.fetch_sub(self.charge, Ordering::Relaxed);
        self.sender.waiters.wake_with(PollEvents::OUT | PollEvents::WRNORM | PollEvents::WRBAND);
    }
}

/// What a message costs its sender (Linux's skb truesize): the data in a
/// kmalloc'd head up to a page and whole pages beyond, plus the sk_buff
/// and skb_shared_info bookkeeping.
fn truesize(len: usize) -> usize {
    const SHINFO: usize = 320;
    const SKB: usize = 256;
    let frags = if len > SKB_MAX_HEAD { (len - SKB_MAX_HEAD).div_ceil(4096) * 4096 } else { 0 }.min(len);
    let head = len - frags;
    let want = head.div_ceil(64) * 64 + SHINFO;
    let slab = match want {
        0..=96 => 96,
        97..=192 => 192,
        _ => want.next_power_of_two(),
    };
    // The head's usable part (slab - SHINFO) plus both structures.
    slab + SKB + frags
}

struct State {
    conn: Conn,
    /// The connected peer (kept after it closes, as Linux keeps it: the
    /// peer's name stays visible and writes fail with EPIPE).
    peer: Option<Arc<UnixSocket>>,
    name: Option<Arc<Name>>,
    rx: VecDeque<Message>,
    /// Unread bytes in `rx` (SIOCINQ of a stream).
    rx_bytes: usize,
    /// A listener's connections not yet accepted.
    pending: VecDeque<Arc<UnixSocket>>,
    /// A listener's backlog; for a datagram socket, max_dgram_qlen.
    backlog: usize,
    shutdown: u8,
    /// A pending error (sk_err), reported once.
    err: Option<Errno>,
    /// SO_PEERCRED.
    peercred: Option<Ucred>,
    /// Released: no file refers to it any more.
    dead: bool,
    /// Has a file (false for an embryo not yet accepted).
    has_file: bool,
}

/// An AF_UNIX socket.
pub struct UnixSocket {
    ty: u32,
    me: Weak<UnixSocket>,
    opts: SocketOptions,
    state: SpinLock<State>,
    /// Woken when anything about this socket changes: data or a
    /// connection arrives, room frees up for its sends, it or its peer
    /// shuts down. Senders waiting for room in a full datagram queue
    /// sleep here too.
    waiters: WaitQueue,
    /// Bytes of this socket's messages still queued at receivers.
    wmem: AtomicUsize,
}

/// Errors of a wait with a socket timeout: the deadline passing is EAGAIN,
/// and a signal interrupts a timed wait with EINTR (sock_intr_errno).
fn wait_error(e: Errno, timed: bool) -> Errno {
    match e {
        Errno::ETIMEDOUT => Errno::EAGAIN,
        Errno::ERESTARTSYS if timed => Errno::EINTR,
        e => e,
    }
}

/// EPIPE, with SIGPIPE unless MSG_NOSIGNAL.
fn broken_pipe(flags: u32) -> Errno {
    if flags & n::MSG_NOSIGNAL == 0 {
        let me = crate::sched::current();
        crate::signal::delivery::send_to_thread(&me, crate::signal::SigInfo::kernel(crate::signal::SIGPIPE, 0, 0));
    }
    Errno::EPIPE
}

impl UnixSocket {
    fn new(ty: u32, has_file: bool) -> Arc<UnixSocket> {
        let sock = Arc::new_cyclic(|me| UnixSocket {
            ty,
            me: me.clone(),
            opts: SocketOptions::new(),
            state: SpinLock::new(State {
                conn: Conn::Closed,
                peer: None,
                name: None,
                rx: VecDeque::new(),
                rx_bytes: 0,
                pending: VecDeque::new(),
                backlog: MAX_DGRAM_QLEN,
                shutdown: 0,
                err: None,
                peercred: None,
                dead: false,
                has_file,
            }),
            waiters: WaitQueue::new(),
            wmem: AtomicUsize::new(0),
        });
        name::register(sock.opts.ino(), Arc::downgrade(&sock));
        sock
    }

    /// socket(AF_UNIX, ty, protocol): EPROTONOSUPPORT for a protocol
    /// other than 0 or PF_UNIX, ESOCKTNOSUPPORT for a type AF_UNIX lacks
    /// (SOCK_RAW is taken as SOCK_DGRAM, as Linux does).
    pub fn create(ty: u32, protocol: u32) -> KResult<Arc<UnixSocket>> {
        if protocol != 0 && protocol != n::AF_UNIX {
            return Err(Errno::EPROTONOSUPPORT);
        }
        let ty = match ty {
            n::SOCK_STREAM | n::SOCK_DGRAM | n::SOCK_SEQPACKET => ty,
            n::SOCK_RAW => n::SOCK_DGRAM,
            _ => return Err(Errno::ESOCKTNOSUPPORT),
        };
        Ok(UnixSocket::new(ty, true))
    }

    /// socketpair(AF_UNIX, ...): two sockets connected to each other,
    /// each with the caller's credentials as SO_PEERCRED.
    pub fn pair(ty: u32, protocol: u32) -> KResult<(Arc<UnixSocket>, Arc<UnixSocket>)> {
        let a = UnixSocket::create(ty, protocol)?;
        let b = UnixSocket::new(a.ty, true);
        let cred = Ucred::current_effective();
        for (x, y) in [(&a, &b), (&b, &a)] {
            let mut st = x.state.lock();
            st.peer = Some(y.clone());
            st.conn = Conn::Established;
            st.peercred = Some(cred);
        }
        Ok((a, b))
    }

    fn arc(&self) -> Arc<UnixSocket> {
        self.me.upgrade().expect("a socket in use is alive")
    }

    fn is_connection_based(&self) -> bool {
        self.ty != n::SOCK_DGRAM
    }

    /// Queue full for senders that are not its peer (unix_recvq_full).
    fn recvq_full(st: &State) -> bool {
        st.rx.len() > st.backlog
    }

    /// Whether our sends have room (unix_writable).
    fn writable(&self, st: &State) -> bool {
        st.conn != Conn::Listening && self.wmem.load(Ordering::Relaxed) * 4 <= self.opts.sndbuf()
    }

    /// Waits on `queues` until `cond` holds, with the socket timeout of a
    /// send or a receive; `nonblock` gives EAGAIN at once.
    fn wait<T>(&self, queues: &[&WaitQueue], send: bool, nonblock: bool, mut cond: impl FnMut() -> Option<T>) -> KResult<T> {
        if let Some(v) = cond() {
            return Ok(v);
        }
        if nonblock {
            return Err(Errno::EAGAIN);
        }
        let deadline = self.opts.deadline(send);
        sleep_on(queues, deadline, cond).map_err(|e| wait_error(e, deadline.is_some()))
    }

    /// Binds to an automatically chosen abstract name if unbound (what
    /// SO_PASSCRED asks for before a send or connect).
    fn autobind_if_passcred(&self) -> KResult<()> {
        if self.opts.passcred() && self.state.lock().name.is_none() {
            self.autobind()?;
        }
        Ok(())
    }

    fn autobind(&self) -> KResult<()> {
        let mut st = self.state.lock();
        if st.name.is_some() {
            return Ok(());
        }
        st.name = Some(name::autobind(self.ty, &self.me)?);
        Ok(())
    }

    /// The socket an address names (unix_find_other): for a path, the
    /// caller needs write permission on the socket file; ECONNREFUSED if
    /// nothing is bound there, EPROTOTYPE for a socket of another type.
    fn find(&self, addr: &Address) -> KResult<Arc<UnixSocket>> {
        let found = match addr {
            Address::Abstract(path) => name::find_abstract(self.ty, path).ok_or(Errno::ECONNREFUSED)?,
            Address::Path(path) => {
                let inode = crate::syscall::lookup_socket_file(path)?;
                let sock = name::find_by_inode(&inode).ok_or(Errno::ECONNREFUSED)?;
                if sock.ty != self.ty {
                    return Err(Errno::EPROTOTYPE);
                }
                sock
            }
        };
        if found.state.lock().dead {
            return Err(Errno::ECONNREFUSED);
        }
        Ok(found)
    }

    /// Credentials a message from us to `other` carries: those the
    /// sender gave, or its own if either end asked for credentials or
    /// the receiver is a connection not yet accepted.
    fn message_creds(&self, other: &UnixSocket, given: Option<Ucred>, other_has_file: bool) -> Option<Ucred> {
        given.or_else(|| (self.opts.passcred() || other.opts.passcred() || !other_has_file).then(Ucred::current_real))
    }

    /// Waits until our messages in flight leave room for another
    /// (sock_alloc_send_pskb): a pending error is returned (and cleared),
    /// a socket shut down for sending gives EPIPE.
    fn wait_for_send_room(&self, nonblock: bool) -> KResult<()> {
        self.wait(&[&self.waiters], true, nonblock, || {
            let mut st = self.state.lock();
            if let Some(e) = st.err.take() {
                return Some(Err(e));
            }
            if st.shutdown & SEND_SHUTDOWN != 0 {
                return Some(Err(Errno::EPIPE));
            }
            (self.wmem.load(Ordering::Relaxed) < self.opts.sndbuf()).then_some(Ok(()))
        })?
    }

    /// A message from us.
    fn new_message(&self, data: Vec<u8>, rights: Vec<Arc<OpenFile>>, creds: Option<Ucred>) -> Message {
        let charge = truesize(data.len());
        self.wmem.fetch_add(charge, Ordering::Relaxed);
        Message { data, consumed: 0, rights, creds, sender: self.arc(), charge }
    }

    /// A sender's address as a receiver reports it (read with no other
    /// socket's lock held: the sender may be the receiver itself).
    fn source_address(sender: Option<Arc<UnixSocket>>) -> Option<Vec<u8>> {
        sender.and_then(|s| s.state.lock().name.as_ref().map(|n| n.sockaddr()))
    }

    // ---- connection-based: stream and seqpacket ----

    fn connect_stream(&self, addr: &[u8], nonblock: bool) -> KResult<()> {
        let target = name::parse(addr)?;
        self.autobind_if_passcred()?;
        let client_cred = Ucred::current_effective();
        loop {
            let listener = self.find(&target)?;
            let mut lst = listener.state.lock();
            if lst.dead || lst.conn != Conn::Listening || lst.shutdown & RCV_SHUTDOWN != 0 {
                return Err(Errno::ECONNREFUSED);
            }
            if core::ptr::eq(listener.as_ref(), self) {
                // A listener connecting to itself: its own state refuses.
                return Err(Errno::EINVAL);
            }
            if lst.pending.len() > lst.backlog {
                drop(lst);
                // Wait for the backlog to drain, then look the name up again.
                let l = listener.clone();
                self.wait(&[&listener.waiters], true, nonblock, move || {
                    let st = l.state.lock();
                    (st.dead || st.conn != Conn::Listening || st.pending.len() <= st.backlog).then_some(())
                })?;
                continue;
            }
            let mut st = self.state.lock();
            match st.conn {
                Conn::Closed => {}
                Conn::Established => return Err(Errno::EISCONN),
                Conn::Listening => return Err(Errno::EINVAL),
            }
            // The server's half, connected to us, with our credentials
            // and the listener's name and SO_PASSCRED.
            let embryo = UnixSocket::new(self.ty, false);
            embryo.opts.inherit_flags(&listener.opts);
            {
                let mut e = embryo.state.lock();
                e.peer = Some(self.arc());
                e.conn = Conn::Established;
                e.peercred = Some(client_cred);
                e.name = lst.name.clone();
            }
            st.peer = Some(embryo.clone());
            st.conn = Conn::Established;
            st.peercred = lst.peercred;
            drop(st);
            lst.pending.push_back(embryo);
            drop(lst);
            listener.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
            return Ok(());
        }
    }

    fn send_stream(&self, data: &[u8], to: Option<&[u8]>, mut control: SendControl, flags: u32, nonblock: bool) -> KResult<usize> {
        let (peer, conn, shutdown) = {
            let st = self.state.lock();
            (st.peer.clone(), st.conn, st.shutdown)
        };
        if to.is_some() {
            return Err(if conn == Conn::Established { Errno::EISCONN } else { Errno::EOPNOTSUPP });
        }
        let peer = peer.ok_or(Errno::ENOTCONN)?;
        if shutdown & SEND_SHUTDOWN != 0 {
            return Err(broken_pipe(flags));
        }
        let mut sent = 0;
        while sent < data.len() {
            let piece = (data.len() - sent).min(self.opts.sndbuf() / 2 - 64).min(STREAM_PIECE);
            if let Err(e) = self.wait_for_send_room(nonblock) {
                return if sent > 0 { Ok(sent) } else { Err(e) };
            }
            let mut chunk = Vec::new();
            chunk.try_reserve_exact(piece).map_err(|_| Errno::ENOBUFS)?;
            chunk.extend_from_slice(&data[sent..sent + piece]);
            let rights = core::mem::take(&mut control.rights);
            let given = control.creds;
            let mut pst = peer.state.lock();
            if pst.dead || pst.shutdown & RCV_SHUTDOWN != 0 {
                drop(pst);
                let e = if sent == 0 { broken_pipe(flags) } else { Errno::EPIPE };
                return if sent > 0 { Ok(sent) } else { Err(e) };
            }
            let creds = self.message_creds(&peer, given, pst.has_file);
            let msg = self.new_message(chunk, rights, creds);
            pst.rx_bytes += piece;
            pst.rx.push_back(msg);
            drop(pst);
            peer.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
            sent += piece;
        }
        Ok(sent)
    }

    fn recv_stream(&self, len: usize, flags: u32, nonblock: bool) -> KResult<Received> {
        if self.state.lock().conn != Conn::Established {
            return Err(Errno::EINVAL);
        }
        if flags & n::MSG_OOB != 0 {
            return Err(Errno::EINVAL);
        }
        let peek = flags & n::MSG_PEEK != 0;
        let lowat = self.opts.get(n::SO_RCVLOWAT).map_or(1, |v| i32::from_ne_bytes([v[0], v[1], v[2], v[3]]) as usize);
        let target = if flags & n::MSG_WAITALL != 0 { len } else { lowat.min(len) }.max(1);
        let passcred = self.opts.passcred();
        let mut out = Received::default();
        let mut creds_seen: Option<Ucred> = None;
        let mut done: Vec<Message> = Vec::new();
        let mut failure: Option<Errno> = None;
        let mut source: Option<Arc<UnixSocket>> = None;
        'outer: loop {
            let mut st = self.state.lock();
            if st.dead {
                failure = Some(Errno::ECONNRESET);
                break;
            }
            let mut index = 0;
            loop {
                let Some(m) = st.rx.get_mut(index) else {
                    // Nothing (more) to read.
                    if out.data.len() >= target || (peek && !out.data.is_empty()) {
                        break 'outer;
                    }
                    if let Some(e) = st.err.take() {
                        failure = Some(e);
                        break 'outer;
                    }
                    if st.shutdown & RCV_SHUTDOWN != 0 {
                        break 'outer;
                    }
                    // (Only reached with nothing taken in this pass, so
                    // at the front of the queue.)
                    drop(st);
                    let r = self.wait(&[&self.waiters], false, nonblock, || {
                        let st = self.state.lock();
                        (!st.rx.is_empty() || st.err.is_some() || st.shutdown & RCV_SHUTDOWN != 0 || st.dead).then_some(())
                    });
                    if let Err(e) = r {
                        failure = Some(e);
                        break 'outer;
                    }
                    continue 'outer;
                };
                if passcred {
                    let c = m.creds.unwrap_or(Ucred::NONE);
                    match creds_seen {
                        // Never glue together messages of different writers.
                        Some(seen) if seen != c => break 'outer,
                        Some(_) => {}
                        None => creds_seen = Some(c),
                    }
                }
                if source.is_none() {
                    source = Some(m.sender.clone());
                }
                let chunk = m.remaining().min(len - out.data.len());
                out.data.try_reserve(chunk).map_err(|_| Errno::ENOMEM)?;
                out.data.extend_from_slice(&m.data[m.consumed..m.consumed + chunk]);
                if peek {
                    if !m.rights.is_empty() {
                        out.rights = m.rights.clone();
                        break 'outer;
                    }
                    index += 1;
                } else {
                    m.consumed += chunk;
                    let got_rights = !m.rights.is_empty();
                    if got_rights {
                        out.rights = core::mem::take(&mut m.rights);
                    }
                    let partly = m.remaining() > 0;
                    st.rx_bytes -= chunk;
                    if partly {
                        break 'outer;
                    }
                    if let Some(m) = st.rx.pop_front() {
                        done.push(m);
                    }
                    if got_rights {
                        break 'outer;
                    }
                }
                if out.data.len() >= len {
                    break 'outer;
                }
            }
        }
        drop(done);
        out.from = Self::source_address(source);
        if out.data.is_empty() {
            if let Some(e) = failure {
                return Err(e);
            }
        }
        out.len = out.data.len();
        if passcred {
            out.creds = Some(creds_seen.unwrap_or(Ucred { pid: 0, uid: 0, gid: 0 }));
        }
        Ok(out)
    }

    // ---- datagrams: dgram and seqpacket ----

    fn connect_dgram(&self, addr: &[u8]) -> KResult<()> {
        if addr.len() < 2 {
            return Err(Errno::EINVAL);
        }
        let family = u16::from_ne_bytes([addr[0], addr[1]]) as u32;
        let other = if family == n::AF_UNSPEC {
            None
        } else {
            let target = name::parse(addr)?;
            self.autobind_if_passcred()?;
            let other = self.find(&target)?;
            let ost = other.state.lock();
            if ost.peer.as_ref().is_some_and(|p| !core::ptr::eq(p.as_ref(), self)) {
                return Err(Errno::EPERM);
            }
            drop(ost);
            Some(other)
        };
        let mut st = self.state.lock();
        let old = core::mem::replace(&mut st.peer, other.clone());
        st.conn = if other.is_some() { Conn::Established } else { Conn::Closed };
        // A new peer: what came from the old one is dropped, and an old
        // peer connected back to us learns with ECONNRESET.
        let changed = match (&old, &other) {
            (Some(o), Some(n)) => !Arc::ptr_eq(o, n),
            (Some(_), None) => true,
            _ => false,
        };
        let mut dropped = VecDeque::new();
        if changed && !st.rx.is_empty() {
            dropped = core::mem::take(&mut st.rx);
            st.rx_bytes = 0;
        }
        drop(st);
        if let (Some(o), false) = (&old, dropped.is_empty()) {
            let mut ost = o.state.lock();
            if !ost.dead && ost.peer.as_ref().is_some_and(|p| core::ptr::eq(p.as_ref(), self)) {
                ost.err = Some(Errno::ECONNRESET);
            }
            drop(ost);
            o.waiters.wake_all();
        }
        drop(dropped);
        Ok(())
    }

    fn send_dgram(&self, data: &[u8], to: Option<&[u8]>, control: SendControl, flags: u32, nonblock: bool) -> KResult<usize> {
        let seqpacket = self.ty == n::SOCK_SEQPACKET;
        if seqpacket {
            let mut st = self.state.lock();
            if let Some(e) = st.err.take() {
                return Err(e);
            }
            if st.conn != Conn::Established {
                return Err(Errno::ENOTCONN);
            }
        }
        if flags & n::MSG_OOB != 0 {
            return Err(Errno::EOPNOTSUPP);
        }
        let to = if seqpacket { None } else { to.map(name::parse).transpose()? };
        self.autobind_if_passcred()?;
        if data.len() > self.opts.sndbuf().saturating_sub(32) {
            return Err(Errno::EMSGSIZE);
        }
        self.wait_for_send_room(nonblock)?;
        let mut payload = Vec::new();
        payload.try_reserve_exact(data.len()).map_err(|_| Errno::ENOBUFS)?;
        payload.extend_from_slice(data);
        let other = match &to {
            Some(addr) => self.find(addr)?,
            None => self.state.lock().peer.clone().ok_or(Errno::ENOTCONN)?,
        };
        let mut pending = Some((payload, control.rights));
        loop {
            let mut ost = other.state.lock();
            let to_self = core::ptr::eq(other.as_ref(), self);
            let connected_back = ost.peer.as_ref().is_some_and(|p| core::ptr::eq(p.as_ref(), self));
            if ost.peer.is_some() && !connected_back {
                return Err(Errno::EPERM);
            }
            if ost.dead {
                drop(ost);
                if seqpacket {
                    return Err(Errno::EPIPE);
                }
                // Our peer is gone: we are disconnected (first send tells).
                let mut st = self.state.lock();
                if st.peer.as_ref().is_some_and(|p| Arc::ptr_eq(p, &other)) {
                    st.peer = None;
                    st.conn = Conn::Closed;
                    let dropped = core::mem::take(&mut st.rx);
                    st.rx_bytes = 0;
                    drop(st);
                    drop(dropped);
                    return Err(Errno::ECONNREFUSED);
                }
                return Err(if to.is_none() { Errno::ECONNRESET } else { Errno::ECONNREFUSED });
            }
            if ost.shutdown & RCV_SHUTDOWN != 0 {
                return Err(Errno::EPIPE);
            }
            if !to_self && !connected_back && Self::recvq_full(&ost) {
                drop(ost);
                let o = other.clone();
                self.wait(&[&other.waiters], true, nonblock, move || {
                    let st = o.state.lock();
                    (st.dead || !Self::recvq_full(&st) || st.shutdown & RCV_SHUTDOWN != 0).then_some(())
                })?;
                continue;
            }
            let (payload, rights) = pending.take().expect("sent once");
            let creds = self.message_creds(&other, control.creds, ost.has_file);
            let msg = self.new_message(payload, rights, creds);
            ost.rx_bytes += msg.data.len();
            ost.rx.push_back(msg);
            drop(ost);
            other.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
            return Ok(data.len());
        }
    }

    fn recv_dgram(&self, len: usize, flags: u32, nonblock: bool) -> KResult<Received> {
        let seqpacket = self.ty == n::SOCK_SEQPACKET;
        if seqpacket && self.state.lock().conn != Conn::Established {
            return Err(Errno::ENOTCONN);
        }
        if flags & n::MSG_OOB != 0 {
            return Err(Errno::EOPNOTSUPP);
        }
        let peek = flags & n::MSG_PEEK != 0;
        enum Next {
            Message,
            Eof,
            Error(Errno),
        }
        // Wait for a message; a pending error or end of input ends the
        // wait (a non-blocking read of an empty queue is EAGAIN, except
        // that a seqpacket socket shut down for reading gives end of file).
        let next = {
            let check = |blocking: bool| {
                let mut st = self.state.lock();
                if !st.rx.is_empty() {
                    return Some(Next::Message);
                }
                if !blocking {
                    return None;
                }
                if let Some(e) = st.err.take() {
                    return Some(Next::Error(e));
                }
                (st.shutdown & RCV_SHUTDOWN != 0).then_some(Next::Eof)
            };
            match check(false) {
                Some(n) => n,
                None if nonblock => {
                    let st = self.state.lock();
                    if seqpacket && st.shutdown & RCV_SHUTDOWN != 0 {
                        Next::Eof
                    } else {
                        return Err(Errno::EAGAIN);
                    }
                }
                None => self.wait(&[&self.waiters], false, false, || check(true))?,
            }
        };
        match next {
            Next::Eof => return Ok(Received::default()),
            Next::Error(e) => return Err(e),
            Next::Message => {}
        }
        let mut st = self.state.lock();
        if peek {
            // Peeking looks at the first message in place, and copies
            // its descriptors (Linux installs duplicates).
            let out = st.rx.front().map(|m| (self.deliver(m, len, flags), m.sender.clone()));
            drop(st);
            let (mut out, sender) = out.ok_or(Errno::EAGAIN)?;
            out.from = Self::source_address(Some(sender));
            return Ok(out);
        }
        let was_full = Self::recvq_full(&st);
        let Some(mut m) = st.rx.pop_front() else { return Err(Errno::EAGAIN) };
        st.rx_bytes -= m.data.len();
        drop(st);
        let mut out = self.deliver(&m, len, flags);
        out.rights = core::mem::take(&mut m.rights);
        out.from = Self::source_address(Some(m.sender.clone()));
        drop(m);
        if was_full {
            // Senders waiting for room in our queue sleep on our queue.
            self.waiters.wake_with(PollEvents::OUT | PollEvents::WRNORM | PollEvents::WRBAND);
        }
        Ok(out)
    }

    /// A datagram's delivery: its bytes up to `len` (MSG_TRUNC in the
    /// flags if cut, and the whole length as the result if the caller
    /// passed MSG_TRUNC), its source, credentials if asked for, and
    /// copies of its descriptors (taken over instead when not peeking).
    fn deliver(&self, m: &Message, len: usize, flags: u32) -> Received {
        let take = m.data.len().min(len);
        Received {
            data: m.data[..take].to_vec(),
            len: if flags & n::MSG_TRUNC != 0 { m.data.len() } else { take },
            flags: if take < m.data.len() { n::MSG_TRUNC } else { 0 },
            from: None,
            creds: self.opts.passcred().then(|| m.creds.unwrap_or(Ucred::NONE)),
            rights: m.rights.clone(),
        }
    }

    /// Tears the socket down (unix_release_sock): the name is freed,
    /// queued data and connections are dropped, a connected peer sees
    /// end of file (and ECONNRESET if we left data unread).
    fn release_socket(&self, embryo: bool) {
        let (peer, rx, pending, name) = {
            let mut st = self.state.lock();
            if st.dead {
                return;
            }
            st.dead = true;
            st.shutdown = SHUTDOWN_MASK;
            st.conn = Conn::Closed;
            st.rx_bytes = 0;
            (st.peer.take(), core::mem::take(&mut st.rx), core::mem::take(&mut st.pending), st.name.clone())
        };
        name::unregister(self, self.opts.ino(), self.ty, name.as_deref());
        if let Some(peer) = &peer {
            if self.is_connection_based() {
                let mut pst = peer.state.lock();
                pst.shutdown = SHUTDOWN_MASK;
                if !rx.is_empty() || embryo {
                    pst.err = Some(Errno::ECONNRESET);
                }
                drop(pst);
                peer.waiters.wake_all();
            }
        }
        self.waiters.wake_all();
        drop(rx);
        for e in pending {
            e.release_socket(true);
        }
        drop(peer);
    }

    /// A line of /proc/net/unix.
    pub fn proc_line(&self) -> alloc::string::String {
        let st = self.state.lock();
        let flags = if st.conn == Conn::Listening { 0x10000 } else { 0 };
        let sstate = match (st.has_file, st.conn == Conn::Established) {
            (true, true) => 3,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 4,
        };
        let mut line = alloc::format!(
            "0000000000000000: {:08X} {:08X} {:08X} {:04X} {:02X} {:5}",
            2,
            0,
            flags,
            self.ty,
            sstate,
            self.opts.ino()
        );
        if let Some(name) = &st.name {
            line.push(' ');
            let p = name.path_bytes();
            let (start, end) = if p[0] == 0 {
                line.push('@');
                (1, p.len())
            } else {
                (0, p.len() - 1)
            };
            for &b in &p[start..end] {
                line.push(if b == 0 { '@' } else { b as char });
            }
        }
        line
    }
}

/// /proc/net/unix: a header, then a line per socket.
pub fn proc_net_unix() -> Vec<u8> {
    let mut out = alloc::string::String::from("Num       RefCount Protocol Flags    Type St Inode Path\n");
    for s in name::all_sockets() {
        out.push_str(&s.proc_line());
        out.push('\n');
    }
    out.into_bytes()
}

impl Socket for UnixSocket {
    fn options(&self) -> &SocketOptions {
        &self.opts
    }

    fn sock_type(&self) -> u32 {
        self.ty
    }

    fn family(&self) -> u32 {
        n::AF_UNIX
    }

    fn bind(&self, addr: &[u8]) -> KResult<()> {
        if addr.len() == name::PATH_OFFSET && u16::from_ne_bytes([addr[0], addr[1]]) as u32 == n::AF_UNIX {
            return self.autobind();
        }
        match name::parse(addr)? {
            Address::Abstract(path) => {
                let mut st = self.state.lock();
                if st.name.is_some() {
                    return Err(Errno::EINVAL);
                }
                st.name = Some(name::bind_abstract(self.ty, path, &self.me)?);
                Ok(())
            }
            Address::Path(path) => {
                if self.state.lock().name.is_some() {
                    // Linux makes the file first, so a taken path is
                    // EADDRINUSE even here; otherwise EINVAL.
                    crate::syscall::check_socket_file_free(&path)?;
                    return Err(Errno::EINVAL);
                }
                let inode = crate::syscall::make_socket_file(&path).map_err(|e| if e == Errno::EEXIST { Errno::EADDRINUSE } else { e })?;
                let mut st = self.state.lock();
                st.name = Some(name::bind_inode(&path, inode, &self.me));
                Ok(())
            }
        }
    }

    fn connect(&self, addr: &[u8], nonblock: bool) -> KResult<()> {
        if self.is_connection_based() { self.connect_stream(addr, nonblock) } else { self.connect_dgram(addr) }
    }

    fn listen(&self, backlog: u32) -> KResult<()> {
        if !self.is_connection_based() {
            return Err(Errno::EOPNOTSUPP);
        }
        let mut st = self.state.lock();
        if st.name.is_none() || !matches!(st.conn, Conn::Closed | Conn::Listening) {
            return Err(Errno::EINVAL);
        }
        st.backlog = backlog as usize;
        st.conn = Conn::Listening;
        st.peercred = Some(Ucred::current_effective());
        drop(st);
        self.waiters.wake_all();
        Ok(())
    }

    fn accept(&self, nonblock: bool) -> KResult<Arc<dyn FileOps>> {
        if !self.is_connection_based() {
            return Err(Errno::EOPNOTSUPP);
        }
        if self.state.lock().conn != Conn::Listening {
            return Err(Errno::EINVAL);
        }
        let conn = self.wait(&[&self.waiters], false, nonblock, || {
            let mut st = self.state.lock();
            if let Some(e) = st.pending.pop_front() {
                return Some(Ok(e));
            }
            (st.shutdown & RCV_SHUTDOWN != 0 || st.conn != Conn::Listening).then_some(Err(Errno::EINVAL))
        })??;
        conn.state.lock().has_file = true;
        // A connector may be waiting for room in the backlog.
        self.waiters.wake_with(PollEvents::OUT | PollEvents::WRNORM);
        Ok(conn)
    }

    fn send(&self, data: &[u8], to: Option<&[u8]>, control: SendControl, flags: u32, nonblock: bool) -> KResult<usize> {
        if self.ty == n::SOCK_STREAM {
            if flags & n::MSG_OOB != 0 {
                return Err(Errno::EOPNOTSUPP);
            }
            self.send_stream(data, to, control, flags, nonblock)
        } else {
            self.send_dgram(data, to, control, flags, nonblock)
        }
    }

    fn recv(&self, len: usize, flags: u32, nonblock: bool) -> KResult<Received> {
        if self.ty == n::SOCK_STREAM { self.recv_stream(len, flags, nonblock) } else { self.recv_dgram(len, flags, nonblock) }
    }

    fn shutdown(&self, how: u32) -> KResult<()> {
        if how > n::SHUT_RDWR {
            return Err(Errno::EINVAL);
        }
        let mode = how as u8 + 1;
        let peer = {
            let mut st = self.state.lock();
            st.shutdown |= mode;
            st.peer.clone()
        };
        self.waiters.wake_all();
        if let Some(peer) = peer.filter(|_| self.is_connection_based()) {
            let mut peer_mode = 0;
            if mode & RCV_SHUTDOWN != 0 {
                peer_mode |= SEND_SHUTDOWN;
            }
            if mode & SEND_SHUTDOWN != 0 {
                peer_mode |= RCV_SHUTDOWN;
            }
            peer.state.lock().shutdown |= peer_mode;
            peer.waiters.wake_all();
        }
        Ok(())
    }

    fn local_name(&self) -> Vec<u8> {
        self.state.lock().name.as_ref().map_or_else(name::unnamed, |n| n.sockaddr())
    }

    fn peer_name(&self) -> KResult<Vec<u8>> {
        let peer = self.state.lock().peer.clone().ok_or(Errno::ENOTCONN)?;
        Ok(peer.local_name())
    }

    fn get_option(&self, opt: u32) -> Option<KResult<Vec<u8>>> {
        let int = |v: i32| Some(Ok(v.to_ne_bytes().to_vec()));
        match opt {
            n::SO_TYPE => int(self.ty as i32),
            n::SO_DOMAIN => int(n::AF_UNIX as i32),
            n::SO_PROTOCOL => int(0),
            n::SO_ACCEPTCONN => int(i32::from(self.state.lock().conn == Conn::Listening)),
            n::SO_ERROR => int(self.state.lock().err.take().map_or(0, |e| e.code() as i32)),
            n::SO_PEERCRED => {
                let c = self.state.lock().peercred.unwrap_or(Ucred::UNSET);
                let mut v = c.pid.to_ne_bytes().to_vec();
                v.extend_from_slice(&c.uid.to_ne_bytes());
                v.extend_from_slice(&c.gid.to_ne_bytes());
                Some(Ok(v))
            }
            _ => None,
        }
    }

    fn queued(&self, outgoing: bool) -> KResult<usize> {
        if outgoing {
            return Ok(self.wmem.load(Ordering::Relaxed));
        }
        let st = self.state.lock();
        if st.conn == Conn::Listening {
            return Err(Errno::EINVAL);
        }
        Ok(match self.ty {
            n::SOCK_STREAM => st.rx_bytes,
            n::SOCK_SEQPACKET => st.rx.iter().map(Message::remaining).sum(),
            _ => st.rx.front().map_or(0, |m| m.data.len()),
        })
    }
}

impl FileOps for UnixSocket {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // Descriptors sent with the data are closed (read has no room
        // for them), as Linux's scm_destroy does.
        let got = self.recv(buf.len(), 0, file.nonblocking())?;
        buf[..got.data.len()].copy_from_slice(&got.data);
        Ok(got.data.len())
    }

    fn write(&self, file: &OpenFile, _offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        self.send(buf, None, SendControl::default(), 0, file.nonblocking())
    }

    fn write_user(&self, file: &OpenFile, addr: usize, len: usize) -> Option<KResult<usize>> {
        // One write is one message: gather it whole.
        Some(crate::mm::uaccess::read_bytes(addr, len).and_then(|data| self.write(file, &mut 0, &data)))
    }

    fn stream_read_max(&self) -> Option<usize> {
        Some(READ_MAX)
    }

    fn poll(&self) -> PollEvents {
        let st = self.state.lock();
        let mut ev = PollEvents::empty();
        if st.err.is_some() {
            ev |= PollEvents::ERR;
        }
        if st.shutdown == SHUTDOWN_MASK {
            ev |= PollEvents::HUP;
        }
        if st.shutdown & RCV_SHUTDOWN != 0 {
            ev |= PollEvents::RDHUP | PollEvents::IN | PollEvents::RDNORM;
        }
        if !st.rx.is_empty() || !st.pending.is_empty() {
            ev |= PollEvents::IN | PollEvents::RDNORM;
        }
        let hup_when_closed = match self.ty {
            n::SOCK_STREAM | n::SOCK_SEQPACKET => st.conn == Conn::Closed,
            _ => false,
        };
        if hup_when_closed {
            ev |= PollEvents::HUP;
        }
        let mut writable = self.writable(&st);
        let peer = st.peer.clone();
        drop(st);
        // A datagram socket whose peer is not connected back to it must
        // also wait for room in the peer's queue.
        if writable && !self.is_connection_based() {
            if let Some(p) = peer {
                let pst = p.state.lock();
                let back = pst.peer.as_ref().is_some_and(|x| core::ptr::eq(x.as_ref(), self));
                if !back && Self::recvq_full(&pst) && !pst.dead {
                    writable = false;
                }
            }
        }
        if writable {
            ev |= PollEvents::OUT | PollEvents::WRNORM | PollEvents::WRBAND;
        }
        ev
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.waiters)
    }

    fn stat(&self) -> Option<Stat> {
        Some(self.opts.stat())
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        use linux_raw_sys::ioctl as io;
        let outgoing = match cmd {
            io::FIONREAD => false,
            io::TIOCOUTQ => true,
            _ => return Err(Errno::ENOTTY),
        };
        let v = self.queued(outgoing)? as i32;
        crate::mm::uaccess::UserPtr::<i32>::new(arg).write(&v)?;
        Ok(0)
    }

    fn release(&self) {
        self.release_socket(false);
    }

    fn as_socket(&self) -> Option<&dyn Socket> {
        Some(self)
    }
}
