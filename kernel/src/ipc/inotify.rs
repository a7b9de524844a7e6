//! inotify(7): file-system events queued on a descriptor.
//!
//! Key types: [`Inotify`] (an instance: its event queue and its watches,
//! the FileOps behind the descriptor) and [`Watch`] (one inode watched by
//! one instance with a mask, known by its watch descriptor). A global
//! table maps each watched inode to its watches, keyed by the inode
//! object's address: a watch holds the inode, so the address stays its
//! own while the watch lives.
//!
//! Events come from the VFS through `fs::notify` (one function per kind
//! of change, called by the system calls that make the change), which
//! calls [`report`] for the object and, for events about a directory's
//! child, for the directory with the child's name. When nothing is
//! watched anywhere, those calls return at once (one atomic load).
//!
//! Semantics follow Linux (fs/notify/inotify): one watch per inode per
//! instance (adding again updates its mask); watch descriptors count up
//! and are not reused; an event identical to the last one queued is
//! merged into it; IN_ONESHOT and rm_watch and the inode's deletion end a
//! watch with IN_IGNORED; a read returns whole events only (EINVAL if the
//! first does not fit); names are NUL-padded to a multiple of 16 bytes.
//! Known gap: IN_DELETE_SELF comes when the last link goes, even if the
//! file is still open (Linux waits for the last close).

use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::fs::inode::Inode;
use crate::sched::wait::WaitQueue;

/// Event bits (linux/inotify.h).
pub const IN_ACCESS: u32 = 0x1;
/// File was modified.
pub const IN_MODIFY: u32 = 0x2;
/// Metadata changed.
pub const IN_ATTRIB: u32 = 0x4;
/// Writable file was closed.
pub const IN_CLOSE_WRITE: u32 = 0x8;
/// Unwritable file closed.
pub const IN_CLOSE_NOWRITE: u32 = 0x10;
/// File was opened.
pub const IN_OPEN: u32 = 0x20;
/// File was moved from X.
pub const IN_MOVED_FROM: u32 = 0x40;
/// File was moved to Y.
pub const IN_MOVED_TO: u32 = 0x80;
/// Subfile was created.
pub const IN_CREATE: u32 = 0x100;
/// Subfile was deleted.
pub const IN_DELETE: u32 = 0x200;
/// Self was deleted.
pub const IN_DELETE_SELF: u32 = 0x400;
/// Self was moved.
pub const IN_MOVE_SELF: u32 = 0x800;
const IN_Q_OVERFLOW: u32 = 0x4000;
const IN_IGNORED: u32 = 0x8000;
const IN_ISDIR: u32 = 0x4000_0000;
const IN_ALL_EVENTS: u32 = 0xfff;
const IN_ONLYDIR: u32 = 0x0100_0000;
const IN_DONT_FOLLOW: u32 = 0x0200_0000;
const IN_EXCL_UNLINK: u32 = 0x0400_0000;
const IN_MASK_CREATE: u32 = 0x1000_0000;
const IN_MASK_ADD: u32 = 0x2000_0000;
const IN_ONESHOT: u32 = 0x8000_0000;
/// Bits a mask may hold (Linux's ALL_INOTIFY_BITS): one is required.
const ALL_INOTIFY_BITS: u32 = IN_ALL_EVENTS
    | 0x2000 /* IN_UNMOUNT */
    | IN_Q_OVERFLOW
    | IN_IGNORED
    | IN_ONLYDIR
    | IN_DONT_FOLLOW
    | IN_EXCL_UNLINK
    | IN_MASK_CREATE
    | IN_MASK_ADD
    | IN_ISDIR
    | IN_ONESHOT;
/// /proc/sys/fs/inotify/max_queued_events
const MAX_QUEUED_EVENTS: usize = 16384;
/// sizeof(struct inotify_event)
const EVENT_HEADER: usize = 16;

/// Watches in existence, anywhere: the hooks' fast path.
static WATCH_COUNT: AtomicUsize = AtomicUsize::new(0);
/// Watched inodes (by object address) and their watches.
static WATCHED: SpinLock<BTreeMap<usize, Vec<Arc<Watch>>>> = SpinLock::new(BTreeMap::new());
/// Rename cookies (shared by the two halves of one rename).
static NEXT_COOKIE: AtomicU32 = AtomicU32::new(1);

/// Whether anything is watched at all.
pub fn active() -> bool {
    WATCH_COUNT.load(Ordering::Relaxed) != 0
}

/// A new rename cookie.
pub fn new_cookie() -> u32 {
    NEXT_COOKIE.fetch_add(1, Ordering::Relaxed)
}

fn inode_key(inode: &dyn Inode) -> usize {
    (inode as *const dyn Inode).cast::<()>() as usize
}

