//! Clocks: a monotonic nanosecond clock from the TSC, and the wall-clock
//! time at boot from the CMOS real-time clock.

use core::sync::atomic::{AtomicU64, Ordering};

use super::apic::TSC_HZ;
use super::io::{inb, outb, rdtsc};

static TSC_AT_BOOT: AtomicU64 = AtomicU64::new(0);
/// Nanoseconds per TSC tick, as a 32.32 fixed-point multiplier.
static NS_MULT: AtomicU64 = AtomicU64::new(0);
static BOOT_UNIX_NS: AtomicU64 = AtomicU64::new(0);

pub(crate) fn init() {
    let hz = TSC_HZ.load(Ordering::Relaxed).max(1);
    NS_MULT.store(((1_000_000_000u128 << 32) / hz as u128) as u64, Ordering::Relaxed);
    TSC_AT_BOOT.store(rdtsc(), Ordering::Relaxed);
    BOOT_UNIX_NS.store(read_rtc_unix_secs() * 1_000_000_000, Ordering::Relaxed);
}

/// Nanoseconds since boot.
#[inline]
pub fn monotonic_ns() -> u64 {
    let d = rdtsc().wrapping_sub(TSC_AT_BOOT.load(Ordering::Relaxed));
    ((d as u128 * NS_MULT.load(Ordering::Relaxed) as u128) >> 32) as u64
}

/// The clock's parameters, for a user-space copy of `monotonic_ns` (the
/// vDSO): the TSC at boot and nanoseconds per tick as 32.32 fixed point.
pub fn clock_parameters() -> (u64, u64) {
    (TSC_AT_BOOT.load(Ordering::Relaxed), NS_MULT.load(Ordering::Relaxed))
}

/// Wall-clock time at boot, in nanoseconds since the Unix epoch.
pub fn boot_unix_ns() -> u64 {
    BOOT_UNIX_NS.load(Ordering::Relaxed)
}

/// TSC frequency in Hz.
pub fn tsc_hz() -> u64 {
    TSC_HZ.load(Ordering::Relaxed)
}

fn cmos(reg: u8) -> u8 {
    outb(0x70, reg);
    inb(0x71)
}

fn read_rtc_unix_secs() -> u64 {
    while cmos(0x0a) & 0x80 != 0 {
        core::hint::spin_loop();
    }
    let status_b = cmos(0x0b);
    let bcd = status_b & 0x04 == 0;
    let conv = |v: u8| if bcd { (v & 0x0f) + (v >> 4) * 10 } else { v };
    let sec = conv(cmos(0x00)) as u64;
    let min = conv(cmos(0x02)) as u64;
    let hour_raw = cmos(0x04);
    let mut hour = conv(hour_raw & 0x7f) as u64;
    if status_b & 0x02 == 0 && hour_raw & 0x80 != 0 {
        hour = (hour % 12) + 12; // 12-hour clock, PM
    }
    let day = conv(cmos(0x07)) as u64;
    let month = conv(cmos(0x08)) as u64;
    let year = 2000 + conv(cmos(0x09)) as u64;
    days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil` algorithm).
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
