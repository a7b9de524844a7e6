//! Tests of [`crate::build_initial_stack`]: the image is read back the way
//! a program's startup code reads it, every layout property is checked, and
//! the layout is compared with what the host's Linux kernel builds for a
//! real program.

use super::{TempDir, compile, run};
use crate::auxv::*;
use crate::stack::MAX_ARG_STRLEN;
use crate::*;
use std::format;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::string::String;
use std::vec;
use std::vec::Vec;
use std::{eprintln, println};

const TOP: u64 = 0x7fff_ffff_f000;
const RANDOM: [u8; 16] = *b"0123456789abcdef";

/// What a program would see on its stack.
#[derive(Debug)]
struct ReadBack {
    argc: u64,
    argv_ptrs: Vec<u64>,
    argv: Vec<Vec<u8>>,
    envp_ptrs: Vec<u64>,
    envp: Vec<Vec<u8>>,
    auxv: Vec<(u64, u64)>,
}

fn read_u64(img: &StackImage, addr: u64) -> u64 {
    assert!(
        addr >= img.sp && addr + 8 <= img.top(),
        "read at {addr:#x} outside the image"
    );
    let o = (addr - img.sp) as usize;
    u64::from_le_bytes(img.bytes[o..o + 8].try_into().unwrap())
}

fn read_bytes(img: &StackImage, addr: u64, len: usize) -> &[u8] {
    assert!(addr >= img.sp && addr + len as u64 <= img.top());
    let o = (addr - img.sp) as usize;
    &img.bytes[o..o + len]
}

fn read_cstr(img: &StackImage, addr: u64) -> Vec<u8> {
    assert!(
        addr >= img.sp && addr < img.top(),
        "string at {addr:#x} outside the image"
    );
    let o = (addr - img.sp) as usize;
    let len = img.bytes[o..]
        .iter()
        .position(|&b| b == 0)
        .expect("unterminated string");
    img.bytes[o..o + len].to_vec()
}

/// Reads the table from `sp` like `_start` does.
fn read_back(img: &StackImage) -> ReadBack {
    let mut p = img.sp;
    let argc = read_u64(img, p);
    p += 8;
    assert_eq!(p, img.argv_addr);
    let mut argv_ptrs = Vec::new();
    for _ in 0..argc {
        argv_ptrs.push(read_u64(img, p));
        p += 8;
    }
    assert_eq!(read_u64(img, p), 0, "argv not NULL-terminated");
    p += 8;
    assert_eq!(p, img.envp_addr);
    let mut envp_ptrs = Vec::new();
    loop {
        let v = read_u64(img, p);
        p += 8;
        if v == 0 {
            break;
        }
        envp_ptrs.push(v);
    }
    assert_eq!(p, img.auxv_addr);
    let mut auxv = Vec::new();
    loop {
        let key = read_u64(img, p);
        let value = read_u64(img, p + 8);
        p += 16;
        if key == AT_NULL {
            assert_eq!(value, 0);
            break;
        }
        auxv.push((key, value));
    }
    ReadBack {
        argc,
        argv: argv_ptrs.iter().map(|&a| read_cstr(img, a)).collect(),
        argv_ptrs,
        envp: envp_ptrs.iter().map(|&a| read_cstr(img, a)).collect(),
        envp_ptrs,
        auxv,
    }
}

fn aux(rb: &ReadBack, key: u64) -> Option<u64> {
    let mut found = rb.auxv.iter().filter(|(k, _)| *k == key);
    let first = found.next().map(|&(_, v)| v);
    assert!(found.next().is_none(), "auxv type {key} twice");
    first
}