/// One inode watched by one instance.
pub struct Watch {
    wd: i32,
    mask: AtomicU32,
    group: Weak<Inotify>,
    inode: Arc<dyn Inode>,
}

struct Event {
    wd: i32,
    mask: u32,
    cookie: u32,
    name: Vec<u8>,
}

impl Event {
    /// The name field's length: NUL-terminated, padded to 16.
    fn name_len(&self) -> usize {
        if self.name.is_empty() { 0 } else { (self.name.len() + 1).next_multiple_of(EVENT_HEADER) }
    }

    fn size(&self) -> usize {
        EVENT_HEADER + self.name_len()
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.wd.to_le_bytes());
        out.extend_from_slice(&self.mask.to_le_bytes());
        out.extend_from_slice(&self.cookie.to_le_bytes());
        out.extend_from_slice(&(self.name_len() as u32).to_le_bytes());
        let start = out.len();
        out.extend_from_slice(&self.name);
        out.resize(start + self.name_len(), 0);
    }
}

struct State {
    events: VecDeque<Event>,
    /// Bytes the queued events take (FIONREAD).
    bytes: usize,
    next_wd: i32,
    watches: BTreeMap<i32, Arc<Watch>>,
}

/// An inotify instance.
pub struct Inotify {
    state: SpinLock<State>,
    waiters: WaitQueue,
}

impl Inotify {
    /// inotify_init1
    pub fn new() -> Arc<Inotify> {
        Arc::new(Inotify { state: SpinLock::new(State { events: VecDeque::new(), bytes: 0, next_wd: 1, watches: BTreeMap::new() }), waiters: WaitQueue::new() })
    }

    /// Queues an event (merged into an identical last one; the queue
    /// ends with one IN_Q_OVERFLOW when full) and wakes readers.
    fn queue(&self, ev: Event) {
        {
            let mut st = self.state.lock();
            if let Some(last) = st.events.back() {
                if last.mask & IN_IGNORED == 0 && last.wd == ev.wd && last.mask == ev.mask && last.name == ev.name {
                    return;
                }
            }
            let ev = if st.events.len() >= MAX_QUEUED_EVENTS {
                if st.events.back().is_some_and(|e| e.mask == IN_Q_OVERFLOW) {
                    return;
                }
                Event { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: Vec::new() }
            } else {
                ev
            };
            st.bytes += ev.size();
            st.events.push_back(ev);
        }
        self.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
    }

    /// inotify_add_watch on a resolved inode; returns the wd.
    pub fn add_watch(self: &Arc<Self>, inode: Arc<dyn Inode>, mask: u32) -> KResult<i32> {
        let key = inode_key(&*inode);
        let mut table = WATCHED.lock();
        let mut st = self.state.lock();
        let list = table.entry(key).or_default();
        if let Some(w) = list.iter().find(|w| w.group.upgrade().is_some_and(|g| Arc::ptr_eq(&g, self))) {
            if mask & IN_MASK_CREATE != 0 {
                return Err(Errno::EEXIST);
            }
            let keep = if mask & IN_MASK_ADD != 0 { w.mask.load(Ordering::Relaxed) } else { 0 };
            w.mask.store(keep | (mask & !(IN_MASK_ADD | IN_MASK_CREATE)), Ordering::Relaxed);
            return Ok(w.wd);
        }
        let wd = st.next_wd;
        st.next_wd = st.next_wd.checked_add(1).ok_or(Errno::ENOSPC)?;
        let w = Arc::new(Watch { wd, mask: AtomicU32::new(mask & !(IN_MASK_ADD | IN_MASK_CREATE)), group: Arc::downgrade(self), inode });
        list.push(w.clone());
        st.watches.insert(wd, w);
        WATCH_COUNT.fetch_add(1, Ordering::Relaxed);
        Ok(wd)
    }

    /// inotify_rm_watch: EINVAL for an unknown wd; queues IN_IGNORED.
    pub fn rm_watch(&self, wd: i32) -> KResult<()> {
        let w = self.state.lock().watches.get(&wd).cloned().ok_or(Errno::EINVAL)?;
        end_watch(&w);
        Ok(())
    }

    /// Takes whole events that fit in `len` bytes; None if none is queued.
    fn take(&self, len: usize) -> Option<KResult<Vec<u8>>> {
        let mut st = self.state.lock();
        let first = st.events.front()?;
        if first.size() > len {
            return Some(Err(Errno::EINVAL));
        }
        let mut out = Vec::new();
        while let Some(e) = st.events.front() {
            if out.len() + e.size() > len {
                break;
            }
            let e = st.events.pop_front().expect("checked");
            st.bytes -= e.size();
            e.encode(&mut out);
        }
        Some(Ok(out))
    }
}

