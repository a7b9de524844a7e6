//! Copies between kernel and user memory that turn a bad user pointer into
//! an error instead of a kernel fault.
//!
//! The copy loops live in `.text.usercopy`. A page fault whose RIP lies in
//! that section is first offered to the kernel (demand paging, copy-on-
//! write); if the kernel cannot resolve it, the fault handler resumes at the
//! loop's fix-up, which returns the number of bytes not copied. Addresses
//! outside the user half are refused before any access, so a user pointer
//! can never make the kernel read or write kernel memory.

use super::trap::TrapFrame;
use super::USER_END;
use crate::hooks;

/// A user address that could not be accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserFault;

core::arch::global_asm!(
    r#"
    .pushsection .text.usercopy, "ax"
    .global usercopy_bytes
    /* usercopy_bytes(dst, src, len) -> bytes not copied */
usercopy_bytes:
    movq %rdx, %rcx
    .global usercopy_rep
usercopy_rep:
    rep movsb
    xorl %eax, %eax
    ret
    .global usercopy_fixup
usercopy_fixup:
    movq %rcx, %rax
    ret

    .global userfill_bytes
    /* userfill_bytes(dst, len) -> bytes not zeroed */
userfill_bytes:
    movq %rsi, %rcx
    xorl %eax, %eax
    rep stosb
    ret
    .global userfill_fixup
userfill_fixup:
    movq %rcx, %rax
    ret

    /* user_load32(src, out) -> 0, or 1 on a fault: one 32-bit load, so a
       futex word is never seen torn (a byte copy could be on SMP). */
    .global user_load32
user_load32:
    .global user_load32_insn
user_load32_insn:
    movl (%rdi), %eax
    movl %eax, (%rsi)
    xorl %eax, %eax
    ret
    .global user_load32_fixup
user_load32_fixup:
    movl $1, %eax
    ret

    /* user_cmpxchg32(addr, expected, new, out) -> 0, or 1 on a fault;
       *out receives the value found (== expected iff the store happened). */
    .global user_cmpxchg32
user_cmpxchg32:
    movl %esi, %eax
    .global user_cmpxchg32_insn
user_cmpxchg32_insn:
    lock cmpxchgl %edx, (%rdi)
    movl %eax, (%rcx)
    xorl %eax, %eax
    ret
    .global user_cmpxchg32_fixup
user_cmpxchg32_fixup:
    movl $1, %eax
    ret
    .popsection
    "#,
    options(att_syntax)
);

unsafe extern "C" {
    fn usercopy_bytes(dst: *mut u8, src: *const u8, len: usize) -> usize;
    fn userfill_bytes(dst: *mut u8, len: usize) -> usize;
    static usercopy_rep: u8;
    static usercopy_fixup: u8;
    static userfill_fixup: u8;
    fn user_load32(src: *const u32, out: *mut u32) -> u32;
    fn user_cmpxchg32(addr: *mut u32, expected: u32, new: u32, out: *mut u32) -> u32;
    static user_load32_insn: u8;
    static user_load32_fixup: u8;
    static user_cmpxchg32_insn: u8;
    static user_cmpxchg32_fixup: u8;
}

fn user_range_ok(addr: usize, len: usize) -> bool {
    addr.checked_add(len).is_some_and(|end| end <= USER_END)
}

/// Copies `dst.len()` bytes from user address `src`.
pub fn copy_from_user(dst: &mut [u8], src: usize) -> Result<(), UserFault> {
    if !user_range_ok(src, dst.len()) {
        return Err(UserFault);
    }
    // SAFETY: `dst` is a valid kernel buffer; `src..src+len` is in the user
    // half and faults there are caught by the fix-up.
    let left = unsafe { usercopy_bytes(dst.as_mut_ptr(), src as *const u8, dst.len()) };
    if left == 0 { Ok(()) } else { Err(UserFault) }
}

/// Copies `src` to user address `dst`.
pub fn copy_to_user(dst: usize, src: &[u8]) -> Result<(), UserFault> {
    if !user_range_ok(dst, src.len()) {
        return Err(UserFault);
    }
    // SAFETY: as in `copy_from_user`, with the roles swapped.
    let left = unsafe { usercopy_bytes(dst as *mut u8, src.as_ptr(), src.len()) };
    if left == 0 { Ok(()) } else { Err(UserFault) }
}

