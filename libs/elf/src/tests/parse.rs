//! Tests of [`crate::parse`]: hand-built images for every rule, real
//! executables built on the host compared against `readelf`, and
//! corruption/fuzz tests.

use super::{Rng, TempDir, compile, run, try_run};
use crate::consts::*;
use crate::*;
use std::format;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;
use std::{eprintln, println};

// ---------------------------------------------------------------------------
// Hand-built images
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Ph {
    p_type: u32,
    flags: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    memsz: u64,
    align: u64,
}

fn load(offset: u64, vaddr: u64, filesz: u64, memsz: u64, flags: u32) -> Ph {
    Ph {
        p_type: PT_LOAD,
        flags,
        offset,
        vaddr,
        filesz,
        memsz,
        align: 0x1000,
    }
}

fn other(p_type: u32, flags: u32, offset: u64, vaddr: u64, size: u64) -> Ph {
    Ph {
        p_type,
        flags,
        offset,
        vaddr,
        filesz: size,
        memsz: size,
        align: 8,
    }
}

/// An ELF image: header at 0, program headers at `phoff`, total `len`
/// bytes (zero-filled).
struct Image {
    bytes: Vec<u8>,
}

impl Image {
    fn new(e_type: u16, machine: u16, entry: u64, phoff: u64, phs: &[Ph], len: usize) -> Image {
        let mut bytes = vec![0u8; len];
        bytes[..4].copy_from_slice(ELFMAG);
        bytes[4] = ELFCLASS64;
        bytes[5] = ELFDATA2LSB;
        bytes[6] = EV_CURRENT;
        let mut img = Image { bytes };
        img.u16(16, e_type);
        img.u16(18, machine);
        img.u32(20, 1);
        img.u64(24, entry);
        img.u64(32, phoff);
        img.u16(52, 64);
        img.u16(54, 56);
        img.u16(56, phs.len() as u16);
        for (i, ph) in phs.iter().enumerate() {
            let o = phoff as usize + i * 56;
            img.u32(o, ph.p_type);
            img.u32(o + 4, ph.flags);
            img.u64(o + 8, ph.offset);
            img.u64(o + 16, ph.vaddr);
            img.u64(o + 24, ph.vaddr);
            img.u64(o + 32, ph.filesz);
            img.u64(o + 40, ph.memsz);
            img.u64(o + 48, ph.align);
        }
        img
    }

    fn u16(&mut self, off: usize, v: u16) {
        self.bytes[off..off + 2].copy_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, off: usize, v: u32) {
        self.bytes[off..off + 4].copy_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, off: usize, v: u64) {
        self.bytes[off..off + 8].copy_from_slice(&v.to_le_bytes());
    }
    fn put(&mut self, off: usize, data: &[u8]) {
        self.bytes[off..off + data.len()].copy_from_slice(data);
    }
    /// Offset of field `field_off` of program header `i` (phoff 64).
    fn ph_field(i: usize, field_off: usize) -> usize {
        64 + i * 56 + field_off
    }
}

const INTERP_PATH: &[u8] = b"/lib64/ld-linux-x86-64.so.2\0";

/// A typical dynamically linked PIE: PHDR, INTERP, four LOADs, DYNAMIC,
/// GNU_STACK, GNU_RELRO, TLS.
fn sample_dyn_phs() -> Vec<Ph> {
    vec![
        other(PT_PHDR, PF_R, 0x40, 0x40, 10 * 56),
        other(PT_INTERP, PF_R, 0x2a8, 0x2a8, INTERP_PATH.len() as u64),
        load(0, 0, 0x628, 0x628, PF_R),
        load(0x1000, 0x1000, 0x1a5, 0x1a5, PF_R | PF_X),
        load(0x2000, 0x2000, 0xf4, 0xf4, PF_R),
        load(0x2dd0, 0x3dd0, 0x260, 0x268, PF_R | PF_W),
        other(PT_DYNAMIC, PF_R | PF_W, 0x2de0, 0x3de0, 0x1e0),
        other(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0),
        other(PT_GNU_RELRO, PF_R, 0x2dd0, 0x3dd0, 0x230),
        Ph {
            p_type: PT_TLS,
            flags: PF_R,
            offset: 0x2dd0,
            vaddr: 0x3dd0,
            filesz: 4,
            memsz: 8,
            align: 4,
        },
    ]
}

fn sample_dyn() -> Image {
    let mut img = Image::new(ET_DYN, EM_X86_64, 0x1040, 64, &sample_dyn_phs(), 0x3100);
    img.put(0x2a8, INTERP_PATH);
    img
}

/// A minimal static executable with a single text segment.
fn sample_exec() -> Image {
    Image::new(
        ET_EXEC,
        EM_X86_64,
        0x40_1000,
        64,
        &[
            load(0, 0x40_0000, 0x2000, 0x2000, PF_R | PF_X),
            load(0x2000, 0x40_3000, 0x100, 0x5000, PF_R | PF_W),
        ],
        0x2100,
    )
}

fn x86(img: &Image) -> Result<ElfInfo, ElfError> {
    parse(&img.bytes, Machine::X86_64)
}

