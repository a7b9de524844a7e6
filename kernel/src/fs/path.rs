//! Path resolution.
//!
//! A [`PathNode`] is an inode as reached by a path: it keeps its name and
//! its parent, so `..` climbs out of a mounted file system to the mount
//! point's directory, and getcwd can spell the path back. Resolution
//! follows symlinks (ELOOP after 40, as Linux), checks search permission on
//! every directory it crosses, and crosses mount points. openat2's
//! RESOLVE_* flags ([`ResolveFlags`]) restrict a lookup: no symlinks, no
//! magic links, no mount crossing, or scoped to a directory (beneath it,
//! or as if it were the root).

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::inode::{FileType, Inode, Stat};
use super::mount::{Mount, MountNamespace, key_of};
use crate::errno::{Errno, KResult};
use crate::process::creds::Credentials;

/// Symlinks followed in one resolution before ELOOP (Linux's MAXSYMLINKS).
const MAX_SYMLINKS: u32 = 40;
/// Longest file name (NAME_MAX).
pub const NAME_MAX: usize = 255;

/// An inode reached through a path.
pub struct PathNode {
    /// Name in the parent directory (empty for a root).
    pub name: Vec<u8>,
    /// Parent (None for the namespace root).
    pub parent: Option<Arc<PathNode>>,
    /// The object.
    pub inode: Arc<dyn Inode>,
    /// The mount it was reached in (its flags apply; holding it keeps the
    /// mount busy).
    pub mnt: Arc<Mount>,
}

impl PathNode {
    /// The root node of a mount.
    pub fn new_root(mnt: Arc<Mount>) -> Arc<PathNode> {
        Arc::new(PathNode { name: Vec::new(), parent: None, inode: mnt.root.clone(), mnt })
    }

    /// A child node in the same mount.
    pub fn child(self: &Arc<Self>, name: &[u8], inode: Arc<dyn Inode>) -> Arc<PathNode> {
        Arc::new(PathNode { name: name.to_vec(), parent: Some(self.clone()), inode, mnt: self.mnt.clone() })
    }

    /// A child node that is the root of mount `mnt` (a mount crossed).
    pub fn child_mount(self: &Arc<Self>, name: &[u8], mnt: Arc<Mount>) -> Arc<PathNode> {
        Arc::new(PathNode { name: name.to_vec(), parent: Some(self.clone()), inode: mnt.root.clone(), mnt })
    }

    /// Whether two nodes are the same object in the same mount.
    pub fn same_as(&self, other: &PathNode) -> bool {
        Arc::ptr_eq(&self.mnt, &other.mnt) && key_of(&self.inode) == key_of(&other.inode)
    }

    /// Whether this node is the root of its mount.
    pub fn is_mount_root(&self) -> bool {
        key_of(&self.inode) == key_of(&self.mnt.root)
    }

    /// The same path, with every mount replaced through `map` (the
    /// working directory and root after unshare(CLONE_NEWNS)).
    pub fn remap(self: &Arc<Self>, map: &[(Arc<Mount>, Arc<Mount>)]) -> Arc<PathNode> {
        let mnt = map.iter().find(|(o, _)| Arc::ptr_eq(o, &self.mnt)).map(|(_, n)| n.clone()).unwrap_or_else(|| self.mnt.clone());
        let parent = self.parent.as_ref().map(|p| p.remap(map));
        Arc::new(PathNode { name: self.name.clone(), parent, inode: self.inode.clone(), mnt })
    }

    /// The path of this node from its mount's root ("/" for the root).
    pub fn path_in_mount(self: &Arc<Self>) -> Vec<u8> {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut at = self;
        while !at.is_mount_root() {
            match &at.parent {
                Some(p) if Arc::ptr_eq(&p.mnt, &self.mnt) => {
                    parts.push(&at.name);
                    at = p;
                }
                _ => break,
            }
        }
        let mut out = Vec::new();
        for p in parts.iter().rev() {
            out.push(b'/');
            out.extend_from_slice(p);
        }
        if out.is_empty() {
            out.push(b'/');
        }
        out
    }

    /// The path of this node inside its file system (a bind mount's root
    /// in mountinfo): its mount's root path, then the path in the mount.
    pub fn path_in_fs(self: &Arc<Self>) -> Vec<u8> {
        join_paths(&self.mnt.root_path, &self.path_in_mount())
    }

    /// Metadata of the inode.
    pub fn stat(&self) -> Stat {
        self.inode.stat()
    }

    /// Whether the inode is a directory.
    pub fn is_dir(&self) -> bool {
        self.stat().is_dir()
    }

