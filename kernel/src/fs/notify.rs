//! File-system change notifications: the one place the VFS reports what
//! happened, for inotify (`ipc::inotify`) to queue (Linux's fsnotify
//! hooks). One function per kind of change, called by the system call
//! that made it, after it succeeded. Each costs one atomic load while
//! nothing is watched.
//!
//! Events about a directory's child go first to the directory (with the
//! child's name), then to the child itself, as Linux orders them. Events
//! that only ever concern the object itself (a changed link count,
//! IN_MOVE_SELF, IN_DELETE_SELF) carry no IN_ISDIR, as on Linux.

use alloc::sync::Arc;

use super::file::OpenFile;
use super::inode::Inode;
use super::path::PathNode;
use crate::ipc::inotify::{
    self, IN_ACCESS, IN_ATTRIB, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_CREATE, IN_DELETE, IN_MODIFY, IN_MOVE_SELF, IN_MOVED_FROM, IN_MOVED_TO,
    IN_OPEN,
};

/// An event about `node`: to its directory (named) and to itself.
fn about(node: &PathNode, mask: u32) {
    let is_dir = node.is_dir();
    if let Some(parent) = &node.parent {
        inotify::report(&*parent.inode, mask, 0, Some(&node.name), is_dir);
    }
    inotify::report(&*node.inode, mask, 0, None, is_dir);
}

fn about_file(file: &OpenFile, mask: u32) {
    if !inotify::active() || file.is_path_only() {
        return;
    }
    if let Some(node) = file.path() {
        about(node, mask);
    }
}

/// A file was opened (IN_OPEN).
pub fn opened(file: &OpenFile) {
    about_file(file, IN_OPEN);
}

/// An open file was closed for the last time (IN_CLOSE_WRITE if it was
/// open for writing, else IN_CLOSE_NOWRITE).
pub fn closed(file: &OpenFile) {
    about_file(file, if file.writable() { IN_CLOSE_WRITE } else { IN_CLOSE_NOWRITE });
}

/// Data was read (IN_ACCESS).
pub fn accessed(file: &OpenFile) {
    about_file(file, IN_ACCESS);
}

/// Data was written (IN_MODIFY).
pub fn modified(file: &OpenFile) {
    about_file(file, IN_MODIFY);
}

/// Content changed through a path: truncate, open with O_TRUNC (IN_MODIFY).
pub fn truncated(node: &PathNode) {
    if inotify::active() {
        about(node, IN_MODIFY);
    }
}

/// Permissions or ownership changed (IN_ATTRIB).
pub fn attrib_changed(node: &PathNode) {
    if inotify::active() {
        about(node, IN_ATTRIB);
    }
}

/// Timestamps set (utimensat): both is IN_ATTRIB, only the access time
/// IN_ACCESS, only the modification time IN_MODIFY (Linux's
/// fsnotify_change).
pub fn times_changed(node: &PathNode, atime: bool, mtime: bool) {
    if !inotify::active() {
        return;
    }
    match (atime, mtime) {
        (true, true) => about(node, IN_ATTRIB),
        (true, false) => about(node, IN_ACCESS),
        (false, true) => about(node, IN_MODIFY),
        (false, false) => {}
    }
}

/// `name` was created in `dir` (IN_CREATE).
pub fn created(dir: &PathNode, name: &[u8], inode: &Arc<dyn Inode>) {
    if inotify::active() {
        inotify::report(&*dir.inode, IN_CREATE, 0, Some(name), inode.stat().is_dir());
    }
}

/// A hard link `name` to `inode` was made in `dir`: the inode's link
/// count changed (IN_ATTRIB on it alone), then IN_CREATE.
pub fn linked(dir: &PathNode, name: &[u8], inode: &Arc<dyn Inode>) {
    if inotify::active() {
        inotify::report(&**inode, IN_ATTRIB, 0, None, false);
        inotify::report(&*dir.inode, IN_CREATE, 0, Some(name), false);
    }
}

/// The inode lost a link (or, a directory, was removed): IN_ATTRIB for
/// the link count (non-directories), and IN_DELETE_SELF once no link is
/// left.
fn lost_link(inode: &Arc<dyn Inode>, is_dir: bool) {
    if !is_dir {
        inotify::report(&**inode, IN_ATTRIB, 0, None, false);
    }
    if inode.stat().nlink == 0 {
        inotify::inode_deleted(&**inode);
    }
}

/// `name` (the object `victim`) was removed from `dir` (unlink, rmdir).
pub fn removed(dir: &PathNode, name: &[u8], victim: &Arc<dyn Inode>, is_dir: bool) {
    if !inotify::active() {
        return;
    }
    lost_link(victim, is_dir);
    inotify::report(&*dir.inode, IN_DELETE, 0, Some(name), is_dir);
}

/// `old_dir/old_name` (the object `moved`) became `new_dir/new_name`,
/// replacing `replaced` if given: IN_MOVED_FROM and IN_MOVED_TO with one
/// cookie, the replaced object's lost link, IN_MOVE_SELF.
pub fn renamed(old_dir: &PathNode, old_name: &[u8], new_dir: &PathNode, new_name: &[u8], moved: &Arc<dyn Inode>, replaced: Option<&Arc<dyn Inode>>) {
    if !inotify::active() {
        return;
    }
    let is_dir = moved.stat().is_dir();
    let cookie = inotify::new_cookie();
    inotify::report(&*old_dir.inode, IN_MOVED_FROM, cookie, Some(old_name), is_dir);
    inotify::report(&*new_dir.inode, IN_MOVED_TO, cookie, Some(new_name), is_dir);
    if let Some(r) = replaced {
        inotify::report(&**r, IN_ATTRIB, 0, None, false);
    }
    inotify::report(&**moved, IN_MOVE_SELF, 0, None, false);
    if let Some(r) = replaced {
        if r.stat().nlink == 0 {
            inotify::inode_deleted(&**r);
        }
    }
}
