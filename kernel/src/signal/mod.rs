//! Signals: numbers, dispositions, pending queues and masks.
//!
//! Each thread has its own pending set and mask; the process has a shared
//! pending set (kill sends there, tgkill to a thread). Standard signals
//! collapse while pending; real-time signals (32..64) queue, each with its
//! siginfo. Neighbours:
//! - [`delivery`]: sending, and acting on pending signals on the way back
//!   to user mode (handlers, default actions, system-call restarts);
//! - [`frame`]: the `rt_sigframe` on the user stack and rt_sigreturn;
//! - [`altstack`]: sigaltstack's rules, shared by the system call, frame
//!   set-up and sigreturn;
//! - [`itimer`]: setitimer/alarm; [`posix_timer`]: timer_create & co.;
//! - [`restart`]: the restart block that lets an interrupted sleep resume
//!   for the time that was left (restart_syscall).

pub mod altstack;
pub mod delivery;
pub mod frame;
pub mod itimer;
pub mod posix_timer;
pub mod restart;

pub use altstack::{AltStack, SS_DISABLE};

use alloc::collections::VecDeque;

use zerocopy::{FromBytes, Immutable, IntoBytes};

/// Number of signals (1..=64).
pub const NSIG: usize = 64;

/// SIGHUP
pub const SIGHUP: u32 = 1;
/// SIGINT
pub const SIGINT: u32 = 2;
/// SIGQUIT
pub const SIGQUIT: u32 = 3;
/// SIGILL
pub const SIGILL: u32 = 4;
/// SIGTRAP
pub const SIGTRAP: u32 = 5;
/// SIGABRT
pub const SIGABRT: u32 = 6;
/// SIGBUS
pub const SIGBUS: u32 = 7;
/// SIGFPE
pub const SIGFPE: u32 = 8;
/// SIGKILL
pub const SIGKILL: u32 = 9;
/// SIGUSR1
pub const SIGUSR1: u32 = 10;
/// SIGSEGV
pub const SIGSEGV: u32 = 11;
/// SIGUSR2
pub const SIGUSR2: u32 = 12;
/// SIGPIPE
pub const SIGPIPE: u32 = 13;
/// SIGALRM
pub const SIGALRM: u32 = 14;
/// SIGTERM
pub const SIGTERM: u32 = 15;
/// SIGCHLD
pub const SIGCHLD: u32 = 17;
/// SIGCONT
pub const SIGCONT: u32 = 18;
/// SIGSTOP
pub const SIGSTOP: u32 = 19;
/// SIGTSTP
pub const SIGTSTP: u32 = 20;
/// SIGTTIN
pub const SIGTTIN: u32 = 21;
/// SIGTTOU
pub const SIGTTOU: u32 = 22;
/// SIGXCPU
pub const SIGXCPU: u32 = 24;
/// SIGVTALRM
pub const SIGVTALRM: u32 = 26;
/// SIGPROF
pub const SIGPROF: u32 = 27;
/// SIGXFSZ
pub const SIGXFSZ: u32 = 25;
/// SIGWINCH
pub const SIGWINCH: u32 = 28;
/// SIGSYS
pub const SIGSYS: u32 = 31;
/// First real-time signal.
pub const SIGRTMIN: u32 = 32;

/// SIG_DFL
pub const SIG_DFL: u64 = 0;
/// SIG_IGN
pub const SIG_IGN: u64 = 1;

/// sigaction flags.
pub const SA_NOCLDSTOP: u64 = 1;
/// SA_NOCLDWAIT
pub const SA_NOCLDWAIT: u64 = 2;
/// SA_SIGINFO
pub const SA_SIGINFO: u64 = 4;
/// SA_RESTORER
pub const SA_RESTORER: u64 = 0x0400_0000;
/// SA_ONSTACK
pub const SA_ONSTACK: u64 = 0x0800_0000;
/// SA_RESTART
pub const SA_RESTART: u64 = 0x1000_0000;
/// SA_NODEFER
pub const SA_NODEFER: u64 = 0x4000_0000;
/// SA_RESETHAND
pub const SA_RESETHAND: u64 = 0x8000_0000;
/// SA_EXPOSE_TAGBITS (meaningful on arm64 only, but a known bit).
pub const SA_EXPOSE_TAGBITS: u64 = 0x800;
/// The sa_flags bits the kernel knows and stores; others are dropped, so
/// that a program can set SA_UNSUPPORTED (0x400) and read the action back
/// to learn which flags this kernel supports (Linux >= 5.11, UAPI_SA_FLAGS).
pub const KNOWN_SA_FLAGS: u64 =
    SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER;

