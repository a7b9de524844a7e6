//! epoll(7): readiness of many descriptors, reported from a ready list.
//!
//! Key types: [`Epoll`] (an instance: its items, its ready list, and the
//! queue its waiters sleep on) and [`Item`] (one watched (fd, open file)
//! pair with its interest mask and user data).
//!
//! How readiness reaches an instance: an item is a *watcher* of its
//! file's wait queue (sched::wait), the same queue that file's read and
//! write paths wake. A wake-up whose key names an event the item wants
//! (or that names none) puts the item on the ready list, once, and wakes
//! the instance's own queue with IN. epoll_wait then takes the ready list,
//! polls each item again and reports those really ready (Linux's
//! ep_poll_callback and ep_send_events):
//! - level-triggered items go back on the list after being reported, so
//!   they are seen again at the next wait while still ready;
//! - edge-triggered (EPOLLET) items leave it and come back only with the
//!   next wake-up: one report per change;
//! - EPOLLONESHOT items are disarmed after one report until
//!   EPOLL_CTL_MOD;
//! - items not reported because maxevents was reached stay first in the
//!   list, so a series of small waits goes round every ready item;
//! - EPOLLEXCLUSIVE items are exclusive watchers: a wake-up stops at the
//!   first of them that woke a sleeping thread.
//!
//! An instance's own queue is also what poll, select and an outer epoll
//! watch, so instances nest; adding one instance to another checks for
//! cycles (ELOOP). Items refer to their open file weakly: closing the last
//! descriptor of a file removes its items (found dead and dropped at the
//! next scan or epoll_ctl), while a dup keeps them alive, as on Linux.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::fs::file::{FileOps, OpenFile, PollEvents};
use crate::mm::uaccess::write_bytes;
use crate::sched::wait::{Watcher, WaitQueue, sleep_on};

/// Event and flag bits (linux/eventpoll.h).
pub const EPOLLIN: u32 = 0x001;
/// Writable.
pub const EPOLLOUT: u32 = 0x004;
/// Error; always reported.
pub const EPOLLERR: u32 = 0x008;
/// Hang-up; always reported.
pub const EPOLLHUP: u32 = 0x010;
/// One waiter per wake-up.
pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
const EPOLLWAKEUP: u32 = 1 << 29;
/// Disarm after one report.
pub const EPOLLONESHOT: u32 = 1 << 30;
/// Edge-triggered.
pub const EPOLLET: u32 = 1 << 31;
/// Flags, not events.
const EP_PRIVATE_BITS: u32 = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
/// What may come with EPOLLEXCLUSIVE (EPOLLEXCLUSIVE_OK_BITS).
pub const EXCLUSIVE_OK_BITS: u32 = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/// Deepest nesting of instances (EP_MAX_NESTS).
const MAX_NESTS: usize = 4;
/// sizeof(struct epoll_event) on x86_64 (packed: u32 events, u64 data).
pub const EVENT_SIZE: usize = 12;

/// One watched descriptor (keyed by its fd number and open file).
pub struct Item {
    file: Weak<OpenFile>,
    epoll: Weak<Epoll>,
    /// Interest and flags; only the flags are left when a oneshot item
    /// is disarmed. Changed under the instance's lock.
    events: AtomicU32,
    data: AtomicU64,
    /// On the ready list, or in the list a scan is working through.
    linked: AtomicBool,
    /// Removed by EPOLL_CTL_DEL or found dead: never reported again.
    removed: AtomicBool,
}

struct State {
    items: BTreeMap<(i32, usize), Arc<Item>>,
    ready: VecDeque<Arc<Item>>,
    /// A scan holds the ready list's items; wake-ups of those are noted
    /// in `missed` (Linux's ovflist) and looked at when it ends.
    scanning: bool,
    missed: Vec<Arc<Item>>,
}

/// An epoll instance.
pub struct Epoll {
    state: SpinLock<State>,
    /// epoll_wait sleepers, and pollers and outer instances watching us.
    waiters: WaitQueue,
    me: Weak<Epoll>,
}

fn file_key(file: &Arc<OpenFile>) -> usize {
    Arc::as_ptr(file) as usize
}

impl Watcher for Item {
    fn interest(&self) -> PollEvents {
        PollEvents::from_bits_truncate(self.events.load(Ordering::Relaxed) as u16)
    }

    fn notify(self: Arc<Self>, _key: PollEvents) -> bool {
        let Some(ep) = self.epoll.upgrade() else { return false };
        let events = self.events.load(Ordering::Relaxed);
        if events & !EP_PRIVATE_BITS == 0 || self.removed.load(Ordering::Relaxed) {
            return false; // a disarmed oneshot item
        }
        {
            let mut st = ep.state.lock();
            if !self.linked.swap(true, Ordering::Relaxed) {
                st.ready.push_back(self.clone());
            } else if st.scanning {
                st.missed.push(self.clone());
            }
        }
        // For an exclusive item, what counts is whether a thread was
        // waiting in epoll_wait (Linux's ewake).
        let had_sleepers = ep.waiters.has_sleepers();
        ep.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
        events & EPOLLEXCLUSIVE == 0 || had_sleepers
    }
}