#[test]
fn sample_dyn_parses() {
    let img = sample_dyn();
    let info = x86(&img).unwrap();
    assert_eq!(info.elf_type, ElfType::Dyn);
    assert_eq!(info.entry, 0x1040);
    assert_eq!(info.phoff, 64);
    assert_eq!(info.phnum, 10);
    assert_eq!(info.phentsize, 56);
    assert_eq!(info.segments.len(), 4);
    assert_eq!(
        info.segments[1],
        LoadSegment {
            vaddr: 0x1000,
            memsz: 0x1a5,
            file_offset: 0x1000,
            filesz: 0x1a5,
            readable: true,
            writable: false,
            executable: true,
            align: 0x1000,
        }
    );
    let data = info.segments[3];
    assert!(data.readable && data.writable && !data.executable);
    assert_eq!(
        (data.vaddr, data.memsz, data.file_offset, data.filesz),
        (0x3dd0, 0x268, 0x2dd0, 0x260)
    );
    assert_eq!(data.page_start(), 0x3000);
    assert_eq!(data.page_end(), 0x5000);
    assert_eq!(data.file_end(), 0x3030);
    assert_eq!(data.file_end_vaddr(), 0x4030);
    assert_eq!(data.mem_end(), 0x4038);
    let interp = info.interp.as_ref().unwrap();
    assert_eq!(interp.offset, 0x2a8);
    assert_eq!(interp.size, INTERP_PATH.len() as u64);
    assert_eq!(
        interp.path.as_deref(),
        Some(&b"/lib64/ld-linux-x86-64.so.2"[..])
    );
    assert!(!info.stack_executable);
    assert_eq!(info.relro, Some((0x3dd0, 0x230)));
    assert_eq!(info.phdr_vaddr, Some(0x40));
    assert_eq!(
        info.tls,
        Some(TlsSegment {
            vaddr: 0x3dd0,
            filesz: 4,
            memsz: 8,
            align: 4
        })
    );
    assert_eq!(info.load_span(), (0, 0x5000));
    assert_eq!(info.max_align(), 0x1000);
    assert_eq!(info.phdr_address(0x5555_5555_4000), Some(0x5555_5555_4040));
    assert_eq!(info.phdr_table_size(), 560);
    assert_eq!(info.check_file_size(0x3100), Ok(()));
    assert_eq!(
        info.check_file_size(0x3000),
        Err(ElfError::SegmentBeyondFile { index: 3 })
    );
}

#[test]
fn sample_exec_parses() {
    let img = sample_exec();
    let info = x86(&img).unwrap();
    assert_eq!(info.elf_type, ElfType::Exec);
    assert_eq!(info.entry, 0x40_1000);
    assert_eq!(info.interp, None);
    assert_eq!(info.relro, None);
    assert_eq!(info.phdr_vaddr, None);
    assert_eq!(info.tls, None);
    assert!(
        !info.stack_executable,
        "no PT_GNU_STACK means a non-executable stack"
    );
    assert_eq!(info.load_span(), (0x40_0000, 0x40_8000));
    // No PT_PHDR: found through the first segment, which maps offset 0.
    assert_eq!(info.phdr_address(0), Some(0x40_0040));
    assert_eq!(info.phdr_address(0x1000), Some(0x40_1040));
}

#[test]
fn phdr_address_without_pt_phdr_uses_containing_segment() {
    // The headers sit at offset 0x1040, inside the second segment only.
    let phs = [
        load(0, 0x40_0000, 0x100, 0x100, PF_R),
        load(0x1000, 0x60_1000, 0x1000, 0x1000, PF_R | PF_X),
    ];
    let mut img = Image::new(ET_EXEC, EM_X86_64, 0x60_1000, 0x1040, &phs, 0x2000);
    img.u64(32, 0x1040);
    let info = x86(&img).unwrap();
    assert_eq!(info.phdr_address(0), Some(0x60_1040));
    // Not loaded at all: offset 0x1040 with a gap in the file ranges.
    let phs = [load(0x2000, 0x40_2000, 0x100, 0x100, PF_R)];
    let img = Image::new(ET_EXEC, EM_X86_64, 0x40_2000, 0x1040, &phs, 0x2100);
    let info = x86(&img).unwrap();
    assert_eq!(info.phdr_address(0), None);
}

#[test]
fn aarch64_images() {
    let mut img = sample_dyn();
    img.u16(18, EM_AARCH64);
    let info = parse(&img.bytes, Machine::Aarch64).unwrap();
    assert_eq!(info.segments.len(), 4);
    assert_eq!(x86(&img), Err(ElfError::WrongMachine(EM_AARCH64)));
    // AArch64's user range is larger: a segment ending at 2^48 is fine
    // there and not on x86-64.
    let top = 0x0001_0000_0000_0000u64;
    let phs = [load(0x1000, top - 0x1000, 0x100, 0x1000, PF_R | PF_X)];
    let img = Image::new(ET_EXEC, EM_AARCH64, top - 0x1000, 64, &phs, 0x1100);
    assert!(parse(&img.bytes, Machine::Aarch64).is_ok());
    let mut img = img;
    img.u16(18, EM_X86_64);
    assert_eq!(x86(&img), Err(ElfError::EntryBeyondUserLimit));
}

#[test]
fn machine_helpers() {
    assert_eq!(Machine::X86_64.e_machine(), 62);
    assert_eq!(Machine::Aarch64.e_machine(), 183);
    assert_eq!(Machine::from_e_machine(62), Some(Machine::X86_64));
    assert_eq!(Machine::from_e_machine(183), Some(Machine::Aarch64));
    assert_eq!(Machine::from_e_machine(3), None);
    assert_eq!(Machine::X86_64.user_limit(), 0x7fff_ffff_f000);
    assert_eq!(Machine::X86_64.platform(), b"x86_64");
    assert_eq!(Machine::Aarch64.platform(), b"aarch64");
}