/// siginfo si_code values.
pub const SI_USER: i32 = 0;
/// SI_KERNEL
pub const SI_KERNEL: i32 = 0x80;
/// SI_QUEUE (sigqueue)
pub const SI_QUEUE: i32 = -1;
/// SI_TIMER (POSIX timers)
pub const SI_TIMER: i32 = -2;
/// SI_TKILL
pub const SI_TKILL: i32 = -6;
/// SEGV_MAPERR
pub const SEGV_MAPERR: i32 = 1;
/// SEGV_ACCERR
pub const SEGV_ACCERR: i32 = 2;
/// BUS_ADRERR
pub const BUS_ADRERR: i32 = 2;
/// ILL_ILLOPN
pub const ILL_ILLOPN: i32 = 2;
/// FPE_INTDIV
pub const FPE_INTDIV: i32 = 1;
/// CLD_EXITED
pub const CLD_EXITED: i32 = 1;
/// CLD_KILLED
pub const CLD_KILLED: i32 = 2;
/// CLD_DUMPED
pub const CLD_DUMPED: i32 = 3;
/// CLD_STOPPED
pub const CLD_STOPPED: i32 = 5;
/// CLD_CONTINUED
pub const CLD_CONTINUED: i32 = 6;

/// A set of signals: bit `n - 1` stands for signal `n`.
pub type SigSet = u64;

/// The bit of signal `sig` in a [`SigSet`].
pub const fn sig_bit(sig: u32) -> SigSet {
    1 << (sig - 1)
}

/// Signals the CPU raises for the instruction that just ran; taken before
/// any other pending signal, so a handler sees the fault first.
const SYNCHRONOUS: SigSet = sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) | sig_bit(SIGTRAP) | sig_bit(SIGFPE) | sig_bit(SIGSYS);

/// Signals that can be neither caught, blocked nor ignored.
pub const UNBLOCKABLE: SigSet = sig_bit(SIGKILL) | sig_bit(SIGSTOP);

/// Whether `sig` is a valid signal number.
pub fn valid(sig: u32) -> bool {
    (1..=NSIG as u32).contains(&sig)
}

/// What a signal does when its disposition is SIG_DFL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    /// End the process.
    Terminate,
    /// End the process and (would) dump core.
    Core,
    /// Nothing.
    Ignore,
    /// Stop the process.
    Stop,
    /// Continue a stopped process.
    Continue,
}

/// The default action of `sig` (signal(7)).
pub fn default_action(sig: u32) -> DefaultAction {
    match sig {
        SIGCHLD | 23 /* SIGURG */ | 28 /* SIGWINCH */ => DefaultAction::Ignore,
        SIGCONT => DefaultAction::Continue,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => DefaultAction::Stop,
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGXCPU | SIGXFSZ | SIGSYS => DefaultAction::Core,
        _ => DefaultAction::Terminate,
    }
}

/// A disposition (struct k_sigaction).
#[derive(Clone, Copy, Debug, Default)]
pub struct SigAction {
    /// SIG_DFL, SIG_IGN or the handler address.
    pub handler: u64,
    /// SA_* flags.
    pub flags: u64,
    /// sa_restorer.
    pub restorer: u64,
    /// Signals blocked while the handler runs.
    pub mask: SigSet,
}

/// The user-space layout of `struct sigaction` for rt_sigaction.
#[derive(Clone, Copy, Debug, Default, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
pub struct KernelSigaction {
    /// sa_handler
    pub handler: u64,
    /// sa_flags
    pub flags: u64,
    /// sa_restorer
    pub restorer: u64,
    /// sa_mask
    pub mask: u64,
}

/// A process's dispositions (shared with CLONE_SIGHAND).
#[derive(Clone)]
pub struct SigHandlers {
    actions: [SigAction; NSIG],
}

impl Default for SigHandlers {
    fn default() -> Self {
        SigHandlers { actions: [SigAction::default(); NSIG] }
    }
}