/// Builds the stack and checks every property of the documented layout.
fn build_and_check(p: &StackParams<'_>) -> (StackImage, ReadBack) {
    let img = build_initial_stack(p).unwrap();
    let rb = read_back(&img);

    // Geometry.
    assert_eq!(img.sp % 16, 0, "sp must be 16-byte aligned");
    assert_eq!(img.top(), p.stack_top);
    assert!(img.bytes.len() <= p.max_size);
    assert_eq!(img.argv_addr, img.sp + 8);
    assert_eq!(&img.bytes[img.bytes.len() - 8..], &[0u8; 8], "end marker");

    // argv/envp contents.
    assert_eq!(rb.argc, p.argv.len() as u64);
    assert_eq!(
        rb.argv,
        p.argv.iter().map(|s| s.to_vec()).collect::<Vec<_>>()
    );
    assert_eq!(
        rb.envp,
        p.envp.iter().map(|s| s.to_vec()).collect::<Vec<_>>()
    );

    // Strings are contiguous, in order argv, envp, execfn, ending 8 bytes
    // below the top.
    let mut expect = img.arg_start;
    for (ptr, s) in rb.argv_ptrs.iter().zip(p.argv) {
        assert_eq!(*ptr, expect);
        expect += s.len() as u64 + 1;
    }
    assert_eq!(expect, img.arg_end);
    assert_eq!(expect, img.env_start);
    for (ptr, s) in rb.envp_ptrs.iter().zip(p.envp) {
        assert_eq!(*ptr, expect);
        expect += s.len() as u64 + 1;
    }
    assert_eq!(expect, img.env_end);
    assert_eq!(expect, img.execfn_addr);
    assert_eq!(img.execfn_addr + p.execfn.len() as u64 + 1 + 8, p.stack_top);

    // auxv: the caller's entries in order, then ours.
    assert_eq!(&rb.auxv[..p.auxv.len()], p.auxv);
    let ours: Vec<u64> = rb.auxv[p.auxv.len()..].iter().map(|e| e.0).collect();
    if p.platform.is_empty() {
        assert_eq!(ours, [AT_RANDOM, AT_EXECFN]);
        assert_eq!(aux(&rb, AT_PLATFORM), None);
        assert_eq!(img.platform_addr, None);
    } else {
        assert_eq!(ours, [AT_RANDOM, AT_EXECFN, AT_PLATFORM]);
        let plat = aux(&rb, AT_PLATFORM).unwrap();
        assert_eq!(Some(plat), img.platform_addr);
        assert_eq!(read_cstr(&img, plat), p.platform);
        // Platform string right below the 16-aligned string area.
        assert_eq!(plat + p.platform.len() as u64 + 1, img.arg_start & !15);
    }
    let execfn = aux(&rb, AT_EXECFN).unwrap();
    assert_eq!(execfn, img.execfn_addr);
    assert_eq!(read_cstr(&img, execfn), p.execfn);
    let random = aux(&rb, AT_RANDOM).unwrap();
    assert_eq!(random, img.random_addr);
    assert_eq!(read_bytes(&img, random, 16), p.random);
    let random_end = img.platform_addr.unwrap_or(img.arg_start & !15);
    assert_eq!(
        random + 16,
        random_end,
        "random bytes directly below platform"
    );

    // The table ends at most 15 bytes below the random bytes, and sp is
    // the lowest address that makes it 16-aligned.
    let table_end = img.auxv_addr + 16 * (rb.auxv.len() as u64 + 1);
    assert!(
        table_end <= random && random - table_end < 16,
        "gap {}",
        random - table_end
    );
    (img, rb)
}

fn params<'a>(
    argv: &'a [&'a [u8]],
    envp: &'a [&'a [u8]],
    auxv: &'a [(u64, u64)],
) -> StackParams<'a> {
    StackParams {
        stack_top: TOP,
        argv,
        envp,
        execfn: b"/bin/prog",
        platform: b"x86_64",
        random: RANDOM,
        auxv,
        max_size: 1 << 20,
    }
}

const TYPICAL_AUXV: &[(u64, u64)] = &[
    (AT_SYSINFO_EHDR, 0x7fff_f7fc_1000),
    (AT_MINSIGSTKSZ, 2048),
    (AT_HWCAP, 0x178b_fbff),
    (AT_PAGESZ, 4096),
    (AT_CLKTCK, 100),
    (AT_PHDR, 0x40_0040),
    (AT_PHENT, 56),
    (AT_PHNUM, 9),
    (AT_BASE, 0),
    (AT_FLAGS, 0),
    (AT_ENTRY, 0x40_1000),
    (AT_UID, 1000),
    (AT_EUID, 1000),
    (AT_GID, 100),
    (AT_EGID, 100),
    (AT_SECURE, 0),
    (AT_HWCAP2, 2),
];