    /// Whether the name this node was reached by is gone from its
    /// directory (unlinked, or replaced by another file).
    pub fn is_unlinked(&self) -> bool {
        if self.is_mount_root() {
            return false;
        }
        match &self.parent {
            Some(p) => !matches!(p.inode.lookup(&self.name), Ok(i) if key_of(&i) == key_of(&self.inode)),
            None => false,
        }
    }

    /// The path as /proc shows it (d_path): from `root`, with
    /// " (deleted)" after a name that was unlinked.
    pub fn display_from(self: &Arc<Self>, root: &Arc<PathNode>) -> Vec<u8> {
        let mut out = self.path_from(root);
        if self.is_unlinked() {
            out.extend_from_slice(b" (deleted)");
        }
        out
    }

    /// The absolute path, as seen from `root` (getcwd, /proc/PID/cwd).
    pub fn path_from(self: &Arc<Self>, root: &Arc<PathNode>) -> Vec<u8> {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut at = self;
        while !at.same_as(root) {
            match &at.parent {
                Some(p) => {
                    parts.push(&at.name);
                    at = p;
                }
                None => break,
            }
        }
        if parts.is_empty() {
            return b"/".to_vec();
        }
        let mut out = Vec::new();
        for p in parts.iter().rev() {
            out.push(b'/');
            out.extend_from_slice(p);
        }
        out
    }
}

/// `a` followed by `b`, both absolute ("/" + "/x" = "/x").
pub fn join_paths(a: &[u8], b: &[u8]) -> Vec<u8> {
    if a == b"/" {
        return b.to_vec();
    }
    if b == b"/" {
        return a.to_vec();
    }
    let mut out = a.to_vec();
    out.extend_from_slice(b);
    out
}

/// A process's view of the file tree (shared with CLONE_FS).
#[derive(Clone)]
pub struct FsContext {
    /// Mount namespace.
    pub ns: Arc<MountNamespace>,
    /// Root directory (chroot).
    pub root: Arc<PathNode>,
    /// Working directory.
    pub cwd: Arc<PathNode>,
    /// File-creation mask.
    pub umask: u32,
}

impl FsContext {
    /// What an exited thread keeps: its namespace, with root and working
    /// directory at the namespace's root (no other mount held busy).
    pub fn parked(&self) -> FsContext {
        let root = PathNode::new_root(self.ns.root().clone());
        FsContext { ns: self.ns.clone(), root: root.clone(), cwd: root, umask: self.umask }
    }

    /// The same view in a copy of the mount namespace (unshare or clone
    /// with CLONE_NEWNS): root and working directory move to the copies
    /// of their mounts.
    pub fn with_new_namespace(&self) -> KResult<FsContext> {
        let (ns, map) = self.ns.copy()?;
        Ok(FsContext { ns, root: self.root.remap(&map), cwd: self.cwd.remap(&map), umask: self.umask })
    }
}

/// Kind of access checked against permission bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Perm {
    /// r
    Read,
    /// w
    Write,
    /// x (search, for directories)
    Exec,
}

/// Checks `perm` on a file with metadata `st` for `creds` (the file-system
/// identity), as Linux's generic_permission does.
pub fn check_permission(st: &Stat, creds: &Credentials, perm: Perm) -> KResult<()> {
    use crate::process::creds::{CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH};
    let bit = match perm {
        Perm::Read => 4,
        Perm::Write => 2,
        Perm::Exec => 1,
    };
    let shift = if st.uid == creds.fsuid {
        6
    } else if creds.in_group(st.gid) {
        3
    } else {
        0
    };
    if (st.mode >> shift) & bit != 0 {
        return Ok(());
    }
    // CAP_DAC_OVERRIDE bypasses everything but executing a file with no x
    // bit at all; CAP_DAC_READ_SEARCH bypasses reads and directory search.
    let overridden = match perm {
        Perm::Exec if !st.is_dir() => creds.capable(CAP_DAC_OVERRIDE) && st.mode & 0o111 != 0,
        Perm::Exec | Perm::Read => creds.capable(CAP_DAC_OVERRIDE) || creds.capable(CAP_DAC_READ_SEARCH),
        Perm::Write => creds.capable(CAP_DAC_OVERRIDE),
    };
    if overridden { Ok(()) } else { Err(Errno::EACCES) }
}

