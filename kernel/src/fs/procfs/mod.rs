//! procfs: the /proc file system, generated from the kernel's live state.
//!
//! Every object is a [`ProcInode`] naming what it shows (a [`Node`]);
//! nothing is stored. Files render their text when opened (a snapshot, as
//! Linux's seq_file gives one read pass), directories list live processes,
//! threads and descriptors. /proc/PID/{exe,cwd,root,fd/N} are "magic"
//! links: following them reaches the object itself.
//! Formats follow proc(5).

mod pid;
mod sys;
mod system;

use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU64, Ordering};

use super::file::FileOps;
use super::rendered::{RenderedFile, WriteFn};
use super::inode::{DirEntry, FileType, Inode, NewNode, SetAttr, Stat, StatFs};
use super::path::PathNode;
use crate::errno::{Errno, KResult};
use crate::process::{self, Pid};
use crate::sched::current;

/// f_type of procfs (PROC_SUPER_MAGIC).
const PROC_SUPER_MAGIC: u64 = 0x9fa0;

static PROC_FS_ID: AtomicU64 = AtomicU64::new(0);

/// Per-process files (under /proc/PID and /proc/PID/task/TID).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PidFile {
    Stat,
    Status,
    Statm,
    Maps,
    Smaps,
    Cmdline,
    Environ,
    Comm,
    Mounts,
    MountInfo,
    MountStats,
    Cgroup,
    Limits,
    Exe,
    Cwd,
    Root,
    Fd,
    FdInfo,
    Task,
    Net,
}

const PID_FILES: &[(&str, PidFile)] = &[
    ("cgroup", PidFile::Cgroup),
    ("cmdline", PidFile::Cmdline),
    ("comm", PidFile::Comm),
    ("cwd", PidFile::Cwd),
    ("environ", PidFile::Environ),
    ("exe", PidFile::Exe),
    ("fd", PidFile::Fd),
    ("fdinfo", PidFile::FdInfo),
    ("limits", PidFile::Limits),
    ("maps", PidFile::Maps),
    ("mountinfo", PidFile::MountInfo),
    ("mounts", PidFile::Mounts),
    ("mountstats", PidFile::MountStats),
    ("net", PidFile::Net),
    ("root", PidFile::Root),
    ("smaps", PidFile::Smaps),
    ("stat", PidFile::Stat),
    ("statm", PidFile::Statm),
    ("status", PidFile::Status),
    ("task", PidFile::Task),
];