impl SigHandlers {
    /// The disposition of `sig`.
    pub fn get(&self, sig: u32) -> SigAction {
        self.actions[(sig - 1) as usize]
    }

    /// Sets the disposition of `sig`.
    pub fn set(&mut self, sig: u32, action: SigAction) {
        self.actions[(sig - 1) as usize] = action;
    }

    /// execve: caught signals go back to SIG_DFL, ignored ones stay
    /// ignored; flags, masks and restorers are cleared for all.
    pub fn reset_for_exec(&mut self) {
        for a in self.actions.iter_mut() {
            let handler = if a.handler == SIG_IGN { SIG_IGN } else { SIG_DFL };
            *a = SigAction { handler, ..SigAction::default() };
        }
    }

    /// Whether `sig` would be ignored if delivered now.
    pub fn is_ignored(&self, sig: u32) -> bool {
        let a = self.get(sig);
        a.handler == SIG_IGN || (a.handler == SIG_DFL && default_action(sig) == DefaultAction::Ignore)
    }
}

/// What siginfo carries, before it is laid out for user space.
#[derive(Clone, Copy, Debug, Default)]
pub struct SigInfo {
    /// si_signo
    pub signo: u32,
    /// si_errno
    pub errno: i32,
    /// si_code
    pub code: i32,
    /// si_pid (kill, SIGCHLD)
    pub pid: i32,
    /// si_uid
    pub uid: u32,
    /// si_status (SIGCHLD)
    pub status: i32,
    /// si_addr (faults)
    pub addr: u64,
    /// si_value (sigqueue, timers)
    pub value: u64,
    /// si_overrun (timers): expirations since the signal was queued.
    pub overrun: i32,
    /// The POSIX timer that queued this signal (si_timerid and the
    /// generation it was armed in); None for everything else, including
    /// SI_TIMER infos forged with rt_sigqueueinfo.
    pub timer: Option<posix_timer::TimerRef>,
    /// The union part exactly as rt_sigqueueinfo's caller gave it (bytes
    /// 16..48 of siginfo_t), handed back unchanged as Linux does.
    pub raw_fields: Option<[u8; 32]>,
}

impl SigInfo {
    /// A signal sent by a process (kill).
    pub fn user(sig: u32, pid: i32, uid: u32) -> SigInfo {
        SigInfo { signo: sig, code: SI_USER, pid, uid, ..Default::default() }
    }

    /// A signal the kernel raises (fault, SIGPIPE).
    pub fn kernel(sig: u32, code: i32, addr: u64) -> SigInfo {
        SigInfo { signo: sig, code, addr, ..Default::default() }
    }

    /// A signal the kernel sends on the current process's behalf, as if
    /// it had sent it itself (Linux's SEND_SIG_NOINFO: SI_USER with the
    /// current pid and uid), e.g. SIGPIPE.
    pub fn from_current(sig: u32) -> SigInfo {
        let me = crate::sched::current();
        let uid = me.process.creds.lock().uid;
        SigInfo::user(sig, me.process.pid, uid)
    }

    /// The 128-byte `siginfo_t` for x86_64. The union's layout follows
    /// si_code as Linux's siginfo_layout() chooses it.
    pub fn to_bytes(&self) -> [u8; 128] {
        let mut b = [0u8; 128];
        b[0..4].copy_from_slice(&(self.signo as i32).to_le_bytes());
        b[4..8].copy_from_slice(&self.errno.to_le_bytes());
        b[8..12].copy_from_slice(&self.code.to_le_bytes());
        if let Some(raw) = self.raw_fields {
            b[16..48].copy_from_slice(&raw);
            return b;
        }
        let kernel_generated = self.code > SI_USER && self.code < SI_KERNEL;
        match self.signo {
            SIGSEGV | SIGBUS | SIGILL | SIGFPE | SIGTRAP if kernel_generated => {
                b[16..24].copy_from_slice(&self.addr.to_le_bytes());
            }
            SIGCHLD if kernel_generated => {
                b[16..20].copy_from_slice(&self.pid.to_le_bytes());
                b[20..24].copy_from_slice(&self.uid.to_le_bytes());
                b[24..28].copy_from_slice(&self.status.to_le_bytes());
            }
            _ if self.code == SI_TIMER => {
                let id = self.timer.map_or(0, |t| t.id);
                b[16..20].copy_from_slice(&id.to_le_bytes());
                b[20..24].copy_from_slice(&self.overrun.to_le_bytes());
                b[24..32].copy_from_slice(&self.value.to_le_bytes());
            }
            _ => {
                b[16..20].copy_from_slice(&self.pid.to_le_bytes());
                b[20..24].copy_from_slice(&self.uid.to_le_bytes());
                b[24..32].copy_from_slice(&self.value.to_le_bytes());
            }
        }
        b
    }

