//! Hashed directory indexes (dir_index): the name hashes and the index
//! blocks (dx_root in block 0, dx_node blocks below it).
//!
//! An index entry (hash, block) says: names hashing to at least `hash`
//! (up to the next entry's hash) live in leaf `block`. Bit 0 of a hash
//! marks a collision continuation: the leaf starts with the same hash the
//! previous leaf ends with.

use alloc::vec::Vec;

use crate::bytes::*;
use crate::crc::crc32c;
use crate::error::{Error, Result};

pub const DX_HASH_LEGACY: u8 = 0;
pub const DX_HASH_HALF_MD4: u8 = 1;
pub const DX_HASH_TEA: u8 = 2;
pub const DX_HASH_LEGACY_UNSIGNED: u8 = 3;
pub const DX_HASH_HALF_MD4_UNSIGNED: u8 = 4;
pub const DX_HASH_TEA_UNSIGNED: u8 = 5;

/// Pack up to `num` words of name bytes the way the hashes consume them
/// (`len` is the remaining length, which also seeds the padding).
fn str2hashbuf(msg: &[u8], len: usize, out: &mut [u32], num: usize, signed: bool) {
    let mut pad = (len as u32) | ((len as u32) << 8);
    pad |= pad << 16;
    let mut val = pad;
    let l = len.min(num * 4);
    let mut num = num as isize;
    let mut o = 0;
    for (i, &ch) in msg[..l].iter().enumerate() {
        let c = if signed { ch as i8 as i32 as u32 } else { ch as u32 };
        val = c.wrapping_add(val << 8);
        if i % 4 == 3 {
            out[o] = val;
            o += 1;
            val = pad;
            num -= 1;
        }
    }
    num -= 1;
    if num >= 0 {
        out[o] = val;
        o += 1;
    }
    num -= 1;
    while num >= 0 {
        out[o] = pad;
        o += 1;
        num -= 1;
    }
}

fn half_md4_transform(buf: &mut [u32; 4], inp: &[u32; 8]) {
    let (mut a, mut b, mut c, mut d) = (buf[0], buf[1], buf[2], buf[3]);
    let f = |x: u32, y: u32, z: u32| z ^ (x & (y ^ z));
    let g = |x: u32, y: u32, z: u32| (x & y).wrapping_add((x ^ y) & z);
    let h = |x: u32, y: u32, z: u32| x ^ y ^ z;
    const K2: u32 = 0x5A82_7999;
    const K3: u32 = 0x6ED9_EBA1;
    macro_rules! round {
        ($f:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:expr, $s:expr) => {
            $a = $a.wrapping_add($f($b, $c, $d)).wrapping_add($x).rotate_left($s);
        };
    }
    round!(f, a, b, c, d, inp[0], 3);
    round!(f, d, a, b, c, inp[1], 7);
    round!(f, c, d, a, b, inp[2], 11);
    round!(f, b, c, d, a, inp[3], 19);
    round!(f, a, b, c, d, inp[4], 3);
    round!(f, d, a, b, c, inp[5], 7);
    round!(f, c, d, a, b, inp[6], 11);
    round!(f, b, c, d, a, inp[7], 19);

    round!(g, a, b, c, d, inp[1].wrapping_add(K2), 3);
    round!(g, d, a, b, c, inp[3].wrapping_add(K2), 5);
    round!(g, c, d, a, b, inp[5].wrapping_add(K2), 9);
    round!(g, b, c, d, a, inp[7].wrapping_add(K2), 13);
    round!(g, a, b, c, d, inp[0].wrapping_add(K2), 3);
    round!(g, d, a, b, c, inp[2].wrapping_add(K2), 5);
    round!(g, c, d, a, b, inp[4].wrapping_add(K2), 9);
    round!(g, b, c, d, a, inp[6].wrapping_add(K2), 13);

    round!(h, a, b, c, d, inp[3].wrapping_add(K3), 3);
    round!(h, d, a, b, c, inp[7].wrapping_add(K3), 9);
    round!(h, c, d, a, b, inp[2].wrapping_add(K3), 11);
    round!(h, b, c, d, a, inp[6].wrapping_add(K3), 15);
    round!(h, a, b, c, d, inp[1].wrapping_add(K3), 3);
    round!(h, d, a, b, c, inp[5].wrapping_add(K3), 9);
    round!(h, c, d, a, b, inp[0].wrapping_add(K3), 11);
    round!(h, b, c, d, a, inp[4].wrapping_add(K3), 15);

    buf[0] = buf[0].wrapping_add(a);
    buf[1] = buf[1].wrapping_add(b);
    buf[2] = buf[2].wrapping_add(c);
    buf[3] = buf[3].wrapping_add(d);
}

