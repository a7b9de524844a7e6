//! cgroup2: the file system view of the control-group hierarchy
//! (crate::cgroup). One superblock for every mount, as Linux's unified
//! hierarchy: a directory per group, mkdir and rmdir create and remove
//! groups, and the interface files read and change them.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU64, Ordering};

use super::file::FileOps;
use super::rendered::{RenderedFile, WriteFn};
use super::inode::{DirEntry, FileType, Inode, NewNode, SetAttr, Stat, StatFs, make_dev};
use crate::cgroup::{self, Cgroup, KNOWN_CONTROLLERS, Limit};
use crate::errno::{Errno, KResult};

/// CGROUP2_SUPER_MAGIC
const CGROUP2_SUPER_MAGIC: u64 = 0x6367_7270;

static FS_ID: AtomicU64 = AtomicU64::new(0);

/// The interface files of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Knob {
    Controllers,
    Events,
    Freeze,
    Kill,
    MaxDepth,
    MaxDescendants,
    Procs,
    Stat,
    SubtreeControl,
    Threads,
    Type,
    CpuStat,
}

/// Every file, in the order Linux lists them, and whether the root has it.
const KNOBS: &[(&str, Knob, bool)] = &[
    ("cgroup.controllers", Knob::Controllers, true),
    ("cgroup.events", Knob::Events, false),
    ("cgroup.freeze", Knob::Freeze, false),
    ("cgroup.kill", Knob::Kill, false),
    ("cgroup.max.depth", Knob::MaxDepth, true),
    ("cgroup.max.descendants", Knob::MaxDescendants, true),
    ("cgroup.procs", Knob::Procs, true),
    ("cgroup.stat", Knob::Stat, true),
    ("cgroup.subtree_control", Knob::SubtreeControl, true),
    ("cgroup.threads", Knob::Threads, true),
    ("cgroup.type", Knob::Type, false),
    ("cpu.stat", Knob::CpuStat, true),
];

impl Knob {
    fn writable(self) -> bool {
        !matches!(self, Knob::Controllers | Knob::Events | Knob::Stat | Knob::CpuStat)
    }

    fn index(self) -> u64 {
        KNOBS.iter().position(|(_, k, _)| *k == self).unwrap_or(0) as u64
    }
}

/// A group's directory or one of its files.
pub struct CgroupInode {
    group: Arc<Cgroup>,
    knob: Option<Knob>,
}

/// The root of the hierarchy (every cgroup2 mount shows it).
pub fn root() -> Arc<dyn Inode> {
    if FS_ID.load(Ordering::Relaxed) == 0 {
        let _ = FS_ID.compare_exchange(0, super::tmpfs::new_fs_id(), Ordering::Relaxed, Ordering::Relaxed);
    }
    Arc::new(CgroupInode { group: cgroup::root(), knob: None })
}

fn knobs_of(group: &Cgroup) -> impl Iterator<Item = &'static (&'static str, Knob, bool)> {
    let root = group.is_root();
    KNOBS.iter().filter(move |(_, _, on_root)| !root || *on_root)
}

impl CgroupInode {
    fn ino(&self) -> u64 {
        // Directories and their files get distinct numbers.
        self.group.id * 32 + self.knob.map_or(0, |k| 1 + k.index())
    }

    fn render(&self, knob: Knob) -> String {
        let g = &self.group;
        let limit = |l: Limit| l.map_or(String::from("max"), |v| format!("{v}"));
        match knob {
            Knob::Controllers | Knob::SubtreeControl => String::from("\n"),
            Knob::Events => format!("populated {}\nfrozen 0\n", g.populated() as u8),
            Knob::Freeze => String::from("0\n"),
            Knob::Kill => String::new(),
            Knob::MaxDepth => format!("{}\n", limit(g.limits().1)),
            Knob::MaxDescendants => format!("{}\n", limit(g.limits().0)),
            Knob::Procs => g.members().iter().map(|p| format!("{}\n", p.pid)).collect(),
            Knob::Threads => {
                let mut tids: Vec<i32> = g.members().iter().flat_map(|p| p.threads().into_iter().map(|t| t.tid())).collect();
                tids.sort_unstable();
                tids.iter().map(|t| format!("{t}\n")).collect()
            }
            Knob::Stat => format!("nr_descendants {}\nnr_dying_descendants 0\n", g.descendants()),
            Knob::Type => String::from("domain\n"),
            Knob::CpuStat => {
                let (user, system) = g.cpu_ticks();
                let us = |ticks: u64| ticks * crate::time::tick_ns() / 1000;
                format!("usage_usec {}\nuser_usec {}\nsystem_usec {}\n", us(user + system), us(user), us(system))
            }
        }
    }

