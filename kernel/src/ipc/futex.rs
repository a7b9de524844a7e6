//! Futexes: sleeping on a 32-bit word of user memory (futex(2)), and the
//! kernel's part in robust and priority-inheritance (PI) mutexes.
//!
//! A futex is named by a [`Key`], as Linux's get_futex_key names it: an
//! operation with FUTEX_PRIVATE_FLAG by (address space, address); one
//! without it, on MAP_SHARED memory, by (backing object, byte offset), so
//! that two processes, or two mappings of one file, meet on the same futex
//! wherever they map the page; and one without it on private memory by
//! (address space, address) again, but as a futex distinct from the
//! private one (a private wake does not reach a shared waiter there).
//!
//! Every sleeping thread is one [`Waiter`] with a wait queue of its own. A
//! waker takes exactly the waiters it wakes off the futex and marks each
//! one woken before waking it: FUTEX_WAKE wakes exactly N and returns N,
//! and a waiter whose timeout or signal races with a wake reports the wake
//! (as Linux does: once dequeued by a waker, the wait succeeded).
//!
//! All futex state is one table under one lock ([`TABLE`]). The word is
//! read and compared under that lock, so a waker that stores to the word
//! and then wakes can never slip between a waiter's check and its queuing.
//! User words are only accessed with single 32-bit loads and LOCK CMPXCHG
//! ([`word`]), never byte copies, so they are never seen torn.
//!
//! PI futexes follow Linux's ownership protocol (futex(2), "Priority-
//! inheritance futexes"): the owner's tid in the word, FUTEX_WAITERS while
//! the kernel has waiters, direct hand-off to the first waiter on unlock,
//! FUTEX_OWNER_DIED when the owner dies. Priorities are not boosted: the
//! scheduler is round-robin, so there is no priority to lend
//! (docs/compat-notes.tsv).

use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU8, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::mm::address_space::TASK_SIZE;
use crate::mm::uaccess::UserPtr;
use crate::mm::{AddressSpace, Backing, PageSource, Prot};
use crate::process::{Pid, Thread, find_thread};
use crate::sched::wait::WaitQueue;

/// futex operations (the command part of `op`, linux/futex.h).
pub const FUTEX_WAIT: u32 = 0;
/// FUTEX_WAKE
pub const FUTEX_WAKE: u32 = 1;
/// FUTEX_REQUEUE
pub const FUTEX_REQUEUE: u32 = 3;
/// FUTEX_CMP_REQUEUE
pub const FUTEX_CMP_REQUEUE: u32 = 4;
/// FUTEX_WAKE_OP
pub const FUTEX_WAKE_OP: u32 = 5;
/// FUTEX_LOCK_PI
pub const FUTEX_LOCK_PI: u32 = 6;
/// FUTEX_UNLOCK_PI
pub const FUTEX_UNLOCK_PI: u32 = 7;
/// FUTEX_TRYLOCK_PI
pub const FUTEX_TRYLOCK_PI: u32 = 8;
/// FUTEX_WAIT_BITSET
pub const FUTEX_WAIT_BITSET: u32 = 9;
/// FUTEX_WAKE_BITSET
pub const FUTEX_WAKE_BITSET: u32 = 10;
/// FUTEX_WAIT_REQUEUE_PI
pub const FUTEX_WAIT_REQUEUE_PI: u32 = 11;
/// FUTEX_CMP_REQUEUE_PI
pub const FUTEX_CMP_REQUEUE_PI: u32 = 12;
/// FUTEX_LOCK_PI2
pub const FUTEX_LOCK_PI2: u32 = 13;
/// FUTEX_PRIVATE_FLAG
pub const FUTEX_PRIVATE_FLAG: u32 = 128;
/// FUTEX_CLOCK_REALTIME
pub const FUTEX_CLOCK_REALTIME: u32 = 256;
/// Both modifier flags: the command is what is left (a mask that forgot
/// FUTEX_CLOCK_REALTIME made glibc's NPTL abort: design lesson).
pub const FUTEX_CMD_MASK: u32 = !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

/// PI and robust futex words: the kernel has waiters.
pub const FUTEX_WAITERS: u32 = 0x8000_0000;
/// The owner died holding the lock.
pub const FUTEX_OWNER_DIED: u32 = 0x4000_0000;
/// The owner's tid.
pub const FUTEX_TID_MASK: u32 = 0x3fff_ffff;
/// A bitset matching every waiter (plain FUTEX_WAIT / FUTEX_WAKE).
pub const FUTEX_BITSET_MATCH_ANY: u32 = u32::MAX;

