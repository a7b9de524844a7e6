//! Interrupt controllers: the legacy 8259 PICs (masked), the local APIC
//! (timer, end-of-interrupt) and the I/O APIC (device interrupts).
//!
//! QEMU's standard addresses are used (LAPIC from IA32_APIC_BASE, I/O APIC
//! at 0xFEC00000, ISA IRQ n = GSI n except the timer); reading them from
//! the ACPI MADT comes with SMP bring-up (issue 8).

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::io::{MSR_APIC_BASE, inb, outb, rdmsr, rdtsc};
use super::phys_to_virt;
use super::trap::{IRQ_BASE, TrapFrame};
use crate::hooks;

/// Timer interrupt frequency.
pub const TIMER_HZ: u32 = 250;
const TIMER_VECTOR: u8 = IRQ_BASE as u8;
const SPURIOUS_VECTOR: u8 = 0xff;
const IOAPIC_BASE: u64 = 0xFEC0_0000;

const LAPIC_EOI: u32 = 0xB0;
const LAPIC_SVR: u32 = 0xF0;
const LAPIC_LVT_TIMER: u32 = 0x320;
const LAPIC_TIMER_INIT: u32 = 0x380;
const LAPIC_TIMER_CUR: u32 = 0x390;
const LAPIC_TIMER_DIV: u32 = 0x3E0;

static LAPIC_VIRT: AtomicU64 = AtomicU64::new(0);
static TIMER_COUNT: AtomicU32 = AtomicU32::new(0);
/// TSC ticks per second, measured against the PIT at boot.
pub(crate) static TSC_HZ: AtomicU64 = AtomicU64::new(0);

fn lapic_write(reg: u32, v: u32) {
    let base = LAPIC_VIRT.load(Ordering::Relaxed);
    // SAFETY: LAPIC registers are MMIO in the (uncached) direct map.
    unsafe { core::ptr::write_volatile((base + reg as u64) as *mut u32, v) }
}

fn lapic_read(reg: u32) -> u32 {
    let base = LAPIC_VIRT.load(Ordering::Relaxed);
    // SAFETY: as in `lapic_write`.
    unsafe { core::ptr::read_volatile((base + reg as u64) as *const u32) }
}

fn ioapic_write(reg: u32, v: u32) {
    let base = phys_to_virt(IOAPIC_BASE);
    // SAFETY: I/O APIC index/data registers, MMIO in the direct map.
    unsafe {
        core::ptr::write_volatile(base as *mut u32, reg);
        core::ptr::write_volatile((base + 0x10) as *mut u32, v);
    }
}

fn mask_legacy_pics() {
    // Remap to 0x20..0x2f (so a stray IRQ is not taken for an exception),
    // then mask everything.
    outb(0x20, 0x11);
    outb(0xA0, 0x11);
    outb(0x21, 0x20);
    outb(0xA1, 0x28);
    outb(0x21, 4);
    outb(0xA1, 2);
    outb(0x21, 1);
    outb(0xA1, 1);
    outb(0x21, 0xff);
    outb(0xA1, 0xff);
}

/// Waits `ms` milliseconds on PIT channel 2, for calibration.
fn pit_wait_start(ms: u32) {
    let count = 1_193_182 * ms / 1000;
    outb(0x61, (inb(0x61) & 0xfd) | 1);
    outb(0x43, 0xb0);
    outb(0x42, count as u8);
    outb(0x42, (count >> 8) as u8);
    let v = inb(0x61) & 0xfe;
    outb(0x61, v);
    outb(0x61, v | 1);
}

fn pit_wait_done() -> bool {
    inb(0x61) & 0x20 != 0
}

pub(crate) fn init() {
    mask_legacy_pics();
    let base = rdmsr(MSR_APIC_BASE) & 0xffff_f000;
    LAPIC_VIRT.store(phys_to_virt(base), Ordering::Relaxed);
    lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR as u32);

    // Calibrate the LAPIC timer and the TSC over 50 ms of PIT time.
    const CAL_MS: u32 = 50;
    lapic_write(LAPIC_TIMER_DIV, 0x3); // divide by 16
    lapic_write(LAPIC_LVT_TIMER, 1 << 16); // masked
    pit_wait_start(CAL_MS);
    lapic_write(LAPIC_TIMER_INIT, u32::MAX);
    let tsc0 = rdtsc();
    while !pit_wait_done() {
        core::hint::spin_loop();
    }
    let tsc1 = rdtsc();
    let elapsed = u32::MAX - lapic_read(LAPIC_TIMER_CUR);
    lapic_write(LAPIC_TIMER_INIT, 0);
    TSC_HZ.store((tsc1 - tsc0) * 1000 / CAL_MS as u64, Ordering::Relaxed);
    let per_tick = (elapsed as u64 * 1000 / CAL_MS as u64 / TIMER_HZ as u64).max(1) as u32;
    TIMER_COUNT.store(per_tick, Ordering::Relaxed);

    lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR as u32 | (1 << 17)); // periodic
    lapic_write(LAPIC_TIMER_INIT, per_tick);
}

/// Routes ISA interrupt `irq` to vector `IRQ_BASE + irq` on CPU 0.
pub fn enable_isa_irq(irq: u8) {
    let vector = IRQ_BASE as u32 + irq as u32;
    ioapic_write(0x10 + 2 * irq as u32, vector);
    ioapic_write(0x11 + 2 * irq as u32, 0);
}

pub(crate) fn handle_interrupt(vector: u8, _frame: &mut TrapFrame) {
    match vector {
        SPURIOUS_VECTOR => {}
        TIMER_VECTOR => {
            lapic_write(LAPIC_EOI, 0);
            hooks::get().timer_tick();
        }
        v => {
            lapic_write(LAPIC_EOI, 0);
            hooks::get().irq(v - IRQ_BASE as u8);
        }
    }
}