impl Epoll {
    /// epoll_create1
    pub fn new() -> Arc<Epoll> {
        Arc::new_cyclic(|me| Epoll {
            state: SpinLock::new(State { items: BTreeMap::new(), ready: VecDeque::new(), scanning: false, missed: Vec::new() }),
            waiters: WaitQueue::new(),
            me: me.clone(),
        })
    }

    /// Drops items whose file is gone (their last descriptor closed).
    fn purge_dead(&self) {
        let mut st = self.state.lock();
        st.items.retain(|_, item| {
            let alive = item.file.strong_count() > 0;
            if !alive {
                item.removed.store(true, Ordering::Relaxed);
            }
            alive
        });
    }

    /// EPOLL_CTL_ADD (the caller has checked the descriptor and flags).
    pub fn add(&self, fd: i32, file: &Arc<OpenFile>, events: u32, data: u64) -> KResult<()> {
        self.purge_dead();
        let queue = file.ops().wait_queue().ok_or(Errno::EPERM)?;
        if let Some(inner) = file.ops_as::<Epoll>() {
            let me = self.me.upgrade().ok_or(Errno::EINVAL)?;
            if inner.reaches(&me, 1) {
                return Err(Errno::ELOOP);
            }
        }
        let key = (fd, file_key(file));
        let item = {
            let mut st = self.state.lock();
            if st.items.contains_key(&key) {
                return Err(Errno::EEXIST);
            }
            let item = Arc::new(Item {
                file: Arc::downgrade(file),
                epoll: self.me.clone(),
                events: AtomicU32::new(events | EPOLLERR | EPOLLHUP),
                data: AtomicU64::new(data),
                linked: AtomicBool::new(false),
                removed: AtomicBool::new(false),
            });
            st.items.insert(key, item.clone());
            item
        };
        let weak: Weak<dyn Watcher> = Arc::downgrade(&item) as Weak<Item>;
        queue.add_watcher(weak, events & EPOLLEXCLUSIVE != 0);
        self.link_if_ready(&item, file);
        Ok(())
    }

    /// Whether `target` is this instance or is reachable through nested
    /// instances within the nesting limit (a cycle, or too deep: ELOOP).
    fn reaches(&self, target: &Arc<Epoll>, depth: usize) -> bool {
        if core::ptr::eq(self, Arc::as_ptr(target)) || depth > MAX_NESTS {
            return true;
        }
        let files: Vec<Arc<OpenFile>> = self.state.lock().items.values().filter_map(|i| i.file.upgrade()).collect();
        files.iter().filter_map(|f| f.ops_as::<Epoll>()).any(|inner| inner.reaches(target, depth + 1))
    }

    /// Puts `item` on the ready list if its file is ready for it now
    /// (after ADD and MOD, as Linux does), waking waiters.
    fn link_if_ready(&self, item: &Arc<Item>, file: &Arc<OpenFile>) {
        let events = item.events.load(Ordering::Relaxed);
        if file.ops().poll().bits() as u32 & events & !EP_PRIVATE_BITS == 0 {
            return;
        }
        {
            let mut st = self.state.lock();
            if item.linked.swap(true, Ordering::Relaxed) {
                return;
            }
            st.ready.push_back(item.clone());
        }
        self.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
    }

    fn find(&self, fd: i32, file: &Arc<OpenFile>) -> Option<Arc<Item>> {
        self.purge_dead();
        self.state.lock().items.get(&(fd, file_key(file))).cloned()
    }

    /// EPOLL_CTL_MOD: new interest and data; re-arms a oneshot item.
    /// EINVAL for an EPOLLEXCLUSIVE item, ENOENT if absent.
    pub fn modify(&self, fd: i32, file: &Arc<OpenFile>, events: u32, data: u64) -> KResult<()> {
        let item = self.find(fd, file).ok_or(Errno::ENOENT)?;
        if item.events.load(Ordering::Relaxed) & EPOLLEXCLUSIVE != 0 {
            return Err(Errno::EINVAL);
        }
        {
            let _st = self.state.lock();
            item.events.store(events | EPOLLERR | EPOLLHUP, Ordering::Relaxed);
            item.data.store(data, Ordering::Relaxed);
        }
        self.link_if_ready(&item, file);
        Ok(())
    }

    /// EPOLL_CTL_DEL: ENOENT if absent.
    pub fn remove(&self, fd: i32, file: &Arc<OpenFile>) -> KResult<()> {
        self.purge_dead();
        let mut st = self.state.lock();
        let item = st.items.remove(&(fd, file_key(file))).ok_or(Errno::ENOENT)?;
        item.removed.store(true, Ordering::Relaxed);
        st.ready.retain(|i| !Arc::ptr_eq(i, &item));
        Ok(())
    }