#[test]
fn typical() {
    let argv: &[&[u8]] = &[b"/bin/sh", b"-c", b"echo hello"];
    let envp: &[&[u8]] = &[b"HOME=/", b"PATH=/bin:/usr/bin", b"TERM=linux"];
    let (img, rb) = build_and_check(&params(argv, envp, TYPICAL_AUXV));
    assert_eq!(rb.argc, 3);
    assert_eq!(rb.auxv.len(), TYPICAL_AUXV.len() + 3);
    assert_eq!(aux(&rb, AT_PAGESZ), Some(4096));
    assert_eq!(aux(&rb, AT_ENTRY), Some(0x40_1000));
    assert_eq!(aux(&rb, AT_UID), Some(1000));
    assert_eq!(aux(&rb, AT_HWCAP2), Some(2));
    println!("typical image: {} bytes, sp {:#x}", img.bytes.len(), img.sp);
}

#[test]
fn zero_one_many_args() {
    for argc in [0usize, 1, 2, 3, 100, 2000] {
        let owned: Vec<Vec<u8>> = (0..argc).map(|i| format!("arg{i}").into_bytes()).collect();
        let argv: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
        let (_, rb) = build_and_check(&params(&argv, &[b"A=1"], &[(AT_PAGESZ, 4096)]));
        assert_eq!(rb.argc, argc as u64);
    }
}

#[test]
fn no_environment_and_no_auxv() {
    let (_, rb) = build_and_check(&params(&[b"prog"], &[], &[]));
    assert!(rb.envp.is_empty());
    assert_eq!(rb.auxv.len(), 3);
}

#[test]
fn empty_strings() {
    let argv: &[&[u8]] = &[b"", b"", b"x", b""];
    let envp: &[&[u8]] = &[b"", b"E="];
    let mut p = params(argv, envp, &[]);
    p.execfn = b"";
    let (img, rb) = build_and_check(&p);
    assert_eq!(rb.argv_ptrs[1], rb.argv_ptrs[0] + 1);
    assert_eq!(img.execfn_addr, TOP - 9);
}

#[test]
fn no_platform() {
    let mut p = params(&[b"a"], &[], &[]);
    p.platform = b"";
    build_and_check(&p);
    p.platform = b"aarch64";
    build_and_check(&p);
}

#[test]
fn alignment_sweep() {
    // All small combinations of string lengths and counts, so that every
    // residue of the string area and of the table size modulo 16 occurs.
    let pool: Vec<Vec<u8>> = (0..20).map(|n| vec![b'a' + (n % 26) as u8; n]).collect();
    for argc in 0..4 {
        for envc in 0..4 {
            for len in 0..17 {
                for auxc in 0..3 {
                    let argv: Vec<&[u8]> =
                        (0..argc).map(|i| pool[(len + i) % 20].as_slice()).collect();
                    let envp: Vec<&[u8]> = (0..envc)
                        .map(|i| pool[(len * 3 + i) % 20].as_slice())
                        .collect();
                    let auxv: Vec<(u64, u64)> =
                        (0..auxc).map(|i| (AT_UID + i as u64, i as u64)).collect();
                    let mut p = params(&argv, &envp, &auxv);
                    p.execfn = &pool[len][..];
                    p.platform = &pool[(len + argc) % 9][..];
                    build_and_check(&p);
                }
            }
        }
    }
}

#[test]
fn other_stack_tops() {
    for top in [
        0x1_0000u64,
        0x7fff_ffff_0000,
        0x0000_ffff_ffff_f000,
        0x1000_0010,
    ] {
        let mut p = params(&[b"prog", b"x"], &[b"A=B"], TYPICAL_AUXV);
        p.stack_top = top;
        build_and_check(&p);
    }
}