#[test]
fn gnu_stack_flags() {
    let mut phs = sample_dyn_phs();
    phs[7].flags = PF_R | PF_W | PF_X;
    let mut img = Image::new(ET_DYN, EM_X86_64, 0x1040, 64, &phs, 0x3100);
    img.put(0x2a8, INTERP_PATH);
    assert!(x86(&img).unwrap().stack_executable);
    // The last PT_GNU_STACK wins, as in Linux.
    phs[8] = other(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0);
    let mut img = Image::new(ET_DYN, EM_X86_64, 0x1040, 64, &phs, 0x3100);
    img.put(0x2a8, INTERP_PATH);
    assert!(!x86(&img).unwrap().stack_executable);
}

#[test]
fn interp_cases() {
    // Path beyond the supplied bytes: reported by offset and size only.
    let img = sample_dyn();
    let info = x86(&img.bytes[..0x2b0].to_vec().into_image()).unwrap();
    let interp = info.interp.unwrap();
    assert_eq!((interp.offset, interp.size, interp.path), (0x2a8, 28, None));
    assert_eq!(
        Interp::path_from(&img.bytes[0x2a8..0x2a8 + 28]),
        Ok(&b"/lib64/ld-linux-x86-64.so.2"[..])
    );
    assert_eq!(
        Interp::path_from(b"abc"),
        Err(ElfError::InterpNotTerminated)
    );
    assert_eq!(Interp::path_from(b""), Err(ElfError::InterpNotTerminated));
    assert_eq!(Interp::path_from(b"ab\0cd\0"), Ok(&b"ab"[..]));

    let interp_size_at = Image::ph_field(1, 32);
    for (size, want) in [
        (0u64, Err(ElfError::BadInterpSize(0))),
        (1, Err(ElfError::BadInterpSize(1))),
        (4097, Err(ElfError::BadInterpSize(4097))),
        (u64::MAX, Err(ElfError::BadInterpSize(u64::MAX))),
        (2, Err(ElfError::InterpNotTerminated)),
        (4096, Ok(())),
    ] {
        let mut img = sample_dyn();
        img.u64(interp_size_at, size);
        let got = x86(&img).map(|_| ());
        // With size 4096 the path runs past the supplied image: accepted,
        // with the bytes left for the caller to read.
        assert_eq!(got, want, "size {size}");
    }

    // Not NUL-terminated.
    let mut img = sample_dyn();
    img.bytes[0x2a8 + 27] = b'x';
    assert_eq!(x86(&img), Err(ElfError::InterpNotTerminated));

    // Overflowing offset.
    let mut img = sample_dyn();
    img.u64(Image::ph_field(1, 8), u64::MAX - 5);
    assert_eq!(x86(&img), Err(ElfError::InterpOutOfBounds));

    // Beyond a known file size.
    let img = sample_dyn();
    let mut opts = ParseOptions::new(Machine::X86_64);
    opts.file_size = Some(0x2b0);
    assert_eq!(
        parse_with(&img.bytes[..0x2b0], &opts),
        Err(ElfError::InterpOutOfBounds)
    );

    // Only the first PT_INTERP counts.
    let mut phs = sample_dyn_phs();
    phs.push(other(PT_INTERP, PF_R, 0x2f00, 0x2f00, 1));
    let mut img = Image::new(ET_DYN, EM_X86_64, 0x1040, 64, &phs, 0x3100);
    img.put(0x2a8, INTERP_PATH);
    assert_eq!(
        x86(&img).unwrap().interp.unwrap().path.as_deref(),
        Some(&b"/lib64/ld-linux-x86-64.so.2"[..])
    );
}

trait IntoImage {
    fn into_image(self) -> Image;
}

impl IntoImage for Vec<u8> {
    fn into_image(self) -> Image {
        Image { bytes: self }
    }
}

#[test]
fn identification_errors() {
    let good = sample_exec();
    let cases: &[(usize, u8, ElfError)] = &[
        (0, 0x7e, ElfError::BadMagic),
        (3, b'f', ElfError::BadMagic),
        (4, 1, ElfError::BadClass(1)),
        (4, 0, ElfError::BadClass(0)),
        (5, 2, ElfError::BadDataEncoding(2)),
        (5, 0, ElfError::BadDataEncoding(0)),
        (6, 0, ElfError::BadVersion(0)),
        (6, 2, ElfError::BadVersion(2)),
    ];
    for &(off, val, want) in cases {
        let mut img = Image {
            bytes: good.bytes.clone(),
        };
        img.bytes[off] = val;
        assert_eq!(x86(&img), Err(want), "byte {off} = {val}");
    }
    assert_eq!(
        parse(b"#!/bin/sh\n", Machine::X86_64),
        Err(ElfError::BadMagic)
    );
    assert_eq!(
        parse(b"\x7fEL", Machine::X86_64),
        Err(ElfError::HeadersBeyond { needed: 64 })
    );
    assert_eq!(
        parse(b"", Machine::X86_64),
        Err(ElfError::HeadersBeyond { needed: 64 })
    );
    assert_eq!(parse(b"\x7fELX", Machine::X86_64), Err(ElfError::BadMagic));
    let mut opts = ParseOptions::new(Machine::X86_64);
    opts.file_size = Some(40);
    assert_eq!(
        parse_with(&good.bytes[..40], &opts),
        Err(ElfError::TooShort)
    );
}

