//! The kernel's own symbol table, for naming functions in backtraces.
//!
//! The linker script reserves the `.ksyms` section; after linking,
//! `tools/ksyms.py` fills it with the text symbols from `nm` (sorted by
//! address, mangled names). Layout, little-endian:
//! `"KSYM" count:u32 strtab_off:u32 0:u32`, then `count` entries of
//! `addr:u64 name_off:u32 name_len:u32`, then the string table.

/// Bytes reserved for the table (checked by tools/ksyms.py).
pub const KSYMS_SIZE: usize = 512 << 10;

#[used]
#[unsafe(link_section = ".ksyms")]
static KSYMS_SPACE: [u8; KSYMS_SIZE] = [0; KSYMS_SIZE];

unsafe extern "C" {
    static __ksyms_start: u8;
}

fn table() -> &'static [u8] {
    // SAFETY: the linker places KSYMS_SPACE at __ksyms_start; the bytes are
    // read through the linker symbol so the compiler cannot assume they
    // still hold the zero initialiser (tools/ksyms.py rewrites them).
    unsafe { core::slice::from_raw_parts(core::ptr::addr_of!(__ksyms_start), KSYMS_SIZE) }
}

fn u32_at(t: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(t[at..at + 4].try_into().unwrap())
}

/// The symbol containing `addr` and the offset into it.
pub fn lookup(addr: u64) -> Option<(&'static str, u64)> {
    let t = table();
    if &t[0..4] != b"KSYM" {
        return None;
    }
    let count = u32_at(t, 4) as usize;
    let strtab = u32_at(t, 8) as usize;
    let entry = |i: usize| {
        let at = 16 + i * 16;
        let a = u64::from_le_bytes(t[at..at + 8].try_into().unwrap());
        (a, u32_at(t, at + 8) as usize, u32_at(t, at + 12) as usize)
    };
    // Last entry with address <= addr.
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if entry(mid).0 <= addr { lo = mid + 1 } else { hi = mid }
    }
    if lo == 0 {
        return None;
    }
    let (a, off, len) = entry(lo - 1);
    let name = core::str::from_utf8(t.get(strtab + off..strtab + off + len)?).ok()?;
    Some((name, addr - a))
}
