//! The checksums ext4 and jbd2 use: CRC32C (Castagnoli) for metadata_csum
//! and journal v2/v3 checksums, CRC16 for the older uninit_bg group
//! descriptor checksum.
//!
//! Both are "raw" updates: no inversion on entry or exit. ext4 starts most
//! chains from !0 and stores the raw result, so callers pass the seed.

const CRC32C_POLY: u32 = 0x82F6_3B78; // reflected 0x1EDC6F41
const CRC16_POLY: u16 = 0xA001; // reflected 0x8005

const fn crc32c_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ CRC32C_POLY } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut i = 0;
    while i < 256 {
        let mut s = 1;
        while s < 8 {
            let prev = t[s - 1][i];
            t[s][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            s += 1;
        }
        i += 1;
    }
    t
}

const fn crc16_table() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u16;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ CRC16_POLY } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static T32: [[u32; 256]; 8] = crc32c_tables();
static T16: [u16; 256] = crc16_table();

/// Continue a CRC32C over `data` (slicing-by-8: eight table look-ups per
/// eight bytes, no per-bit work).
pub fn crc32c(mut crc: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) ^ crc;
        let hi = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        crc = T32[7][(lo & 0xff) as usize]
            ^ T32[6][((lo >> 8) & 0xff) as usize]
            ^ T32[5][((lo >> 16) & 0xff) as usize]
            ^ T32[4][(lo >> 24) as usize]
            ^ T32[3][(hi & 0xff) as usize]
            ^ T32[2][((hi >> 8) & 0xff) as usize]
            ^ T32[1][((hi >> 16) & 0xff) as usize]
            ^ T32[0][(hi >> 24) as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc >> 8) ^ T32[0][((crc ^ b as u32) & 0xff) as usize];
    }
    crc
}

/// Continue a CRC16 (the polynomial Linux's crc16() uses) over `data`.
pub fn crc16(mut crc: u16, data: &[u8]) -> u16 {
    for &b in data {
        crc = (crc >> 8) ^ T16[((crc ^ b as u16) & 0xff) as usize];
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_check_value() {
        // The standard check value: CRC-32C("123456789") = 0xE3069283.
        assert_eq!(!crc32c(!0, b"123456789"), 0xE306_9283);
        let long: alloc::vec::Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut bytewise = !0u32;
        for &b in &long {
            bytewise = crc32c(bytewise, &[b]);
        }
        assert_eq!(bytewise, crc32c(!0, &long));
    }

    #[test]
    fn crc16_check_value() {
        // CRC-16/ARC("123456789") = 0xBB3D (init 0, no inversion).
        assert_eq!(crc16(0, b"123456789"), 0xBB3D);
    }
}
