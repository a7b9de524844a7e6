//! Unpacking the initramfs (cpio newc, possibly several archives in a row)
//! into the root tmpfs, as Linux's init/initramfs.c does.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_cpio::FileType as CpioType;

use super::inode::{FileType, Inode, NewNode, SetAttr, make_dev};
use crate::errno::{Errno, KResult};
use crate::time::Timespec;

/// Counts of what was unpacked.
#[derive(Debug, Default)]
pub struct Unpacked {
    /// Entries created.
    pub entries: usize,
    /// Bytes of file data.
    pub bytes: usize,
}

/// Unpacks `archive` under `root`. A malformed archive stops the unpacking
/// with an error; what was unpacked before stays.
pub fn unpack(root: &Arc<dyn Inode>, archive: &[u8]) -> KResult<Unpacked> {
    let mut stats = Unpacked::default();
    let mut links: BTreeMap<(u32, u32, u32), Arc<dyn Inode>> = BTreeMap::new();
    for entry in kevlar_cpio::parse(archive) {
        let e = entry.map_err(|_| Errno::EINVAL)?;
        if e.name.is_empty() {
            continue; // "." (the root itself)
        }
        let (dir, name) = parent_of(root, e.name)?;
        let mode = e.permissions();
        let existing = dir.lookup(name).ok();
        if e.file_type() == Some(CpioType::Directory) {
            if let Some(d) = existing.as_ref().filter(|d| d.stat().is_dir()) {
                // Already there (created as a parent): just take the attributes.
                let _ = d.set_attr(&SetAttr { mode: Some(mode), uid: Some(e.uid), gid: Some(e.gid), ..Default::default() });
                stats.entries += 1;
                continue;
            }
        }
        if let Some(old) = existing {
            // Linux replaces what is there (clean_path).
            dir.unlink(name, old.stat().is_dir())?;
        }
        let node = match e.file_type() {
            Some(CpioType::Regular) => {
                if let Some(existing) = e.hardlink_key().and_then(|k| links.get(&k)) {
                    dir.link(name, existing)?;
                    if !e.data.is_empty() {
                        existing.write_at(0, e.data)?;
                    }
                    stats.bytes += e.data.len();
                    stats.entries += 1;
                    continue;
                }
                let f = dir.create(name, NewNode::File, mode, e.uid, e.gid)?;
                if !e.data.is_empty() {
                    f.write_at(0, e.data)?;
                }
                stats.bytes += e.data.len();
                if let Some(k) = e.hardlink_key() {
                    links.insert(k, f.clone());
                }
                f
            }
            Some(CpioType::Directory) => dir.create(name, NewNode::Directory, mode, e.uid, e.gid)?,
            Some(CpioType::Symlink) => dir.create(name, NewNode::Symlink(e.data.to_vec()), 0o777, e.uid, e.gid)?,
            Some(t @ (CpioType::CharDevice | CpioType::BlockDevice | CpioType::Fifo | CpioType::Socket)) => {
                let ft = match t {
                    CpioType::CharDevice => FileType::CharDevice,
                    CpioType::BlockDevice => FileType::BlockDevice,
                    CpioType::Fifo => FileType::Fifo,
                    _ => FileType::Socket,
                };
                dir.create(name, NewNode::Special(ft, make_dev(e.rdev_major, e.rdev_minor)), mode, e.uid, e.gid)?
            }
            None => continue, // unknown types are ignored, as on Linux
        };
        let t = Timespec { sec: e.mtime as i64, nsec: 0 };
        let _ = node.set_attr(&SetAttr { mtime: Some(t), atime: Some(t), ..Default::default() });
        stats.entries += 1;
    }
    Ok(stats)
}

/// Finds (creating as needed) the directory that holds `path`'s last part.
fn parent_of<'a>(root: &Arc<dyn Inode>, path: &'a [u8]) -> KResult<(Arc<dyn Inode>, &'a [u8])> {
    let parts: Vec<&[u8]> = path.split(|&c| c == b'/').filter(|p| !p.is_empty() && *p != b".").collect();
    let (name, dirs) = parts.split_last().ok_or(Errno::EINVAL)?;
    let mut dir = root.clone();
    for d in dirs {
        if *d == b".." {
            return Err(Errno::EINVAL);
        }
        dir = match dir.lookup(d) {
            Ok(x) => x,
            Err(_) => dir.create(d, NewNode::Directory, 0o755, 0, 0)?,
        };
    }
    Ok((dir, name))
}
