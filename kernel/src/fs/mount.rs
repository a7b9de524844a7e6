//! Mounts and mount namespaces.
//!
//! A [`Mount`] attaches a file system (its [`SuperBlock`]) or, for a bind
//! mount, one directory or file of it, on a directory of its parent mount.
//! Mounts form a tree: each knows its parent (weakly) and owns its
//! children, keyed by the mount point's inode, so path resolution finds
//! the mount on a directory from the mount it reached the directory in
//! (`PathNode::mnt`). A bind of /a on /b therefore does not show what is
//! later mounted on /a/x under /b/x, as on Linux with private mounts.
//!
//! A namespace is shared by reference (`Arc`) between every process in it;
//! fork never copies it (design lesson: a mount table deep-copied on fork
//! made a child's mounts invisible to its parent). Only unshare and clone
//! with CLONE_NEWNS copy it ([`MountNamespace::copy`]).
//!
//! Every mount is private: shared subtrees (MS_SHARED, MS_SLAVE) are
//! refused with EINVAL rather than half done (docs/compat-notes.tsv).
//!
//! A mount is busy when anything but the tree holds it: every
//! [`super::path::PathNode`] (working directories, roots, open files)
//! holds an `Arc` of its mount, so `Arc::strong_count` is Linux's
//! mnt_count.

use alloc::string::String;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use kevlar_hal::sync::SpinLock;

use super::inode::Inode;
use crate::errno::{Errno, KResult};

/// (file system id, inode number): what a mount is attached to.
pub type InodeKey = (u64, u64);

/// The key of an inode.
pub fn key_of(inode: &Arc<dyn Inode>) -> InodeKey {
    (inode.fs_id(), inode.stat().ino)
}

bitflags::bitflags! {
    /// Per-mount flags (Linux's MNT_*): one file system can be mounted
    /// read-write in one place and read-only in another.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub struct MountFlags: u32 {
        /// ro
        const READONLY = 1;
        /// nosuid: set-id bits are ignored by execve.
        const NOSUID = 2;
        /// nodev: device nodes cannot be opened.
        const NODEV = 4;
        /// noexec: nothing can be executed or mapped executable.
        const NOEXEC = 8;
        /// noatime
        const NOATIME = 16;
        /// nodiratime
        const NODIRATIME = 32;
        /// relatime (the default)
        const RELATIME = 64;
        /// nosymfollow
        const NOSYMFOLLOW = 128;
    }
}

impl MountFlags {
    /// The atime policy bits (none set: strictatime).
    pub const ATIME: MountFlags = MountFlags::NOATIME.union(MountFlags::NODIRATIME).union(MountFlags::RELATIME);

    /// The per-mount options as /proc/mounts spells them, after rw/ro.
    pub fn options(self) -> String {
        let mut s = String::new();
        for (flag, name) in [
            (MountFlags::NOSUID, ",nosuid"),
            (MountFlags::NODEV, ",nodev"),
            (MountFlags::NOEXEC, ",noexec"),
            (MountFlags::NOATIME, ",noatime"),
            (MountFlags::NODIRATIME, ",nodiratime"),
            (MountFlags::RELATIME, ",relatime"),
            (MountFlags::NOSYMFOLLOW, ",nosymfollow"),
        ] {
            if self.contains(flag) {
                s.push_str(name);
            }
        }
        s
    }

    /// statfs's f_flags bits for these flags (ST_*), without ST_VALID.
    pub fn statfs_bits(self) -> u64 {
        let mut f = 0;
        for (flag, bit) in [
            (MountFlags::READONLY, 1),
            (MountFlags::NOSUID, 2),
            (MountFlags::NODEV, 4),
            (MountFlags::NOEXEC, 8),
            (MountFlags::NOATIME, 1024),
            (MountFlags::NODIRATIME, 2048),
            (MountFlags::RELATIME, 4096),
            (MountFlags::NOSYMFOLLOW, 8192),
        ] {
            if self.contains(flag) {
                f |= bit;
            }
        }
        f
    }
}