/// Removes a watch from its instance and from the inode's list, and
/// queues IN_IGNORED for it.
fn end_watch(w: &Arc<Watch>) {
    let key = inode_key(&*w.inode);
    {
        let mut table = WATCHED.lock();
        if let Some(list) = table.get_mut(&key) {
            let before = list.len();
            list.retain(|x| !Arc::ptr_eq(x, w));
            if list.len() != before {
                WATCH_COUNT.fetch_sub(1, Ordering::Relaxed);
            }
            if list.is_empty() {
                table.remove(&key);
            }
        }
    }
    if let Some(g) = w.group.upgrade() {
        let removed = g.state.lock().watches.remove(&w.wd).is_some();
        if removed {
            g.queue(Event { wd: w.wd, mask: IN_IGNORED, cookie: 0, name: Vec::new() });
        }
    }
}

/// Reports `mask` (one IN_* event bit) on `inode` to every watch that
/// asks for it: about the inode itself (`name` None) or about its child
/// `name` (the inode is then the directory). `is_dir` says whether the
/// object the event is about is a directory (IN_ISDIR).
pub fn report(inode: &dyn Inode, mask: u32, cookie: u32, name: Option<&[u8]>, is_dir: bool) {
    if !active() {
        return;
    }
    let watches: Vec<Arc<Watch>> = match WATCHED.lock().get(&inode_key(inode)) {
        Some(list) => list.clone(),
        None => return,
    };
    for w in watches {
        let wmask = w.mask.load(Ordering::Relaxed);
        if wmask & mask & IN_ALL_EVENTS == 0 {
            continue;
        }
        let Some(g) = w.group.upgrade() else { continue };
        let ev_mask = mask | if is_dir { IN_ISDIR } else { 0 };
        g.queue(Event { wd: w.wd, mask: ev_mask, cookie, name: name.map(|n| n.to_vec()).unwrap_or_default() });
        if wmask & IN_ONESHOT != 0 {
            end_watch(&w);
        }
    }
}

/// The inode lost its last link: IN_DELETE_SELF, then every watch on it
/// ends (IN_IGNORED).
pub fn inode_deleted(inode: &dyn Inode) {
    if !active() {
        return;
    }
    report(inode, IN_DELETE_SELF, 0, None, false);
    let watches: Vec<Arc<Watch>> = WATCHED.lock().get(&inode_key(inode)).cloned().unwrap_or_default();
    for w in watches {
        end_watch(&w);
    }
}

impl FileOps for Inotify {
    fn read(&self, file: &OpenFile, _offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        let got = match self.take(buf.len()) {
            Some(r) => r?,
            None if file.nonblocking() => return Err(Errno::EAGAIN),
            None => self.waiters.wait_until(|| self.take(buf.len()))??,
        };
        buf[..got.len()].copy_from_slice(&got);
        Ok(got.len())
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn poll(&self) -> PollEvents {
        if self.state.lock().events.is_empty() { PollEvents::empty() } else { PollEvents::IN | PollEvents::RDNORM }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.waiters)
    }

    fn seek_is_noop(&self) -> bool {
        true
    }

    fn ioctl(&self, _file: &OpenFile, cmd: u32, arg: usize) -> KResult<usize> {
        if cmd == linux_raw_sys::ioctl::FIONREAD {
            let n = self.state.lock().bytes as i32;
            crate::mm::uaccess::UserPtr::<i32>::new(arg).write(&n)?;
            return Ok(0);
        }
        Err(Errno::ENOTTY)
    }

    fn stat(&self) -> Option<crate::fs::inode::Stat> {
        Some(super::anon_stat())
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("inotify")
    }

    /// The last descriptor closed: every watch goes, silently.
    fn release(&self) {
        let watches: Vec<Arc<Watch>> = core::mem::take(&mut self.state.lock().watches).into_values().collect();
        let mut table = WATCHED.lock();
        for w in watches {
            let key = inode_key(&*w.inode);
            if let Some(list) = table.get_mut(&key) {
                list.retain(|x| !Arc::ptr_eq(x, &w));
                if list.is_empty() {
                    table.remove(&key);
                }
            }
            WATCH_COUNT.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// Validates an inotify_add_watch mask (before the descriptor is
/// looked at, as Linux does).
pub fn check_mask(mask: u32) -> KResult<()> {
    if mask & ALL_INOTIFY_BITS == 0 || (mask & IN_MASK_ADD != 0 && mask & IN_MASK_CREATE != 0) {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// Whether the mask asks not to follow a final symlink.
pub fn dont_follow(mask: u32) -> bool {
    mask & IN_DONT_FOLLOW != 0
}

/// Whether the mask asks for directories only.
pub fn only_dir(mask: u32) -> bool {
    mask & IN_ONLYDIR != 0
}