    fn write(&self, knob: Knob, data: &[u8]) -> KResult<()> {
        let text = core::str::from_utf8(data).map_err(|_| Errno::EINVAL)?.trim();
        let g = &self.group;
        match knob {
            Knob::Procs => {
                let pid: i32 = text.parse().map_err(|_| Errno::EINVAL)?;
                let p = if pid == 0 {
                    crate::sched::current().process.clone()
                } else {
                    crate::process::find_process(pid).filter(|p| p.is_alive()).ok_or(Errno::ESRCH)?
                };
                g.attach(&p)
            }
            // A thread may move only within its domain (Linux's dom_cgrp
            // check); every group here is a domain of its own, so only a
            // thread already in this group passes, and stays.
            Knob::Threads => {
                let tid: i32 = text.parse().map_err(|_| Errno::EINVAL)?;
                let p = if tid == 0 {
                    crate::sched::current().process.clone()
                } else {
                    crate::process::find_thread(tid).map(|t| t.process.clone()).ok_or(Errno::ESRCH)?
                };
                if Arc::ptr_eq(&p.cgroup(), g) { Ok(()) } else { Err(Errno::EOPNOTSUPP) }
            }
            // Threaded groups need controllers that support them.
            Knob::Type => Err(Errno::EOPNOTSUPP),
            Knob::SubtreeControl => {
                for tok in text.split_whitespace() {
                    let name = tok.strip_prefix('+').or_else(|| tok.strip_prefix('-')).ok_or(Errno::EINVAL)?;
                    if !KNOWN_CONTROLLERS.contains(&name) {
                        return Err(Errno::EINVAL);
                    }
                    // Known, but not available: no controllers here.
                    if tok.starts_with('+') {
                        return Err(Errno::ENOENT);
                    }
                }
                Ok(())
            }
            Knob::MaxDepth | Knob::MaxDescendants => {
                let v = if text == "max" { None } else { Some(text.parse::<u64>().map_err(|_| Errno::EINVAL)?) };
                g.set_limit(knob == Knob::MaxDepth, v);
                Ok(())
            }
            Knob::Kill => {
                if text != "1" {
                    return Err(Errno::ERANGE);
                }
                for p in g.members_below() {
                    crate::signal::delivery::send_to_process(&p, crate::signal::SigInfo::from_current(crate::signal::SIGKILL));
                }
                Ok(())
            }
            // Freezing is not implemented: thawing an unfrozen group is
            // the only change that can be honoured.
            Knob::Freeze => match text {
                "0" => Ok(()),
                "1" => Err(Errno::EOPNOTSUPP),
                _ => Err(Errno::ERANGE),
            },
            Knob::Controllers | Knob::Events | Knob::Stat | Knob::CpuStat => Err(Errno::EINVAL),
        }
    }
}

impl Inode for CgroupInode {
    fn stat(&self) -> Stat {
        let t = crate::time::Timespec::from_ns(kevlar_hal::arch::time::boot_unix_ns());
        let mode = match self.knob {
            None => 0o040755,
            Some(k) if k.writable() => 0o100644,
            Some(_) => 0o100444,
        };
        Stat {
            dev: make_dev(0, FS_ID.load(Ordering::Relaxed) as u32),
            ino: self.ino(),
            mode,
            nlink: if self.knob.is_none() { 2 + self.group.children().len() as u32 } else { 1 },
            blksize: 4096,
            atime: t,
            mtime: t,
            ctime: t,
            ..Default::default()
        }
    }

