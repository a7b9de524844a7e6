//! Extended attributes: names, the namespace rules every file system
//! shares (Linux's fs/xattr.c), and the in-memory store tmpfs keeps per
//! inode (Linux's simple_xattrs).
//!
//! A name is "namespace.rest". The system call layer checks the name's
//! shape and who may touch which namespace ([`check_access`]); a file
//! system only stores and fetches ([`XattrStore`]). Attributes are kept
//! sorted by name, which is also the order listxattr reports them in, as
//! Linux's red-black tree of simple xattrs does.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::errno::{Errno, KResult};
use crate::fs::inode::{FileType, Stat};
use crate::fs::path::{Perm, check_permission};
use crate::process::creds::{CAP_FOWNER, CAP_SYS_ADMIN, Credentials};

/// Longest attribute name (XATTR_NAME_MAX).
pub const NAME_MAX: usize = 255;
/// Largest attribute value (XATTR_SIZE_MAX).
pub const SIZE_MAX: usize = 65536;
/// Largest listxattr result (XATTR_LIST_MAX).
pub const LIST_MAX: usize = 65536;

/// setxattr flags.
pub const XATTR_CREATE: u32 = 1;
/// setxattr flags.
pub const XATTR_REPLACE: u32 = 2;

/// The namespace of an attribute name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Namespace {
    /// "user.": ordinary users, regular files and directories only.
    User,
    /// "trusted.": CAP_SYS_ADMIN only.
    Trusted,
    /// "security.": read by anyone, written with CAP_SYS_ADMIN (the
    /// capability LSM's rule; security.capability wants CAP_SETFCAP).
    Security,
    /// "system.": POSIX ACLs and the like, interpreted by the kernel.
    System,
    /// Anything else: no file system has a handler for it.
    Unknown,
}

impl Namespace {
    /// The namespace `name` belongs to.
    pub fn of(name: &[u8]) -> Namespace {
        if name.starts_with(b"user.") {
            Namespace::User
        } else if name.starts_with(b"trusted.") {
            Namespace::Trusted
        } else if name.starts_with(b"security.") {
            Namespace::Security
        } else if name.starts_with(b"system.") {
            Namespace::System
        } else {
            Namespace::Unknown
        }
    }

    /// Whether a handler knows names of this namespace once the prefix is
    /// there (Linux refuses a bare "user." prefix with EINVAL).
    fn prefix_len(self) -> usize {
        match self {
            Namespace::User => 5,
            Namespace::Trusted => 8,
            Namespace::Security => 9,
            Namespace::System => 7,
            Namespace::Unknown => 0,
        }
    }
}

/// Read or write access to attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// getxattr
    Read,
    /// setxattr, removexattr
    Write,
}

/// Linux's xattr_permission plus the capability LSM's checks, for a file
/// with metadata `st`.
pub fn check_access(st: &Stat, creds: &Credentials, name: &[u8], access: Access) -> KResult<()> {
    let write = access == Access::Write;
    match Namespace::of(name) {
        Namespace::Security => {
            // No VFS restriction; the capability LSM guards writes.
            if write && !creds.capable(CAP_SYS_ADMIN) && name != b"security.capability" {
                return Err(Errno::EPERM);
            }
            if write && name == b"security.capability" && !creds.capable(linux_raw_sys::general::CAP_SETFCAP) {
                return Err(Errno::EPERM);
            }
            return Ok(());
        }
        Namespace::System => return Ok(()),
        Namespace::Trusted => {
            if !creds.capable(CAP_SYS_ADMIN) {
                return Err(if write { Errno::EPERM } else { Errno::ENODATA });
            }
            return Ok(());
        }
        Namespace::User => {
            let ft = st.file_type();
            if ft != Some(FileType::Regular) && ft != Some(FileType::Directory) {
                return Err(if write { Errno::EPERM } else { Errno::ENODATA });
            }
            // Sticky directories: only the owner writes attributes.
            if ft == Some(FileType::Directory) && st.mode & 0o1000 != 0 && write && creds.fsuid != st.uid && !creds.capable(CAP_FOWNER) {
                return Err(Errno::EPERM);
            }
        }
        Namespace::Unknown => {}
    }
    check_permission(st, creds, if write { Perm::Write } else { Perm::Read })
}

/// Whether a file system that keeps attributes in an [`XattrStore`] has a
/// handler for `name` (EOPNOTSUPP otherwise). POSIX ACLs (system.*) are
/// not implemented, so they are refused like any unknown name.
pub fn store_handles(name: &[u8]) -> KResult<()> {
    let ns = Namespace::of(name);
    match ns {
        Namespace::User | Namespace::Trusted | Namespace::Security => {
            // A handler prefix with nothing after it is not a name.
            if name.len() == ns.prefix_len() {
                return Err(Errno::EINVAL);
            }
            Ok(())
        }
        Namespace::System | Namespace::Unknown => Err(Errno::EOPNOTSUPP),
    }
}

/// The attributes of one inode.
#[derive(Default)]
pub struct XattrStore {
    attrs: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl XattrStore {
    /// An empty store.
    pub const fn new() -> XattrStore {
        XattrStore { attrs: BTreeMap::new() }
    }

    /// The value of `name` (ENODATA if absent).
    pub fn get(&self, name: &[u8]) -> KResult<&[u8]> {
        self.attrs.get(name).map(|v| v.as_slice()).ok_or(Errno::ENODATA)
    }

    /// Sets, creates or (with `None`) removes `name`, honouring
    /// XATTR_CREATE and XATTR_REPLACE. Returns the bytes the old entry
    /// took, if one was replaced or removed, for space accounting.
    pub fn set(&mut self, name: &[u8], value: Option<Vec<u8>>, flags: u32) -> KResult<Option<usize>> {
        let exists = self.attrs.contains_key(name);
        if exists && flags & XATTR_CREATE != 0 {
            return Err(Errno::EEXIST);
        }
        if !exists && (flags & XATTR_REPLACE != 0 || value.is_none()) {
            return Err(Errno::ENODATA);
        }
        let old = match value {
            Some(v) => self.attrs.insert(name.to_vec(), v),
            None => self.attrs.remove(name),
        };
        Ok(old.map(|v| entry_space(name, v.len())))
    }

    /// Space all entries are charged (see [`entry_space`]).
    pub fn space(&self) -> usize {
        self.attrs.iter().map(|(n, v)| entry_space(n, v.len())).sum()
    }

    /// The names listxattr shows `creds`: NUL-terminated, in name order,
    /// without trusted.* for callers lacking CAP_SYS_ADMIN.
    pub fn list(&self, creds: &Credentials) -> Vec<u8> {
        let trusted = creds.capable(CAP_SYS_ADMIN);
        let mut out = Vec::new();
        for name in self.attrs.keys() {
            if !trusted && Namespace::of(name) == Namespace::Trusted {
                continue;
            }
            out.extend_from_slice(name);
            out.push(0);
        }
        out
    }
}

/// Space an attribute is charged in its file system (Linux's
/// simple_xattr_space: the entry header, the name with its NUL, the value).
pub fn entry_space(name: &[u8], size: usize) -> usize {
    const HEADER: usize = 48;
    HEADER + name.len() + 1 + size
}
