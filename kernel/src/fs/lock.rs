//! Advisory file locks, kept in one table keyed per file.
//!
//! Three kinds, as on Linux:
//! - flock(2) locks belong to an open file description: dup and fork
//!   share them, the last close of the description releases them;
//! - POSIX record locks (fcntl F_SETLK) belong to a descriptor table (the
//!   process, for Linux's `current->files`): fork does not inherit them,
//!   and closing *any* descriptor of the file releases all of them;
//! - open-file-description record locks (F_OFD_SETLK) are record locks
//!   owned like flock locks. They conflict with POSIX record locks.
//!
//! flock locks and record locks never conflict with each other.
//!
//! Waiters sleep on one queue and re-check after every release: locks are
//! rare enough that exact wake-ups are not worth their bookkeeping. A
//! blocked POSIX waiter is recorded so that F_SETLKW can detect a cycle of
//! processes waiting on each other (EDEADLK).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;

use super::file::OpenFile;
use crate::errno::{Errno, KResult};
use crate::sched::wait::WaitQueue;

/// Largest file offset (Linux's OFFSET_MAX): a range ending here runs to
/// the end of the file, however far it grows.
pub const OFFSET_MAX: u64 = i64::MAX as u64;

/// Identifies the locked file: (file system id, inode number), or for a
/// file without an inode (a pipe) its I/O object.
pub type FileKey = (u64, u64);

/// Shared (read) or exclusive (write).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    /// F_RDLCK / LOCK_SH
    Read,
    /// F_WRLCK / LOCK_EX
    Write,
}

/// Who holds a record lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A POSIX lock: the descriptor table's id.
    Table(u64),
    /// An OFD lock: the open file description's id.
    File(usize),
}

/// A held byte-range lock, or a request for one.
#[derive(Clone, Copy, Debug)]
pub struct RecordLock {
    /// Owner.
    pub owner: Owner,
    /// Read or write.
    pub kind: LockKind,
    /// First byte.
    pub start: u64,
    /// Last byte (inclusive); OFFSET_MAX for "to the end of the file".
    pub end: u64,
    /// Process that set it (reported by F_GETLK and /proc/locks).
    pub pid: i32,
    /// Creation order, for /proc/locks.
    seq: u64,
}

impl RecordLock {
    /// A request for `kind` on bytes `start..=end`.
    pub fn new(owner: Owner, kind: LockKind, start: u64, end: u64, pid: i32) -> RecordLock {
        RecordLock { owner, kind, start, end, pid, seq: 0 }
    }

    fn overlaps(&self, start: u64, end: u64) -> bool {
        self.start <= end && start <= self.end
    }

    fn conflicts_with(&self, other: &RecordLock) -> bool {
        self.owner != other.owner
            && self.overlaps(other.start, other.end)
            && (self.kind == LockKind::Write || other.kind == LockKind::Write)
    }
}

/// A flock lock: held by one open file description.
#[derive(Clone, Copy, Debug)]
struct FlockLock {
    file: usize,
    kind: LockKind,
    pid: i32,
    seq: u64,
}

/// The locks on one file.
#[derive(Default)]
struct FileLocks {
    /// st_dev and st_ino, for /proc/locks.
    dev: u64,
    ino: u64,
    flocks: Vec<FlockLock>,
    records: Vec<RecordLock>,
}

impl FileLocks {
    fn is_empty(&self) -> bool {
        self.flocks.is_empty() && self.records.is_empty()
    }

    fn record_conflict(&self, req: &RecordLock) -> Option<&RecordLock> {
        self.records.iter().find(|l| l.conflicts_with(req))
    }

    /// Replaces the owner's locks on `req`'s range by `req` (or by nothing,
    /// for `None` kind = unlock): split what straddles the range, then
    /// merge with the owner's adjacent locks of the same kind.
    fn set_record(&mut self, req: &RecordLock, unlock: bool, seq: u64) -> KResult<()> {
        self.records.try_reserve(2).map_err(|_| Errno::ENOLCK)?;
        let mut kept: Vec<RecordLock> = Vec::new();
        kept.try_reserve(self.records.len() + 2).map_err(|_| Errno::ENOLCK)?;
        let mut new = RecordLock { seq, ..*req };
        for l in self.records.drain(..) {
            if l.owner != req.owner {
                kept.push(l);
                continue;
            }
            let touches = l.overlaps(req.start.saturating_sub(1), req.end.saturating_add(1).min(OFFSET_MAX));
            if !unlock && l.kind == req.kind && touches {
                // Same kind, overlapping or adjacent: grow the new lock.
                new.start = new.start.min(l.start);
                new.end = new.end.max(l.end);
                new.seq = new.seq.min(l.seq);
                continue;
            }
            if !l.overlaps(req.start, req.end) {
                kept.push(l);
                continue;
            }
            if l.start < req.start {
                kept.push(RecordLock { end: req.start - 1, ..l });
            }
            if l.end > req.end {
                kept.push(RecordLock { start: req.end + 1, ..l });
            }
        }
        if !unlock {
            kept.push(new);
        }
        self.records = kept;
        Ok(())
    }
}