/// One file system instance as mounted: what every mount of it shares.
pub struct SuperBlock {
    /// Type name (/proc/mounts).
    pub fs_type: &'static str,
    /// Source (device or name).
    pub source: Vec<u8>,
    /// Root directory of the file system.
    pub root: Arc<dyn Inode>,
    /// The file system itself is read-only (remount ro, or mounted ro).
    readonly: AtomicBool,
    /// File-system options as Linux shows them after rw/ro
    /// (",size=1024k").
    options: SpinLock<String>,
}

impl SuperBlock {
    /// A file system with root `root`.
    pub fn new(fs_type: &'static str, source: Vec<u8>, root: Arc<dyn Inode>, readonly: bool, options: String) -> Arc<SuperBlock> {
        Arc::new(SuperBlock { fs_type, source, root, readonly: AtomicBool::new(readonly), options: SpinLock::new(options) })
    }

    /// Whether the file system is read-only.
    pub fn readonly(&self) -> bool {
        self.readonly.load(Ordering::Relaxed)
    }

    /// Makes it read-only or read-write (remount).
    pub fn set_readonly(&self, ro: bool) {
        self.readonly.store(ro, Ordering::Relaxed);
    }

    /// The file-system options text.
    pub fn options(&self) -> String {
        self.options.lock().clone()
    }

    /// Replaces the file-system options text (remount).
    pub fn set_options(&self, s: String) {
        *self.options.lock() = s;
    }
}

/// File systems with one instance (sysfs, devtmpfs): every mount shows
/// the same superblock.
static SINGLE_INSTANCES: SpinLock<Vec<Arc<SuperBlock>>> = SpinLock::new(Vec::new());

/// The one superblock of `fs_type`, made by `create` the first time.
pub fn single_instance(fs_type: &'static str, create: impl FnOnce() -> Arc<SuperBlock>) -> Arc<SuperBlock> {
    if let Some(sb) = SINGLE_INSTANCES.lock().iter().find(|sb| sb.fs_type == fs_type) {
        return sb.clone();
    }
    let sb = create();
    SINGLE_INSTANCES.lock().push(sb.clone());
    sb
}

static NEXT_MOUNT_ID: AtomicU32 = AtomicU32::new(1);

struct MountState {
    flags: MountFlags,
    parent: Weak<Mount>,
    /// Where it is attached: the mount point's inode key in the parent,
    /// and the mount point's path from the parent's root.
    point: Option<(InodeKey, Vec<u8>)>,
    /// Mounts attached inside this one, in mount order.
    children: Vec<Arc<Mount>>,
    /// Still part of a namespace's tree (false after umount).
    attached: bool,
    /// Marked by umount2(MNT_EXPIRE).
    expiry_mark: bool,
}

/// One mount.
pub struct Mount {
    /// Mount id (/proc/PID/mountinfo).
    pub id: u32,
    /// The mounted file system.
    pub sb: Arc<SuperBlock>,
    /// The root of this mount: the file system's root, or the directory
    /// or file a bind mount shows.
    pub root: Arc<dyn Inode>,
    /// Path of `root` inside the file system ("/" for its root).
    pub root_path: Vec<u8>,
    st: SpinLock<MountState>,
}

impl Mount {
    /// A new, unattached mount.
    pub fn new(sb: Arc<SuperBlock>, root: Arc<dyn Inode>, root_path: Vec<u8>, flags: MountFlags) -> Arc<Mount> {
        Arc::new(Mount {
            id: NEXT_MOUNT_ID.fetch_add(1, Ordering::Relaxed),
            sb,
            root,
            root_path,
            st: SpinLock::new(MountState {
                flags,
                parent: Weak::new(),
                point: None,
                children: Vec::new(),
                attached: false,
                expiry_mark: false,
            }),
        })
    }

    /// Per-mount flags.
    pub fn flags(&self) -> MountFlags {
        self.st.lock().flags
    }

    /// Replaces the per-mount flags.
    pub fn set_flags(&self, f: MountFlags) {
        self.st.lock().flags = f;
    }

    /// Read-only here (the mount or its file system).
    pub fn readonly(&self) -> bool {
        self.flags().contains(MountFlags::READONLY) || self.sb.readonly()
    }

    /// EROFS if nothing may be written through this mount.
    pub fn want_write(&self) -> KResult<()> {
        if self.readonly() { Err(Errno::EROFS) } else { Ok(()) }
    }