#[test]
fn header_field_errors() {
    for (e_type, ok) in [
        (0u16, false),
        (1, false),
        (2, true),
        (3, true),
        (4, false),
        (0xfe00, false),
    ] {
        let mut img = sample_exec();
        img.u16(16, e_type);
        match x86(&img) {
            Ok(_) => assert!(ok),
            Err(e) => assert_eq!(e, ElfError::BadType(e_type)),
        }
    }
    let mut img = sample_exec();
    img.u16(18, 3);
    assert_eq!(x86(&img), Err(ElfError::WrongMachine(3)));
    assert_eq!(
        parse(&sample_exec().bytes, Machine::Aarch64),
        Err(ElfError::WrongMachine(62))
    );

    for bad in [0u16, 32, 55, 57, 64, 0xffff] {
        let mut img = sample_exec();
        img.u16(54, bad);
        assert_eq!(x86(&img), Err(ElfError::BadPhentsize(bad)));
    }
    for bad in [0u16, 1171, 0xffff] {
        let mut img = sample_exec();
        img.u16(56, bad);
        assert_eq!(x86(&img), Err(ElfError::BadPhnum(bad)));
    }
    // 1170 * 56 <= 64 KiB is allowed (here the image is too short for it).
    let mut img = sample_exec();
    img.u16(56, 1170);
    assert_eq!(
        x86(&img),
        Err(ElfError::HeadersBeyond {
            needed: 64 + 1170 * 56
        })
    );
}

#[test]
fn program_headers_beyond_image() {
    let img = sample_dyn();
    let table_end = 64 + 10 * 56;
    for len in 64..table_end {
        assert_eq!(
            parse(&img.bytes[..len], Machine::X86_64),
            Err(ElfError::HeadersBeyond { needed: table_end }),
            "len {len}"
        );
    }
    assert!(parse(&img.bytes[..table_end], Machine::X86_64).is_ok());
    // Every shorter prefix is either "need more" or (for 0..4 bytes) a
    // proper prefix of the magic, never a panic.
    for len in 0..64 {
        assert_eq!(
            parse(&img.bytes[..len], Machine::X86_64),
            Err(ElfError::HeadersBeyond { needed: 64 })
        );
    }
    // Table far into the file: the caller must read more.
    let mut img = sample_exec();
    img.u64(32, 0x10_0000);
    assert_eq!(
        x86(&img),
        Err(ElfError::HeadersBeyond {
            needed: 0x10_0000 + 2 * 56
        })
    );
    // ... unless the file is known to be shorter.
    let mut opts = ParseOptions::new(Machine::X86_64);
    opts.file_size = Some(img.bytes.len() as u64);
    assert_eq!(
        parse_with(&img.bytes, &opts),
        Err(ElfError::PhdrsOutOfBounds)
    );
    // Overflowing offset.
    let mut img = sample_exec();
    img.u64(32, u64::MAX - 60);
    assert_eq!(x86(&img), Err(ElfError::PhdrsOutOfBounds));
}

#[test]
fn load_segment_errors() {
    let limit = Machine::X86_64.user_limit();
    let rx = PF_R | PF_X;
    let cases: Vec<(Vec<Ph>, Result<(), ElfError>)> = vec![
        (
            vec![load(0, 0x40_0000, 0x1001, 0x1000, rx)],
            Err(ElfError::FileszExceedsMemsz { index: 0 }),
        ),
        (
            vec![load(0, u64::MAX - 0xfff, 0, 0x1000, rx)],
            Err(ElfError::SegmentOverflow { index: 0 }),
        ),
        (
            vec![load(0, u64::MAX - 0x1fff, 0, 0x1001, rx)],
            Err(ElfError::SegmentOverflow { index: 0 }),
        ),
        (
            vec![load(u64::MAX, 0x40_0000, 2, 2, rx)],
            Err(ElfError::SegmentOverflow { index: 0 }),
        ),
        (
            vec![load(0, 0x40_0000, 0x1000, u64::MAX, rx)],
            Err(ElfError::SegmentOverflow { index: 0 }),
        ),
        (vec![load(0, limit - 0x1000, 0x100, 0x1000, rx)], Ok(())),
        (
            vec![load(0, limit - 0x1000, 0x100, 0x1001, rx)],
            Err(ElfError::SegmentBeyondUserLimit { index: 0 }),
        ),
        (
            vec![load(0, limit, 0, 0x1000, rx)],
            Err(ElfError::SegmentBeyondUserLimit { index: 0 }),
        ),
        (
            vec![load(0x10, 0x40_0000, 0x100, 0x100, rx)],
            Err(ElfError::SegmentMisaligned { index: 0 }),
        ),
        // Congruent modulo the page: fine even if not page-aligned.
        (vec![load(0x123, 0x40_0123, 0x100, 0x100, rx)], Ok(())),
        // Nothing from the file: the offset does not matter.
        (vec![load(0x10, 0x40_0000, 0, 0x100, rx)], Ok(())),
        (
            vec![
                load(0, 0x40_0000, 0x100, 0x100, rx),
                load(0x1000, 0x30_0000, 0x100, 0x100, rx),
            ],
            Err(ElfError::SegmentsUnsorted { index: 1 }),
        ),
        (
            vec![
                load(0, 0x40_0000, 0x100, 0x2000, rx),
                load(0x1000, 0x40_1000, 0x100, 0x100, rx),
            ],
            Err(ElfError::SegmentsOverlap { index: 1 }),
        ),
        (
            vec![
                load(0, 0x40_0000, 0x100, 0x100, rx),
                load(0x1000, 0x40_0000, 0x100, 0x100, rx),
            ],
            Err(ElfError::SegmentsOverlap { index: 1 }),
        ),
        // Touching, and sharing a page, are both allowed.
        (
            vec![
                load(0, 0x40_0000, 0x1000, 0x1000, rx),
                load(0x1000, 0x40_1000, 0x100, 0x100, rx),
            ],
            Ok(()),
        ),
        (
            vec![
                load(0, 0x40_0000, 0x800, 0x800, rx),
                load(0x800, 0x40_0800, 0x100, 0x100, rx),
            ],
            Ok(()),
        ),
        (
            vec![other(PT_NOTE, PF_R, 0x200, 0x200, 0x20)],
            Err(ElfError::NoLoadSegments),
        ),
    ];
    for (i, (phs, want)) in cases.iter().enumerate() {
        let entry = phs.first().map_or(0, |p| p.vaddr.min(limit - 1));
        let img = Image::new(ET_EXEC, EM_X86_64, entry, 64, phs, 0x1000);
        assert_eq!(x86(&img).map(|_| ()), *want, "case {i}: {phs:x?}");
    }
    // The index reported is the program header index.
    let phs = [
        other(PT_PHDR, PF_R, 64, 0x40_0040, 3 * 56),
        load(0, 0x40_0000, 0x100, 0x100, rx),
        load(0, 0x50_0000, 0x200, 0x100, rx),
    ];
    let img = Image::new(ET_EXEC, EM_X86_64, 0x40_0000, 64, &phs, 0x1000);
    assert_eq!(x86(&img), Err(ElfError::FileszExceedsMemsz { index: 2 }));
}