/// openat2's restrictions on a lookup (RESOLVE_*).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResolveFlags {
    /// RESOLVE_NO_XDEV: never cross a mount point (EXDEV).
    pub no_xdev: bool,
    /// RESOLVE_NO_MAGICLINKS: refuse /proc magic links (ELOOP).
    pub no_magiclinks: bool,
    /// RESOLVE_NO_SYMLINKS: refuse every symlink (ELOOP).
    pub no_symlinks: bool,
    /// RESOLVE_BENEATH: stay below the starting directory (EXDEV).
    pub beneath: bool,
    /// RESOLVE_IN_ROOT: the starting directory acts as the root.
    pub in_root: bool,
    /// RESOLVE_CACHED: only what is in memory already. tmpfs keeps no
    /// negative entries and magic links need the slow path, so a missing
    /// name or a magic link fails with EAGAIN (as on Linux's tmpfs).
    pub cached: bool,
}

impl ResolveFlags {
    fn scoped(&self) -> bool {
        self.beneath || self.in_root
    }
}

/// Resolves paths for one process.
pub struct Resolver<'a> {
    fs: &'a FsContext,
    creds: &'a Credentials,
    flags: ResolveFlags,
    /// The root of a scoped lookup (RESOLVE_BENEATH/IN_ROOT): the
    /// directory it started from.
    scope: Option<Arc<PathNode>>,
}

/// Result of resolving all but the last component.
pub struct ParentAndName {
    /// The directory that holds (or will hold) the entry.
    pub dir: Arc<PathNode>,
    /// The last component (never "." or ".." unless the path was only that).
    pub name: Vec<u8>,
    /// The path ended with '/'.
    pub trailing_slash: bool,
}

impl<'a> Resolver<'a> {
    /// A resolver for a file-system context and identity.
    pub fn new(fs: &'a FsContext, creds: &'a Credentials) -> Self {
        Resolver { fs, creds, flags: ResolveFlags::default(), scope: None }
    }

    /// A resolver with openat2's restrictions; a scoped lookup treats
    /// `base` (the directory it starts from) as its root.
    pub fn with_flags(fs: &'a FsContext, creds: &'a Credentials, flags: ResolveFlags, base: &Arc<PathNode>) -> Self {
        let scope = flags.scoped().then(|| base.clone());
        Resolver { fs, creds, flags, scope }
    }

    /// The directory "/" and ".." stop at.
    fn root(&self) -> &Arc<PathNode> {
        self.scope.as_ref().unwrap_or(&self.fs.root)
    }

    fn is_root(&self, node: &Arc<PathNode>) -> bool {
        node.same_as(self.root())
    }

    /// Resolves `path` relative to `base`; the last component is followed
    /// if it is a symlink and `follow` is set.
    pub fn resolve(&self, base: &Arc<PathNode>, path: &[u8], follow: bool) -> KResult<Arc<PathNode>> {
        let mut links = 0;
        self.walk(base, path, follow, &mut links, false)
    }

    /// Checks that following a symlink is allowed and counts it.
    fn count_link(&self, links: &mut u32) -> KResult<()> {
        if self.flags.no_symlinks {
            return Err(Errno::ELOOP);
        }
        *links += 1;
        if *links > MAX_SYMLINKS {
            return Err(Errno::ELOOP);
        }
        Ok(())
    }

    fn step_into_link(&self, cur: &Arc<PathNode>, inode: &Arc<dyn Inode>, links: &mut u32) -> KResult<Arc<PathNode>> {
        self.count_link(links)?;
        match inode.magic_link() {
            Some(node) => self.jump_magic(cur, node),
            None => {
                let target = inode.read_link()?;
                self.walk(cur, &target, true, links, true)
            }
        }
    }

    /// A magic link's jump to its object, in nd_jump_link's order: the
    /// slow path first (RESOLVE_CACHED), then NO_MAGICLINKS, NO_XDEV, and
    /// scoped lookups (never through a magic link).
    fn jump_magic(&self, cur: &Arc<PathNode>, node: KResult<Arc<PathNode>>) -> KResult<Arc<PathNode>> {
        if self.flags.cached {
            return Err(Errno::EAGAIN);
        }
        if self.flags.no_magiclinks {
            return Err(Errno::ELOOP);
        }
        let node = node?;
        if self.flags.no_xdev && !Arc::ptr_eq(&node.mnt, &cur.mnt) {
            return Err(Errno::EXDEV);
        }
        if self.flags.scoped() {
            return Err(Errno::EXDEV);
        }
        Ok(node)
    }

    /// Resolves all but the last component of `path`.
    pub fn resolve_parent(&self, base: &Arc<PathNode>, path: &[u8]) -> KResult<ParentAndName> {
        let mut links = 0;
        self.parent_of(base, path, &mut links, false)
    }

