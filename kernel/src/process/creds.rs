//! Credentials: who a process is (real, effective, saved and file-system
//! user and group ids, supplementary groups) and what it may do
//! (capability sets, capabilities(7)).
//!
//! Privilege checks ask for a capability (`capable(CAP_CHOWN)`), never
//! "is uid 0": a root process that dropped a capability loses what it
//! allowed, and the id changes of set*uid move the capability sets as
//! Linux does.

use alloc::vec::Vec;

pub use linux_raw_sys::general::{
    CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_MKNOD, CAP_NET_ADMIN, CAP_SETGID,
    CAP_SETPCAP, CAP_SETUID, CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_SYS_CHROOT, CAP_SYS_NICE, CAP_SYS_RESOURCE,
    CAP_SYS_TIME,
};

/// Every capability this kernel knows (0..=CAP_LAST_CAP).
pub const CAP_ALL: u64 = (1u64 << (linux_raw_sys::general::CAP_LAST_CAP + 1)) - 1;

/// The capabilities tied to the file-system uid (cap_fs_mask in Linux):
/// they follow fsuid moving to or from 0.
const CAP_FS_MASK: u64 = (1 << CAP_CHOWN)
    | (1 << CAP_DAC_OVERRIDE)
    | (1 << CAP_DAC_READ_SEARCH)
    | (1 << CAP_FOWNER)
    | (1 << CAP_FSETID)
    | (1 << linux_raw_sys::general::CAP_LINUX_IMMUTABLE)
    | (1 << CAP_MKNOD)
    | (1u64 << linux_raw_sys::general::CAP_MAC_OVERRIDE);

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
    /// Capabilities in force.
    pub cap_effective: u64,
    /// Capabilities that may be made effective.
    pub cap_permitted: u64,
    /// Capabilities kept across execve (with file capabilities).
    pub cap_inheritable: u64,
    /// Upper bound of what execve can grant.
    pub cap_bounding: u64,
    /// Capabilities kept across execve of unprivileged programs.
    pub cap_ambient: u64,
    /// PR_SET_NO_NEW_PRIVS: execve never grants privileges.
    pub no_new_privs: bool,
    /// PR_SET_KEEPCAPS: permitted capabilities survive leaving uid 0.
    pub keep_caps: bool,
}

impl Credentials {
    /// Root's credentials (what init starts with): every capability.
    pub fn root() -> Credentials {
        Credentials { cap_effective: CAP_ALL, cap_permitted: CAP_ALL, cap_bounding: CAP_ALL, ..Credentials::default() }
    }

    /// Whether capability `cap` is in the effective set.
    pub fn capable(&self, cap: u32) -> bool {
        self.cap_effective & (1u64 << cap) != 0
    }

    /// Adjusts the capability sets after a change of ids, from `old`
    /// (capabilities(7), "Effect of user ID changes on capabilities").
    pub fn update_caps_after_id_change(&mut self, old: &Credentials) {
        let was_root = old.uid == 0 || old.euid == 0 || old.suid == 0;
        let now_root = self.uid == 0 || self.euid == 0 || self.suid == 0;
        if was_root && !now_root {
            if !self.keep_caps {
                self.cap_permitted = 0;
            }
            self.cap_effective = 0;
            self.cap_ambient = 0;
        }
        if old.euid == 0 && self.euid != 0 {
            self.cap_effective = 0;
        }
        if old.euid != 0 && self.euid == 0 {
            self.cap_effective = self.cap_permitted;
        }
        if old.fsuid == 0 && self.fsuid != 0 {
            self.cap_effective &= !CAP_FS_MASK;
        }
        if old.fsuid != 0 && self.fsuid == 0 {
            self.cap_effective |= self.cap_permitted & CAP_FS_MASK;
        }
    }

    /// Capability sets after execve (no file capabilities): root gets the
    /// bounding set, everyone else keeps only the ambient set.
    pub fn update_caps_for_exec(&mut self) {
        if self.euid == 0 || self.uid == 0 {
            self.cap_permitted = (self.cap_inheritable | self.cap_bounding) & self.cap_bounding;
            self.cap_effective = if self.euid == 0 { self.cap_permitted } else { 0 };
        } else {
            self.cap_permitted = self.cap_ambient;
            self.cap_effective = self.cap_ambient;
        }
    }

    /// Whether `gid` is the fs group or a supplementary group.
    pub fn in_group(&self, gid: u32) -> bool {
        self.fsgid == gid || self.groups.contains(&gid)
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
    /// The user ids, and whether the caller may set them freely
    /// (CAP_SETUID).
    pub fn uids(&mut self) -> (Ids<'_>, bool) {
        let privileged = self.capable(CAP_SETUID);
        (Ids { real: &mut self.uid, effective: &mut self.euid, saved: &mut self.suid, fs: &mut self.fsuid }, privileged)
    }

    /// The group ids, and whether the caller may set them freely
    /// (CAP_SETGID).
    pub fn gids(&mut self) -> (Ids<'_>, bool) {
        let privileged = self.capable(CAP_SETGID);
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
