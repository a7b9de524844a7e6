//! File descriptor tables. Close-on-exec lives here, per descriptor, and
//! nowhere else (design lesson 10: storing it twice let the copies drift).

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::file::OpenFile;
use crate::errno::{Errno, KResult};

/// Default RLIMIT_NOFILE soft limit.
pub const DEFAULT_NOFILE: usize = 1024;

#[derive(Clone)]
struct Slot {
    file: Arc<OpenFile>,
    cloexec: bool,
}

/// A process's descriptors (shared between threads with CLONE_FILES).
pub struct FdTable {
    slots: Vec<Option<Slot>>,
    /// Owner of the POSIX record locks taken through this table (Linux's
    /// `current->files`): a copy (fork) gets a new one, so locks are not
    /// inherited.
    lock_owner: u64,
}

static NEXT_LOCK_OWNER: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(1);

impl Default for FdTable {
    fn default() -> FdTable {
        FdTable::new()
    }
}

impl Clone for FdTable {
    fn clone(&self) -> FdTable {
        FdTable { slots: self.slots.clone(), ..FdTable::new() }
    }
}

impl Drop for FdTable {
    fn drop(&mut self) {
        for file in self.slots.iter().flatten().map(|s| s.file.clone()).collect::<Vec<_>>() {
            self.closing(&file);
        }
    }
}

impl FdTable {
    /// An empty table.
    pub fn new() -> FdTable {
        let lock_owner = NEXT_LOCK_OWNER.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        FdTable { slots: Vec::new(), lock_owner }
    }

    /// The owner id of POSIX locks taken through this table.
    pub fn lock_owner(&self) -> u64 {
        self.lock_owner
    }

    /// A descriptor of `file` goes away: POSIX locks of this table on the
    /// file are released (on any close, as POSIX requires).
    fn closing(&self, file: &Arc<OpenFile>) {
        super::lock::descriptor_closed(self.lock_owner, file);
    }

    /// The open file behind `fd`.
    pub fn get(&self, fd: i32) -> KResult<Arc<OpenFile>> {
        self.slot(fd).map(|s| s.file.clone()).ok_or(Errno::EBADF)
    }

    fn slot(&self, fd: i32) -> Option<&Slot> {
        usize::try_from(fd).ok().and_then(|i| self.slots.get(i)).and_then(|s| s.as_ref())
    }

    /// Installs `file` at the lowest free descriptor >= `min`.
    pub fn alloc(&mut self, file: Arc<OpenFile>, cloexec: bool, min: usize, limit: usize) -> KResult<i32> {
        let fd = (min..limit).find(|&i| self.slots.get(i).is_none_or(|s| s.is_none())).ok_or(Errno::EMFILE)?;
        if fd >= self.slots.len() {
            self.slots.resize(fd + 1, None);
        }
        self.slots[fd] = Some(Slot { file, cloexec });
        Ok(fd as i32)
    }

    /// Installs `file` at exactly `fd`, returning what was there (dup2).
    pub fn install_at(&mut self, fd: i32, file: Arc<OpenFile>, cloexec: bool, limit: usize) -> KResult<Option<Arc<OpenFile>>> {
        let i = usize::try_from(fd).ok().filter(|&i| i < limit).ok_or(Errno::EBADF)?;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, None);
        }
        let old = self.slots[i].replace(Slot { file, cloexec }).map(|s| s.file);
        if let Some(f) = &old {
            self.closing(f);
        }
        Ok(old)
    }

    /// Removes `fd` and returns its file (the caller drops it outside any lock).
    pub fn remove(&mut self, fd: i32) -> KResult<Arc<OpenFile>> {
        let i = usize::try_from(fd).map_err(|_| Errno::EBADF)?;
        let file = self.slots.get_mut(i).and_then(|s| s.take()).map(|s| s.file).ok_or(Errno::EBADF)?;
        self.closing(&file);
        Ok(file)
    }

    /// Close-on-exec flag of `fd`.
    pub fn cloexec(&self, fd: i32) -> KResult<bool> {
        self.slot(fd).map(|s| s.cloexec).ok_or(Errno::EBADF)
    }

    /// Sets the close-on-exec flag of `fd`.
    pub fn set_cloexec(&mut self, fd: i32, on: bool) -> KResult<()> {
        let i = usize::try_from(fd).map_err(|_| Errno::EBADF)?;
        match self.slots.get_mut(i).and_then(|s| s.as_mut()) {
            Some(s) => {
                s.cloexec = on;
                Ok(())
            }
            None => Err(Errno::EBADF),
        }
    }

    /// Removes every close-on-exec descriptor (execve); returns the files.
    pub fn take_cloexec(&mut self) -> Vec<Arc<OpenFile>> {
        let mut out = Vec::new();
        for s in self.slots.iter_mut() {
            if s.as_ref().is_some_and(|s| s.cloexec) {
                out.push(s.take().expect("checked").file);
            }
        }
        for f in &out {
            self.closing(f);
        }
        out
    }

    /// Removes descriptors in `[first, last]` (close_range).
    pub fn take_range(&mut self, first: usize, last: usize) -> Vec<Arc<OpenFile>> {
        let mut out = Vec::new();
        let end = last.saturating_add(1).min(self.slots.len());
        for i in first.min(end)..end {
            if let Some(s) = self.slots[i].take() {
                out.push(s.file);
            }
        }
        for f in &out {
            self.closing(f);
        }
        out
    }

    /// Sets close-on-exec on descriptors in `[first, last]`.
    pub fn set_cloexec_range(&mut self, first: usize, last: usize) {
        let end = last.saturating_add(1).min(self.slots.len());
        for s in self.slots[first.min(end)..end].iter_mut().flatten() {
            s.cloexec = true;
        }
    }

    /// Descriptors in use, in order (for /proc/PID/fd).
    pub fn fds(&self) -> Vec<i32> {
        self.slots.iter().enumerate().filter(|(_, s)| s.is_some()).map(|(i, _)| i as i32).collect()
    }

    /// Drops every descriptor (exit).
    pub fn clear(&mut self) -> Vec<Arc<OpenFile>> {
        let out: Vec<Arc<OpenFile>> = self.slots.drain(..).flatten().map(|s| s.file).collect();
        for f in &out {
            self.closing(f);
        }
        out
    }
}
