//! Typed access to user memory.
//!
//! The only way the kernel touches user memory is through these types,
//! which go through the hal's fault-catching copies: a wild or kernel-half
//! pointer becomes `EFAULT`, never a kernel fault.

use alloc::vec::Vec;
use core::marker::PhantomData;

use kevlar_hal::arch::usercopy;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::errno::{Errno, KResult};

/// Longest path accepted from user space, NUL included (Linux PATH_MAX).
pub const PATH_MAX: usize = 4096;

/// A user-space address of a `T`.
#[derive(Debug)]
pub struct UserPtr<T> {
    addr: usize,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for UserPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for UserPtr<T> {}

impl<T> UserPtr<T> {
    /// Wraps a raw address from a system-call argument.
    pub fn new(addr: usize) -> Self {
        UserPtr { addr, _t: PhantomData }
    }

    /// The raw address.
    pub fn addr(self) -> usize {
        self.addr
    }

    /// Whether the pointer is NULL.
    pub fn is_null(self) -> bool {
        self.addr == 0
    }

    /// The pointer `n` elements further on.
    pub fn add(self, n: usize) -> Self {
        UserPtr::new(self.addr.wrapping_add(n.wrapping_mul(core::mem::size_of::<T>())))
    }
}

impl<T: FromBytes + IntoBytes + Immutable> UserPtr<T> {
    /// Reads the value.
    pub fn read(self) -> KResult<T> {
        let mut v = T::new_zeroed();
        usercopy::copy_from_user(v.as_mut_bytes(), self.addr).map_err(|_| Errno::EFAULT)?;
        Ok(v)
    }

    /// Writes the value.
    pub fn write(self, v: &T) -> KResult<()> {
        usercopy::copy_to_user(self.addr, v.as_bytes()).map_err(|_| Errno::EFAULT)
    }

    /// Writes the value unless the pointer is NULL.
    pub fn write_if_nonnull(self, v: &T) -> KResult<()> {
        if self.is_null() { Ok(()) } else { self.write(v) }
    }
}

/// A zero-filled buffer of `len` bytes, or ENOMEM: sizes that come from
/// user space must never abort the kernel when the heap cannot grow.
pub fn try_buffer(len: usize) -> KResult<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| Errno::ENOMEM)?;
    v.resize(len, 0);
    Ok(v)
}

/// Copies `len` bytes from user address `addr`.
pub fn read_bytes(addr: usize, len: usize) -> KResult<Vec<u8>> {
    let mut v = try_buffer(len)?;
    usercopy::copy_from_user(&mut v, addr).map_err(|_| Errno::EFAULT)?;
    Ok(v)
}

/// Copies from user address `addr` into `buf`.
pub fn read_into(addr: usize, buf: &mut [u8]) -> KResult<()> {
    usercopy::copy_from_user(buf, addr).map_err(|_| Errno::EFAULT)
}

/// Copies `data` to user address `addr`.
pub fn write_bytes(addr: usize, data: &[u8]) -> KResult<()> {
    usercopy::copy_to_user(addr, data).map_err(|_| Errno::EFAULT)
}

/// Zeroes `len` bytes at user address `addr`.
pub fn zero_bytes(addr: usize, len: usize) -> KResult<()> {
    usercopy::zero_user(addr, len).map_err(|_| Errno::EFAULT)
}

/// Reads a NUL-terminated string of at most `max` bytes (NUL included);
/// `too_long` is returned when there is no NUL within the limit.
pub fn read_cstr(addr: usize, max: usize, too_long: Errno) -> KResult<Vec<u8>> {
    // Start small (most strings are short) and double up to `max`.
    let mut size = max.min(256);
    loop {
        let mut buf = try_buffer(size)?;
        match usercopy::copy_cstr_from_user(&mut buf, addr) {
            Ok(Some(len)) => {
                buf.truncate(len);
                return Ok(buf);
            }
            Ok(None) if size < max => size = (size * 2).min(max),
            Ok(None) => return Err(too_long),
            Err(_) => return Err(Errno::EFAULT),
        }
    }
}

/// Reads a path argument: EFAULT on a bad pointer, ENAMETOOLONG past
/// PATH_MAX, ENOENT for an empty path (callers that accept empty paths with
/// AT_EMPTY_PATH use [`read_path_allow_empty`]).
pub fn read_path(addr: usize) -> KResult<Vec<u8>> {
    let p = read_cstr(addr, PATH_MAX, Errno::ENAMETOOLONG)?;
    if p.is_empty() {
        return Err(Errno::ENOENT);
    }
    Ok(p)
}

/// Like [`read_path`] but an empty string is returned as is.
pub fn read_path_allow_empty(addr: usize) -> KResult<Vec<u8>> {
    read_cstr(addr, PATH_MAX, Errno::ENAMETOOLONG)
}

/// Reads a NULL-terminated array of string pointers (argv, envp), with
/// Linux's limits: at most `max_count` entries and `max_total` bytes, the
/// pointers counted with the strings (as Linux counts the pointer array
/// against the same stack limit), which also bounds the kernel memory a
/// caller can make this take.
pub fn read_string_array(addr: usize, max_count: usize, max_total: usize) -> KResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    let mut total = 0;
    loop {
        let p: u64 = UserPtr::<u64>::new(addr).add(out.len()).read()?;
        if p == 0 {
            return Ok(out);
        }
        if out.len() >= max_count {
            return Err(Errno::E2BIG);
        }
        let s = read_cstr(p as usize, (max_total - total).min(128 * 1024) + 1, Errno::E2BIG)?;
        total += s.len() + 1 + core::mem::size_of::<u64>();
        if total > max_total {
            return Err(Errno::E2BIG);
        }
        out.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
        out.push(s);
    }
}