/// Which futex a word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// FUTEX_PRIVATE_FLAG: the address space and the address.
    Private { mm: usize, addr: usize },
    /// A shared operation on private memory: the same pair, another futex
    /// (Linux marks this key FUT_OFF_MMSHARED).
    MmShared { mm: usize, addr: usize },
    /// A shared operation on a MAP_SHARED mapping: its backing object and
    /// the byte offset in it.
    Shared { object: usize, offset: u64 },
}

/// A futex word as a system call names it: its address in the caller's
/// address space and the futex it is.
pub struct Futex {
    uaddr: usize,
    key: Key,
    /// A shared futex's backing object: the table keeps it while the futex
    /// has waiters, so the address in the key cannot be reused meanwhile.
    object: Option<Arc<dyn PageSource>>,
}

impl Futex {
    /// Resolves `uaddr` in `mm`: EINVAL if not 4-byte aligned, EFAULT
    /// outside user space or (for a shared lookup, which needs the page)
    /// where nothing is mapped.
    pub fn resolve(mm: &Arc<AddressSpace>, uaddr: usize, shared: bool) -> KResult<Futex> {
        if uaddr % 4 != 0 {
            return Err(Errno::EINVAL);
        }
        if uaddr.checked_add(4).is_none_or(|end| end > TASK_SIZE) {
            return Err(Errno::EFAULT);
        }
        let id = Arc::as_ptr(mm) as usize;
        if !shared {
            return Ok(Futex { uaddr, key: Key::Private { mm: id, addr: uaddr }, object: None });
        }
        // A shared lookup needs the mapping (Linux looks up the page).
        let vma = mm.vmas().into_iter().find(|v| v.start <= uaddr && uaddr < v.end).ok_or(Errno::EFAULT)?;
        if vma.prot.is_empty() {
            return Err(Errno::EFAULT);
        }
        match vma.backing {
            Backing::File { source, offset, .. } if vma.shared => {
                let object = Arc::as_ptr(&source) as *const () as usize;
                let offset = offset + (uaddr - vma.start) as u64;
                Ok(Futex { uaddr, key: Key::Shared { object, offset }, object: Some(source) })
            }
            // Linux refuses a read-only anonymous page: its value can
            // never change, so nobody could ever be woken.
            Backing::Anonymous if !vma.prot.contains(Prot::WRITE) => Err(Errno::EFAULT),
            _ => Ok(Futex { uaddr, key: Key::MmShared { mm: id, addr: uaddr }, object: None }),
        }
    }
}

/// Still queued on its futex.
const WAITING: u8 = 0;
/// Taken off the futex by a waker (for a PI waiter: the lock was handed
/// to it).
const WOKEN: u8 = 1;
/// PI waiter chosen to take over a lock whose owner died: it writes its
/// own tid into the word (the dead owner could not).
const TAKE_OVER: u8 = 2;

/// One sleeping thread.
struct Waiter {
    /// Where the thread sleeps: the one blocking primitive.
    queue: WaitQueue,
    /// WAITING until a waker changes it (under the table lock).
    state: AtomicU8,
    /// The futex it is queued on (requeue moves it).
    key: SpinLock<Key>,
    /// FUTEX_WAIT_BITSET's bitset.
    bitset: u32,
    /// A FUTEX_LOCK_PI waiter.
    pi: bool,
    /// Its thread id (a PI hand-off names the new owner).
    tid: Pid,
}

impl Waiter {
    fn new(key: Key, bitset: u32, pi: bool, tid: Pid) -> Arc<Waiter> {
        Arc::new(Waiter { queue: WaitQueue::new(), state: AtomicU8::new(WAITING), key: SpinLock::new(key), bitset, pi, tid })
    }

    fn state(&self) -> u8 {
        self.state.load(Ordering::Acquire)
    }
}

/// The waiters of one futex, in arrival order (FIFO: no priorities).
struct Bucket {
    waiters: VecDeque<Arc<Waiter>>,
    /// For a PI futex with waiters: the owner the kernel knows (Linux's
    /// pi_state). None for an ordinary futex.
    pi_owner: Option<Pid>,
    object: Option<Arc<dyn PageSource>>,
}

type Table = BTreeMap<Key, Bucket>;