/// A thread blocked in F_SETLKW, for deadlock detection.
struct Blocked {
    id: u64,
    key: FileKey,
    req: RecordLock,
}

struct LockTable {
    files: BTreeMap<FileKey, FileLocks>,
    blocked: Vec<Blocked>,
    seq: u64,
}

static TABLE: SpinLock<LockTable> = SpinLock::new(LockTable { files: BTreeMap::new(), blocked: Vec::new(), seq: 0 });
/// Every waiter for any lock.
static WAITERS: WaitQueue = WaitQueue::new();
static NEXT_WAITER: AtomicU64 = AtomicU64::new(1);

impl LockTable {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn entry(&mut self, key: FileKey, dev: u64, ino: u64) -> &mut FileLocks {
        self.files.entry(key).or_insert_with(|| FileLocks { dev, ino, ..Default::default() })
    }

    fn tidy(&mut self, key: FileKey) {
        if self.files.get(&key).is_some_and(|l| l.is_empty()) {
            self.files.remove(&key);
        }
    }

    /// Whether granting `req` would close a cycle: the holder of the
    /// conflicting lock waits (through a chain of at most 10 waiters, as
    /// Linux's MAX_DEADLK_ITERATIONS) for a lock `req`'s owner holds.
    fn would_deadlock(&self, key: FileKey, req: &RecordLock) -> bool {
        let Owner::Table(me) = req.owner else { return false };
        let Some(mut holder) = self.files.get(&key).and_then(|f| f.record_conflict(req)).map(|l| l.owner) else {
            return false;
        };
        for _ in 0..10 {
            if holder == Owner::Table(me) {
                return true;
            }
            let Some(w) = self.blocked.iter().find(|b| b.req.owner == holder) else { return false };
            match self.files.get(&w.key).and_then(|f| f.record_conflict(&w.req)) {
                Some(l) if matches!(l.owner, Owner::Table(_)) => holder = l.owner,
                _ => return false,
            }
        }
        false
    }
}

/// The key and (st_dev, st_ino) of an open file.
pub fn key_of(file: &OpenFile) -> (FileKey, u64, u64) {
    match file.inode() {
        Some(inode) => {
            let st = inode.stat();
            ((inode.fs_id(), st.ino), st.dev, st.ino)
        }
        None => {
            // Pipes and other objects without an inode: both ends of a
            // pipe report the same (st_dev, st_ino), which is the file.
            let st = file.ops().stat().unwrap_or_default();
            if st.ino != 0 {
                ((u64::MAX - st.dev, st.ino), st.dev, st.ino)
            } else {
                let id = alloc::sync::Arc::as_ptr(file.ops()) as *const () as usize as u64;
                ((u64::MAX, id), st.dev, st.ino)
            }
        }
    }
}

/// The id of an open file description (flock and OFD lock owner).
pub fn file_id(file: &OpenFile) -> usize {
    file as *const OpenFile as usize
}

/// flock(2): takes (`Some(kind)`) or drops (`None`) the lock of open file
/// `file`. A conversion drops the old lock first, as Linux does, so a
/// failed LOCK_NB upgrade leaves no lock at all.
pub fn flock(file: &OpenFile, kind: Option<LockKind>, wait: bool, pid: i32) -> KResult<()> {
    let (key, dev, ino) = key_of(file);
    let id = file_id(file);
    {
        let mut t = TABLE.lock();
        if let Some(locks) = t.files.get_mut(&key) {
            if let Some(i) = locks.flocks.iter().position(|l| l.file == id) {
                if Some(locks.flocks[i].kind) == kind {
                    return Ok(());
                }
                locks.flocks.remove(i);
                t.tidy(key);
                WAITERS.wake_all();
            }
        }
    }
    let Some(kind) = kind else { return Ok(()) };
    let try_take = || -> Option<KResult<()>> {
        let mut t = TABLE.lock();
        let seq = t.next_seq();
        let locks = t.entry(key, dev, ino);
        let busy = locks.flocks.iter().any(|l| l.file != id && (l.kind == LockKind::Write || kind == LockKind::Write));
        if busy {
            t.tidy(key);
            return if wait { None } else { Some(Err(Errno::EAGAIN)) };
        }
        if locks.flocks.try_reserve(1).is_err() {
            return Some(Err(Errno::ENOLCK));
        }
        locks.flocks.push(FlockLock { file: id, kind, pid, seq });
        Some(Ok(()))
    };
    WAITERS.wait_until(try_take)?
}

