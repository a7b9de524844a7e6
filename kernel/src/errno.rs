//! Linux error numbers. Values come from linux-raw-sys (the kernel's uapi
//! headers), never typed by hand.

use core::fmt;

use linux_raw_sys::errno as e;

/// A Linux error number (positive; system calls return its negation).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(u16);

/// Result of a kernel operation that can fail with an errno.
pub type KResult<T> = Result<T, Errno>;

macro_rules! errnos {
    ($($name:ident),* $(,)?) => {
        impl Errno {
            $(
                #[allow(missing_docs)]
                pub const $name: Errno = Errno(e::$name as u16);
            )*

            /// The symbolic name (`"ENOENT"`), for traces.
            pub fn name(self) -> &'static str {
                match self.0 as u32 {
                    $(e::$name => stringify!($name),)*
                    _ => "E?",
                }
            }
        }
    };
}

errnos!(
    EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN, ENOMEM, EACCES,
    EFAULT, ENOTBLK, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY,
    ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EDEADLK, ENAMETOOLONG,
    ENOLCK, ENOSYS, ENOTEMPTY, ELOOP, ENOMSG, EIDRM, ENODATA, ETIME, EOVERFLOW, EBADFD, EILSEQ,
    ENOTSOCK, EDESTADDRREQ, EMSGSIZE, EPROTOTYPE, ENOPROTOOPT, EPROTONOSUPPORT, ESOCKTNOSUPPORT, EOPNOTSUPP,
    EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ECONNABORTED, ECONNRESET,
    ENOBUFS, EISCONN, ENOTCONN, ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH, EALREADY, EINPROGRESS,
    ESTALE, EDQUOT, ECANCELED, EOWNERDEAD, ENOTRECOVERABLE,
);

impl Errno {
    /// The errno with Linux number `code`, if it is one (1..=133).
    pub fn from_code(code: u16) -> Option<Errno> {
        (1..=133).contains(&code).then_some(Errno(code))
    }

    /// `EWOULDBLOCK` is `EAGAIN` on Linux.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    /// Kernel-internal: restart the system call if the signal handler has
    /// SA_RESTART, else EINTR (Linux's ERESTARTSYS, never seen by user space).
    pub const ERESTARTSYS: Errno = Errno(512);
    /// Kernel-internal: always restart after a handler (ERESTARTNOINTR).
    pub const ERESTARTNOINTR: Errno = Errno(513);
    /// Kernel-internal: restart only when no handler ran (ERESTARTNOHAND).
    pub const ERESTARTNOHAND: Errno = Errno(514);
    /// Kernel-internal: when no handler ran, continue through
    /// restart_syscall with the state saved in the thread's restart block
    /// (a sleep resumes for the time that was left); else EINTR.
    pub const ERESTART_RESTARTBLOCK: Errno = Errno(516);

    /// The number (positive).
    pub fn code(self) -> i32 {
        self.0 as i32
    }

    /// Whether this is one of the kernel-internal restart codes.
    pub fn is_restart(self) -> bool {
        matches!(self.0, 512..=516)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            512 => f.write_str("ERESTARTSYS"),
            513 => f.write_str("ERESTARTNOINTR"),
            514 => f.write_str("ERESTARTNOHAND"),
            516 => f.write_str("ERESTART_RESTARTBLOCK"),
            _ => f.write_str(self.name()),
        }
    }
}