#[test]
fn entry_limit() {
    let mut img = sample_exec();
    img.u64(24, Machine::X86_64.user_limit());
    assert_eq!(x86(&img), Err(ElfError::EntryBeyondUserLimit));
    img.u64(24, Machine::X86_64.user_limit() - 1);
    assert!(x86(&img).is_ok());
    // A custom, lower limit.
    let mut opts = ParseOptions::new(Machine::X86_64);
    opts.user_limit = 0x40_1000;
    assert_eq!(
        parse_with(&sample_exec().bytes, &opts),
        Err(ElfError::EntryBeyondUserLimit)
    );
    opts.user_limit = 0x40_2000;
    assert_eq!(
        parse_with(&sample_exec().bytes, &opts),
        Err(ElfError::SegmentBeyondUserLimit { index: 1 })
    );
}

#[test]
fn known_file_size() {
    let img = sample_exec();
    let mut opts = ParseOptions::new(Machine::X86_64);
    opts.file_size = Some(0x2100);
    assert!(parse_with(&img.bytes, &opts).is_ok());
    opts.file_size = Some(0x20ff);
    assert_eq!(
        parse_with(&img.bytes, &opts),
        Err(ElfError::SegmentBeyondFile { index: 1 })
    );
    let info = x86(&img).unwrap();
    assert_eq!(info.check_file_size(0x2100), Ok(()));
    assert_eq!(
        info.check_file_size(0x1fff),
        Err(ElfError::SegmentBeyondFile { index: 0 })
    );
}

#[test]
fn max_align_ignores_non_powers_of_two() {
    let mut phs = vec![
        load(0, 0x40_0000, 0x100, 0x100, PF_R),
        load(0x1000, 0x60_1000, 0x100, 0x100, PF_R),
    ];
    phs[0].align = 0x20_0000;
    phs[1].align = 0x30_0000;
    let img = Image::new(ET_DYN, EM_X86_64, 0x40_0000, 64, &phs, 0x2000);
    assert_eq!(x86(&img).unwrap().max_align(), 0x20_0000);
    phs[0].align = 0;
    let img = Image::new(ET_DYN, EM_X86_64, 0x40_0000, 64, &phs, 0x2000);
    assert_eq!(x86(&img).unwrap().max_align(), PAGE_SIZE);
}

#[test]
fn error_display() {
    let errors = [
        ElfError::HeadersBeyond { needed: 100 },
        ElfError::BadMagic,
        ElfError::TooShort,
        ElfError::BadClass(1),
        ElfError::BadDataEncoding(2),
        ElfError::BadVersion(0),
        ElfError::BadType(1),
        ElfError::WrongMachine(3),
        ElfError::BadPhentsize(32),
        ElfError::BadPhnum(0),
        ElfError::PhdrsOutOfBounds,
        ElfError::NoLoadSegments,
        ElfError::FileszExceedsMemsz { index: 1 },
        ElfError::SegmentOverflow { index: 1 },
        ElfError::SegmentBeyondUserLimit { index: 1 },
        ElfError::SegmentMisaligned { index: 1 },
        ElfError::SegmentsUnsorted { index: 1 },
        ElfError::SegmentsOverlap { index: 1 },
        ElfError::SegmentBeyondFile { index: 1 },
        ElfError::EntryBeyondUserLimit,
        ElfError::BadInterpSize(1),
        ElfError::InterpOutOfBounds,
        ElfError::InterpNotTerminated,
    ];
    let mut seen = Vec::new();
    for e in errors {
        let s = e.to_string();
        assert!(!s.is_empty());
        assert!(!seen.contains(&s), "duplicate message {s}");
        seen.push(s);
    }
}

