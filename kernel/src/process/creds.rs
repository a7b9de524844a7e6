//! Credentials: who a process is (real, effective, saved and file-system
//! user and group ids, supplementary groups).

use alloc::vec::Vec;

/// User and group identity.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// Real user id.
    pub uid: u32,
    /// Effective user id.
    pub euid: u32,
    /// Saved set-user-id.
    pub suid: u32,
    /// File-system user id (follows euid unless setfsuid).
    pub fsuid: u32,
    /// Real group id.
    pub gid: u32,
    /// Effective group id.
    pub egid: u32,
    /// Saved set-group-id.
    pub sgid: u32,
    /// File-system group id.
    pub fsgid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
}

impl Credentials {
    /// Root's credentials (what init starts with).
    pub fn root() -> Credentials {
        Credentials::default()
    }

    /// Whether `gid` is the fs group or a supplementary group.
    pub fn in_group(&self, gid: u32) -> bool {
        self.fsgid == gid || self.groups.contains(&gid)
    }

    /// Whether the effective user is root (CAP_* are all-or-nothing for now).
    pub fn is_root(&self) -> bool {
        self.euid == 0
    }
}

/// The real, effective, saved and file-system ids of one kind (user or
/// group), borrowed from a [`Credentials`] so that the set*id rules are
/// written once for both kinds.
pub struct Ids<'a> {
    real: &'a mut u32,
    effective: &'a mut u32,
    saved: &'a mut u32,
    fs: &'a mut u32,
}

/// "Leave unchanged" in the set*id calls.
const KEEP: u32 = u32::MAX;

impl Credentials {
    /// The user ids.
    pub fn uids(&mut self) -> (Ids<'_>, bool) {
        let privileged = self.euid == 0;
        (Ids { real: &mut self.uid, effective: &mut self.euid, saved: &mut self.suid, fs: &mut self.fsuid }, privileged)
    }

    /// The group ids (privilege still comes from the effective user id).
    pub fn gids(&mut self) -> (Ids<'_>, bool) {
        let privileged = self.euid == 0;
        (Ids { real: &mut self.gid, effective: &mut self.egid, saved: &mut self.sgid, fs: &mut self.fsgid }, privileged)
    }
}

/// Not permitted (EPERM).
#[derive(Debug, PartialEq, Eq)]
pub struct NotPermitted;

impl Ids<'_> {
    fn is_current(&self, id: u32) -> bool {
        id == *self.real || id == *self.effective || id == *self.saved
    }

    /// setresuid/setresgid: an unprivileged caller may only pick among its
    /// current real, effective and saved ids.
    pub fn set_res(&mut self, r: u32, e: u32, s: u32, privileged: bool) -> Result<(), NotPermitted> {
        let allowed = |v: u32| v == KEEP || privileged || self.is_current(v);
        if !(allowed(r) && allowed(e) && allowed(s)) {
            return Err(NotPermitted);
        }
        for (slot, v) in [(&mut *self.real, r), (&mut *self.effective, e), (&mut *self.saved, s)] {
            if v != KEEP {
                *slot = v;
            }
        }
        *self.fs = *self.effective;
        Ok(())
    }

    /// setuid/setgid (POSIX): privileged callers set all ids; others may
    /// set the effective id to the real or saved one.
    pub fn set(&mut self, id: u32, privileged: bool) -> Result<(), NotPermitted> {
        if privileged {
            *self.real = id;
            *self.effective = id;
            *self.saved = id;
        } else if id == *self.real || id == *self.saved {
            *self.effective = id;
        } else {
            return Err(NotPermitted);
        }
        *self.fs = *self.effective;
        Ok(())
    }

    /// setreuid/setregid: the saved id follows the new effective id when
    /// the real id is set or the effective id moves away from the real one.
    pub fn set_re(&mut self, r: u32, e: u32, privileged: bool) -> Result<(), NotPermitted> {
        let new_e = if e == KEEP { *self.effective } else { e };
        let s = if r != KEEP || new_e != *self.real { new_e } else { KEEP };
        if !privileged {
            if r != KEEP && r != *self.real && r != *self.effective {
                return Err(NotPermitted);
            }
            if e != KEEP && !self.is_current(e) {
                return Err(NotPermitted);
            }
        }
        self.set_res(r, e, s, true)
    }

    /// setfsuid/setfsgid: returns the previous id whether or not it changed.
    pub fn set_fs(&mut self, id: u32, privileged: bool) -> u32 {
        let old = *self.fs;
        if privileged || self.is_current(id) || id == *self.fs {
            *self.fs = id;
        }
        old
    }
}