/// Zeroes `len` bytes at user address `dst`.
pub fn zero_user(dst: usize, len: usize) -> Result<(), UserFault> {
    if !user_range_ok(dst, len) {
        return Err(UserFault);
    }
    // SAFETY: user-half range; faults are caught by the fix-up.
    let left = unsafe { userfill_bytes(dst as *mut u8, len) };
    if left == 0 { Ok(()) } else { Err(UserFault) }
}

/// Reads the aligned 32-bit word at user address `src` with one load (a
/// futex word: another thread may be storing to it at the same time).
pub fn load_u32(src: usize) -> Result<u32, UserFault> {
    if src % 4 != 0 || !user_range_ok(src, 4) {
        return Err(UserFault);
    }
    let mut v = 0u32;
    // SAFETY: `src` is an aligned address in the user half (so the word
    // cannot straddle a page or reach the kernel half); a fault on it is
    // caught by the fix-up. `v` is a valid kernel location.
    let r = unsafe { user_load32(src as *const u32, &mut v) };
    if r == 0 { Ok(v) } else { Err(UserFault) }
}

/// Atomically replaces the aligned 32-bit word at user address `addr` with
/// `new` if it equals `expected` (LOCK CMPXCHG). Returns the value found:
/// the store happened iff it equals `expected`.
pub fn cmpxchg_u32(addr: usize, expected: u32, new: u32) -> Result<u32, UserFault> {
    if addr % 4 != 0 || !user_range_ok(addr, 4) {
        return Err(UserFault);
    }
    let mut found = 0u32;
    // SAFETY: as in `load_u32`; a fault (also a write to a read-only page
    // that the kernel cannot make writable) is caught by the fix-up.
    let r = unsafe { user_cmpxchg32(addr as *mut u32, expected, new, &mut found) };
    if r == 0 { Ok(found) } else { Err(UserFault) }
}

/// Reads a NUL-terminated string from user memory into `buf`, returning
/// its length (without the NUL). `Ok(None)` if no NUL within `buf.len()`.
/// Reads never cross into a page past the terminator, so a string that
/// ends just before an unmapped page is read correctly.
pub fn copy_cstr_from_user(buf: &mut [u8], src: usize) -> Result<Option<usize>, UserFault> {
    let mut done = 0;
    while done < buf.len() {
        let at = src.checked_add(done).ok_or(UserFault)?;
        let page_left = super::PAGE_SIZE - (at % super::PAGE_SIZE);
        let chunk = page_left.min(buf.len() - done);
        copy_from_user(&mut buf[done..done + chunk], at)?;
        if let Some(nul) = buf[done..done + chunk].iter().position(|&b| b == 0) {
            return Ok(Some(done + nul));
        }
        done += chunk;
    }
    Ok(None)
}

/// Called for a kernel-mode page fault: resolves faults of the user-copy
/// routines (through the kernel, or by jumping to the fix-up).
pub(crate) fn handle_kernel_fault(frame: &mut TrapFrame, addr: usize) -> bool {
    let (rep, fixup, fill, fill_fixup) = {
        (
            core::ptr::addr_of!(usercopy_rep) as u64,
            core::ptr::addr_of!(usercopy_fixup) as u64,
            userfill_bytes as *const () as u64,
            core::ptr::addr_of!(userfill_fixup) as u64,
        )
    };
    let load = core::ptr::addr_of!(user_load32_insn) as u64;
    let cmpxchg = core::ptr::addr_of!(user_cmpxchg32_insn) as u64;
    let target = if frame.rip == rep {
        fixup
    } else if (fill..fill_fixup).contains(&frame.rip) {
        fill_fixup
    } else if frame.rip == load {
        core::ptr::addr_of!(user_load32_fixup) as u64
    } else if frame.rip == cmpxchg {
        core::ptr::addr_of!(user_cmpxchg32_fixup) as u64
    } else {
        return false;
    };
    if addr < USER_END {
        let write = frame.error_code & 2 != 0;
        // Interrupts may be enabled while resolving (it can allocate).
        let irq = super::irq::is_enabled();
        let was = frame.rflags & (1 << 9) != 0;
        if was && !irq {
            super::irq::enable();
        }
        let ok = hooks::get().resolve_user_fault(addr, write);
        if was && !irq {
            super::irq::disable();
        }
        if ok {
            return true; // retry the instruction
        }
    }
    frame.rip = target;
    true
}
