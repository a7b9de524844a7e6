//! mount(2), umount2(2), pivot_root(2) and unshare(2). The mount tree is
//! fs::mount; this module decodes the calls and checks them in Linux's
//! order (path lookup, then CAP_SYS_ADMIN, then the operation's own
//! checks).

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{creds, fs_context, resolve_at};
use crate::errno::{Errno, KResult};
use crate::fs::inode::Inode;
use crate::fs::mount::{Mount, MountFlags, SuperBlock, key_of, single_instance};
use crate::fs::path::PathNode;
use crate::fs::tmpfs::Tmpfs;
use crate::mm::uaccess::{read_cstr, read_path};
use crate::process::creds::CAP_SYS_ADMIN;
use crate::sched::current;

// mount(2) flags (linux/mount.h).
const MS_RDONLY: u64 = 1;
const MS_NOSUID: u64 = 2;
const MS_NODEV: u64 = 4;
const MS_NOEXEC: u64 = 8;
const MS_REMOUNT: u64 = 32;
const MS_NOSYMFOLLOW: u64 = 256;
const MS_NOATIME: u64 = 1024;
const MS_NODIRATIME: u64 = 2048;
const MS_BIND: u64 = 4096;
const MS_MOVE: u64 = 8192;
const MS_REC: u64 = 16384;
const MS_SILENT: u64 = 32768;
const MS_UNBINDABLE: u64 = 1 << 17;
const MS_PRIVATE: u64 = 1 << 18;
const MS_SLAVE: u64 = 1 << 19;
const MS_SHARED: u64 = 1 << 20;
const MS_RELATIME: u64 = 1 << 21;
const MS_STRICTATIME: u64 = 1 << 24;
const MS_NOUSER: u64 = 1 << 31;
const MS_MGC_MSK: u64 = 0xffff_0000;
const MS_MGC_VAL: u64 = 0xC0ED_0000;

// umount2(2) flags.
const MNT_FORCE: u32 = 1;
const MNT_DETACH: u32 = 2;
const MNT_EXPIRE: u32 = 4;
const UMOUNT_NOFOLLOW: u32 = 8;

fn may_mount() -> KResult<()> {
    if creds().capable(CAP_SYS_ADMIN) { Ok(()) } else { Err(Errno::EPERM) }
}

/// The per-mount flags a mount(2) call asks for. relatime is the default
/// unless noatime or strictatime is given.
fn mount_flags(flags: u64) -> MountFlags {
    let mut m = MountFlags::empty();
    for (ms, mnt) in [
        (MS_RDONLY, MountFlags::READONLY),
        (MS_NOSUID, MountFlags::NOSUID),
        (MS_NODEV, MountFlags::NODEV),
        (MS_NOEXEC, MountFlags::NOEXEC),
        (MS_NOATIME, MountFlags::NOATIME),
        (MS_NODIRATIME, MountFlags::NODIRATIME),
        (MS_NOSYMFOLLOW, MountFlags::NOSYMFOLLOW),
    ] {
        if flags & ms != 0 {
            m |= mnt;
        }
    }
    if flags & (MS_NOATIME | MS_STRICTATIME) == 0 {
        m |= MountFlags::RELATIME;
    }
    m
}

