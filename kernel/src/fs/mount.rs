//! Mount namespaces: which file system root is mounted on which directory.
//!
//! A namespace is shared by reference (`Arc`) between every process in it;
//! fork never copies it (design lesson: a mount table deep-copied on fork
//! made a child's mounts invisible to its parent). Only unshare/clone with
//! CLONE_NEWNS will make a new one.

use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::sync::SpinLock;

use super::inode::Inode;
use crate::errno::{Errno, KResult};

/// One mounted file system.
#[derive(Clone)]
pub struct Mount {
    /// (file system id, inode number) of the directory mounted on.
    pub point: (u64, u64),
    /// Root of the mounted file system.
    pub root: Arc<dyn Inode>,
    /// File system type name (for /proc/mounts).
    pub fs_type: &'static str,
    /// Source (device or name).
    pub source: Vec<u8>,
    /// Absolute path of the mount point (for /proc/mounts).
    pub path: Vec<u8>,
    /// MS_* flags (MS_RDONLY, ...).
    pub flags: u64,
}

/// A set of mounts.
pub struct MountNamespace {
    root: Arc<dyn Inode>,
    mounts: SpinLock<Vec<Mount>>,
}

impl MountNamespace {
    /// A namespace whose root file system is `root`.
    pub fn new(root: Arc<dyn Inode>) -> Arc<MountNamespace> {
        Arc::new(MountNamespace { root, mounts: SpinLock::new(Vec::new()) })
    }

    /// The root file system's root directory.
    pub fn root(&self) -> &Arc<dyn Inode> {
        &self.root
    }

    /// If a file system is mounted on `inode`, its root (topmost mount).
    pub fn mounted_on(&self, inode: &Arc<dyn Inode>) -> Option<Arc<dyn Inode>> {
        let mounts = self.mounts.lock();
        if mounts.is_empty() {
            return None;
        }
        let key = (inode.fs_id(), inode.stat().ino);
        mounts.iter().rev().find(|m| m.point == key).map(|m| m.root.clone())
    }

    /// Adds a mount.
    pub fn mount(&self, m: Mount) {
        self.mounts.lock().push(m);
    }

    /// Removes the topmost mount whose root is `root`.
    pub fn unmount(&self, root: &Arc<dyn Inode>) -> KResult<Mount> {
        let mut mounts = self.mounts.lock();
        let key = (root.fs_id(), root.stat().ino);
        let i = mounts.iter().rposition(|m| (m.root.fs_id(), m.root.stat().ino) == key).ok_or(Errno::EINVAL)?;
        Ok(mounts.remove(i))
    }

    /// All mounts, in mount order.
    pub fn mounts(&self) -> Vec<Mount> {
        self.mounts.lock().clone()
    }
}
