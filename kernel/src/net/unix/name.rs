//! AF_UNIX addresses (unix(7)): path names, which live in the file system
//! as socket inodes, and abstract names, which live in one table (a name
//! is unique per socket type, as Linux hashes the type in). Also the
//! table of every socket, for /proc/net/unix.

use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::net as n;

use super::UnixSocket;
use crate::errno::{Errno, KResult};
use crate::fs::inode::Inode;

/// offsetof(struct sockaddr_un, sun_path).
pub const PATH_OFFSET: usize = 2;
/// sizeof(struct sockaddr_un).
pub const SOCKADDR_UN_LEN: usize = 110;

/// A bound name.
pub struct Name {
    /// sun_path as the kernel keeps it: a path with its terminating NUL,
    /// or an abstract name with its leading NUL.
    path: Vec<u8>,
    /// The socket inode a path name made.
    inode: Option<Arc<dyn Inode>>,
}

impl Name {
    /// The `struct sockaddr_un` bytes getsockname reports.
    pub fn sockaddr(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(PATH_OFFSET + self.path.len());
        v.extend_from_slice(&(n::AF_UNIX as u16).to_ne_bytes());
        v.extend_from_slice(&self.path);
        v
    }

    /// sun_path bytes (for /proc/net/unix).
    pub fn path_bytes(&self) -> &[u8] {
        &self.path
    }
}

/// The address of an unnamed socket: just the family.
pub fn unnamed() -> Vec<u8> {
    (n::AF_UNIX as u16).to_ne_bytes().to_vec()
}

/// A parsed `struct sockaddr_un`.
pub enum Address {
    /// A file-system path (without its NUL).
    Path(Vec<u8>),
    /// An abstract name, leading NUL included.
    Abstract(Vec<u8>),
}

/// Checks and parses an address of `addr.len()` bytes (unix_validate_addr):
/// longer than the family and at most a sockaddr_un, family AF_UNIX.
pub fn parse(addr: &[u8]) -> KResult<Address> {
    if addr.len() <= PATH_OFFSET || addr.len() > SOCKADDR_UN_LEN {
        return Err(Errno::EINVAL);
    }
    if u16::from_ne_bytes([addr[0], addr[1]]) as u32 != n::AF_UNIX {
        return Err(Errno::EINVAL);
    }
    let sun_path = &addr[PATH_OFFSET..];
    if sun_path[0] == 0 {
        return Ok(Address::Abstract(sun_path.to_vec()));
    }
    // The path ends at its first NUL or at the given length (a full
    // 108-byte path needs no terminator).
    let end = sun_path.iter().position(|&b| b == 0).unwrap_or(sun_path.len());
    Ok(Address::Path(sun_path[..end].to_vec()))
}

struct Table {
    /// Abstract names by (socket type, name).
    abstract_names: BTreeMap<(u32, Vec<u8>), Weak<UnixSocket>>,
    /// Path-bound sockets by their inode's address (the Weak keeps the
    /// address from being reused while the entry exists).
    by_inode: BTreeMap<usize, (Weak<dyn Inode>, Weak<UnixSocket>)>,
    /// Every socket, by inode number (/proc/net/unix).
    all: BTreeMap<u64, Weak<UnixSocket>>,
    /// Where autobind's search for a free name continues.
    next_auto: u32,
}

static TABLE: SpinLock<Table> =
    SpinLock::new(Table { abstract_names: BTreeMap::new(), by_inode: BTreeMap::new(), all: BTreeMap::new(), next_auto: 0 });

fn inode_key(inode: &Arc<dyn Inode>) -> usize {
    Arc::as_ptr(inode) as *const () as usize
}

/// Records a new socket.
pub fn register(ino: u64, sock: Weak<UnixSocket>) {
    TABLE.lock().all.insert(ino, sock);
}

/// Forgets a released socket and frees its name, if the name is its own
/// (an accepted connection shows its listener's name without holding it).
pub fn unregister(sock: &UnixSocket, ino: u64, ty: u32, name: Option<&Name>) {
    let mut t = TABLE.lock();
    t.all.remove(&ino);
    let ours = |w: &Weak<UnixSocket>| core::ptr::eq(w.as_ptr(), sock);
    if let Some(name) = name {
        match &name.inode {
            Some(inode) => {
                let key = inode_key(inode);
                if t.by_inode.get(&key).is_some_and(|(_, w)| ours(w)) {
                    t.by_inode.remove(&key);
                }
            }
            None => {
                let key = (ty, name.path.clone());
                if t.abstract_names.get(&key).is_some_and(ours) {
                    t.abstract_names.remove(&key);
                }
            }
        }
    }
}

/// Every live socket (for /proc/net/unix).
pub fn all_sockets() -> Vec<Arc<UnixSocket>> {
    TABLE.lock().all.values().filter_map(|w| w.upgrade()).collect()
}

/// Takes an abstract name for `sock` (EADDRINUSE if a socket of the same
/// type holds it).
pub fn bind_abstract(ty: u32, path: Vec<u8>, sock: &Weak<UnixSocket>) -> KResult<Arc<Name>> {
    let mut t = TABLE.lock();
    let key = (ty, path);
    if t.abstract_names.get(&key).is_some_and(|w| w.strong_count() > 0) {
        return Err(Errno::EADDRINUSE);
    }
    t.abstract_names.insert(key.clone(), sock.clone());
    Ok(Arc::new(Name { path: key.1, inode: None }))
}

/// Autobind: a free abstract name of five hex digits ("\0xxxxx").
pub fn autobind(ty: u32, sock: &Weak<UnixSocket>) -> KResult<Arc<Name>> {
    let mut t = TABLE.lock();
    if t.next_auto == 0 {
        let mut seed = [0u8; 4];
        crate::random::fill(&mut seed);
        t.next_auto = u32::from_ne_bytes(seed) & 0xfffff;
    }
    for _ in 0..=0xfffff {
        t.next_auto = (t.next_auto + 1) & 0xfffff;
        let mut path = alloc::vec![0u8];
        path.extend_from_slice(alloc::format!("{:05x}", t.next_auto).as_bytes());
        let key = (ty, path);
        if t.abstract_names.get(&key).is_some_and(|w| w.strong_count() > 0) {
            continue;
        }
        t.abstract_names.insert(key.clone(), sock.clone());
        return Ok(Arc::new(Name { path: key.1, inode: None }));
    }
    Err(Errno::ENOSPC)
}

/// Records that `sock` is bound to the socket inode `inode` made for
/// `path` (without its NUL).
pub fn bind_inode(path: &[u8], inode: Arc<dyn Inode>, sock: &Weak<UnixSocket>) -> Arc<Name> {
    let key = inode_key(&inode);
    TABLE.lock().by_inode.insert(key, (Arc::downgrade(&inode), sock.clone()));
    let mut stored = path.to_vec();
    stored.push(0);
    Arc::new(Name { path: stored, inode: Some(inode) })
}

/// The socket bound to a socket inode, if any.
pub fn find_by_inode(inode: &Arc<dyn Inode>) -> Option<Arc<UnixSocket>> {
    TABLE.lock().by_inode.get(&inode_key(inode)).and_then(|(_, s)| s.upgrade())
}

/// The socket of type `ty` bound to an abstract name, if any.
pub fn find_abstract(ty: u32, path: &[u8]) -> Option<Arc<UnixSocket>> {
    TABLE.lock().abstract_names.get(&(ty, path.to_vec())).and_then(|w| w.upgrade())
}
