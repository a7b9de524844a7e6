//! Kernel random numbers: a ChaCha20 stream (RFC 8439 block function)
//! keyed from the CPU's RDRAND/RDSEED when present and the TSC, rekeyed
//! from its own output after every request (fast key erasure).

use kevlar_hal::sync::SpinLock;

struct ChaCha {
    key: [u32; 8],
    counter: u64,
}

static RNG: SpinLock<Option<ChaCha>> = SpinLock::new(None);

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

impl ChaCha {
    fn block(&mut self) -> [u8; 64] {
        let mut s = [0u32; 16];
        s[0..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
        s[4..12].copy_from_slice(&self.key);
        s[12] = self.counter as u32;
        s[13] = (self.counter >> 32) as u32;
        self.counter += 1;
        let init = s;
        for _ in 0..10 {
            quarter(&mut s, 0, 4, 8, 12);
            quarter(&mut s, 1, 5, 9, 13);
            quarter(&mut s, 2, 6, 10, 14);
            quarter(&mut s, 3, 7, 11, 15);
            quarter(&mut s, 0, 5, 10, 15);
            quarter(&mut s, 1, 6, 11, 12);
            quarter(&mut s, 2, 7, 8, 13);
            quarter(&mut s, 3, 4, 9, 14);
        }
        let mut out = [0u8; 64];
        for i in 0..16 {
            out[i * 4..i * 4 + 4].copy_from_slice(&s[i].wrapping_add(init[i]).to_le_bytes());
        }
        out
    }
}

fn seeded() -> ChaCha {
    let mut key = [0u32; 8];
    for (i, k) in key.iter_mut().enumerate() {
        let hw = kevlar_hal::arch::cpu::hardware_random().unwrap_or(0);
        let tsc = kevlar_hal::arch::io::rdtsc();
        *k = (hw as u32) ^ ((hw >> 32) as u32) ^ (tsc as u32).rotate_left(i as u32 * 3) ^ ((tsc >> 32) as u32);
    }
    ChaCha { key, counter: 0 }
}

/// Fills `buf` with random bytes.
pub fn fill(buf: &mut [u8]) {
    let mut g = RNG.lock();
    let rng = g.get_or_insert_with(seeded);
    for chunk in buf.chunks_mut(64) {
        let b = rng.block();
        chunk.copy_from_slice(&b[..chunk.len()]);
    }
    // Fast key erasure: the next key comes from the stream itself.
    let b = rng.block();
    for i in 0..8 {
        rng.key[i] = u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap());
    }
}

/// 16 random bytes (AT_RANDOM).
pub fn bytes16() -> [u8; 16] {
    let mut b = [0u8; 16];
    fill(&mut b);
    b
}