    /// Whether Linux knows the union layout for this signal and code
    /// (siginfo.c's known_siginfo_layout). The kernel keeps only the
    /// first 48 bytes of a siginfo; for an unknown layout, rt_sigqueueinfo
    /// insists the rest be zero so that nothing is silently lost.
    pub fn known_layout(sig: u32, code: i32) -> bool {
        use linux_raw_sys::general as g;
        const SI_DETHREAD: i32 = -7;
        const SI_ASYNCNL: i32 = -60;
        if code == SI_KERNEL {
            return true;
        }
        if code > SI_USER {
            let limit = match sig {
                SIGILL => g::NSIGILL,
                SIGFPE => g::NSIGFPE,
                SIGSEGV => g::NSIGSEGV,
                SIGBUS => g::NSIGBUS,
                SIGTRAP => g::NSIGTRAP,
                SIGCHLD => g::NSIGCHLD,
                SIGSYS => g::NSIGSYS,
                _ => g::NSIGPOLL, // SIGPOLL's own codes, and any other signal's
            };
            return code as u32 <= limit;
        }
        code >= SI_DETHREAD || code == SI_ASYNCNL
    }

    /// A siginfo supplied by user space (rt_sigqueueinfo): signo, errno,
    /// code and the union part are kept as given.
    pub fn from_user_bytes(b: &[u8; 128]) -> SigInfo {
        let int = |o: usize| i32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let mut raw = [0u8; 32];
        raw.copy_from_slice(&b[16..48]);
        SigInfo {
            signo: int(0) as u32,
            errno: int(4),
            code: int(8),
            pid: int(16),
            uid: int(20) as u32,
            raw_fields: Some(raw),
            ..Default::default()
        }
    }
}

/// Pending signals of a thread or a process.
#[derive(Default)]
pub struct SigQueue {
    bits: SigSet,
    infos: VecDeque<SigInfo>,
}

impl SigQueue {
    /// The pending set.
    pub fn bits(&self) -> SigSet {
        self.bits
    }

    /// Queues a signal; a standard signal already pending is not queued
    /// twice. Returns whether it was queued.
    pub fn push(&mut self, info: SigInfo) -> bool {
        let bit = sig_bit(info.signo);
        if info.signo < SIGRTMIN && self.bits & bit != 0 {
            return false;
        }
        self.bits |= bit;
        self.infos.push_back(info);
        true
    }

    /// Takes the next pending signal not in `blocked`: the CPU's own
    /// (synchronous) signals first, then the lowest-numbered (Linux's
    /// next_signal).
    pub fn take(&mut self, blocked: SigSet) -> Option<SigInfo> {
        let mut ready = self.bits & !blocked;
        if ready == 0 {
            return None;
        }
        if ready & SYNCHRONOUS != 0 {
            ready &= SYNCHRONOUS;
        }
        let sig = ready.trailing_zeros() + 1;
        let i = self.infos.iter().position(|i| i.signo == sig)?;
        let info = self.infos.remove(i)?;
        if !self.infos.iter().any(|i| i.signo == sig) {
            self.bits &= !sig_bit(sig);
        }
        Some(info)
    }

    /// Discards pending instances of the signals in `set`.
    pub fn discard(&mut self, set: SigSet) {
        self.bits &= !set;
        self.infos.retain(|i| sig_bit(i.signo) & set == 0);
    }

    /// If a signal queued by timer `t` is still waiting, counts one more
    /// expiry on it (si_overrun) and returns true.
    pub fn add_timer_overrun(&mut self, t: posix_timer::TimerRef, expiries: u64) -> bool {
        match self.infos.iter_mut().find(|i| i.timer == Some(t)) {
            Some(info) => {
                info.overrun = (info.overrun as u64).saturating_add(expiries).min(i32::MAX as u64) as i32;
                true
            }
            None => false,
        }
    }
}