/// F_SETLK/F_SETLKW (and the OFD forms): sets or (`unlock`) clears the
/// record lock `req` on `file`. Conflicts fail with EAGAIN, or are waited
/// out when `wait` is set (EDEADLK if that would never end).
pub fn set_record(file: &OpenFile, req: RecordLock, unlock: bool, wait: bool) -> KResult<()> {
    let (key, dev, ino) = key_of(file);
    let waiter = NEXT_WAITER.fetch_add(1, Ordering::Relaxed);
    let mut registered = false;
    let try_set = || -> Option<KResult<()>> {
        let mut t = TABLE.lock();
        let conflict = !unlock && t.files.get(&key).is_some_and(|f| f.record_conflict(&req).is_some());
        if conflict {
            if !wait {
                return Some(Err(Errno::EAGAIN));
            }
            if t.would_deadlock(key, &req) {
                return Some(Err(Errno::EDEADLK));
            }
            if !registered {
                if t.blocked.try_reserve(1).is_err() {
                    return Some(Err(Errno::ENOLCK));
                }
                t.blocked.push(Blocked { id: waiter, key, req });
                registered = true;
            }
            return None;
        }
        let seq = t.next_seq();
        let r = t.entry(key, dev, ino).set_record(&req, unlock, seq);
        t.tidy(key);
        Some(r)
    };
    let result = WAITERS.wait_until(try_set);
    {
        let mut t = TABLE.lock();
        t.blocked.retain(|b| b.id != waiter);
    }
    if unlock {
        WAITERS.wake_all();
    } else if result.as_ref().is_ok_and(|r| r.is_ok()) {
        // Replacing a write lock by a read lock frees readers.
        WAITERS.wake_all();
    }
    result?
}

/// F_GETLK: the first lock that would block `req`, if any.
pub fn find_conflict(file: &OpenFile, req: &RecordLock) -> Option<RecordLock> {
    let (key, _, _) = key_of(file);
    TABLE.lock().files.get(&key).and_then(|f| f.record_conflict(req)).copied()
}

/// F_OFD_GETLK with F_UNLCK (Linux 6.10): the first lock of `owner` that
/// overlaps `start..=end`.
pub fn find_owned(file: &OpenFile, owner: Owner, start: u64, end: u64) -> Option<RecordLock> {
    let (key, _, _) = key_of(file);
    TABLE.lock().files.get(&key).and_then(|f| f.records.iter().find(|l| l.owner == owner && l.overlaps(start, end))).copied()
}

/// The last close of an open file description: its flock and OFD locks go.
pub fn file_closed(file: &OpenFile) {
    let (key, _, _) = key_of(file);
    let id = file_id(file);
    let mut t = TABLE.lock();
    let Some(locks) = t.files.get_mut(&key) else { return };
    let before = locks.flocks.len() + locks.records.len();
    locks.flocks.retain(|l| l.file != id);
    locks.records.retain(|l| l.owner != Owner::File(id));
    let changed = locks.flocks.len() + locks.records.len() != before;
    t.tidy(key);
    drop(t);
    if changed {
        WAITERS.wake_all();
    }
}

/// A descriptor of `file` was closed in descriptor table `table`: the
/// table's POSIX locks on the file go (all of them, as POSIX requires).
pub fn descriptor_closed(table: u64, file: &OpenFile) {
    let (key, _, _) = key_of(file);
    let mut t = TABLE.lock();
    let Some(locks) = t.files.get_mut(&key) else { return };
    let before = locks.records.len();
    locks.records.retain(|l| l.owner != Owner::Table(table));
    let changed = locks.records.len() != before;
    t.tidy(key);
    drop(t);
    if changed {
        WAITERS.wake_all();
    }
}

/// /proc/locks, in Linux's format, newest lock first (Linux adds each
/// lock at the head of its list).
pub fn proc_locks_text() -> String {
    enum Row {
        Flock(FlockLock),
        Record(RecordLock),
    }
    let t = TABLE.lock();
    let mut rows: Vec<(u64, u64, u64, Row)> = Vec::new();
    for f in t.files.values() {
        for l in &f.flocks {
            rows.push((l.seq, f.dev, f.ino, Row::Flock(*l)));
        }
        for l in &f.records {
            rows.push((l.seq, f.dev, f.ino, Row::Record(*l)));
        }
    }
    drop(t);
    rows.sort_by_key(|r| core::cmp::Reverse(r.0));
    let mut s = String::new();
    for (i, (_, dev, ino, row)) in rows.iter().enumerate() {
        let kind_name = |k: LockKind| if k == LockKind::Write { "WRITE" } else { "READ " };
        let (major, minor) = (super::inode::dev_major(*dev), super::inode::dev_minor(*dev));
        match row {
            Row::Flock(l) => {
                let _ = writeln!(s, "{}: FLOCK  ADVISORY  {} {} {:02x}:{:02x}:{} 0 EOF", i + 1, kind_name(l.kind), l.pid, major, minor, ino);
            }
            Row::Record(l) => {
                let (class, pid) = match l.owner {
                    Owner::Table(_) => ("POSIX ", l.pid),
                    Owner::File(_) => ("OFDLCK", -1),
                };
                let _ = write!(s, "{}: {} ADVISORY  {} {} {:02x}:{:02x}:{} {} ", i + 1, class, kind_name(l.kind), pid, major, minor, ino, l.start);
                if l.end == OFFSET_MAX {
                    s.push_str("EOF\n");
                } else {
                    let _ = writeln!(s, "{}", l.end);
                }
            }
        }
    }
    s
}