/// What a /proc object shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// /proc
    Root,
    /// /proc/self
    SelfLink,
    /// /proc/thread-self
    ThreadSelfLink,
    /// /proc/net (a link to self/net)
    NetLink,
    /// A file in /proc/PID/net.
    NetFile(Pid, &'static str),
    /// /proc/PID (tid None) or /proc/PID/task/TID.
    PidDir(Pid, Option<Pid>),
    /// A file or subdirectory of a PID directory.
    Pid(Pid, Option<Pid>, PidFile),
    /// /proc/PID/fd/N
    FdLink(Pid, i32),
    /// /proc/PID/fdinfo/N
    FdInfo(Pid, i32),
    /// /proc/PID/task/TID directory entries are PidDir(pid, Some(tid)).
    /// A system-wide file (/proc/meminfo, ...).
    System(&'static str),
    /// A directory or file under /proc/sys.
    Sys(&'static str),
}

/// A /proc object.
pub struct ProcInode {
    node: Node,
}

/// A new procfs instance's root (all instances show the same state).
pub fn new_root() -> Arc<dyn Inode> {
    if PROC_FS_ID.load(Ordering::Relaxed) == 0 {
        PROC_FS_ID.store(super::tmpfs::new_fs_id(), Ordering::Relaxed);
    }
    Arc::new(ProcInode { node: Node::Root })
}

fn node(n: Node) -> Arc<dyn Inode> {
    Arc::new(ProcInode { node: n })
}

fn fs_id() -> u64 {
    PROC_FS_ID.load(Ordering::Relaxed)
}

/// A stable inode number for a node (Linux's are arbitrary too).
fn ino_of(n: &Node) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{n:?}").bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h & 0x7fff_ffff | 0x1000
}

fn live_process(pid: Pid) -> KResult<Arc<process::Process>> {
    process::find_process(pid).ok_or(Errno::ENOENT)
}

impl ProcInode {
    fn file_type(&self) -> FileType {
        match &self.node {
            Node::Root | Node::PidDir(..) => FileType::Directory,
            Node::SelfLink | Node::ThreadSelfLink | Node::NetLink | Node::FdLink(..) => FileType::Symlink,
            Node::Pid(_, _, f) => match f {
                PidFile::Exe | PidFile::Cwd | PidFile::Root => FileType::Symlink,
                PidFile::Fd | PidFile::FdInfo | PidFile::Task | PidFile::Net => FileType::Directory,
                _ => FileType::Regular,
            },
            Node::FdInfo(..) | Node::System(_) | Node::NetFile(..) => FileType::Regular,
            Node::Sys(p) => {
                if sys::is_dir(p) {
                    FileType::Directory
                } else {
                    FileType::Regular
                }
            }
        }
    }

    fn mode(&self) -> u32 {
        let perm = match (&self.node, self.file_type()) {
            (_, FileType::Symlink) => 0o777,
            (Node::Root, _) => 0o555,
            (Node::Pid(_, _, PidFile::Fd | PidFile::FdInfo), _) => 0o500,
            (Node::Pid(_, _, PidFile::Environ), _) => 0o400,
            (Node::Sys(p), FileType::Regular) if sys::is_writable(p) => 0o644,
            (_, FileType::Directory) => 0o555,
            _ => 0o444,
        };
        self.file_type().mode_bits() | perm
    }

    fn owner(&self) -> (u32, u32) {
        let pid = match &self.node {
            Node::PidDir(p, _) | Node::Pid(p, ..) | Node::FdLink(p, _) | Node::FdInfo(p, _) | Node::NetFile(p, _) => *p,
            _ => return (0, 0),
        };
        process::find_process(pid).map_or((0, 0), |p| {
            let c = p.creds.lock();
            (c.euid, c.egid)
        })
    }

    /// Directory entries: (name, node).
    fn entries(&self) -> KResult<Vec<(Vec<u8>, Node)>> {
        let mut out: Vec<(Vec<u8>, Node)> = Vec::new();
        match &self.node {
            Node::Root => {
                for name in system::FILES {
                    out.push((name.as_bytes().to_vec(), Node::System(name)));
                }
                out.push((b"self".to_vec(), Node::SelfLink));
                out.push((b"thread-self".to_vec(), Node::ThreadSelfLink));
                out.push((b"net".to_vec(), Node::NetLink));
                out.push((b"sys".to_vec(), Node::Sys("sys")));
                let mut pids: Vec<Pid> = process::all_processes().iter().map(|p| p.pid).filter(|&p| p > 0).collect();
                pids.sort_unstable();
                for p in pids {
                    out.push((format!("{p}").into_bytes(), Node::PidDir(p, None)));
                }
            }
            Node::PidDir(pid, tid) => {
                live_process(*pid)?;
                for (name, f) in PID_FILES {
                    if *f == PidFile::Task && tid.is_some() {
                        continue;
                    }
                    out.push((name.as_bytes().to_vec(), Node::Pid(*pid, *tid, *f)));
                }
            }
            Node::Pid(pid, _, PidFile::Task) => {
                let p = live_process(*pid)?;
                let mut tids: Vec<Pid> = p.threads().iter().map(|t| t.tid()).collect();
                tids.sort_unstable();
                for t in tids {
                    out.push((format!("{t}").into_bytes(), Node::PidDir(*pid, Some(t))));
                }
            }
            Node::Pid(pid, _, f @ (PidFile::Fd | PidFile::FdInfo)) => {
                for fd in pid::fds(*pid)? {
                    let n = if *f == PidFile::Fd { Node::FdLink(*pid, fd) } else { Node::FdInfo(*pid, fd) };
                    out.push((format!("{fd}").into_bytes(), n));
                }
            }
            Node::Pid(pid, _, PidFile::Net) => {
                live_process(*pid)?;
                out.push((b"unix".to_vec(), Node::NetFile(*pid, "unix")));
            }
            Node::Sys(p) if sys::is_dir(p) => {
                for (name, child) in sys::children(p) {
                    out.push((name.as_bytes().to_vec(), Node::Sys(child)));
                }
            }
            _ => return Err(Errno::ENOTDIR),
        }
        Ok(out)
    }

    /// The text of a regular file.
    fn render(&self) -> KResult<Vec<u8>> {
        match &self.node {
            Node::System(name) => system::render(name),
            Node::Sys(p) => sys::read(p),
            Node::Pid(pid, tid, f) => pid::render(*pid, *tid, *f),
            Node::FdInfo(pid, fd) => pid::fdinfo(*pid, *fd),
            Node::NetFile(_, "unix") => Ok(crate::net::unix::proc_net_unix()),
            _ => Err(Errno::EISDIR),
        }
    }
}

impl Inode for ProcInode {
    fn stat(&self) -> Stat {
        let (uid, gid) = self.owner();
        let t = crate::time::Timespec::from_ns(kevlar_hal::arch::time::boot_unix_ns());
        Stat {
            dev: super::inode::make_dev(0, fs_id() as u32),
            ino: ino_of(&self.node),
            mode: self.mode(),
            nlink: if self.file_type() == FileType::Directory { 2 } else { 1 },
            uid,
            gid,
            blksize: 1024,
            atime: t,
            mtime: t,
            ctime: t,
            ..Default::default()
        }
    }

    fn set_attr(&self, _attr: &SetAttr) -> KResult<()> {
        Err(Errno::EPERM)
    }

    /// Nothing can be created here; proc's lookup fails for names it does
    /// not know (ENOENT) before any create method would be asked.
    fn create(&self, name: &[u8], _node: NewNode, _mode: u32, _uid: u32, _gid: u32) -> KResult<Arc<dyn Inode>> {
        match self.lookup(name) {
            Ok(_) => Err(Errno::EEXIST),
            Err(e) => Err(e),
        }
    }

    fn lookup(&self, name: &[u8]) -> KResult<Arc<dyn Inode>> {
        if self.file_type() != FileType::Directory {
            return Err(Errno::ENOTDIR);
        }
        // PID directories are looked up by number even when not listed
        // (threads: /proc/TID works for any thread, as on Linux).
        if self.node == Node::Root {
            if let Some(n) = core::str::from_utf8(name).ok().and_then(|s| s.parse::<Pid>().ok()) {
                if let Some(t) = process::find_thread(n) {
                    let pid = t.process.pid;
                    return Ok(node(if pid == n { Node::PidDir(n, None) } else { Node::PidDir(pid, Some(n)) }));
                }
                if process::find_process(n).is_some() {
                    return Ok(node(Node::PidDir(n, None)));
                }
                return Err(Errno::ENOENT);
            }
        }
        self.entries()?.into_iter().find(|(n, _)| n == name).map(|(_, n)| node(n)).ok_or(Errno::ENOENT)
    }

    fn read_dir(&self, pos: u64) -> KResult<Option<(DirEntry, u64)>> {
        let me_ino = ino_of(&self.node);
        match pos {
            0 => return Ok(Some((DirEntry { ino: me_ino, file_type: FileType::Directory, name: b".".to_vec() }, 1))),
            1 => return Ok(Some((DirEntry { ino: me_ino, file_type: FileType::Directory, name: b"..".to_vec() }, 2))),
            _ => {}
        }
        let entries = self.entries()?;
        Ok(entries.get((pos - 2) as usize).map(|(name, n)| {
            let ft = ProcInode { node: n.clone() }.file_type();
            (DirEntry { ino: ino_of(n), file_type: ft, name: name.clone() }, pos + 1)
        }))
    }

    fn read_link(&self) -> KResult<Vec<u8>> {
        match &self.node {
            Node::SelfLink => Ok(format!("{}", current().process.pid).into_bytes()),
            Node::NetLink => Ok(b"self/net".to_vec()),
            Node::ThreadSelfLink => {
                let me = current();
                Ok(format!("{}/task/{}", me.process.pid, me.tid()).into_bytes())
            }
            Node::Pid(pid, _, f @ (PidFile::Exe | PidFile::Cwd | PidFile::Root)) => pid::link_text(*pid, *f),
            Node::FdLink(pid, fd) => pid::fd_link_text(*pid, *fd),
            _ => Err(Errno::EINVAL),
        }
    }

    fn magic_link(&self) -> Option<KResult<Arc<PathNode>>> {
        match &self.node {
            Node::Pid(pid, _, f @ (PidFile::Exe | PidFile::Cwd | PidFile::Root)) => Some(pid::link_node(*pid, *f)),
            Node::FdLink(pid, fd) => Some(pid::fd_link_node(*pid, *fd)),
            _ => None,
        }
    }

    fn open_special(&self, flags: u32) -> KResult<Option<Arc<dyn FileOps>>> {
        match self.file_type() {
            FileType::Regular => {
                let writing = flags & linux_raw_sys::general::O_ACCMODE != linux_raw_sys::general::O_RDONLY;
                // sysctl refuses writes to read-only entries even for root
                // (proc_sys_permission), at open.
                if let Node::Sys(p) = &self.node {
                    if writing && !sys::is_writable(p) {
                        return Err(Errno::EACCES);
                    }
                }
                let content = if writing { Vec::new() } else { self.render()? };
                let node = self.node.clone();
                let on_write: WriteFn = alloc::boxed::Box::new(move |buf: &[u8]| match &node {
                    Node::Sys(p) if sys::is_writable(p) => sys::write(p, buf),
                    Node::Pid(pid, tid, PidFile::Comm) => pid::write_comm(*pid, *tid, buf),
                    _ => Err(Errno::EINVAL),
                });
                Ok(Some(Arc::new(RenderedFile::new(content, Some(on_write)))))
            }
            _ => Ok(None),
        }
    }

    fn fs_id(&self) -> u64 {
        fs_id()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn statfs(&self) -> StatFs {
        StatFs { fs_type: PROC_SUPER_MAGIC, bsize: 4096, namelen: 255, ..Default::default() }
    }
}