/// Every futex that has waiters.
static TABLE: SpinLock<Table> = SpinLock::new(BTreeMap::new());

/// Queues `w` on `f`.
fn enqueue(table: &mut Table, f: &Futex, w: Arc<Waiter>) {
    let b = table.entry(f.key).or_insert_with(|| Bucket { waiters: VecDeque::new(), pi_owner: None, object: f.object.clone() });
    b.waiters.push_back(w);
}

/// Takes `w` off its futex if it is still queued; false if a waker took
/// it first.
fn dequeue(w: &Arc<Waiter>) -> bool {
    let mut table = TABLE.lock();
    if w.state() != WAITING {
        return false;
    }
    let key = *w.key.lock();
    if let Some(b) = table.get_mut(&key) {
        b.waiters.retain(|x| !Arc::ptr_eq(x, w));
        if b.waiters.is_empty() {
            table.remove(&key);
        }
    }
    true
}

/// Sleeps until a waker takes `w` (its new state), the deadline passes
/// (ETIMEDOUT) or a signal arrives (ERESTARTSYS).
fn sleep(w: &Arc<Waiter>, deadline_ns: Option<u64>) -> KResult<u8> {
    let r = w.queue.wait_until_deadline(deadline_ns, || {
        let s = w.state();
        (s != WAITING).then_some(s)
    });
    match r {
        Ok(s) => Ok(s),
        // A wake that raced with the timeout or signal wins.
        Err(e) => {
            if dequeue(w) {
                Err(e)
            } else {
                Ok(w.state())
            }
        }
    }
}

/// Linux's waking loops count a waiter, then stop once the count reaches
/// the limit: a limit of 0 (or a negative one, the argument being an int)
/// still wakes one.
fn wake_limit(n: u32) -> usize {
    (n as i32).max(1) as usize
}

/// Takes up to `max` waiters of `key` accepted by `filter` off the futex,
/// marked woken; the caller wakes them after dropping the table lock.
fn take_waiters(table: &mut Table, key: Key, max: usize, filter: impl Fn(&Waiter) -> bool) -> KResult<Vec<Arc<Waiter>>> {
    let Some(b) = table.get_mut(&key) else { return Ok(Vec::new()) };
    if b.pi_owner.is_some() {
        // Waiters of a PI futex are woken only by UNLOCK_PI.
        return Err(Errno::EINVAL);
    }
    let mut taken = Vec::new();
    let mut i = 0;
    while i < b.waiters.len() && taken.len() < max {
        if filter(&b.waiters[i]) {
            let w = b.waiters.remove(i).expect("index checked");
            w.state.store(WOKEN, Ordering::Release);
            taken.push(w);
        } else {
            i += 1;
        }
    }
    if b.waiters.is_empty() {
        table.remove(&key);
    }
    Ok(taken)
}

/// Wakes the waiters taken by [`take_waiters`]; returns how many.
fn wake_taken(ws: Vec<Arc<Waiter>>) -> usize {
    let n = ws.len();
    for w in ws {
        w.queue.wake_all();
    }
    n
}

/// FUTEX_WAIT / FUTEX_WAIT_BITSET: sleeps while the word equals
/// `expected` until woken (0), the monotonic `deadline_ns` (ETIMEDOUT) or
/// a signal (ERESTARTSYS). EAGAIN if the word differs.
pub fn wait(f: &Futex, expected: u32, bitset: u32, deadline_ns: Option<u64>, tid: Pid) -> KResult<usize> {
    let w = Waiter::new(f.key, bitset, false, tid);
    {
        let mut table = TABLE.lock();
        if word::load(f.uaddr)? != expected {
            return Err(Errno::EAGAIN);
        }
        if table.get(&f.key).is_some_and(|b| b.pi_owner.is_some()) {
            return Err(Errno::EINVAL); // a PI futex: only LOCK_PI may wait on it
        }
        enqueue(&mut table, f, w.clone());
    }
    sleep(&w, deadline_ns).map(|_| 0)
}

/// FUTEX_WAKE / FUTEX_WAKE_BITSET: wakes up to `count` waiters whose
/// bitset shares a bit with `bitset`; returns how many were woken.
pub fn wake(f: &Futex, count: u32, bitset: u32) -> KResult<usize> {
    let ws = take_waiters(&mut TABLE.lock(), f.key, wake_limit(count), |w| w.bitset & bitset != 0)?;
    Ok(wake_taken(ws))
}

/// FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes up to `nr_wake` waiters of
/// `from` and moves up to `nr_requeue` of the rest to `to`, if the word of
/// `from` still equals `cmp` (when given; EAGAIN otherwise). Returns the
/// number woken plus the number moved. The counts must be checked
/// non-negative by the caller, before the addresses are resolved.
pub fn requeue(from: &Futex, to: &Futex, nr_wake: usize, nr_requeue: usize, cmp: Option<u32>) -> KResult<usize> {
    let mut woken = Vec::new();
    let mut moved = VecDeque::new();
    {
        let mut table = TABLE.lock();
        if let Some(expected) = cmp {
            if word::load(from.uaddr)? != expected {
                return Err(Errno::EAGAIN);
            }
        }
        let Some(b) = table.get_mut(&from.key) else { return Ok(0) };
        if b.pi_owner.is_some() {
            return Err(Errno::EINVAL);
        }
        while let Some(w) = b.waiters.front() {
            if woken.len() < nr_wake {
                w.state.store(WOKEN, Ordering::Release);
            } else if moved.len() < nr_requeue {
                *w.key.lock() = to.key;
            } else {
                break;
            }
            let w = b.waiters.pop_front().expect("front exists");
            if w.state() == WOKEN {
                woken.push(w);
            } else {
                moved.push_back(w);
            }
        }
        if b.waiters.is_empty() {
            table.remove(&from.key);
        }
        if !moved.is_empty() {
            let b = table.entry(to.key).or_insert_with(|| Bucket { waiters: VecDeque::new(), pi_owner: None, object: to.object.clone() });
            b.waiters.extend(moved.iter().cloned());
        }
    }
    Ok(wake_taken(woken) + moved.len())
}

/// A decoded FUTEX_WAKE_OP operation (futex(2): `val3` packs an operation
/// on the second word and a comparison of its old value).
#[derive(Clone, Copy, Debug)]
pub struct WakeOp {
    op: u32,
    oparg: u32,
    cmp: u32,
    cmparg: i32,
}

impl WakeOp {
    /// Unpacks `val3`: op in bits 28-30 (bit 31: the argument is a shift
    /// count), comparison in bits 24-27, 12-bit signed arguments below.
    pub fn decode(val3: u32) -> WakeOp {
        const FUTEX_OP_OPARG_SHIFT: u32 = 8;
        let sign_extend_12 = |v: u32| ((v << 20) as i32) >> 20;
        let op = (val3 >> 28) & 7;
        let cmp = (val3 >> 24) & 15;
        let mut oparg = sign_extend_12(val3 >> 12);
        let cmparg = sign_extend_12(val3);
        if (val3 >> 28) & FUTEX_OP_OPARG_SHIFT != 0 {
            // Linux masks an out-of-range shift rather than failing.
            oparg = 1 << (oparg & 31);
        }
        WakeOp { op, oparg: oparg as u32, cmp, cmparg }
    }

    /// The new value from the old, or ENOSYS for an unknown operation.
    fn apply(&self, old: u32) -> KResult<u32> {
        Ok(match self.op {
            0 => self.oparg,                  // FUTEX_OP_SET
            1 => old.wrapping_add(self.oparg), // FUTEX_OP_ADD
            2 => old | self.oparg,            // FUTEX_OP_OR
            3 => old & !self.oparg,           // FUTEX_OP_ANDN
            4 => old ^ self.oparg,            // FUTEX_OP_XOR
            _ => return Err(Errno::ENOSYS),
        })
    }

    /// Compares the old value (as a signed int), or ENOSYS for an unknown
    /// comparison (found only after the operation was done, as on Linux).
    fn compare(&self, old: u32) -> KResult<bool> {
        let old = old as i32;
        Ok(match self.cmp {
            0 => old == self.cmparg, // FUTEX_OP_CMP_EQ
            1 => old != self.cmparg, // FUTEX_OP_CMP_NE
            2 => old < self.cmparg,  // FUTEX_OP_CMP_LT
            3 => old <= self.cmparg, // FUTEX_OP_CMP_LE
            4 => old > self.cmparg,  // FUTEX_OP_CMP_GT
            5 => old >= self.cmparg, // FUTEX_OP_CMP_GE
            _ => return Err(Errno::ENOSYS),
        })
    }
}