/// mount(2)
pub fn sys_mount(source: usize, target: usize, fstype: usize, flags: u64, data: usize) -> KResult<usize> {
    let fstype = if fstype == 0 { None } else { Some(read_cstr(fstype, 4096, Errno::ENODEV)?) };
    let source = if source == 0 { None } else { Some(read_cstr(source, 4096, Errno::ENAMETOOLONG)?) };
    let data = if data == 0 { Vec::new() } else { read_cstr(data, 4096, Errno::EINVAL)? };
    let target_path = read_path(target)?;
    let node = resolve_at(super::AT_FDCWD, &target_path, true)?;
    let mut flags = flags;
    if flags & MS_MGC_MSK == MS_MGC_VAL {
        flags &= !MS_MGC_MSK;
    }
    if flags & MS_NOUSER != 0 {
        return Err(Errno::EINVAL);
    }
    may_mount()?;
    let mut mnt_flags = mount_flags(flags);
    // A remount that names no atime policy keeps the current one.
    if flags & MS_REMOUNT != 0 && flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME) == 0 {
        mnt_flags = (mnt_flags - MountFlags::ATIME) | (node.mnt.flags() & MountFlags::ATIME);
    }
    if flags & (MS_REMOUNT | MS_BIND) == MS_REMOUNT | MS_BIND {
        return reconfigure_mount(&node, mnt_flags);
    }
    if flags & MS_REMOUNT != 0 {
        return remount(&node, flags, mnt_flags, &data);
    }
    if flags & MS_BIND != 0 {
        return bind_mount(&node, source.as_deref(), flags & MS_REC != 0);
    }
    if flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE) != 0 {
        return change_propagation(&node, flags);
    }
    if flags & MS_MOVE != 0 {
        return move_mount(&node, source.as_deref());
    }
    let fstype = fstype.ok_or(Errno::EINVAL)?;
    new_mount(&node, &fstype, source.unwrap_or_default(), flags, mnt_flags, &data)
}