fn tea_transform(buf: &mut [u32; 4], inp: &[u32; 8]) {
    let mut sum: u32 = 0;
    let (mut b0, mut b1) = (buf[0], buf[1]);
    let (a, b, c, d) = (inp[0], inp[1], inp[2], inp[3]);
    for _ in 0..16 {
        sum = sum.wrapping_add(0x9E37_79B9);
        b0 = b0.wrapping_add(
            ((b1 << 4).wrapping_add(a)) ^ (b1.wrapping_add(sum)) ^ ((b1 >> 5).wrapping_add(b)),
        );
        b1 = b1.wrapping_add(
            ((b0 << 4).wrapping_add(c)) ^ (b0.wrapping_add(sum)) ^ ((b0 >> 5).wrapping_add(d)),
        );
    }
    buf[0] = buf[0].wrapping_add(b0);
    buf[1] = buf[1].wrapping_add(b1);
}

fn legacy_hash(name: &[u8], signed: bool) -> u32 {
    let (mut h0, mut h1): (u32, u32) = (0x12a3_fe2d, 0x37ab_e8f9);
    for &ch in name {
        let c = if signed { ch as i8 as i32 as u32 } else { ch as u32 };
        let mut h = h1.wrapping_add(h0 ^ c.wrapping_mul(7_152_373));
        if h & 0x8000_0000 != 0 {
            h = h.wrapping_sub(0x7fff_ffff);
        }
        h1 = h0;
        h0 = h;
    }
    h0 << 1
}

/// The (major, minor) hash of `name` with hash `version` (already
/// adjusted for unsigned char) and the file system's seed.
pub fn dx_hash(name: &[u8], version: u8, seed: &[u32; 4]) -> Result<(u32, u32)> {
    let mut buf: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    if seed.iter().any(|&s| s != 0) {
        buf = *seed;
    }
    let mut inp = [0u32; 8];
    let (major, minor) = match version {
        DX_HASH_LEGACY | DX_HASH_LEGACY_UNSIGNED => (legacy_hash(name, version == DX_HASH_LEGACY), 0),
        DX_HASH_HALF_MD4 | DX_HASH_HALF_MD4_UNSIGNED => {
            let signed = version == DX_HASH_HALF_MD4;
            let mut p = 0;
            while p < name.len() {
                str2hashbuf(&name[p..], name.len() - p, &mut inp, 8, signed);
                half_md4_transform(&mut buf, &inp);
                p += 32;
            }
            (buf[1], buf[2])
        }
        DX_HASH_TEA | DX_HASH_TEA_UNSIGNED => {
            let signed = version == DX_HASH_TEA;
            let mut p = 0;
            while p < name.len() {
                str2hashbuf(&name[p..], name.len() - p, &mut inp, 4, signed);
                tea_transform(&mut buf, &inp);
                p += 16;
            }
            (buf[0], buf[1])
        }
        _ => return Err(Error::Unsupported("directory hash version")),
    };
    let mut major = major & !1;
    if major == 0x7fff_ffff << 1 {
        major = (0x7fff_ffff - 1) << 1;
    }
    Ok((major, minor))
}

/// Offset of the count/limit header in the root block.
pub const ROOT_COUNT_OFF: usize = 0x20;
/// Offset of the count/limit header in a node block.
pub const NODE_COUNT_OFF: usize = 0x8;

/// A decoded index block: entry 0's hash is implicitly 0.
#[derive(Clone, Debug)]
pub struct DxBlock {
    pub count_off: usize,
    pub limit: u16,
    pub entries: Vec<(u32, u32)>,
}

/// Entries a root or node block holds (one fewer with the checksum tail).
pub fn dx_limit(block_size: usize, count_off: usize, csum: bool) -> u16 {
    ((block_size - count_off) / 8 - if csum { 1 } else { 0 }) as u16
}