#[test]
fn size_limit() {
    let argv: &[&[u8]] = &[b"prog", b"some argument"];
    let envp: &[&[u8]] = &[b"X=y"];
    let p = params(argv, envp, TYPICAL_AUXV);
    let size = build_initial_stack(&p).unwrap().bytes.len();
    let mut exact = p;
    exact.max_size = size;
    build_and_check(&exact);
    let mut small = p;
    small.max_size = size - 1;
    assert_eq!(
        build_initial_stack(&small),
        Err(StackError::TooBig {
            needed: size as u64,
            max: size - 1
        })
    );
    small.max_size = 0;
    assert!(matches!(
        build_initial_stack(&small),
        Err(StackError::TooBig { .. })
    ));

    // A big environment against a realistic limit (Linux allows a quarter of
    // an 8 MiB stack rlimit).
    let big = vec![b'v'; 100_000];
    let many: Vec<&[u8]> = (0..30).map(|_| big.as_slice()).collect();
    let mut p = params(&[b"prog"], &many, &[]);
    p.max_size = 2 << 20;
    assert!(matches!(
        build_initial_stack(&p),
        Err(StackError::TooBig { .. })
    ));
    p.max_size = 4 << 20;
    build_and_check(&p);
}

#[test]
fn string_length_limit() {
    let ok = vec![b'a'; MAX_ARG_STRLEN - 1];
    let too_long = vec![b'a'; MAX_ARG_STRLEN];
    let mut p = params(&[], &[], &[]);
    p.max_size = 1 << 24;
    let argv_ok: &[&[u8]] = &[&ok];
    p.argv = argv_ok;
    build_and_check(&p);
    let argv_bad: &[&[u8]] = &[&too_long];
    p.argv = argv_bad;
    assert_eq!(build_initial_stack(&p), Err(StackError::StringTooLong));
    p.argv = &[];
    p.envp = argv_bad;
    assert_eq!(build_initial_stack(&p), Err(StackError::StringTooLong));
    p.envp = &[];
    p.execfn = &too_long;
    assert_eq!(build_initial_stack(&p), Err(StackError::StringTooLong));
}

#[test]
fn invalid_inputs() {
    let mut p = params(&[b"a\0b"], &[], &[]);
    assert_eq!(build_initial_stack(&p), Err(StackError::InteriorNul));
    p.argv = &[];
    p.envp = &[b"\0"];
    assert_eq!(build_initial_stack(&p), Err(StackError::InteriorNul));
    p.envp = &[];
    p.execfn = b"/bin\0/x";
    assert_eq!(build_initial_stack(&p), Err(StackError::InteriorNul));
    p.execfn = b"x";
    p.platform = b"x86\0";
    assert_eq!(build_initial_stack(&p), Err(StackError::InteriorNul));
    p.platform = b"x86_64";

    for top in [TOP + 8, TOP + 1, 15] {
        p.stack_top = top;
        assert_eq!(build_initial_stack(&p), Err(StackError::MisalignedTop));
    }
    // 128 bytes is exactly what this needs (sp ends up at 0).
    p.stack_top = 128;
    assert_eq!(build_initial_stack(&p).map(|i| i.sp), Ok(0));
    for top in [0u64, 16, 64, 112] {
        p.stack_top = top;
        assert_eq!(
            build_initial_stack(&p),
            Err(StackError::AddressUnderflow),
            "top {top}"
        );
    }

    for key in [AT_NULL, AT_RANDOM, AT_EXECFN, AT_PLATFORM] {
        let auxv = [(AT_PAGESZ, 4096), (key, 1)];
        let p = params(&[b"a"], &[], &auxv);
        assert_eq!(
            build_initial_stack(&p),
            Err(StackError::ReservedAuxvType(key))
        );
    }
    for e in [
        StackError::TooBig { needed: 2, max: 1 },
        StackError::StringTooLong,
        StackError::InteriorNul,
        StackError::MisalignedTop,
        StackError::AddressUnderflow,
        StackError::ReservedAuxvType(25),
    ] {
        assert!(!format!("{e}").is_empty());
    }
}