/// A mount must be the root of an attached mount of our namespace.
fn check_mount_root(node: &Arc<PathNode>) -> KResult<()> {
    if !node.is_mount_root() || !node.mnt.attached() {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// MS_REMOUNT|MS_BIND: the per-mount flags only.
fn reconfigure_mount(node: &Arc<PathNode>, mnt_flags: MountFlags) -> KResult<usize> {
    check_mount_root(node)?;
    node.mnt.set_flags(mnt_flags);
    Ok(0)
}

/// MS_REMOUNT: the file system's options and read-only state, and the
/// mount's flags.
fn remount(node: &Arc<PathNode>, flags: u64, mnt_flags: MountFlags, data: &[u8]) -> KResult<usize> {
    check_mount_root(node)?;
    let sb = &node.mnt.sb;
    let opts = parse_options(sb.fs_type, data, true)?;
    let ro = opts.readonly.unwrap_or(flags & MS_RDONLY != 0);
    if let Some(t) = sb.root.as_any().downcast_ref::<crate::fs::tmpfs::TmpfsInode>() {
        t.set_limits(opts.pages, opts.inodes);
        if opts.pages.is_some() || opts.inodes.is_some() {
            let mut o = opts.clone();
            o.merge_from(&sb.options());
            sb.set_options(o.display);
        }
    }
    sb.set_readonly(ro);
    node.mnt.set_flags(mnt_flags);
    Ok(0)
}

/// Where a new mount goes: on top of whatever is at `node`.
fn attach_at(node: &Arc<PathNode>, m: &Arc<Mount>) -> KResult<usize> {
    if node.is_dir() != m.root.stat().is_dir() {
        return Err(Errno::ENOTDIR);
    }
    if !node.mnt.attached() {
        return Err(Errno::EINVAL);
    }
    let ns = fs_context().ns;
    ns.attach(m, &node.mnt, key_of(&node.inode), node.path_in_mount())?;
    Ok(0)
}

/// MS_BIND (MS_REC: with the mounts below the source).
fn bind_mount(node: &Arc<PathNode>, source: Option<&[u8]>, recursive: bool) -> KResult<usize> {
    let source = source.filter(|s| !s.is_empty()).ok_or(Errno::EINVAL)?;
    let src = resolve_at(super::AT_FDCWD, source, true)?;
    if !src.mnt.attached() {
        return Err(Errno::EINVAL);
    }
    let copy = src.mnt.clone_mount(src.inode.clone(), src.path_in_fs());
    if recursive {
        copy_submounts(&src.mnt, &src.path_in_mount(), &copy)?;
    }
    attach_at(node, &copy)
}

/// Copies the mounts of `from` that lie under `dir` (a path in `from`)
/// into `to`, whose root is `dir`, with their own submounts.
fn copy_submounts(from: &Arc<Mount>, dir: &[u8], to: &Arc<Mount>) -> KResult<()> {
    for child in from.children() {
        let Some((key, point)) = child.point() else { continue };
        let rel = if dir == b"/" {
            point.clone()
        } else if point.as_slice() == dir {
            b"/".to_vec()
        } else if point.starts_with(dir) && point.get(dir.len()) == Some(&b'/') {
            point[dir.len()..].to_vec()
        } else {
            continue;
        };
        let c = child.clone_mount(child.root.clone(), child.root_path.clone());
        copy_submounts(&child, b"/", &c)?;
        attach_unlisted(&c, to, key, rel)?;
    }
    Ok(())
}

/// Links `m` under `parent` before the whole copy is attached (the
/// namespace lists it when its top is attached).
fn attach_unlisted(m: &Arc<Mount>, parent: &Arc<Mount>, key: crate::fs::mount::InodeKey, point: Vec<u8>) -> KResult<()> {
    crate::fs::mount::link_child(m, parent, key, point)
}

/// MS_PRIVATE and friends. Every mount is private here; sharing
/// (MS_SHARED, MS_SLAVE) and MS_UNBINDABLE are refused, not faked.
fn change_propagation(node: &Arc<PathNode>, flags: u64) -> KResult<usize> {
    check_mount_root(node)?;
    let kinds = flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE);
    if kinds.count_ones() != 1 || flags & !(kinds | MS_REC | MS_SILENT) != 0 {
        return Err(Errno::EINVAL);
    }
    if kinds == MS_PRIVATE { Ok(0) } else { Err(Errno::EINVAL) }
}

/// MS_MOVE
fn move_mount(node: &Arc<PathNode>, source: Option<&[u8]>) -> KResult<usize> {
    let source = source.filter(|s| !s.is_empty()).ok_or(Errno::EINVAL)?;
    let src = resolve_at(super::AT_FDCWD, source, true)?;
    check_mount_root(&src)?;
    let m = src.mnt.clone();
    if m.parent().is_none() {
        return Err(Errno::EINVAL);
    }
    if !node.mnt.attached() {
        return Err(Errno::EINVAL);
    }
    if node.is_dir() != src.is_dir() {
        return Err(Errno::EINVAL);
    }
    // Moving a mount below itself would cut it off from the tree.
    let mut at = Some(node.mnt.clone());
    while let Some(p) = at {
        if Arc::ptr_eq(&p, &m) {
            return Err(Errno::ELOOP);
        }
        at = p.parent();
    }
    fs_context().ns.reattach(&m, &node.mnt, key_of(&node.inode), node.path_in_mount())?;
    Ok(0)
}

/// A new file system of type `fstype` on `node`.
fn new_mount(node: &Arc<PathNode>, fstype: &[u8], source: Vec<u8>, flags: u64, mnt_flags: MountFlags, data: &[u8]) -> KResult<usize> {
    let fs_type: &'static str = match fstype {
        b"tmpfs" => "tmpfs",
        b"proc" => "proc",
        b"sysfs" => "sysfs",
        b"devtmpfs" => "devtmpfs",
        b"devpts" => "devpts",
        b"cgroup2" => "cgroup2",
        b"ext4" => "ext4",
        b"ext3" => "ext3",
        b"ext2" => "ext2",
        _ => return Err(Errno::ENODEV),
    };
    if matches!(fs_type, "ext4" | "ext3" | "ext2") {
        return mount_disk(node, fs_type, source, flags, mnt_flags);
    }
    let opts = parse_options(fs_type, data, false)?;
    let ro = opts.readonly.unwrap_or(flags & MS_RDONLY != 0);
    let new_sb = |root: Arc<dyn Inode>| SuperBlock::new(fs_type, source.clone(), root, ro, opts.display.clone());
    let sb = match fs_type {
        "tmpfs" => {
            let t = Tmpfs::new(opts.mode.unwrap_or(0o1777), opts.uid.unwrap_or(0), opts.gid.unwrap_or(0));
            t.set_limits(opts.pages, opts.inodes);
            new_sb(t)
        }
        "proc" => new_sb(crate::fs::procfs::new_root()),
        // One instance each, as on Linux: a new mount shows the same
        // superblock (and keeps its state).
        "sysfs" => single_instance(fs_type, || new_sb(crate::fs::sysfs::root())),
        "devtmpfs" => single_instance(fs_type, || new_sb(crate::fs::devices::devtmpfs_root())),
        "cgroup2" => single_instance(fs_type, || new_sb(crate::fs::cgroupfs::root())),
        _ => new_sb(crate::fs::devpts::root()),
    };
    let root = sb.root.clone();
    let m = Mount::new(sb, root, b"/".to_vec(), mnt_flags);
    attach_at(node, &m)
}

