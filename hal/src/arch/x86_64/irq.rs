//! Enabling and disabling interrupts on this CPU.

/// Whether interrupts are enabled (RFLAGS.IF).
#[inline]
pub fn is_enabled() -> bool {
    let flags: u64;
    // SAFETY: reads RFLAGS through the stack; no other effect.
    unsafe { core::arch::asm!("pushfq; pop {}", out(reg) flags, options(nomem, preserves_flags)) }
    flags & (1 << 9) != 0
}

/// Enables interrupts.
#[inline]
pub fn enable() {
    // SAFETY: interrupt handlers are installed before the first `enable`.
    unsafe { core::arch::asm!("sti", options(nomem, nostack)) }
}

/// Disables interrupts.
#[inline]
pub fn disable() {
    // SAFETY: masking interrupts cannot break memory safety.
    unsafe { core::arch::asm!("cli", options(nomem, nostack)) }
}

/// Disables interrupts and says whether they were enabled.
#[inline]
pub fn save_and_disable() -> bool {
    let was = is_enabled();
    disable();
    was
}

/// Re-enables interrupts if `was_enabled`.
#[inline]
pub fn restore(was_enabled: bool) {
    if was_enabled {
        enable();
    }
}

/// Enables interrupts and halts until the next one, atomically (STI's
/// one-instruction shadow covers HLT), so a wake-up cannot be missed.
#[inline]
pub fn enable_and_halt() {
    // SAFETY: see `enable`.
    unsafe { core::arch::asm!("sti; hlt", options(nomem, nostack)) }
}
