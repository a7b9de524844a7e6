//! Extended attributes: setxattr, getxattr, listxattr, removexattr and
//! their l* (no symlink following) and f* (descriptor) forms.
//!
//! Arguments are checked in Linux's order: flags, then the name (ERANGE
//! when empty or longer than 255 bytes, EFAULT), then the value (E2BIG
//! past 64 KiB), then the file; then who may touch the namespace
//! (fs::xattr::check_access); then the file system, which answers
//! EOPNOTSUPP if it keeps no attributes.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{creds, file, resolve_at};
use crate::errno::{Errno, KResult};
use crate::fs::inode::{Inode, Stat};
use crate::fs::notify;
use crate::fs::path::PathNode;
use crate::fs::xattr::{self, Access};
use crate::mm::uaccess::{read_bytes, read_cstr, read_path, write_bytes};

/// What an xattr call works on: a path's file, or an open file (which
/// may have no inode: a pipe).
struct Target {
    stat: Stat,
    inode: Option<Arc<dyn Inode>>,
    node: Option<Arc<PathNode>>,
}

impl Target {
    fn path(path: usize, follow: bool) -> KResult<Target> {
        let path = read_path(path)?;
        let node = resolve_at(super::AT_FDCWD, &path, follow)?;
        Ok(Target { stat: node.stat(), inode: Some(node.inode.clone()), node: Some(node) })
    }

    fn fd(fd: i32) -> KResult<Target> {
        let f = file(fd)?;
        if f.is_path_only() {
            return Err(Errno::EBADF);
        }
        Ok(Target { stat: f.stat()?, inode: f.inode().cloned(), node: f.path().cloned() })
    }

    /// The inode, for an operation that needs the file system's handler.
    fn inode(&self) -> KResult<&Arc<dyn Inode>> {
        self.inode.as_ref().ok_or(Errno::EOPNOTSUPP)
    }

    fn changed(&self) {
        if let Some(node) = &self.node {
            notify::attrib_changed(node);
        }
    }
}

/// How the file is named.
#[derive(Clone, Copy)]
pub enum By {
    /// A path, following a final symlink (setxattr).
    Path(usize),
    /// A path, not following a final symlink (lsetxattr).
    Link(usize),
    /// A descriptor (fsetxattr).
    Fd(i32),
}

impl By {
    fn target(self) -> KResult<Target> {
        match self {
            By::Path(p) => Target::path(p, true),
            By::Link(p) => Target::path(p, false),
            By::Fd(fd) => Target::fd(fd),
        }
    }
}

/// An attribute name (import_xattr_name): ERANGE if empty or longer than
/// XATTR_NAME_MAX.
fn read_name(ptr: usize) -> KResult<Vec<u8>> {
    let name = read_cstr(ptr, xattr::NAME_MAX + 1, Errno::ERANGE)?;
    if name.is_empty() {
        return Err(Errno::ERANGE);
    }
    Ok(name)
}

/// setxattr(2), lsetxattr(2), fsetxattr(2)
pub fn sys_setxattr(by: By, name: usize, value: usize, size: usize, flags: u32) -> KResult<usize> {
    if flags & !(xattr::XATTR_CREATE | xattr::XATTR_REPLACE) != 0 {
        return Err(Errno::EINVAL);
    }
    let name = read_name(name)?;
    if size > xattr::SIZE_MAX {
        return Err(Errno::E2BIG);
    }
    // An empty value is an empty attribute, never a removal.
    let value = if size > 0 { read_bytes(value, size)? } else { Vec::new() };
    let target = by.target()?;
    xattr::check_access(&target.stat, &creds(), &name, Access::Write)?;
    target.inode()?.set_xattr(&name, Some(&value), flags)?;
    target.changed();
    Ok(0)
}

/// getxattr(2), lgetxattr(2), fgetxattr(2): the value's size, copied out
/// if `size` is not 0 (ERANGE if it does not fit).
pub fn sys_getxattr(by: By, name: usize, value: usize, size: usize) -> KResult<usize> {
    let name = read_name(name)?;
    let target = by.target()?;
    xattr::check_access(&target.stat, &creds(), &name, Access::Read)?;
    let v = target.inode()?.get_xattr(&name)?;
    if size == 0 {
        return Ok(v.len());
    }
    if v.len() > size.min(xattr::SIZE_MAX) {
        return Err(if size >= xattr::SIZE_MAX { Errno::E2BIG } else { Errno::ERANGE });
    }
    write_bytes(value, &v)?;
    Ok(v.len())
}

/// listxattr(2), llistxattr(2), flistxattr(2): the NUL-terminated names
/// the caller may see; their total size if `size` is 0.
pub fn sys_listxattr(by: By, list: usize, size: usize) -> KResult<usize> {
    let target = by.target()?;
    let names = match &target.inode {
        Some(inode) => inode.list_xattr(&creds())?,
        None => Vec::new(),
    };
    if size == 0 {
        return Ok(names.len());
    }
    if names.len() > size.min(xattr::LIST_MAX) {
        return Err(if size >= xattr::LIST_MAX { Errno::E2BIG } else { Errno::ERANGE });
    }
    write_bytes(list, &names)?;
    Ok(names.len())
}

/// removexattr(2), lremovexattr(2), fremovexattr(2)
pub fn sys_removexattr(by: By, name: usize) -> KResult<usize> {
    let name = read_name(name)?;
    let target = by.target()?;
    xattr::check_access(&target.stat, &creds(), &name, Access::Write)?;
    target.inode()?.set_xattr(&name, None, xattr::XATTR_REPLACE)?;
    target.changed();
    Ok(0)
}