/// A disk file system: `source` names a block device node (ENOTBLK if it
/// is not one, ENXIO if no disk has that number); a disk that cannot be
/// written, or whose features the library only reads, mounts read-only
/// with a console message.
fn mount_disk(node: &Arc<PathNode>, fs_type: &'static str, source: Vec<u8>, flags: u64, mnt_flags: MountFlags) -> KResult<usize> {
    use crate::fs::inode::{FileType, dev_major, dev_minor};
    let dev = super::resolve_at(super::AT_FDCWD, &source, true)?;
    let st = dev.inode.stat();
    if st.file_type() != Some(FileType::BlockDevice) {
        return Err(Errno::ENOTBLK);
    }
    if dev.mnt.flags().contains(MountFlags::NODEV) {
        return Err(Errno::EACCES);
    }
    let disk = crate::block::by_dev(dev_major(st.rdev), dev_minor(st.rdev)).ok_or(Errno::ENXIO)?;
    let (root, ro_reason) = crate::fs::ext4fs::mount(disk.device, flags & MS_RDONLY != 0, &disk.name)?;
    let ro = flags & MS_RDONLY != 0 || ro_reason.is_some();
    let sb = SuperBlock::new(fs_type, source, root.clone(), ro, String::new());
    let m = Mount::new(sb, root, b"/".to_vec(), mnt_flags);
    attach_at(node, &m)
}

/// Parsed file-system options.
#[derive(Clone, Default)]
struct FsOptions {
    readonly: Option<bool>,
    pages: Option<u64>,
    inodes: Option<u64>,
    mode: Option<u32>,
    uid: Option<u32>,
    gid: Option<u32>,
    /// As /proc/mounts shows them after rw/ro (",size=1024k").
    display: String,
}

impl FsOptions {
    /// Keeps the options of `old` (a display string) that this remount
    /// did not change.
    fn merge_from(&mut self, old: &str) {
        let mut out = String::new();
        for o in old.split(',').filter(|o| !o.is_empty()) {
            let changed = (o.starts_with("size=") && self.pages.is_some()) || (o.starts_with("nr_inodes=") && self.inodes.is_some());
            if !changed {
                out.push(',');
                out.push_str(o);
            }
        }
        if let Some(p) = self.pages {
            out.push_str(&format!(",size={}k", p * 4));
        }
        if let Some(i) = self.inodes {
            out.push_str(&format!(",nr_inodes={}", i));
        }
        self.display = out;
    }
}

/// A number with an optional k/m/g (or, for sizes, %) suffix, as
/// Linux's memparse reads it.
fn parse_size(v: &str, percent_of: Option<u64>) -> KResult<u64> {
    let (digits, suffix) = v.split_at(v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len()));
    let n: u64 = digits.parse().map_err(|_| Errno::EINVAL)?;
    let mul: u64 = match suffix {
        "" => 1,
        "k" | "K" => 1 << 10,
        "m" | "M" => 1 << 20,
        "g" | "G" => 1 << 30,
        "t" | "T" => 1 << 40,
        "%" => return percent_of.map(|total| total * n / 100).ok_or(Errno::EINVAL),
        _ => return Err(Errno::EINVAL),
    };
    n.checked_mul(mul).ok_or(Errno::EINVAL)
}

