//! Control groups (version 2): one hierarchy of groups that every process
//! belongs to, as Linux's unified hierarchy.
//!
//! Kevlar has no controllers yet (no cpu, memory, io or pids limits), so a
//! group is membership and bookkeeping only: which processes are in it, how
//! many descendants it may have, the CPU time its members used, and
//! `cgroup.kill`. That is what init systems and container tools rely on to
//! track and stop groups of processes. A process starts in its parent's
//! group; writing a pid to `cgroup.procs` moves the whole process.
//! The file system view is fs::cgroupfs.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::sync::SpinLock;

use crate::errno::{Errno, KResult};
use crate::process::{self, Process, Usage};

/// Controllers Linux knows; none is available here, so enabling one in
/// cgroup.subtree_control fails with ENOENT (an unknown name is EINVAL).
pub const KNOWN_CONTROLLERS: &[&str] = &["cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc", "dmem"];

/// "max" or a number (cgroup.max.descendants, cgroup.max.depth).
pub type Limit = Option<u64>;

/// One control group.
pub struct Cgroup {
    /// Name in the parent (empty for the root).
    pub name: Vec<u8>,
    /// Unique id (its directory's inode number).
    pub id: u64,
    parent: Option<Arc<Cgroup>>,
    children: SpinLock<BTreeMap<Vec<u8>, Arc<Cgroup>>>,
    limits: SpinLock<(Limit, Limit)>,
    /// CPU time (ticks) of members that have exited, this group and below.
    exited_user_ticks: AtomicU64,
    exited_system_ticks: AtomicU64,
    /// Set once removed: nothing can join it any more.
    removed: core::sync::atomic::AtomicBool,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static ROOT: SpinLock<Option<Arc<Cgroup>>> = SpinLock::new(None);

/// The root group (where init starts).
pub fn root() -> Arc<Cgroup> {
    ROOT.lock().get_or_insert_with(|| Cgroup::new(Vec::new(), None)).clone()
}

impl Cgroup {
    fn new(name: Vec<u8>, parent: Option<Arc<Cgroup>>) -> Arc<Cgroup> {
        Arc::new(Cgroup {
            name,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            parent,
            children: SpinLock::new(BTreeMap::new()),
            limits: SpinLock::new((None, None)),
            exited_user_ticks: AtomicU64::new(0),
            exited_system_ticks: AtomicU64::new(0),
            removed: core::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Whether this is the root group.
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }

    /// The parent group.
    pub fn parent(&self) -> Option<&Arc<Cgroup>> {
        self.parent.as_ref()
    }

    /// The path from the root ("/" for the root): /proc/PID/cgroup.
    pub fn path(&self) -> Vec<u8> {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut at = self;
        while let Some(p) = &at.parent {
            parts.push(&at.name);
            at = p;
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

    /// The child named `name`.
    pub fn child(&self, name: &[u8]) -> Option<Arc<Cgroup>> {
        self.children.lock().get(name).cloned()
    }

    /// The children, by name.
    pub fn children(&self) -> Vec<Arc<Cgroup>> {
        self.children.lock().values().cloned().collect()
    }

    /// Live descendants (children, theirs, ...).
    pub fn descendants(&self) -> u64 {
        self.children().iter().map(|c| 1 + c.descendants()).sum()
    }

    /// mkdir: a new child group. EAGAIN when an ancestor's (or this
    /// group's) cgroup.max.descendants or cgroup.max.depth would be
    /// exceeded, as cgroup_check_hierarchy_limits.
    pub fn make_child(self: &Arc<Self>, name: &[u8]) -> KResult<Arc<Cgroup>> {
        if self.removed.load(Ordering::Relaxed) {
            return Err(Errno::ENOENT);
        }
        let mut at: Option<&Arc<Cgroup>> = Some(self);
        let mut below = 0u64; // levels between `at` and the new group
        while let Some(g) = at {
            let (max_desc, max_depth) = *g.limits.lock();
            if max_desc.is_some_and(|m| g.descendants() >= m) || max_depth.is_some_and(|m| below >= m) {
                return Err(Errno::EAGAIN);
            }
            below += 1;
            at = g.parent.as_ref();
        }
        let mut children = self.children.lock();
        if children.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        let child = Cgroup::new(name.to_vec(), Some(self.clone()));
        children.insert(name.to_vec(), child.clone());
        Ok(child)
    }

    /// rmdir: removes the empty child `name` (EBUSY with members or
    /// children of its own, ENOENT if there is none).
    pub fn remove_child(&self, name: &[u8]) -> KResult<()> {
        let mut children = self.children.lock();
        let child = children.get(name).ok_or(Errno::ENOENT)?;
        if !child.children.lock().is_empty() || child.populated() {
            return Err(Errno::EBUSY);
        }
        child.removed.store(true, Ordering::Relaxed);
        children.remove(name);
        Ok(())
    }

    /// Processes in this group (not below it), by pid.
    pub fn members(self: &Arc<Self>) -> Vec<Arc<Process>> {
        let mut out: Vec<Arc<Process>> =
            process::all_processes().into_iter().filter(|p| p.pid > 0 && p.is_alive() && Arc::ptr_eq(&p.cgroup(), self)).collect();
        out.sort_by_key(|p| p.pid);
        out
    }

    /// Processes in this group and below.
    pub fn members_below(self: &Arc<Self>) -> Vec<Arc<Process>> {
        process::all_processes().into_iter().filter(|p| p.pid > 0 && p.is_alive() && p.cgroup().is_within(self)).collect()
    }

    /// Whether this group is `ancestor` or below it.
    pub fn is_within(&self, ancestor: &Arc<Cgroup>) -> bool {
        let mut at = self;
        loop {
            if core::ptr::eq(at, Arc::as_ptr(ancestor)) {
                return true;
            }
            match &at.parent {
                Some(p) => at = p,
                None => return false,
            }
        }
    }

    /// Whether any live process is in this group or below (cgroup.events).
    pub fn populated(&self) -> bool {
        process::all_processes().into_iter().any(|p| p.pid > 0 && p.is_alive() && p.cgroup().is_within_ptr(self))
    }

    fn is_within_ptr(&self, ancestor: &Cgroup) -> bool {
        let mut at = self;
        loop {
            if core::ptr::eq(at, ancestor) {
                return true;
            }
            match &at.parent {
                Some(p) => at = p,
                None => return false,
            }
        }
    }

    /// Moves `p` (all its threads) here (a write to cgroup.procs).
    pub fn attach(self: &Arc<Self>, p: &Process) -> KResult<()> {
        if self.removed.load(Ordering::Relaxed) {
            return Err(Errno::ENOENT);
        }
        p.set_cgroup(self.clone());
        Ok(())
    }

    /// cgroup.max.descendants and cgroup.max.depth.
    pub fn limits(&self) -> (Limit, Limit) {
        *self.limits.lock()
    }

    /// Sets cgroup.max.descendants (`depth` false) or cgroup.max.depth.
    pub fn set_limit(&self, depth: bool, value: Limit) {
        let mut l = self.limits.lock();
        if depth { l.1 = value } else { l.0 = value }
    }

    /// CPU time used by this group's members, present and past, in ticks
    /// (user, system): cpu.stat.
    pub fn cpu_ticks(self: &Arc<Self>) -> (u64, u64) {
        let (mut user, mut system) = (self.exited_user_ticks.load(Ordering::Relaxed), self.exited_system_ticks.load(Ordering::Relaxed));
        for p in self.members_below() {
            let u = crate::process::exit::total_usage(&p);
            user += u.user_ticks;
            system += u.system_ticks;
        }
        (user, system)
    }

    /// Records an exiting member's CPU time in this group and above.
    pub fn charge_exit(&self, usage: &Usage) {
        let mut at = Some(self);
        while let Some(g) = at {
            g.exited_user_ticks.fetch_add(usage.user_ticks, Ordering::Relaxed);
            g.exited_system_ticks.fetch_add(usage.system_ticks, Ordering::Relaxed);
            at = g.parent.as_deref();
        }
    }

    /// Whether the group was removed (its open files then fail).
    pub fn is_removed(&self) -> bool {
        self.removed.load(Ordering::Relaxed)
    }
}