/// Decode the index entries of a root or node block.
pub fn parse_dx(b: &[u8], count_off: usize, csum: bool) -> Result<DxBlock> {
    let limit = le16(b, count_off);
    let count = le16(b, count_off + 2);
    if limit != dx_limit(b.len(), count_off, csum) || count == 0 || count > limit {
        return Err(Error::Corrupt("bad htree index limit or count"));
    }
    let mut entries = Vec::with_capacity(count as usize + 1);
    for i in 0..count as usize {
        let o = count_off + 8 * i;
        let hash = if i == 0 { 0 } else { le32(b, o) };
        entries.push((hash, le32(b, o + 4)));
    }
    Ok(DxBlock { count_off, limit, entries })
}

/// Encode index entries back into a root or node block.
pub fn encode_dx(b: &mut [u8], dx: &DxBlock) {
    let o = dx.count_off;
    put16(b, o, dx.limit);
    put16(b, o + 2, dx.entries.len() as u16);
    for (i, &(hash, blk)) in dx.entries.iter().enumerate() {
        let e = o + 8 * i;
        if i > 0 {
            put32(b, e, hash);
        }
        put32(b, e + 4, blk);
    }
    let end = o + 8 * dx.limit as usize;
    let used = o + 8 * dx.entries.len();
    b[used..end].fill(0);
}

/// Set the dx_tail checksum of an index block (`seed`: the directory
/// inode's checksum seed).
pub fn set_dx_csum(b: &mut [u8], count_off: usize, seed: u32) {
    let limit = le16(b, count_off) as usize;
    let count = le16(b, count_off + 2) as usize;
    let tail = count_off + 8 * limit;
    if tail + 8 > b.len() {
        return;
    }
    put32(b, tail, 0);
    put32(b, tail + 4, 0);
    let mut c = crc32c(seed, &b[..count_off + 8 * count]);
    c = crc32c(c, &b[tail..tail + 8]);
    put32(b, tail + 4, c);
}

/// Whether the dx_tail checksum of an index block matches.
pub fn dx_csum_ok(b: &[u8], count_off: usize, seed: u32) -> bool {
    let limit = le16(b, count_off) as usize;
    let count = le16(b, count_off + 2) as usize;
    let tail = count_off + 8 * limit;
    if tail + 8 > b.len() || count > limit {
        return false;
    }
    let mut c = crc32c(seed, &b[..count_off + 8 * count]);
    c = crc32c(c, &b[tail..tail + 4]);
    c = crc32c(c, &[0; 4]);
    c == le32(b, tail + 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from e2fsprogs' `debugfs -R "dx_hash ..."`.
    #[test]
    fn hashes_match_e2fsprogs() {
        let z = [0u32; 4];
        assert_eq!(dx_hash(b"hello", DX_HASH_HALF_MD4, &z).unwrap(), (0x1746da32, 0x420013b5));
        assert_eq!(dx_hash(b"hello", DX_HASH_TEA, &z).unwrap(), (0x6f5bb1a8, 0x231917c2));
        assert_eq!(dx_hash(b"hello", DX_HASH_LEGACY, &z).unwrap(), (0x32252546, 0));
        let uuid = [0x12u8, 0x34, 0x56, 0x78, 0x12, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc];
        let mut seed = [0u32; 4];
        for i in 0..4 {
            seed[i] = u32::from_le_bytes([uuid[4 * i], uuid[4 * i + 1], uuid[4 * i + 2], uuid[4 * i + 3]]);
        }
        let name = b"averyveryveryverylongnamethatexceedsthirtytwobytes_xyz";
        assert_eq!(dx_hash(name, DX_HASH_HALF_MD4, &seed).unwrap(), (0x311c6c76, 0x0c156696));
    }

    #[test]
    fn str2hashbuf_pads() {
        let mut out = [0u32; 8];
        str2hashbuf(b"a", 1, &mut out, 8, true);
        assert_eq!(out[0], 0x0101_0101u32.wrapping_shl(8).wrapping_add(b'a' as u32));
        assert_eq!(out[1], 0x0101_0101);
    }
}