/// FUTEX_WAKE_OP: atomically applies `op` to the word of `f2`, wakes up to
/// `nr_wake` waiters of `f1` and, if the comparison of the old value holds,
/// up to `nr_wake2` waiters of `f2`. Returns the total woken.
pub fn wake_op(f1: &Futex, f2: &Futex, nr_wake: u32, nr_wake2: u32, op: WakeOp) -> KResult<usize> {
    let ws = {
        let mut table = TABLE.lock();
        let mut old = word::load(f2.uaddr)?;
        loop {
            let new = op.apply(old)?;
            let found = word::cmpxchg(f2.uaddr, old, new)?;
            if found == old {
                break;
            }
            old = found;
        }
        let hit = op.compare(old)?;
        let mut ws = take_waiters(&mut table, f1.key, wake_limit(nr_wake), |_| true)?;
        if hit {
            ws.extend(take_waiters(&mut table, f2.key, wake_limit(nr_wake2), |_| true)?);
        }
        ws
    };
    Ok(wake_taken(ws))
}

/// Sets FUTEX_WAITERS in the word (seen as `uval`) so that the owner's
/// unlock comes to the kernel. False if the word changed meanwhile.
fn set_waiters_bit(uaddr: usize, uval: u32) -> KResult<bool> {
    if uval & FUTEX_WAITERS != 0 {
        return Ok(true);
    }
    Ok(word::cmpxchg(uaddr, uval, uval | FUTEX_WAITERS)? == uval)
}

/// FUTEX_LOCK_PI / FUTEX_LOCK_PI2 / FUTEX_TRYLOCK_PI for thread `me`:
/// takes a free lock (0, or only FUTEX_OWNER_DIED left by a dead owner),
/// otherwise queues behind the owner until the lock is handed over.
/// EDEADLK if `me` owns it, ESRCH if the word names no thread, EAGAIN for
/// a trylock that would block, ETIMEDOUT at the deadline.
pub fn lock_pi(f: &Futex, me: Pid, deadline_ns: Option<u64>, try_only: bool) -> KResult<usize> {
    let w = loop {
        let mut table = TABLE.lock();
        let uval = word::load(f.uaddr)?;
        let owner = uval & FUTEX_TID_MASK;
        if owner == me as u32 {
            return Err(Errno::EDEADLK);
        }
        let known_owner = match table.get(&f.key) {
            Some(b) => Some(b.pi_owner.ok_or(Errno::EINVAL)?), // EINVAL: FUTEX_WAIT waiters on it
            None => None,
        };
        let pi_owner = match known_owner {
            // The kernel already has waiters: queue behind them.
            Some(o) => {
                if !set_waiters_bit(f.uaddr, uval)? {
                    continue;
                }
                o
            }
            None if owner == 0 => {
                // Free. FUTEX_OWNER_DIED stays, so the new owner learns that
                // the state the lock protects may be inconsistent.
                let new = (uval & FUTEX_OWNER_DIED) | me as u32;
                if word::cmpxchg(f.uaddr, uval, new)? == uval {
                    return Ok(0);
                }
                continue;
            }
            None => {
                // Held: make the owner's unlock come to the kernel first,
                // then check that the owner exists (Linux does it in this
                // order, so a bogus owner leaves FUTEX_WAITERS set).
                if !set_waiters_bit(f.uaddr, uval)? {
                    continue;
                }
                if find_thread(owner as Pid).is_none() {
                    return Err(Errno::ESRCH);
                }
                owner as Pid
            }
        };
        if try_only {
            return Err(Errno::EAGAIN);
        }
        let w = Waiter::new(f.key, FUTEX_BITSET_MATCH_ANY, true, me);
        enqueue(&mut table, f, w.clone());
        table.get_mut(&f.key).expect("just queued").pi_owner = Some(pi_owner);
        break w;
    };
    match sleep(&w, deadline_ns) {
        Ok(TAKE_OVER) => take_over(f, me).map(|_| 0),
        // The unlocker wrote our tid into the word.
        Ok(_) => Ok(0),
        // LOCK_PI is restarted after a signal handler whatever SA_RESTART
        // says (Linux's ERESTARTNOINTR): a lock attempt has no partial
        // result to report.
        Err(e) if e == Errno::ERESTARTSYS => Err(Errno::ERESTARTNOINTR),
        Err(e) => Err(e),
    }
}

