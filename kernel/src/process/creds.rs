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