/// Corrupts random bytes of the first `region` bytes of `image` and parses
/// with random lengths; nothing may panic.
fn fuzz(image: &[u8], region: usize, seed: u64, rounds: usize) {
    let mut rng = Rng(seed);
    let region = region.min(image.len());
    let interesting: [u64; 8] = [
        0,
        1,
        0xfff,
        0x1000,
        u64::MAX,
        u64::MAX - 0xfff,
        0x7fff_ffff_f000,
        1 << 63,
    ];
    for _ in 0..rounds {
        let mut img = image.to_vec();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(region);
            if rng.below(3) == 0 && i + 8 <= img.len() {
                let v = interesting[rng.below(interesting.len())];
                img[i..i + 8].copy_from_slice(&v.to_le_bytes());
            } else {
                img[i] = rng.next() as u8;
            }
        }
        let len = if rng.below(4) == 0 {
            rng.below(img.len() + 1)
        } else {
            img.len()
        };
        let machine = if rng.below(8) == 0 {
            Machine::Aarch64
        } else {
            Machine::X86_64
        };
        if let Ok(info) = parse(&img[..len], machine) {
            // Helpers on whatever was accepted must not panic either.
            let _ = info.load_span();
            let _ = info.phdr_address(rng.next());
            let _ = info.max_align();
            let _ = info.check_file_size(rng.next() >> rng.below(64));
            for s in &info.segments {
                assert!(s.filesz <= s.memsz);
                let _ = (
                    s.page_start(),
                    s.page_end(),
                    s.file_end(),
                    s.mem_end(),
                    s.file_end_vaddr(),
                );
            }
        }
        let mut opts = ParseOptions::new(machine);
        opts.file_size = Some(rng.next() >> rng.below(64));
        let _ = parse_with(&img[..len], &opts);
    }
}

#[test]
fn fuzz_hand_built() {
    let img = sample_dyn();
    fuzz(&img.bytes, 64 + 10 * 56, 0x0dd_ba11, 30_000);
}

// ---------------------------------------------------------------------------
// Real executables
// ---------------------------------------------------------------------------

/// What `readelf -hlW` says about a file.
#[derive(Debug)]
struct Readelf {
    elf_type: String,
    entry: u64,
    /// (type, offset, vaddr, filesz, memsz, flags, align)
    phdrs: Vec<(String, u64, u64, u64, u64, String, u64)>,
    interp: Option<String>,
}

fn hex(s: &str) -> u64 {
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("bad hex {s}"))
}

fn readelf(path: &Path) -> Option<Readelf> {
    let out = run(Command::new("readelf").arg("-hlW").arg(path))?;
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = Readelf {
        elf_type: String::new(),
        entry: 0,
        phdrs: Vec::new(),
        interp: None,
    };
    let mut in_phdrs = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("Type:") {
            r.elf_type = v.split_whitespace().next().unwrap().to_string();
        } else if let Some(v) = t.strip_prefix("Entry point address:") {
            r.entry = hex(v.trim());
        } else if t.starts_with("Type ") && t.contains("VirtAddr") {
            in_phdrs = true;
        } else if let Some(v) = t.strip_prefix("[Requesting program interpreter: ") {
            r.interp = Some(v.trim_end_matches(']').to_string());
        } else if t.is_empty() || t.starts_with("Section to Segment") {
            if !r.phdrs.is_empty() {
                in_phdrs = false;
            }
        } else if in_phdrs {
            let tok: Vec<&str> = t.split_whitespace().collect();
            if tok.len() >= 8 && tok[1].starts_with("0x") {
                let flags: String = tok[6..tok.len() - 1].concat();
                r.phdrs.push((
                    tok[0].to_string(),
                    hex(tok[1]),
                    hex(tok[2]),
                    hex(tok[4]),
                    hex(tok[5]),
                    flags,
                    hex(tok[tok.len() - 1]),
                ));
            }
        }
    }
    Some(r)
}

/// Parses a file the way a kernel would: read a page, read more if the
/// headers say so, then read the interpreter path if it was not included.
fn parse_file(path: &Path) -> Result<ElfInfo, ElfError> {
    let mut file = fs::File::open(path).unwrap();
    let size = file.metadata().unwrap().len();
    let mut buf = vec![0u8; 4096];
    let n = read_up_to(&mut file, &mut buf);
    buf.truncate(n);
    let mut opts = ParseOptions::new(Machine::X86_64);
    opts.file_size = Some(size);
    let mut info = match parse_with(&buf, &opts) {
        Err(ElfError::HeadersBeyond { needed }) => {
            let all = fs::read(path).unwrap();
            assert!(needed <= all.len(), "HeadersBeyond past a known file size");
            parse_with(&all[..needed], &opts)?
        }
        other => other?,
    };
    info.check_file_size(size)?;
    if let Some(interp) = &mut info.interp
        && interp.path.is_none()
    {
        let all = fs::read(path).unwrap();
        let bytes = &all[interp.offset as usize..(interp.offset + interp.size) as usize];
        interp.path = Some(Interp::path_from(bytes)?.to_vec());
    }
    Ok(info)
}