/// The owner of a PI lock died while `me` waited first in line: the
/// kernel chose `me` as the new owner; write that into the word, with
/// FUTEX_OWNER_DIED (as Linux does whenever a lock passes from a dead
/// owner) and FUTEX_WAITERS (set while the kernel knows the lock).
fn take_over(f: &Futex, me: Pid) -> KResult<()> {
    let _table = TABLE.lock();
    let mut uval = word::load(f.uaddr)?;
    loop {
        let new = me as u32 | FUTEX_OWNER_DIED | FUTEX_WAITERS;
        let found = word::cmpxchg(f.uaddr, uval, new)?;
        if found == uval {
            return Ok(());
        }
        uval = found;
    }
}

/// FUTEX_UNLOCK_PI for thread `me`: EPERM unless the word names `me`;
/// hands the lock to the first waiter (its tid and FUTEX_WAITERS in the
/// word), or stores 0 when the kernel has none (EAGAIN if the word changed
/// under us: user space retries).
pub fn unlock_pi(mm: &Arc<AddressSpace>, uaddr: usize, shared: bool, me: Pid) -> KResult<usize> {
    loop {
        // Ownership is checked before the address (Linux reads the word
        // with an unaligned-tolerant get_user first).
        let uval = UserPtr::<u32>::new(uaddr).read()?;
        if uval & FUTEX_TID_MASK != me as u32 {
            return Err(Errno::EPERM);
        }
        let f = Futex::resolve(mm, uaddr, shared)?;
        let mut table = TABLE.lock();
        if let Some(b) = table.get_mut(&f.key) {
            if b.pi_owner != Some(me) {
                return Err(Errno::EINVAL); // the word and the kernel's owner disagree
            }
            let next = b.waiters.front().expect("buckets are never empty").clone();
            let found = word::cmpxchg(uaddr, uval, next.tid as u32 | FUTEX_WAITERS)?;
            if found != uval {
                if found & FUTEX_TID_MASK == me as u32 {
                    continue; // a waiter set FUTEX_WAITERS meanwhile
                }
                return Err(Errno::EINVAL);
            }
            b.waiters.pop_front();
            next.state.store(WOKEN, Ordering::Release);
            b.pi_owner = Some(next.tid);
            if b.waiters.is_empty() {
                table.remove(&f.key);
            }
            drop(table);
            next.queue.wake_all();
            return Ok(0);
        }
        let found = word::cmpxchg(uaddr, uval, 0)?;
        return if found == uval { Ok(0) } else { Err(Errno::EAGAIN) };
    }
}

/// Clears a thread's tid word and wakes one waiter on it
/// (CLONE_CHILD_CLEARTID / set_tid_address: how pthread_join learns that a
/// thread is gone). Faults are ignored, as on Linux.
pub fn clear_tid_word(mm: &Arc<AddressSpace>, uaddr: usize) {
    if UserPtr::<u32>::new(uaddr).write(&0).is_err() {
        return;
    }
    if let Ok(f) = Futex::resolve(mm, uaddr, true) {
        let _ = wake(&f, 1, FUTEX_BITSET_MATCH_ANY);
    }
}

/// The futex side of a thread's end (exit, or execve): walks its robust
/// list and passes the PI locks it still owns to their first waiters.
/// Called by the thread itself while its address space is active.
pub fn release_on_exit(me: &Arc<Thread>, mm: &Arc<AddressSpace>) {
    let head = me.robust_list.swap(0, Ordering::Relaxed);
    if head != 0 {
        robust::exit_robust_list(mm, head, me.tid());
    }
    hand_over_pi_locks(me.tid());
}

/// PI locks still owned by dead thread `tid` go to their first waiter,
/// which writes itself into the word ([`take_over`]).
fn hand_over_pi_locks(tid: Pid) {
    let mut chosen = Vec::new();
    {
        let mut table = TABLE.lock();
        for b in table.values_mut() {
            if b.pi_owner != Some(tid) {
                continue;
            }
            if let Some(w) = b.waiters.pop_front() {
                w.state.store(TAKE_OVER, Ordering::Release);
                b.pi_owner = Some(w.tid);
                chosen.push(w);
            }
        }
        table.retain(|_, b| !b.waiters.is_empty());
    }
    wake_taken(chosen);
}

/// Robust futex lists (Documentation/locking/robust-futex-ABI.rst): user
/// space keeps a list of the robust locks a thread holds; when the thread
/// dies, the kernel marks each one it still owns FUTEX_OWNER_DIED and
/// wakes a waiter, so the next locker learns of it (EOWNERDEAD).
mod robust {
    use super::*;