    /// Reports ready items into the user array at `events` (at most
    /// `max`); EFAULT if not even the first could be written.
    fn send_events(&self, events: usize, max: usize) -> KResult<usize> {
        let mut scan: VecDeque<Arc<Item>> = {
            let mut st = self.state.lock();
            if st.ready.is_empty() {
                return Ok(0);
            }
            st.scanning = true;
            core::mem::take(&mut st.ready)
        };
        let mut again: Vec<Arc<Item>> = Vec::new();
        let mut dead: Vec<Arc<Item>> = Vec::new();
        let mut reported = 0;
        let mut fault = false;
        while let Some(item) = scan.pop_front() {
            if reported == max {
                scan.push_front(item);
                break;
            }
            if item.removed.load(Ordering::Relaxed) {
                item.linked.store(false, Ordering::Relaxed);
                continue;
            }
            let Some(file) = item.file.upgrade() else {
                item.linked.store(false, Ordering::Relaxed);
                dead.push(item);
                continue;
            };
            let ev = item.events.load(Ordering::Relaxed);
            let revents = file.ops().poll().bits() as u32 & ev & !EP_PRIVATE_BITS;
            if revents == 0 {
                item.linked.store(false, Ordering::Relaxed);
                continue;
            }
            let mut rec = [0u8; EVENT_SIZE];
            rec[..4].copy_from_slice(&revents.to_le_bytes());
            rec[4..].copy_from_slice(&item.data.load(Ordering::Relaxed).to_le_bytes());
            if write_bytes(events + reported * EVENT_SIZE, &rec).is_err() {
                scan.push_front(item);
                fault = true;
                break;
            }
            reported += 1;
            if ev & EPOLLONESHOT != 0 {
                item.events.store(ev & EP_PRIVATE_BITS, Ordering::Relaxed);
                item.linked.store(false, Ordering::Relaxed);
            } else if ev & EPOLLET == 0 {
                again.push(item);
            } else {
                item.linked.store(false, Ordering::Relaxed);
            }
        }
        let more = {
            let mut st = self.state.lock();
            // Not reached, then what came meanwhile, then the level-
            // triggered items reported now.
            let arrived = core::mem::take(&mut st.ready);
            scan.extend(arrived);
            // Woken while the scan held them, and unlinked by it since.
            for item in core::mem::take(&mut st.missed) {
                if !item.linked.swap(true, Ordering::Relaxed) {
                    scan.push_back(item);
                }
            }
            scan.extend(again);
            st.ready = scan;
            st.scanning = false;
            for d in &dead {
                st.items.retain(|_, i| !Arc::ptr_eq(i, d));
            }
            !st.ready.is_empty()
        };
        if more && reported > 0 && self.waiters.has_sleepers() {
            self.waiters.wake_with(PollEvents::IN | PollEvents::RDNORM);
        }
        if fault && reported == 0 {
            return Err(Errno::EFAULT);
        }
        Ok(reported)
    }

    /// epoll_wait: reports ready items, sleeping until there are some,
    /// the deadline (monotonic ns; Some(0) for "do not wait") passes (0),
    /// or a signal comes (EINTR: epoll_wait is never restarted).
    pub fn wait(&self, events: usize, max: usize, deadline: Option<u64>) -> KResult<usize> {
        loop {
            let n = self.send_events(events, max)?;
            if n > 0 || deadline == Some(0) {
                return Ok(n);
            }
            let r = sleep_on(&[&self.waiters], deadline, || (!self.state.lock().ready.is_empty()).then_some(()));
            match r {
                Ok(()) => continue,
                Err(e) if e == Errno::ETIMEDOUT => return Ok(0),
                Err(e) if e == Errno::ERESTARTSYS => return Err(Errno::EINTR),
                Err(e) => return Err(e),
            }
        }
    }

    /// Readiness of the instance itself: IN when some item on the ready
    /// list really is ready; the others are dropped from the list.
    fn ready_now(&self) -> bool {
        let candidates: Vec<Arc<Item>> = self.state.lock().ready.iter().cloned().collect();
        let mut stale = Vec::new();
        let mut any = false;
        for item in candidates {
            let ev = item.events.load(Ordering::Relaxed);
            let live = !item.removed.load(Ordering::Relaxed) && item.file.upgrade().is_some_and(|f| f.ops().poll().bits() as u32 & ev & !EP_PRIVATE_BITS != 0);
            if live {
                any = true;
                break;
            }
            stale.push(item);
        }
        let mut st = self.state.lock();
        if !st.scanning {
            for item in stale {
                if let Some(pos) = st.ready.iter().position(|i| Arc::ptr_eq(i, &item)) {
                    st.ready.remove(pos);
                    item.linked.store(false, Ordering::Relaxed);
                }
            }
        }
        any
    }
}

impl FileOps for Epoll {
    fn read(&self, _file: &OpenFile, _offset: &mut u64, _buf: &mut [u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn write(&self, _file: &OpenFile, _offset: &mut u64, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EINVAL)
    }

    fn poll(&self) -> PollEvents {
        if self.ready_now() { PollEvents::IN | PollEvents::RDNORM } else { PollEvents::empty() }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.waiters)
    }

    fn seek_is_noop(&self) -> bool {
        true
    }

    fn stat(&self) -> Option<crate::fs::inode::Stat> {
        Some(super::anon_stat())
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("[eventpoll]")
    }
}