    /// The parent mount (None for a namespace's root or a detached one).
    pub fn parent(&self) -> Option<Arc<Mount>> {
        self.st.lock().parent.upgrade()
    }

    /// The mount point's inode key and path in the parent.
    pub fn point(&self) -> Option<(InodeKey, Vec<u8>)> {
        self.st.lock().point.clone()
    }

    /// The topmost mount attached on `key` in this mount.
    pub fn child_on(&self, key: InodeKey) -> Option<Arc<Mount>> {
        let st = self.st.lock();
        st.children.iter().rev().find(|c| c.st.lock().point.as_ref().is_some_and(|p| p.0 == key)).cloned()
    }

    /// Mounts attached inside this one.
    pub fn children(&self) -> Vec<Arc<Mount>> {
        self.st.lock().children.clone()
    }

    /// Whether it is still in a namespace's tree.
    pub fn attached(&self) -> bool {
        self.st.lock().attached
    }

    /// A copy for a bind mount or a new namespace: same file system,
    /// root and flags, new id, unattached.
    pub fn clone_mount(&self, root: Arc<dyn Inode>, root_path: Vec<u8>) -> Arc<Mount> {
        Mount::new(self.sb.clone(), root, root_path, self.flags())
    }

    /// Sets and returns the umount2(MNT_EXPIRE) mark.
    pub fn mark_expired(&self) -> bool {
        core::mem::replace(&mut self.st.lock().expiry_mark, true)
    }

    fn clear_expiry(&self) {
        self.st.lock().expiry_mark = false;
    }
}

/// A set of mounts: a tree under a root mount.
pub struct MountNamespace {
    root: Arc<Mount>,
    /// Every attached mount, in mount order (/proc/PID/mounts order).
    mounts: SpinLock<Vec<Arc<Mount>>>,
}

impl MountNamespace {
    /// A namespace whose root mount is `root`.
    pub fn new(root: Arc<Mount>) -> Arc<MountNamespace> {
        root.st.lock().attached = true;
        Arc::new(MountNamespace { root: root.clone(), mounts: SpinLock::new(alloc::vec![root]) })
    }

    /// The root mount.
    pub fn root(&self) -> &Arc<Mount> {
        &self.root
    }

    /// Attaches `m` on the inode `point_key` of `parent`, reached by the
    /// path `point_path` from the parent's root; `m`'s own children (a
    /// recursive bind) come along.
    pub fn attach(&self, m: &Arc<Mount>, parent: &Arc<Mount>, point_key: InodeKey, point_path: Vec<u8>) -> KResult<()> {
        let mut all = self.mounts.lock();
        let subtree = subtree_of(m);
        all.try_reserve(subtree.len()).map_err(|_| Errno::ENOMEM)?;
        {
            let mut pst = parent.st.lock();
            pst.children.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
            pst.children.push(m.clone());
        }
        {
            let mut st = m.st.lock();
            st.parent = Arc::downgrade(parent);
            st.point = Some((point_key, point_path));
        }
        for s in subtree {
            s.st.lock().attached = true;
            all.push(s);
        }
        Ok(())
    }

    /// Takes `m` and everything mounted inside it out of the tree. Those
    /// still in use stay usable where they are (MNT_DETACH).
    pub fn detach(&self, m: &Arc<Mount>) {
        let subtree = subtree_of(m);
        if let Some(parent) = m.parent() {
            parent.st.lock().children.retain(|c| !Arc::ptr_eq(c, m));
        }
        {
            let mut st = m.st.lock();
            st.parent = Weak::new();
        }
        let mut all = self.mounts.lock();
        for s in &subtree {
            s.st.lock().attached = false;
            s.clear_expiry();
        }
        all.retain(|x| !subtree.iter().any(|s| Arc::ptr_eq(s, x)));
    }