    /// Longest list walked (Linux's ROBUST_LIST_LIMIT): a corrupt or
    /// circular list must not keep a dying thread busy forever.
    const ROBUST_LIST_LIMIT: usize = 2048;

    /// `struct robust_list_head`: { list.next, futex_offset, list_op_pending }.
    pub const HEAD_SIZE: usize = 24;

    /// An entry pointer; bit 0 marks a PI futex.
    fn fetch_entry(addr: usize) -> Option<(usize, bool)> {
        let v = UserPtr::<u64>::new(addr).read().ok()?;
        Some(((v & !1) as usize, v & 1 != 0))
    }

    /// Walks the list at `head` of the dying thread `tid`; stops quietly
    /// at the first fault, as Linux does.
    pub fn exit_robust_list(mm: &Arc<AddressSpace>, head: usize, tid: Pid) {
        let Some((mut entry, mut pi)) = fetch_entry(head) else { return };
        let Ok(offset) = UserPtr::<i64>::new(head + 8).read() else { return };
        let Some((pending, pending_pi)) = fetch_entry(head + 16) else { return };
        let mut limit = ROBUST_LIST_LIMIT;
        while entry != head {
            let next = fetch_entry(entry);
            // The pending entry is handled last, once (it may also be
            // on the list).
            if entry != pending && !futex_death(mm, entry.wrapping_add(offset as usize), tid, pi, false) {
                return;
            }
            let Some((n, npi)) = next else { return };
            entry = n;
            pi = npi;
            limit -= 1;
            if limit == 0 {
                break;
            }
        }
        if pending != 0 {
            futex_death(mm, pending.wrapping_add(offset as usize), tid, pending_pi, true);
        }
    }

    /// Marks the futex at `uaddr` as left behind by dead `tid`: if the
    /// word names `tid`, keep FUTEX_WAITERS, set FUTEX_OWNER_DIED and clear
    /// the tid; wake one waiter of a non-PI futex that had waiters (PI
    /// waiters are handed the lock by [`hand_over_pi_locks`]). False if the
    /// word cannot be accessed (the walk stops).
    fn futex_death(mm: &Arc<AddressSpace>, uaddr: usize, tid: Pid, pi: bool, pending: bool) -> bool {
        if uaddr % 4 != 0 {
            return false;
        }
        let Ok(mut uval) = word::load(uaddr) else { return false };
        // A pending lock operation on a non-PI futex whose word is 0: the
        // thread may have died between an unlock and its wake-up call, so
        // a waiter could be left asleep; wake one.
        if pending && !pi && uval == 0 {
            wake_shared(mm, uaddr);
            return true;
        }
        loop {
            if uval & FUTEX_TID_MASK != tid as u32 {
                return true;
            }
            let new = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            match word::cmpxchg(uaddr, uval, new) {
                Ok(found) if found == uval => break,
                Ok(found) => uval = found,
                Err(_) => return false,
            }
        }
        if !pi && uval & FUTEX_WAITERS != 0 {
            wake_shared(mm, uaddr);
        }
        true
    }

    /// Wakes one waiter as the kernel does on behalf of a dead thread:
    /// with a shared lookup (which gives the private key for private
    /// memory).
    fn wake_shared(mm: &Arc<AddressSpace>, uaddr: usize) {
        if let Ok(f) = Futex::resolve(mm, uaddr, true) {
            let _ = wake(&f, 1, FUTEX_BITSET_MATCH_ANY);
        }
    }
}

/// Size of `struct robust_list_head`, the only length set_robust_list
/// accepts.
pub const ROBUST_LIST_HEAD_SIZE: usize = robust::HEAD_SIZE;

/// Atomic access to futex words in the current address space.
mod word {
    use kevlar_hal::arch::usercopy;

    use crate::errno::{Errno, KResult};

    /// The word at `uaddr` (one 32-bit load).
    pub fn load(uaddr: usize) -> KResult<u32> {
        usercopy::load_u32(uaddr).map_err(|_| Errno::EFAULT)
    }

    /// Compare-and-exchange; returns the value found (the store happened
    /// iff it equals `expected`). EFAULT if the word is not writable.
    pub fn cmpxchg(uaddr: usize, expected: u32, new: u32) -> KResult<u32> {
        usercopy::cmpxchg_u32(uaddr, expected, new).map_err(|_| Errno::EFAULT)
    }
}