fn parse_octal(v: &str) -> KResult<u32> {
    u32::from_str_radix(v, 8).map_err(|_| Errno::EINVAL)
}

fn parse_id(v: &str) -> KResult<u32> {
    v.parse::<u32>().map_err(|_| Errno::EINVAL).and_then(|id| if id == u32::MAX { Err(Errno::EINVAL) } else { Ok(id) })
}

/// Parses the data string of mount(2) for `fs_type`: the generic
/// superblock flags every file system accepts (ro, rw, ...) and the
/// type's own options. Unknown options fail with EINVAL, as Linux's
/// option parsers do.
fn parse_options(fs_type: &str, data: &[u8], remount: bool) -> KResult<FsOptions> {
    let text = core::str::from_utf8(data).map_err(|_| Errno::EINVAL)?;
    let mut o = FsOptions::default();
    let page_kib = 4u64;
    let ram_pages = kevlar_hal::mem::frame::stats().total as u64;
    let (mut devpts_mode, mut devpts_ptmxmode, mut devpts_gid) = (None, None, None);
    for opt in text.split(',').filter(|s| !s.is_empty()) {
        let (key, value) = match opt.find('=') {
            Some(i) => (&opt[..i], Some(&opt[i + 1..])),
            None => (opt, None),
        };
        match (key, value) {
            ("ro", None) => o.readonly = Some(true),
            ("rw", None) => o.readonly = Some(false),
            // Defaults that change nothing here.
            ("async", None) | ("silent", None) | ("nolazytime", None) | ("nomand", None) => {}
            _ => match fs_type {
                "tmpfs" => match (key, value) {
                    ("size", Some(v)) => {
                        let bytes = parse_size(v, Some(ram_pages * 4096))?;
                        o.pages = Some(bytes.div_ceil(4096));
                    }
                    ("nr_inodes", Some(v)) => o.inodes = Some(parse_size(v, None)?),
                    ("mode", Some(v)) if !remount => o.mode = Some(parse_octal(v)? & 0o7777),
                    ("uid", Some(v)) if !remount => o.uid = Some(parse_id(v)?),
                    ("gid", Some(v)) if !remount => o.gid = Some(parse_id(v)?),
                    _ => return Err(Errno::EINVAL),
                },
                // devpts: every mount is a new instance on Linux (so
                // newinstance changes nothing); modes and group are
                // accepted only as the ones ptys get here.
                "devpts" => match (key, value) {
                    ("newinstance", None) => {}
                    ("mode", Some(v)) => devpts_mode = Some(parse_octal(v)? & 0o777),
                    ("ptmxmode", Some(v)) => devpts_ptmxmode = Some(parse_octal(v)? & 0o777),
                    ("gid", Some(v)) => devpts_gid = Some(parse_id(v)?),
                    _ => return Err(Errno::EINVAL),
                },
                // devtmpfs is one instance made at boot: Linux takes the
                // tmpfs options of a later mount and ignores them (the
                // existing superblock is returned).
                "devtmpfs" => match (key, value) {
                    ("size" | "nr_inodes", Some(v)) => {
                        parse_size(v, Some(ram_pages * 4096))?;
                    }
                    ("mode", Some(v)) => {
                        parse_octal(v)?;
                    }
                    ("uid" | "gid", Some(v)) => {
                        parse_id(v)?;
                    }
                    _ => return Err(Errno::EINVAL),
                },
                // cgroup2's options tune delegation across cgroup
                // namespaces and controllers, neither of which exists
                // here: recorded and shown, with nothing to change.
                "cgroup2" => match (key, value) {
                    ("nsdelegate" | "favordynmods" | "memory_localevents" | "memory_recursiveprot" | "memory_hugetlb_accounting" | "pids_localevents", None) => {
                        o.display.push(',');
                        o.display.push_str(key);
                    }
                    _ => return Err(Errno::EINVAL),
                },
                _ => return Err(Errno::EINVAL),
            },
        }
    }
    match fs_type {
        "tmpfs" => {
            let default = ram_pages / 2;
            if let Some(p) = o.pages.filter(|&p| p != default) {
                o.display.push_str(&format!(",size={}k", p * page_kib));
            }
            if let Some(i) = o.inodes.filter(|&i| i != default) {
                o.display.push_str(&format!(",nr_inodes={}", i));
            }
            if let Some(m) = o.mode.filter(|&m| m != 0o1777) {
                o.display.push_str(&format!(",mode={:03o}", m));
            }
            if let Some(u) = o.uid.filter(|&u| u != 0) {
                o.display.push_str(&format!(",uid={}", u));
            }
            if let Some(g) = o.gid.filter(|&g| g != 0) {
                o.display.push_str(&format!(",gid={}", g));
            }
        }
        "devpts" => {
            // The slaves' group and mode (gid=5,mode=620 as distributions
            // mount it) and ptmx's mode; every mount shows one set of ptys,
            // so the last mount's options apply to all of them.
            let (mode, ptmx) = (devpts_mode.unwrap_or(0o600), devpts_ptmxmode.unwrap_or(0o000));
            crate::fs::devpts::configure(devpts_gid, mode, ptmx);
            if let Some(g) = devpts_gid {
                o.display.push_str(&format!(",gid={}", g));
            }
            o.display.push_str(&format!(",mode={:03o},ptmxmode={:03o}", mode, ptmx));
        }
        _ => {}
    }
    Ok(o)
}