fn read_up_to(file: &mut fs::File, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]).unwrap() {
            0 => break,
            k => n += k,
        }
    }
    n
}

/// Checks `parse_file(path)` against `readelf`; returns the info.
fn check_against_readelf(path: &Path) -> Option<ElfInfo> {
    let re = readelf(path)?;
    let info = parse_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let what = path.display();
    let want_type = match re.elf_type.as_str() {
        "EXEC" => ElfType::Exec,
        "DYN" => ElfType::Dyn,
        t => panic!("{what}: readelf type {t}"),
    };
    assert_eq!(info.elf_type, want_type, "{what}");
    assert_eq!(info.entry, re.entry, "{what}");
    assert_eq!(usize::from(info.phnum), re.phdrs.len(), "{what}");
    let loads: Vec<_> = re.phdrs.iter().filter(|p| p.0 == "LOAD").collect();
    assert_eq!(info.segments.len(), loads.len(), "{what}");
    for (seg, p) in info.segments.iter().zip(&loads) {
        assert_eq!(
            (seg.file_offset, seg.vaddr, seg.filesz, seg.memsz, seg.align),
            (p.1, p.2, p.3, p.4, p.6),
            "{what}"
        );
        assert_eq!(seg.readable, p.5.contains('R'), "{what}");
        assert_eq!(seg.writable, p.5.contains('W'), "{what}");
        assert_eq!(seg.executable, p.5.contains('E'), "{what}");
    }
    assert_eq!(
        info.interp.as_ref().and_then(|i| i.path.as_deref()),
        re.interp.as_deref().map(str::as_bytes),
        "{what}"
    );
    let stack = re.phdrs.iter().rev().find(|p| p.0 == "GNU_STACK");
    assert_eq!(
        info.stack_executable,
        stack.is_some_and(|p| p.5.contains('E')),
        "{what}"
    );
    let relro = re
        .phdrs
        .iter()
        .find(|p| p.0 == "GNU_RELRO")
        .map(|p| (p.2, p.4));
    assert_eq!(info.relro, relro, "{what}");
    let phdr = re.phdrs.iter().find(|p| p.0 == "PHDR").map(|p| p.2);
    assert_eq!(info.phdr_vaddr, phdr, "{what}");
    let tls = re.phdrs.iter().find(|p| p.0 == "TLS");
    assert_eq!(
        info.tls.map(|t| (t.vaddr, t.filesz, t.memsz)),
        tls.map(|p| (p.2, p.3, p.4)),
        "{what}"
    );

    // AT_PHDR: with PT_PHDR, computing it from the segment holding e_phoff
    // must give the same address.
    if info.phdr_vaddr.is_some() {
        let mut no_phdr = info.clone();
        no_phdr.phdr_vaddr = None;
        assert_eq!(
            no_phdr.phdr_address(0x1000_0000),
            info.phdr_address(0x1000_0000),
            "{what}"
        );
    }
    let (start, end) = info.load_span();
    assert!(start % PAGE_SIZE == 0 && end % PAGE_SIZE == 0 && start < end);
    Some(info)
}

const HELLO: &str = r#"
#include <stdio.h>
__thread int tls_counter = 5;
int main(int argc, char **argv) {
    (void)argv;
    tls_counter += argc;
    printf("hello %d\n", tls_counter);
    return 0;
}
"#;

/// Builds a static-pie with musl. Debian's `musl-gcc` specs ignore
/// `-static-pie` (they always link a dynamic PIE with musl's loader as
/// PT_INTERP), so if the result has an interpreter, link by hand with
/// musl's `rcrt1.o`.
fn build_musl_static_pie(dir: &Path) -> Option<PathBuf> {
    let first = compile(
        dir,
        "musl-gcc",
        &["-static-pie", "-fPIE", "-O1"],
        HELLO,
        "musl-static-pie",
    )?;
    let info = parse_file(&first).ok()?;
    if info.interp.is_none() {
        return Some(first);
    }
    // Find musl's library directory from the startfiles musl-gcc uses.
    let probe = try_run(
        Command::new("musl-gcc")
            .args(["-###", "-o", "/dev/null"])
            .arg(dir.join("musl-static-pie.c")),
    )?;
    let text = String::from_utf8_lossy(&probe.stderr).into_owned();
    let crt = text
        .split(|c: char| c.is_whitespace() || c == '"')
        .find(|t| t.ends_with("/crti.o"))?
        .to_string();
    let musl_lib = Path::new(&crt).parent()?.to_path_buf();
    let obj = dir.join("musl-static-pie.o");
    try_run(
        Command::new("musl-gcc")
            .args(["-fPIE", "-O1", "-c", "-o"])
            .arg(&obj)
            .arg(dir.join("musl-static-pie.c")),
    )?;
    let gcc_file = |name: &str| -> Option<String> {
        let out = try_run(Command::new("gcc").arg(format!("-print-file-name={name}")))?;
        Some(String::from_utf8(out.stdout).ok()?.trim().to_string())
    };
    let out = dir.join("musl-static-pie2");
    try_run(
        Command::new("gcc")
            .args(["-nostdlib", "-nostartfiles", "-static-pie", "-o"])
            .arg(&out)
            .arg(musl_lib.join("rcrt1.o"))
            .arg(musl_lib.join("crti.o"))
            .arg(gcc_file("crtbeginS.o")?)
            .arg(&obj)
            .arg(format!("-L{}", musl_lib.display()))
            .arg("-lc")
            .arg(gcc_file("libgcc.a")?)
            .arg(gcc_file("crtendS.o")?)
            .arg(musl_lib.join("crtn.o")),
    )?;
    Some(out)
}