    /// For O_CREAT through a dangling symlink `link` in `dir`: the
    /// directory and name its target would be created as. Counts the link
    /// (ELOOP, RESOLVE_NO_SYMLINKS) and applies the scoping rules to its
    /// target; a magic link yields its object instead (`Err(node)`).
    pub fn link_parent(&self, dir: &Arc<PathNode>, link: &Arc<dyn Inode>, links: &mut u32) -> KResult<Result<ParentAndName, Arc<PathNode>>> {
        self.count_link(links)?;
        if let Some(node) = link.magic_link() {
            return self.jump_magic(dir, node).map(Err);
        }
        let target = link.read_link()?;
        self.parent_of(dir, &target, links, true).map(Ok)
    }

    fn parent_of(&self, base: &Arc<PathNode>, path: &[u8], links: &mut u32, in_link: bool) -> KResult<ParentAndName> {
        if in_link && path.first() == Some(&b'/') && self.flags.beneath {
            return Err(Errno::EXDEV);
        }
        let trailing_slash = path.len() > 1 && path.ends_with(b"/");
        let trimmed = trim_trailing_slashes(path);
        let (dir_part, name) = match trimmed.iter().rposition(|&c| c == b'/') {
            Some(i) => (&trimmed[..i + 1], &trimmed[i + 1..]),
            None => (&b""[..], trimmed),
        };
        let dir = if dir_part.is_empty() { base.clone() } else { self.walk(base, dir_part, true, links, in_link)? };
        if !dir.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if name.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        Ok(ParentAndName { dir, name: name.to_vec(), trailing_slash })
    }

    /// Walks `path` from `base`; `in_link` when `path` is a symlink's
    /// target (an absolute one jumps to the root, which RESOLVE_BENEATH
    /// refuses, and RESOLVE_NO_XDEV too when the root is on another mount).
    fn walk(&self, base: &Arc<PathNode>, path: &[u8], follow_last: bool, links: &mut u32, in_link: bool) -> KResult<Arc<PathNode>> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        let mut cur = if path[0] == b'/' {
            if self.flags.beneath {
                return Err(Errno::EXDEV);
            }
            if in_link && self.flags.no_xdev && !Arc::ptr_eq(&base.mnt, &self.root().mnt) {
                return Err(Errno::EXDEV);
            }
            self.root().clone()
        } else {
            base.clone()
        };
        let trailing_slash = path.ends_with(b"/");
        let comps: Vec<&[u8]> = path.split(|&c| c == b'/').filter(|c| !c.is_empty()).collect();
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let st = cur.stat();
            if !st.is_dir() {
                return Err(Errno::ENOTDIR);
            }
            check_permission(&st, self.creds, Perm::Exec)?;
            if *comp == b"." {
                continue;
            }
            if *comp == b".." {
                if self.is_root(&cur) {
                    if self.flags.beneath {
                        return Err(Errno::EXDEV);
                    }
                } else if let Some(p) = &cur.parent {
                    // Climbing out of a mount's root.
                    if self.flags.no_xdev && !Arc::ptr_eq(&p.mnt, &cur.mnt) {
                        return Err(Errno::EXDEV);
                    }
                    cur = p.clone();
                }
                continue;
            }
            if comp.len() > NAME_MAX {
                return Err(Errno::ENAMETOOLONG);
            }
            let mut inode = match cur.inode.lookup(comp) {
                Err(Errno::ENOENT) if self.flags.cached => return Err(Errno::EAGAIN),
                r => r?,
            };
            let mut crossed: Option<Arc<Mount>> = None;
            while let Some(m) = crossed.as_ref().unwrap_or(&cur.mnt).child_on(key_of(&inode)) {
                if self.flags.no_xdev {
                    return Err(Errno::EXDEV);
                }
                inode = m.root.clone();
                crossed = Some(m);
            }
            let is_link = inode.stat().file_type() == Some(FileType::Symlink);
            if is_link && (!last || follow_last || trailing_slash) {
                if crossed.as_ref().unwrap_or(&cur.mnt).flags().contains(super::mount::MountFlags::NOSYMFOLLOW) {
                    return Err(Errno::ELOOP);
                }
                cur = self.step_into_link(&cur, &inode, links)?;
            } else {
                cur = match crossed {
                    Some(m) => cur.child_mount(comp, m),
                    None => cur.child(comp, inode),
                };
            }
        }
        if trailing_slash && !cur.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Ok(cur)
    }
}

fn trim_trailing_slashes(path: &[u8]) -> &[u8] {
    let mut end = path.len();
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    &path[..end]
}