/// umount2(2)
pub fn sys_umount2(target: usize, flags: u32) -> KResult<usize> {
    if flags & !(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path(target)?;
    let node = resolve_at(super::AT_FDCWD, &path, flags & UMOUNT_NOFOLLOW == 0)?;
    may_mount()?;
    check_mount_root(&node)?;
    let fs = fs_context();
    let m = node.mnt.clone();
    drop(node);
    let is_process_root = Arc::ptr_eq(&m, &fs.root.mnt);
    if m.parent().is_none() {
        return Err(Errno::EINVAL);
    }
    drop(fs);
    // Held now: the namespace's list, the parent's child list, `m`.
    let busy = || !m.children().is_empty() || Arc::strong_count(&m) > 3;
    let ns = fs_context().ns;
    if flags & MNT_EXPIRE != 0 {
        if is_process_root || flags & (MNT_FORCE | MNT_DETACH) != 0 {
            return Err(Errno::EINVAL);
        }
        if busy() {
            return Err(Errno::EBUSY);
        }
        if !m.mark_expired() {
            return Err(Errno::EAGAIN);
        }
    }
    if is_process_root && flags & MNT_DETACH == 0 {
        return Err(Errno::EBUSY);
    }
    // MNT_FORCE asks the file system to abort pending I/O; none of ours
    // has any, so a forced umount is a plain one (as for Linux's tmpfs).
    if flags & MNT_DETACH == 0 && busy() {
        return Err(Errno::EBUSY);
    }
    ns.detach(&m);
    Ok(0)
}

/// pivot_root(2): the mount of the caller's root moves to `put_old`, and
/// `new_root`'s mount takes its place; processes whose root or working
/// directory was the old root move to the new one.
pub fn sys_pivot_root(new_root: usize, put_old: usize) -> KResult<usize> {
    may_mount()?;
    let new_path = read_path(new_root)?;
    let new = resolve_at(super::AT_FDCWD, &new_path, true)?;
    if !new.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    let old_path = read_path(put_old)?;
    let old = resolve_at(super::AT_FDCWD, &old_path, true)?;
    if !old.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    let fs = fs_context();
    let root = fs.root.clone();
    if !new.mnt.attached() || !root.mnt.attached() {
        return Err(Errno::EINVAL);
    }
    if new.stat().nlink == 0 {
        return Err(Errno::ENOENT);
    }
    if Arc::ptr_eq(&new.mnt, &root.mnt) || Arc::ptr_eq(&old.mnt, &root.mnt) {
        return Err(Errno::EBUSY);
    }
    let (Some(root_parent), Some((root_key, root_point))) = (root.mnt.parent(), root.mnt.point()) else {
        return Err(Errno::EINVAL);
    };
    if !root.is_mount_root() || !new.is_mount_root() || new.mnt.parent().is_none() {
        return Err(Errno::EINVAL);
    }
    // put_old must be at or below new_root, and new_root below the root.
    if !is_below(&old, &new) || !is_below(&new, &root) {
        return Err(Errno::EINVAL);
    }
    let ns = fs.ns.clone();
    let new_mnt = new.mnt.clone();
    let root_mnt = root.mnt.clone();
    // new_root's mount leaves the old root's tree first, so that putting
    // the old root under put_old (inside new_root) makes no cycle.
    ns.reattach(&new_mnt, &root_parent, root_key, root_point)?;
    ns.reattach(&root_mnt, &old.mnt, key_of(&old.inode), old.path_in_mount())?;
    let new_root_node = PathNode::new_root(new_mnt);
    for p in crate::process::all_processes() {
        for t in p.threads() {
            let shared = t.fs();
            let mut ctx = shared.lock();
            if !Arc::ptr_eq(&ctx.ns, &ns) {
                continue;
            }
            if ctx.root.same_as(&root) {
                ctx.root = new_root_node.clone();
            }
            if ctx.cwd.same_as(&root) {
                ctx.cwd = new_root_node.clone();
            }
        }
    }
    Ok(0)
}

/// Whether `node` is `top` or below it, following mounts and names.
fn is_below(node: &Arc<PathNode>, top: &Arc<PathNode>) -> bool {
    // Walk up through mounts: from node's mount to top's mount, checking
    // that the path inside top's mount starts at top.
    let mut mnt = node.mnt.clone();
    let mut path = node.path_in_mount();
    loop {
        if Arc::ptr_eq(&mnt, &top.mnt) {
            let top_path = top.path_in_mount();
            return top_path.as_slice() == b"/" || path == top_path || (path.starts_with(&top_path) && path.get(top_path.len()) == Some(&b'/'));
        }
        match (mnt.parent(), mnt.point()) {
            (Some(p), Some((_, point))) => {
                path = crate::fs::path::join_paths(&point, &path);
                mnt = p;
            }
            _ => return false,
        }
    }
}

/// unshare(2): CLONE_NEWNS (a copy of the mount namespace), CLONE_FS and
/// CLONE_FILES (private copies of the file-system context and descriptor
/// table). Other namespaces do not exist yet: EINVAL.
pub fn sys_unshare(flags: u64) -> KResult<usize> {
    use crate::process::fork::flags::*;
    const CLONE_NEWCGROUP: u64 = 0x0200_0000;
    const CLONE_NEWUTS: u64 = 0x0400_0000;
    const CLONE_NEWIPC: u64 = 0x0800_0000;
    const CLONE_NEWNET: u64 = 0x4000_0000;
    let known = CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME;
    if flags & !known != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & (CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME) != 0 {
        return Err(Errno::EINVAL);
    }
    let me = current();
    // Unsharing what a thread group shares is possible only alone.
    if flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) != 0 && me.process.threads().len() > 1 {
        return Err(Errno::EINVAL);
    }
    if flags & CLONE_NEWNS != 0 {
        may_mount()?;
    }
    if flags & (CLONE_FS | CLONE_NEWNS) != 0 {
        let ctx = me.fs().lock().clone();
        let ctx = if flags & CLONE_NEWNS != 0 { ctx.with_new_namespace()? } else { ctx };
        drop(me.set_fs(Arc::new(kevlar_hal::sync::SpinLock::new(ctx))));
    }
    if flags & CLONE_FILES != 0 {
        let copy = me.files().lock().clone();
        drop(me.set_files(Arc::new(kevlar_hal::sync::SpinLock::new(copy))));
    }
    // CLONE_SYSVSEM: there are no semaphore undo lists to detach.
    Ok(0)
}