// ---------------------------------------------------------------------------
// Oracle: the layout the host's Linux kernel builds
// ---------------------------------------------------------------------------

/// A static musl program that reports the layout of its own initial stack.
/// It first re-executes itself with address-space randomisation disabled
/// (`ADDR_NO_RANDOMIZE`), because Linux otherwise moves everything below the
/// strings down by a random multiple of 16 bytes (`arch_align_stack`).
/// Offsets are printed relative to the stack top, which it finds as the
/// end of the `AT_EXECFN` string plus the 8-byte end marker.
const ORACLE: &str = r#"
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <sys/auxv.h>
#include <sys/personality.h>

int main(int argc, char **argv, char **envp) {
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    int pers = personality(0xffffffff);
    int randomized = 1;
    if (pers != -1 && (pers & ADDR_NO_RANDOMIZE)) {
        randomized = 0;
    } else if (pers != -1 && personality(pers | ADDR_NO_RANDOMIZE) != -1) {
        execve(execfn, argv, envp);
        /* fall through: report the randomised layout */
    }
    unsigned long top = (unsigned long)execfn + strlen(execfn) + 1 + 8;
    char **e = envp;
    while (*e) e++;
    unsigned long *auxv = (unsigned long *)(e + 1);
    printf("randomized %d\n", randomized);
    printf("top %lu\n", top);
    printf("topword %lu\n", *(unsigned long *)(top - 8));
    printf("sp %lu\n", top - ((unsigned long)argv - 8));
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv %lu %s\n", top - (unsigned long)argv[i], argv[i]);
    for (char **p = envp; *p; p++) printf("envp %lu %s\n", top - (unsigned long)*p, *p);
    printf("argv_array %lu\n", top - (unsigned long)argv);
    printf("envp_array %lu\n", top - (unsigned long)envp);
    printf("auxv_array %lu\n", top - (unsigned long)auxv);
    for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2) printf("auxv %lu %lu\n", a[0], a[1]);
    printf("execfn %lu %s\n", top - (unsigned long)execfn, execfn);
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    if (platform) printf("platform %lu %s\n", top - (unsigned long)platform, platform);
    printf("random %lu\n", top - getauxval(AT_RANDOM));
    return 0;
}
"#;

#[derive(Debug, Default)]
struct Oracle {
    randomized: bool,
    top: u64,
    topword: u64,
    sp: u64,
    argv: Vec<(u64, String)>,
    envp: Vec<(u64, String)>,
    argv_array: u64,
    envp_array: u64,
    auxv_array: u64,
    auxv: Vec<(u64, u64)>,
    execfn: (u64, String),
    platform: Option<(u64, String)>,
    random: u64,
}

fn parse_oracle(text: &str) -> Oracle {
    let mut o = Oracle::default();
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        let key = parts.next().unwrap();
        let a = parts.next().unwrap_or("");
        let b = parts.next().unwrap_or("");
        let n = || a.parse::<u64>().unwrap();
        match key {
            "randomized" => o.randomized = a == "1",
            "top" => o.top = n(),
            "topword" => o.topword = n(),
            "sp" => o.sp = n(),
            "argc" => {}
            "argv" => o.argv.push((n(), String::from(b))),
            "envp" => o.envp.push((n(), String::from(b))),
            "argv_array" => o.argv_array = n(),
            "envp_array" => o.envp_array = n(),
            "auxv_array" => o.auxv_array = n(),
            "auxv" => o.auxv.push((n(), b.parse().unwrap())),
            "execfn" => o.execfn = (n(), String::from(b)),
            "platform" => o.platform = Some((n(), String::from(b))),
            "random" => o.random = n(),
            other => panic!("unexpected oracle line {other}"),
        }
    }
    o
}