/// Runs a built program to make sure the toolchain produced something
/// that actually works.
fn runs(path: &Path) {
    let out = Command::new(path).output().unwrap();
    assert!(out.status.success(), "{} did not run", path.display());
    assert_eq!(out.stdout, b"hello 6\n");
}

#[test]
fn host_musl_static() {
    let dir = TempDir::new("musl-static");
    let Some(exe) = compile(
        dir.path(),
        "musl-gcc",
        &["-static", "-O1"],
        HELLO,
        "musl-static",
    ) else {
        return;
    };
    runs(&exe);
    let Some(info) = check_against_readelf(&exe) else {
        return;
    };
    assert_eq!(info.elf_type, ElfType::Exec);
    assert!(info.interp.is_none());
    assert!(info.tls.is_some());
    assert!(!info.stack_executable);
    assert!(info.phdr_address(0).is_some());
}

#[test]
fn host_musl_static_pie() {
    let dir = TempDir::new("musl-static-pie");
    let Some(exe) = build_musl_static_pie(dir.path()) else {
        eprintln!("note: could not build a musl static-pie executable; skipping");
        return;
    };
    runs(&exe);
    let Some(info) = check_against_readelf(&exe) else {
        return;
    };
    assert_eq!(info.elf_type, ElfType::Dyn);
    assert!(info.interp.is_none(), "static-pie must not have PT_INTERP");
    assert_eq!(info.load_span().0, 0);
    assert!(info.phdr_address(0x7f00_0000_0000).unwrap() >= 0x7f00_0000_0000);
}

#[test]
fn host_glibc_dynamic() {
    let dir = TempDir::new("glibc");
    let Some(pie) = compile(dir.path(), "gcc", &["-O1"], HELLO, "glibc-pie") else {
        return;
    };
    runs(&pie);
    let Some(info) = check_against_readelf(&pie) else {
        return;
    };
    assert_eq!(
        info.elf_type,
        ElfType::Dyn,
        "Debian's gcc builds PIE by default"
    );
    assert_eq!(
        info.interp.as_ref().unwrap().path.as_deref(),
        Some(&b"/lib64/ld-linux-x86-64.so.2"[..])
    );
    assert!(info.relro.is_some());
    assert!(info.phdr_vaddr.is_some());

    let exe = compile(dir.path(), "gcc", &["-O1", "-no-pie"], HELLO, "glibc-nopie").unwrap();
    runs(&exe);
    let info = check_against_readelf(&exe).unwrap();
    assert_eq!(info.elf_type, ElfType::Exec);
    assert!(info.interp.is_some());
}

#[test]
fn host_executable_stack() {
    let dir = TempDir::new("execstack");
    let Some(exe) = compile(
        dir.path(),
        "gcc",
        &["-O1", "-z", "execstack"],
        HELLO,
        "execstack",
    ) else {
        return;
    };
    let info = check_against_readelf(&exe).unwrap();
    assert!(info.stack_executable);
}

#[test]
fn host_busybox() {
    let path = Path::new("/bin/busybox");
    if !path.exists() {
        eprintln!("note: /bin/busybox not present; skipping");
        return;
    }
    let Some(info) = check_against_readelf(path) else {
        return;
    };
    println!(
        "busybox: {:?}, {} segments, interp {:?}",
        info.elf_type,
        info.segments.len(),
        info.interp
    );
}

/// Every x86-64 ELF executable or shared object in the usual system
/// directories must be accepted (the checks must not be stricter than
/// Linux), and a sample of them must agree with readelf.
#[test]
fn host_system_binaries() {
    let mut checked = 0;
    let mut compared = 0;
    for dir in [
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/libexec",
    ] {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Ok(md) = fs::metadata(&path) else {
                continue;
            };
            if !md.is_file() || md.len() < 64 {
                continue;
            }
            let Ok(mut f) = fs::File::open(&path) else {
                continue;
            };
            let mut head = [0u8; 20];
            if read_up_to(&mut f, &mut head) < 20 || &head[..4] != ELFMAG || head[4] != ELFCLASS64 {
                continue;
            }
            let e_type = u16::from_le_bytes([head[16], head[17]]);
            let e_machine = u16::from_le_bytes([head[18], head[19]]);
            if e_machine != EM_X86_64 || !(e_type == ET_EXEC || e_type == ET_DYN) {
                continue;
            }
            parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            checked += 1;
            if checked % 25 == 1 {
                check_against_readelf(&path);
                compared += 1;
            }
        }
    }
    println!("parsed {checked} system ELF files, compared {compared} with readelf");
}

#[test]
fn fuzz_real_binary() {
    let candidates = ["/bin/busybox", "/bin/ls", "/usr/bin/env"];
    let Some(path) = candidates.iter().map(Path::new).find(|p| p.exists()) else {
        return;
    };
    let mut bytes = fs::read(path).unwrap();
    bytes.truncate(8192);
    let info = parse(&bytes, Machine::X86_64).unwrap();
    let region = 64 + info.phdr_table_size() + info.phoff as usize;
    fuzz(&bytes, region, 0xb0b_cafe, 30_000);
}