    fn set_attr(&self, _attr: &SetAttr) -> KResult<()> {
        Err(Errno::EPERM)
    }

    fn lookup(&self, name: &[u8]) -> KResult<Arc<dyn Inode>> {
        if self.knob.is_some() {
            return Err(Errno::ENOTDIR);
        }
        if let Some(child) = self.group.child(name) {
            return Ok(Arc::new(CgroupInode { group: child, knob: None }));
        }
        knobs_of(&self.group)
            .find(|(n, _, _)| n.as_bytes() == name)
            .map(|(_, k, _)| Arc::new(CgroupInode { group: self.group.clone(), knob: Some(*k) }) as Arc<dyn Inode>)
            .ok_or(Errno::ENOENT)
    }

    /// mkdir makes a group; no other kind of file can be created
    /// (EACCES for open(O_CREAT), EPERM otherwise, as kernfs).
    fn create(&self, name: &[u8], node: NewNode, _mode: u32, _uid: u32, _gid: u32) -> KResult<Arc<dyn Inode>> {
        if self.knob.is_some() {
            return Err(Errno::ENOTDIR);
        }
        if self.lookup(name).is_ok() {
            return Err(Errno::EEXIST);
        }
        match node {
            NewNode::Directory => Ok(Arc::new(CgroupInode { group: self.group.make_child(name)?, knob: None })),
            NewNode::File => Err(Errno::EACCES),
            _ => Err(Errno::EPERM),
        }
    }

    /// rmdir removes an empty group; files cannot be unlinked.
    fn unlink(&self, name: &[u8], dir: bool) -> KResult<()> {
        if self.knob.is_some() {
            return Err(Errno::ENOTDIR);
        }
        if self.group.child(name).is_some() {
            return if dir { self.group.remove_child(name) } else { Err(Errno::EISDIR) };
        }
        if knobs_of(&self.group).any(|(n, _, _)| n.as_bytes() == name) {
            return Err(if dir { Errno::ENOTDIR } else { Errno::EPERM });
        }
        Err(Errno::ENOENT)
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        if self.knob.is_some() {
            return Err(Errno::ENOTDIR);
        }
        let me = self.ino();
        let mut entries = alloc::vec![
            DirEntry { ino: me, file_type: FileType::Directory, name: b".".to_vec() },
            DirEntry { ino: me, file_type: FileType::Directory, name: b"..".to_vec() },
        ];
        for (name, k, _) in knobs_of(&self.group) {
            let ino = self.group.id * 32 + 1 + k.index();
            entries.push(DirEntry { ino, file_type: FileType::Regular, name: name.as_bytes().to_vec() });
        }
        for child in self.group.children() {
            entries.push(DirEntry { ino: child.id * 32, file_type: FileType::Directory, name: child.name.clone() });
        }
        Ok(entries.into_iter().nth(pos as usize).map(|e| (e, pos + 1)))
    }

    fn open_special(&self, flags: u32) -> KResult<Option<Arc<dyn FileOps>>> {
        let Some(knob) = self.knob else { return Ok(None) };
        // A read-only file still opens for writing where the mode allows
        // it (root): the write itself fails with EINVAL, as on Linux.
        let writing = flags & linux_raw_sys::general::O_ACCMODE != linux_raw_sys::general::O_RDONLY;
        let content = if writing { Vec::new() } else { self.render(knob).into_bytes() };
        let me = CgroupInode { group: self.group.clone(), knob: Some(knob) };
        let on_write: WriteFn = alloc::boxed::Box::new(move |buf: &[u8]| {
            // A removed group's files stay open but act no more.
            if me.group.is_removed() {
                return Err(Errno::ENODEV);
            }
            me.write(knob, buf)
        });
        Ok(Some(Arc::new(RenderedFile::new(content, Some(on_write)))))
    }

    fn fs_id(&self) -> u64 {
        FS_ID.load(Ordering::Relaxed)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn statfs(&self) -> StatFs {
        StatFs { fs_type: CGROUP2_SUPER_MAGIC, bsize: 4096, namelen: 255, ..Default::default() }
    }
}
