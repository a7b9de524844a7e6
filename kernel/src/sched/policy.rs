//! Scheduling policies and priorities (sched(7)): SCHED_OTHER, BATCH and
//! IDLE with nice values, SCHED_FIFO and SCHED_RR with real-time
//! priorities 1..99.
//!
//! The run queue picks real-time threads first (highest priority first,
//! FIFO order within a priority) and everyone else round-robin. Nice values
//! are kept and reported but do not yet weight the round-robin (a
//! proportional-share scheduler comes with SMP, issue 8).

/// SCHED_OTHER
pub const SCHED_OTHER: u32 = 0;
/// SCHED_FIFO
pub const SCHED_FIFO: u32 = 1;
/// SCHED_RR
pub const SCHED_RR: u32 = 2;
/// SCHED_BATCH
pub const SCHED_BATCH: u32 = 3;
/// SCHED_IDLE
pub const SCHED_IDLE: u32 = 5;
/// SCHED_DEADLINE (not supported: EINVAL, as a kernel without it).
pub const SCHED_DEADLINE: u32 = 6;
/// Flag or-ed into the policy: children start with SCHED_OTHER.
pub const SCHED_RESET_ON_FORK: u32 = 0x4000_0000;

/// Lowest nice value (highest priority).
pub const NICE_MIN: i32 = -20;
/// Highest nice value.
pub const NICE_MAX: i32 = 19;

/// A thread's scheduling parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchedParams {
    /// SCHED_* policy.
    pub policy: u32,
    /// Real-time priority (1..99 for FIFO/RR, 0 otherwise).
    pub rt_priority: u32,
    /// Nice value (-20..19).
    pub nice: i32,
    /// SCHED_RESET_ON_FORK.
    pub reset_on_fork: bool,
}

impl Default for SchedParams {
    fn default() -> Self {
        SchedParams { policy: SCHED_OTHER, rt_priority: 0, nice: 0, reset_on_fork: false }
    }
}

impl SchedParams {
    /// Whether the policy is a real-time one.
    pub fn is_realtime(&self) -> bool {
        self.policy == SCHED_FIFO || self.policy == SCHED_RR
    }

    /// What a forked child starts with.
    pub fn for_child(&self) -> SchedParams {
        if self.reset_on_fork {
            SchedParams { nice: self.nice.max(0), ..SchedParams::default() }
        } else {
            *self
        }
    }

    /// Rank for the run queue: higher runs first (0 for normal threads).
    pub fn rank(&self) -> u32 {
        if self.is_realtime() { self.rt_priority } else { 0 }
    }
}

/// Valid priority range of a policy (sched_get_priority_min/max).
pub fn priority_range(policy: u32) -> Option<(u32, u32)> {
    match policy {
        SCHED_FIFO | SCHED_RR => Some((1, 99)),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => Some((0, 0)),
        _ => None,
    }
}