    /// Moves attached mount `m` (with its subtree) onto `point_key` of
    /// `parent` (MS_MOVE, pivot_root).
    pub fn reattach(&self, m: &Arc<Mount>, parent: &Arc<Mount>, point_key: InodeKey, point_path: Vec<u8>) -> KResult<()> {
        parent.st.lock().children.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
        if let Some(old) = m.parent() {
            old.st.lock().children.retain(|c| !Arc::ptr_eq(c, m));
        }
        let mut st = m.st.lock();
        st.parent = Arc::downgrade(parent);
        st.point = Some((point_key, point_path));
        drop(st);
        parent.st.lock().children.push(m.clone());
        // Keep mount order for /proc: a moved mount is listed after its
        // new parent.
        let mut all = self.mounts.lock();
        let subtree = subtree_of(m);
        all.retain(|x| !subtree.iter().any(|s| Arc::ptr_eq(s, x)));
        all.extend(subtree);
        Ok(())
    }

    /// All attached mounts, in mount order.
    pub fn mounts(&self) -> Vec<Arc<Mount>> {
        self.mounts.lock().clone()
    }

    /// A copy of the whole tree with new mount ids (unshare(CLONE_NEWNS)),
    /// and the map from old mounts to their copies.
    pub fn copy(&self) -> KResult<(Arc<MountNamespace>, Vec<(Arc<Mount>, Arc<Mount>)>)> {
        let order = self.mounts();
        let mut map: Vec<(Arc<Mount>, Arc<Mount>)> = Vec::new();
        map.try_reserve(order.len()).map_err(|_| Errno::ENOMEM)?;
        for m in &order {
            let c = m.clone_mount(m.root.clone(), m.root_path.clone());
            map.push((m.clone(), c));
        }
        let find = |m: &Arc<Mount>| map.iter().find(|(o, _)| Arc::ptr_eq(o, m)).map(|(_, c)| c.clone());
        let root = find(&self.root).ok_or(Errno::EINVAL)?;
        let ns = MountNamespace::new(root.clone());
        for (old, new) in &map {
            if Arc::ptr_eq(new, &root) {
                continue;
            }
            let (Some(parent), Some((key, path))) = (old.parent().and_then(|p| find(&p)), old.point()) else { continue };
            {
                let mut st = new.st.lock();
                st.parent = Arc::downgrade(&parent);
                st.point = Some((key, path));
                st.attached = true;
            }
            parent.st.lock().children.push(new.clone());
            ns.mounts.lock().push(new.clone());
        }
        Ok((ns, map))
    }

    /// The absolute path of mount `m`'s root as seen from the mount
    /// `root` (a process's root directory): None if it is not below it.
    pub fn path_of(m: &Arc<Mount>, root: &Arc<Mount>) -> Option<Vec<u8>> {
        let mut parts: Vec<Vec<u8>> = Vec::new();
        let mut at = m.clone();
        while !Arc::ptr_eq(&at, root) {
            let (_, point) = at.point()?;
            parts.push(point);
            at = at.parent()?;
        }
        let mut out = Vec::new();
        for p in parts.iter().rev() {
            if p.as_slice() != b"/" {
                out.extend_from_slice(p);
            }
        }
        if out.is_empty() {
            out.push(b'/');
        }
        Some(out)
    }
}

/// Links unattached `m` under unattached `parent` on `key` (building a
/// recursive bind's copy before it is attached as a whole).
pub fn link_child(m: &Arc<Mount>, parent: &Arc<Mount>, key: InodeKey, point: Vec<u8>) -> KResult<()> {
    let mut pst = parent.st.lock();
    pst.children.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
    pst.children.push(m.clone());
    drop(pst);
    let mut st = m.st.lock();
    st.parent = Arc::downgrade(parent);
    st.point = Some((key, point));
    Ok(())
}

/// Whether some attached mount of `ns` sits on the inode `key` (such a
/// directory cannot be removed or renamed: EBUSY).
pub fn is_mountpoint(ns: &MountNamespace, key: InodeKey) -> bool {
    ns.mounts.lock().iter().any(|m| m.point().is_some_and(|p| p.0 == key) && m.parent().is_some())
}

/// `m` and every mount below it, parents first.
pub fn subtree_of(m: &Arc<Mount>) -> Vec<Arc<Mount>> {
    let mut out = alloc::vec![m.clone()];
    let mut i = 0;
    while i < out.len() {
        let kids = out[i].children();
        out.extend(kids);
        i += 1;
    }
    out
}