#[test]
fn matches_host_kernel_layout() {
    let dir = TempDir::new("oracle");
    let Some(exe) = compile(
        dir.path(),
        "musl-gcc",
        &["-static", "-O1"],
        ORACLE,
        "oracle",
    ) else {
        return;
    };
    let long = "L".repeat(5000);
    let args: Vec<&str> = vec!["", "one", "two words", "", &long, "päth/ünïcode", "x"];
    let mut cmd = Command::new(&exe);
    cmd.arg0("oracle-argv0").args(&args).env_clear();
    cmd.env("HOME", "/root")
        .env("EMPTY", "")
        .env("Z", &long[..77])
        .env("PATH", "/usr/bin:/bin");
    let Some(out) = run(&mut cmd) else { return };
    let text = String::from_utf8(out.stdout).unwrap();
    let o = parse_oracle(&text);
    println!("{text}");

    // What we passed came through, and the kernel's layout matches the
    // documented understanding.
    assert_eq!(
        o.top % 4096,
        0,
        "stack top (execfn end + 8) is page-aligned"
    );
    assert_eq!(o.topword, 0, "8-byte zero end marker at the top");
    assert_eq!(o.execfn.1, exe.to_str().unwrap());
    let got_args: Vec<&str> = o.argv.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(got_args[0], "oracle-argv0");
    assert_eq!(&got_args[1..], &args[..]);

    let argv_owned: Vec<Vec<u8>> = o.argv.iter().map(|(_, s)| s.clone().into_bytes()).collect();
    let envp_owned: Vec<Vec<u8>> = o.envp.iter().map(|(_, s)| s.clone().into_bytes()).collect();
    let argv: Vec<&[u8]> = argv_owned.iter().map(Vec::as_slice).collect();
    let envp: Vec<&[u8]> = envp_owned.iter().map(Vec::as_slice).collect();
    // The kernel's auxv minus the entries our builder adds itself.
    let auxv: Vec<(u64, u64)> = o
        .auxv
        .iter()
        .copied()
        .filter(|(k, _)| !matches!(*k, AT_RANDOM | AT_EXECFN | AT_PLATFORM))
        .collect();
    let platform = o.platform.as_ref().map_or(&b""[..], |p| p.1.as_bytes());
    let p = StackParams {
        stack_top: o.top,
        argv: &argv,
        envp: &envp,
        execfn: o.execfn.1.as_bytes(),
        platform,
        random: RANDOM,
        auxv: &auxv,
        max_size: 1 << 20,
    };
    let (img, rb) = build_and_check(&p);
    let off = |addr: u64| o.top - addr;

    // The string area is never randomised: it must match exactly.
    for (i, (koff, _)) in o.argv.iter().enumerate() {
        assert_eq!(off(rb.argv_ptrs[i]), *koff, "argv[{i}] string");
    }
    for (i, (koff, _)) in o.envp.iter().enumerate() {
        assert_eq!(off(rb.envp_ptrs[i]), *koff, "envp[{i}] string");
    }
    assert_eq!(off(img.execfn_addr), o.execfn.0, "execfn string");

    // Below the strings: exact without randomisation; otherwise shifted
    // down by the same multiple of 16 below 8 KiB.
    let ours = [
        (
            "platform",
            img.platform_addr.map(off),
            o.platform.as_ref().map(|p| p.0),
        ),
        ("random", Some(off(img.random_addr)), Some(o.random)),
        ("sp", Some(off(img.sp)), Some(o.sp)),
        ("argv array", Some(off(img.argv_addr)), Some(o.argv_array)),
        ("envp array", Some(off(img.envp_addr)), Some(o.envp_array)),
        ("auxv array", Some(off(img.auxv_addr)), Some(o.auxv_array)),
    ];
    if o.randomized {
        eprintln!(
            "note: could not disable ASLR; comparing the lower stack modulo the random shift"
        );
        let shift = o.sp - off(img.sp);
        assert!(shift.is_multiple_of(16) && shift < 8192);
        for (what, mine, kernel) in ours {
            assert_eq!(mine.map(|m| m + shift), kernel, "{what}");
        }
    } else {
        for (what, mine, kernel) in ours {
            assert_eq!(mine, kernel, "{what}");
        }
    }
}
