//! Unit tests: hand-built archives, archives made by the host's GNU `cpio`,
//! and robustness against truncated and corrupted input.

use super::*;
use std::format;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::string::String;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::vec;
use std::vec::Vec;
use std::{eprintln, println};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Header fields for a hand-built member.
#[derive(Clone, Copy)]
struct Fields {
    ino: u32,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u32,
    mtime: u32,
    dev_major: u32,
    dev_minor: u32,
    rdev_major: u32,
    rdev_minor: u32,
    check: u32,
}

impl Fields {
    fn new(mode: u32) -> Fields {
        Fields {
            ino: 1,
            mode,
            uid: 0,
            gid: 0,
            nlink: 1,
            mtime: 0,
            dev_major: 0,
            dev_minor: 0,
            rdev_major: 0,
            rdev_minor: 0,
            check: 0,
        }
    }
}

/// Appends one newc member (header, NUL-terminated name, data, padding).
fn push_member(out: &mut Vec<u8>, magic: &[u8; 6], f: Fields, name: &[u8], data: &[u8]) {
    assert_eq!(out.len() % 4, 0, "members must start 4-aligned");
    out.extend_from_slice(magic);
    let namesize = name.len() as u32 + 1;
    for v in [
        f.ino,
        f.mode,
        f.uid,
        f.gid,
        f.nlink,
        f.mtime,
        data.len() as u32,
        f.dev_major,
        f.dev_minor,
        f.rdev_major,
        f.rdev_minor,
        namesize,
        f.check,
    ] {
        out.extend_from_slice(format!("{v:08x}").as_bytes());
    }
    out.extend_from_slice(name);
    out.push(0);
    pad4(out);
    out.extend_from_slice(data);
    pad4(out);
}

fn push_trailer(out: &mut Vec<u8>) {
    let mut f = Fields::new(0);
    f.ino = 0;
    f.nlink = 1;
    push_member(out, MAGIC_NEWC, f, TRAILER_NAME, b"");
}

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// Collects all entries, panicking on an error.
fn entries(archive: &[u8]) -> Vec<Entry<'_>> {
    parse(archive)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("parse failed: {e}"))
}

/// Collects the entries and the error (if any) that ended the iteration,
/// checking that an error is the last item and the iterator stays finished.
fn entries_and_error(archive: &[u8]) -> (Vec<Entry<'_>>, Option<Error>) {
    let mut it = parse(archive);
    let mut ok = Vec::new();
    let mut err = None;
    for item in it.by_ref() {
        match item {
            Ok(e) => {
                assert!(err.is_none(), "entry after an error");
                ok.push(e);
            }
            Err(e) => {
                assert!(err.is_none(), "two errors");
                err = Some(e);
            }
        }
    }
    assert!(it.next().is_none(), "iterator not fused");
    assert!(it.next().is_none(), "iterator not fused");
    (ok, err)
}

fn error_of(archive: &[u8]) -> Error {
    let (_, err) = entries_and_error(archive);
    err.expect("expected an error")
}

/// Hand-built archive exercising every file type.
fn sample_archive() -> Vec<u8> {
    let mut a = Vec::new();
    let mut f = Fields::new(S_IFDIR | 0o755);
    f.nlink = 3;
    f.mtime = 0x6543_2100;
    push_member(&mut a, MAGIC_NEWC, f, b".", b"");
    let mut f = Fields::new(S_IFDIR | 0o755);
    f.ino = 2;
    f.uid = 1000;
    f.gid = 100;
    push_member(&mut a, MAGIC_NEWC, f, b"./bin", b"");
    let mut f = Fields::new(S_IFREG | 0o4755);
    f.ino = 3;
    f.dev_major = 8;
    f.dev_minor = 1;
    push_member(&mut a, MAGIC_NEWC, f, b"./bin/busybox", b"\x7fELF fake");
    let mut f = Fields::new(S_IFLNK | 0o777);
    f.ino = 4;
    push_member(&mut a, MAGIC_NEWC, f, b"./bin/sh", b"busybox");
    let mut f = Fields::new(S_IFCHR | 0o600);
    f.ino = 5;
    f.rdev_major = 5;
    f.rdev_minor = 1;
    push_member(&mut a, MAGIC_NEWC, f, b"/dev/console", b"");
    let mut f = Fields::new(S_IFBLK | 0o660);
    f.ino = 6;
    f.rdev_major = 8;
    f.rdev_minor = 0;
    push_member(&mut a, MAGIC_NEWC, f, b"dev/sda", b"");
    let mut f = Fields::new(S_IFIFO | 0o644);
    f.ino = 7;
    push_member(&mut a, MAGIC_NEWC, f, b"run/fifo", b"");
    let mut f = Fields::new(S_IFSOCK | 0o755);
    f.ino = 8;
    push_member(&mut a, MAGIC_NEWC, f, b"run/sock", b"");
    let mut f = Fields::new(S_IFREG | 0o644);
    f.ino = 9;
    push_member(&mut a, MAGIC_NEWC, f, b"etc/empty", b"");
    push_trailer(&mut a);
    a
}

/// A small deterministic PRNG (xorshift64*), so fuzz-like tests are
/// reproducible without external crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A fresh, empty temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("kevlar-cpio-test-{}-{tag}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Whether the host `cpio` tool can be run. Tests that need it print a note
/// and return early when it is missing (tools/setup.sh installs it).
fn have_cpio() -> bool {
    let ok = Command::new("cpio")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("note: host `cpio` not found; skipping a test that needs it");
    }
    ok
}

/// Archives `names` (relative to `dir`, in this order) with the host `cpio`.
fn run_cpio(dir: &Path, format: &str, names: &[&str]) -> Vec<u8> {
    let mut child = Command::new("cpio")
        .args(["-o", "--quiet", "-H", format])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cpio");
    {
        let mut stdin = child.stdin.take().unwrap();
        for name in names {
            writeln!(stdin, "{name}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "cpio failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Lists everything under `dir` as "./relative/path", sorted, with "." first.
fn list_tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap();
            out.push(format!("./{}", rel.display()));
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out.insert(0, String::from("."));
    out
}

/// Contents for a test file of `len` bytes.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// Populates `root` with a tree covering the interesting cases and returns
/// the regular files it wrote, as (relative name, contents).
fn build_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    fs::create_dir(root.join("bin")).unwrap();
    fs::create_dir(root.join("etc")).unwrap();
    fs::create_dir_all(root.join("deep/a/b/c")).unwrap();

    // Sizes 0..=9 cover every residue mod 4 at least twice; 4093..=4100
    // cover a page boundary.
    for len in (0..=9).chain(4093..=4100) {
        let name = format!("etc/size{len}");
        let data = pattern(len, len as u8);
        fs::write(root.join(&name), &data).unwrap();
        files.push((name, data));
    }

    // Set-uid executable.
    let data = b"#!/bin/sh\necho hi\n".to_vec();
    fs::write(root.join("bin/suid"), &data).unwrap();
    fs::set_permissions(root.join("bin/suid"), fs::Permissions::from_mode(0o4755)).unwrap();
    files.push((String::from("bin/suid"), data));

    // Sticky, world-writable directory.
    fs::create_dir(root.join("tmp")).unwrap();
    fs::set_permissions(root.join("tmp"), fs::Permissions::from_mode(0o1777)).unwrap();

    // Symlinks: relative and absolute targets, and a dangling one.
    std::os::unix::fs::symlink("suid", root.join("bin/sh")).unwrap();
    std::os::unix::fs::symlink("/etc/size5", root.join("bin/abs")).unwrap();
    std::os::unix::fs::symlink("../nowhere/at/all", root.join("bin/dangling")).unwrap();

    // Hard links.
    let data = b"linked contents".to_vec();
    fs::write(root.join("etc/link1"), &data).unwrap();
    fs::hard_link(root.join("etc/link1"), root.join("etc/link2")).unwrap();
    fs::hard_link(root.join("etc/link1"), root.join("bin/link3")).unwrap();

    // Long names: a 200-byte component, and a path over 255 bytes.
    let long = "L".repeat(200);
    let data = b"long".to_vec();
    fs::write(root.join(format!("deep/{long}")), &data).unwrap();
    files.push((format!("deep/{long}"), data));
    let mut deep = String::from("deep/a/b/c");
    for i in 0..5 {
        deep.push_str(&format!("/{}{i}", "d".repeat(60)));
    }
    fs::create_dir_all(root.join(&deep)).unwrap();
    let name = format!("{deep}/file");
    let data = b"deep".to_vec();
    fs::write(root.join(&name), &data).unwrap();
    files.push((name, data));

    // A FIFO if the host allows creating one.
    let _ = Command::new("mkfifo")
        .arg(root.join("etc/fifo"))
        .stderr(Stdio::null())
        .status();
    files
}

fn name_str<'a>(e: &Entry<'a>) -> &'a str {
    core::str::from_utf8(e.name).unwrap()
}

// ---------------------------------------------------------------------------
// Hand-built archives
// ---------------------------------------------------------------------------

#[test]
fn hand_built_all_types() {
    let a = sample_archive();
    let es = entries(&a);
    let names: Vec<&str> = es.iter().map(name_str).collect();
    assert_eq!(
        names,
        [
            "",
            "bin",
            "bin/busybox",
            "bin/sh",
            "dev/console",
            "dev/sda",
            "run/fifo",
            "run/sock",
            "etc/empty"
        ]
    );
    let types: Vec<_> = es.iter().map(|e| e.file_type().unwrap()).collect();
    assert_eq!(
        types,
        [
            FileType::Directory,
            FileType::Directory,
            FileType::Regular,
            FileType::Symlink,
            FileType::CharDevice,
            FileType::BlockDevice,
            FileType::Fifo,
            FileType::Socket,
            FileType::Regular
        ]
    );
    assert_eq!(es[0].nlink, 3);
    assert_eq!(es[0].mtime, 0x6543_2100);
    assert_eq!((es[1].uid, es[1].gid), (1000, 100));
    assert_eq!(es[2].data, b"\x7fELF fake");
    assert_eq!(es[2].permissions(), 0o4755);
    assert_eq!(es[2].mode, 0o104_755);
    assert_eq!((es[2].dev_major, es[2].dev_minor), (8, 1));
    assert_eq!(es[2].symlink_target(), None);
    assert_eq!(es[3].symlink_target(), Some(&b"busybox"[..]));
    assert_eq!((es[4].rdev_major, es[4].rdev_minor), (5, 1));
    assert_eq!((es[5].rdev_major, es[5].rdev_minor), (8, 0));
    assert_eq!(es[8].data, b"");
    for (i, e) in es.iter().enumerate() {
        assert_eq!(e.ino, i as u32 + 1);
    }
}

#[test]
fn unknown_file_type() {
    let mut a = Vec::new();
    push_member(&mut a, MAGIC_NEWC, Fields::new(0o644), b"weird", b"");
    push_member(&mut a, MAGIC_NEWC, Fields::new(0o170_644), b"weirder", b"");
    push_trailer(&mut a);
    let es = entries(&a);
    assert_eq!(es.len(), 2);
    assert_eq!(es[0].file_type(), None);
    assert_eq!(es[1].file_type(), None);
    assert_eq!(es[1].permissions(), 0o644);
}

#[test]
fn file_type_from_mode() {
    assert_eq!(FileType::from_mode(0o100_644), Some(FileType::Regular));
    assert_eq!(FileType::from_mode(0o040_755), Some(FileType::Directory));
    assert_eq!(FileType::from_mode(0o120_777), Some(FileType::Symlink));
    assert_eq!(FileType::from_mode(0o020_600), Some(FileType::CharDevice));
    assert_eq!(FileType::from_mode(0o060_600), Some(FileType::BlockDevice));
    assert_eq!(FileType::from_mode(0o010_600), Some(FileType::Fifo));
    assert_eq!(FileType::from_mode(0o140_600), Some(FileType::Socket));
    assert_eq!(FileType::from_mode(0o030_600), None);
    assert_eq!(FileType::from_mode(0), None);
}

#[test]
fn name_stripping() {
    let cases: &[(&[u8], &[u8])] = &[
        (b".", b""),
        (b"./", b""),
        (b"/", b""),
        (b"./bin/sh", b"bin/sh"),
        (b"/bin/sh", b"bin/sh"),
        (b"//bin", b"bin"),
        (b"././x", b"x"),
        (b"/./x", b"x"),
        (b"..", b".."),
        (b"../x", b"../x"),
        (b".hidden", b".hidden"),
        (b"a/./b", b"a/./b"),
        (b"bin", b"bin"),
    ];
    for &(raw, want) in cases {
        let mut a = Vec::new();
        push_member(&mut a, MAGIC_NEWC, Fields::new(S_IFDIR | 0o755), raw, b"");
        let es = entries(&a);
        assert_eq!(es.len(), 1);
        assert_eq!(
            es[0].name,
            want,
            "raw name {:?}",
            String::from_utf8_lossy(raw)
        );
    }
}

#[test]
fn name_with_interior_nul_is_cut_at_first_nul() {
    let mut a = Vec::new();
    push_member(
        &mut a,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"abc\0def",
        b"xy",
    );
    let es = entries(&a);
    assert_eq!(es[0].name, b"abc");
    assert_eq!(es[0].data, b"xy");
}

#[test]
fn uppercase_hex_is_accepted() {
    let mut a = Vec::new();
    let mut f = Fields::new(S_IFREG | 0o644);
    f.mtime = 0xABCD_EF01;
    push_member(&mut a, MAGIC_NEWC, f, b"x", b"data");
    let upper = String::from_utf8(a[..HEADER_SIZE].to_vec())
        .unwrap()
        .to_uppercase();
    a[..HEADER_SIZE].copy_from_slice(upper.as_bytes());
    let es = entries(&a);
    assert_eq!(es[0].mtime, 0xABCD_EF01);
    assert_eq!(es[0].data, b"data");
}

#[test]
fn every_name_and_data_length_alignment() {
    // Name lengths 1..=12 and data lengths 0..=12 in all combinations, all in
    // one archive, so misaligned padding anywhere would derail later members.
    let mut a = Vec::new();
    let mut expect = Vec::new();
    for nl in 1..=12usize {
        for dl in 0..=12usize {
            let name: Vec<u8> = (0..nl).map(|i| b'a' + ((i + dl) % 26) as u8).collect();
            let data = pattern(dl, (nl * 13 + dl) as u8);
            push_member(
                &mut a,
                MAGIC_NEWC,
                Fields::new(S_IFREG | 0o600),
                &name,
                &data,
            );
            expect.push((name, data));
        }
    }
    push_trailer(&mut a);
    let es = entries(&a);
    assert_eq!(es.len(), expect.len());
    for (e, (name, data)) in es.iter().zip(&expect) {
        assert_eq!(e.name, &name[..]);
        assert_eq!(e.data, &data[..]);
    }
}

#[test]
fn empty_and_zero_input() {
    assert!(parse(b"").next().is_none());
    assert!(parse(&[0u8; 1]).next().is_none());
    assert!(parse(&[0u8; 4096]).next().is_none());
}

#[test]
fn leading_nul_padding_is_skipped() {
    let mut a = vec![0u8; 8];
    a.extend_from_slice(&sample_archive());
    assert_eq!(entries(&a).len(), 9);
}

#[test]
fn missing_trailer_ends_cleanly() {
    let mut a = Vec::new();
    push_member(
        &mut a,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"f",
        b"abc",
    );
    let es = entries(&a);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].data, b"abc");
}

#[test]
fn missing_final_data_padding_is_accepted() {
    let mut a = Vec::new();
    push_member(
        &mut a,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"f",
        b"abcde",
    );
    // Remove the 3 padding bytes after the 5 data bytes.
    a.truncate(a.len() - 3);
    let es = entries(&a);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].data, b"abcde");
}

#[test]
fn trailer_is_not_yielded() {
    let mut a = Vec::new();
    push_trailer(&mut a);
    assert_eq!(entries(&a).len(), 0);
    // "./TRAILER!!!" is an ordinary name, not a trailer.
    let mut b = Vec::new();
    push_member(
        &mut b,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"./TRAILER!!!",
        b"x",
    );
    let es = entries(&b);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].name, b"TRAILER!!!");
}

#[test]
fn concatenated_archives() {
    let first = sample_archive();
    let mut second = Vec::new();
    push_member(
        &mut second,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o600),
        b"kernel/x86/microcode/GenuineIntel.bin",
        b"ucode",
    );
    push_trailer(&mut second);

    for padding in [0usize, 4, 8, 512, 4096] {
        let mut a = first.clone();
        a.extend(std::iter::repeat_n(0u8, padding));
        a.extend_from_slice(&second);
        a.extend(std::iter::repeat_n(0u8, padding));
        let es = entries(&a);
        assert_eq!(es.len(), 10, "padding {padding}");
        assert_eq!(es[9].name, b"kernel/x86/microcode/GenuineIntel.bin");
        assert_eq!(es[9].data, b"ucode");
    }

    // Archives directly following each other, without padding.
    let mut a = first.clone();
    a.extend_from_slice(&first);
    a.extend_from_slice(&second);
    assert_eq!(entries(&a).len(), 19);
}

#[test]
fn broken_padding_between_archives() {
    let mut a = sample_archive();
    let len = a.len();
    a.extend_from_slice(&[0, 0, 0x30, 0x37]); // "07" at offset len+2
    a.extend_from_slice(&sample_archive());
    let (ok, err) = entries_and_error(&a);
    assert_eq!(ok.len(), 9);
    assert_eq!(err, Some(Error::BrokenPadding { offset: len + 2 }));

    // Garbage at an aligned offset after a trailer is a bad magic.
    let mut a = sample_archive();
    let len = a.len();
    a.extend_from_slice(b"\x1f\x8b\x08\x00garbage!");
    let (ok, err) = entries_and_error(&a);
    assert_eq!(ok.len(), 9);
    assert_eq!(err, Some(Error::BadMagic { offset: len }));

    // Leading garbage before the first archive.
    let mut a = vec![0u8, 1];
    a.extend_from_slice(&sample_archive());
    assert_eq!(error_of(&a), Error::BrokenPadding { offset: 1 });
}

#[test]
fn zeros_inside_an_archive_are_not_padding() {
    // Before the trailer, NULs where a header belongs are an error (the
    // kernel says "no cpio magic" too).
    let mut a = Vec::new();
    push_member(
        &mut a,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"f",
        b"abc",
    );
    let off = a.len();
    a.extend_from_slice(&[0u8; 200]);
    let (ok, err) = entries_and_error(&a);
    assert_eq!(ok.len(), 1);
    assert_eq!(err, Some(Error::BadMagic { offset: off }));
}

#[test]
fn checksum_format() {
    let data = b"checksummed data \xff\xfe";
    let sum: u32 = data.iter().map(|&b| u32::from(b)).sum();
    let mut f = Fields::new(S_IFREG | 0o644);
    f.check = sum;
    let mut a = Vec::new();
    push_member(&mut a, MAGIC_NEWC_CRC, f, b"good", data);
    // Symlinks and directories carry no checksum; the field is ignored.
    let mut l = Fields::new(S_IFLNK | 0o777);
    l.check = 0xdead_beef;
    push_member(&mut a, MAGIC_NEWC_CRC, l, b"link", b"good");
    let mut d = Fields::new(S_IFDIR | 0o755);
    d.check = 0x1234;
    push_member(&mut a, MAGIC_NEWC_CRC, d, b"dir", b"");
    // "070701" members ignore the field even for regular files.
    let mut n = Fields::new(S_IFREG | 0o644);
    n.check = 0x1234;
    push_member(&mut a, MAGIC_NEWC, n, b"nocheck", b"abc");
    push_trailer(&mut a);
    let es = entries(&a);
    assert_eq!(es.len(), 4);
    assert_eq!(es[0].data, data);

    let mut bad = Vec::new();
    f.check = sum + 1;
    push_member(&mut bad, MAGIC_NEWC_CRC, f, b"bad", data);
    assert_eq!(
        error_of(&bad),
        Error::ChecksumMismatch {
            offset: 0,
            expected: sum + 1,
            actual: sum
        }
    );
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn bad_magic() {
    let mut a = sample_archive();
    a[5] = b'3';
    assert_eq!(error_of(&a), Error::BadMagic { offset: 0 });
    let mut a = sample_archive();
    a[..6].copy_from_slice(MAGIC_ODC);
    assert_eq!(error_of(&a), Error::UnsupportedOdcFormat { offset: 0 });
    assert_eq!(
        error_of(b"hello world, this is not cpio"),
        Error::BadMagic { offset: 0 }
    );
}

#[test]
fn bad_magic_in_second_member() {
    let mut a = sample_archive();
    // The second member starts right after the first ("." dir, no data):
    // 110 + 2 = 112 bytes.
    assert_eq!(&a[112..118], MAGIC_NEWC);
    a[112] = b'x';
    let (ok, err) = entries_and_error(&a);
    assert_eq!(ok.len(), 1);
    assert_eq!(err, Some(Error::BadMagic { offset: 112 }));
}

#[test]
fn non_hex_digits() {
    for (field, bad) in [
        (0usize, b'g'),
        (6, b' '),
        (11, b'+'),
        (12, b'-'),
        (3, 0xff),
        (1, b'x'),
    ] {
        let mut a = sample_archive();
        a[6 + field * 8 + 3] = bad;
        assert_eq!(
            error_of(&a),
            Error::InvalidHex { offset: 0, field },
            "field {field} byte {bad:#x}"
        );
    }
}

#[test]
fn zero_namesize() {
    let mut a = sample_archive();
    // namesize is field 11.
    a[6 + 11 * 8..6 + 12 * 8].copy_from_slice(b"00000000");
    assert_eq!(error_of(&a), Error::EmptyName { offset: 0 });
}

#[test]
fn name_not_terminated() {
    let mut a = Vec::new();
    push_member(
        &mut a,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"abc",
        b"data",
    );
    // The NUL of "abc\0" is at 110 + 3.
    a[113] = b'd';
    assert_eq!(error_of(&a), Error::NameNotTerminated { offset: 0 });
}

#[test]
fn truncated_pieces() {
    let mut a = Vec::new();
    push_member(
        &mut a,
        MAGIC_NEWC,
        Fields::new(S_IFREG | 0o644),
        b"name",
        b"0123456789",
    );
    // Header is 110 bytes, name "name\0" ends at 115, padded to 116, data
    // ends at 126.
    assert_eq!(error_of(&a[..1]), Error::TruncatedHeader { offset: 0 });
    assert_eq!(error_of(&a[..109]), Error::TruncatedHeader { offset: 0 });
    assert_eq!(error_of(&a[..110]), Error::TruncatedName { offset: 0 });
    assert_eq!(error_of(&a[..114]), Error::TruncatedName { offset: 0 });
    assert_eq!(error_of(&a[..115]), Error::TruncatedData { offset: 0 });
    assert_eq!(error_of(&a[..125]), Error::TruncatedData { offset: 0 });
    assert_eq!(entries(&a[..126])[0].data, b"0123456789");
}

#[test]
fn huge_sizes_do_not_overflow() {
    for (field, value) in [
        (6usize, b"ffffffff"),
        (11, b"ffffffff"),
        (6, b"fffffffd"),
        (11, b"7fffffff"),
    ] {
        let mut a = sample_archive();
        a[6 + field * 8..6 + field * 8 + 8].copy_from_slice(value);
        let err = error_of(&a);
        assert!(
            matches!(
                err,
                Error::TruncatedData { offset: 0 } | Error::TruncatedName { offset: 0 }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn error_is_yielded_once() {
    let mut it = parse(b"garbage garbage garbage");
    assert!(matches!(
        it.next(),
        Some(Err(Error::BadMagic { offset: 0 }))
    ));
    assert!(it.next().is_none());
    assert!(it.next().is_none());
}

#[test]
fn error_display_and_offset() {
    let errors = [
        Error::BadMagic { offset: 1 },
        Error::UnsupportedOdcFormat { offset: 2 },
        Error::TruncatedHeader { offset: 3 },
        Error::InvalidHex {
            offset: 4,
            field: 0,
        },
        Error::EmptyName { offset: 5 },
        Error::TruncatedName { offset: 6 },
        Error::NameNotTerminated { offset: 7 },
        Error::TruncatedData { offset: 8 },
        Error::ChecksumMismatch {
            offset: 9,
            expected: 1,
            actual: 2,
        },
        Error::BrokenPadding { offset: 10 },
    ];
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(e.offset(), i + 1);
        let s = format!("{e}");
        assert!(s.contains(&format!("{}", i + 1)), "{s}");
    }
}

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

/// Every prefix of `archive` yields a prefix of the full entry list, then
/// possibly one error; nothing panics.
fn check_all_truncations(archive: &[u8]) {
    let full = entries(archive);
    for len in 0..archive.len() {
        let (ok, _err) = entries_and_error(&archive[..len]);
        assert!(ok.len() <= full.len(), "len {len}");
        for (a, b) in ok.iter().zip(&full) {
            assert_eq!(a, b, "truncated at {len}");
        }
    }
}

#[test]
fn truncations_of_hand_built_archive() {
    let mut a = sample_archive();
    a.extend_from_slice(&[0u8; 12]);
    a.extend_from_slice(&sample_archive());
    check_all_truncations(&a);
}

fn fuzz(archive: &[u8], seed: u64, rounds: usize) {
    let mut rng = Rng(seed);
    let interesting: &[u8] = b"0123456789abcdefABCDEF\0\xff7xTRAILER!";
    for _ in 0..rounds {
        let mut a = archive.to_vec();
        let flips = 1 + rng.below(4);
        for _ in 0..flips {
            let i = rng.below(a.len());
            a[i] = if rng.below(2) == 0 {
                rng.next() as u8
            } else {
                interesting[rng.below(interesting.len())]
            };
        }
        let cut = if rng.below(4) == 0 {
            rng.below(a.len() + 1)
        } else {
            a.len()
        };
        let (ok, err) = entries_and_error(&a[..cut]);
        // Whatever came out must lie within the input.
        for e in &ok {
            assert!(e.name.len() < cut && e.data.len() <= cut);
        }
        if let Some(err) = err {
            assert!(err.offset() <= cut);
        }
    }
}

#[test]
fn random_byte_flips_hand_built() {
    let mut a = sample_archive();
    a.extend_from_slice(&sample_archive());
    fuzz(&a, 0x1234_5678_9abc_def1, 20_000);
}

#[test]
fn random_bytes_after_magic() {
    let mut rng = Rng(42);
    for _ in 0..5_000 {
        let len = rng.below(400);
        let mut a: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if len >= 6 {
            a[..6].copy_from_slice(MAGIC_NEWC);
        }
        let _ = entries_and_error(&a);
        // Same, with every header field made of valid hex digits.
        for b in a.iter_mut().take(HEADER_SIZE.min(len)).skip(6) {
            *b = b"0123456789abcdef"[(*b & 15) as usize];
        }
        let _ = entries_and_error(&a);
    }
}

// ---------------------------------------------------------------------------
// Archives made by the host's GNU cpio
// ---------------------------------------------------------------------------

/// Checks the parsed entries of a cpio-made archive of `root` against the
/// file system.
fn check_against_tree(
    root: &Path,
    es: &[Entry<'_>],
    files: &[(String, Vec<u8>)],
    names: &[String],
) {
    // GNU cpio holds back the names of a multiply-linked file until it has
    // seen them all, so the order is not exactly the input order.
    let mut got: Vec<&str> = es.iter().map(name_str).collect();
    let mut want: Vec<&str> = names
        .iter()
        .map(|n| n.trim_start_matches("./").trim_start_matches('.'))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);

    for e in es {
        let path = root.join(name_str(e));
        let md = fs::symlink_metadata(&path).unwrap();
        assert_eq!(e.mode, md.mode(), "{}", path.display());
        assert_eq!(e.uid, md.uid());
        assert_eq!(e.gid, md.gid());
        assert_eq!(e.mtime as i64, md.mtime());
        assert_eq!(e.nlink as u64, md.nlink(), "{}", path.display());
        let ft = md.file_type();
        match e.file_type().unwrap() {
            FileType::Directory => assert!(ft.is_dir()),
            FileType::Regular => {
                assert!(ft.is_file());
                if md.nlink() == 1 {
                    assert_eq!(e.data, &fs::read(&path).unwrap()[..]);
                }
            }
            FileType::Symlink => {
                assert!(ft.is_symlink());
                let target = fs::read_link(&path).unwrap();
                assert_eq!(
                    e.symlink_target().unwrap(),
                    target.as_os_str().as_encoded_bytes()
                );
            }
            FileType::Fifo => {
                use std::os::unix::fs::FileTypeExt;
                assert!(ft.is_fifo());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    for (name, data) in files {
        let e = es.iter().find(|e| e.name == name.as_bytes()).unwrap();
        assert_eq!(e.data, &data[..], "{name}");
    }
}

#[test]
fn host_cpio_newc_tree() {
    if !have_cpio() {
        return;
    }
    let dir = TempDir::new("tree");
    let files = build_tree(dir.path());
    let names = list_tree(dir.path());
    let archive = run_cpio(
        dir.path(),
        "newc",
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(&archive[..6], MAGIC_NEWC);
    // GNU cpio pads the output to a 512-byte block with NULs after the
    // trailer, which the parser must skip.
    assert_eq!(archive.len() % 512, 0);
    let es = entries(&archive);
    println!(
        "host cpio archive: {} bytes, {} entries",
        archive.len(),
        es.len()
    );
    check_against_tree(dir.path(), &es, &files, &names);

    // Specific checks.
    let find = |n: &str| *es.iter().find(|e| e.name == n.as_bytes()).unwrap();
    assert_eq!(find("").file_type(), Some(FileType::Directory));
    let suid = find("bin/suid");
    assert_eq!(suid.permissions(), 0o4755);
    assert_eq!(suid.mode, S_IFREG | 0o4755);
    assert_eq!(find("tmp").permissions(), 0o1777);
    assert_eq!(find("bin/sh").symlink_target(), Some(&b"suid"[..]));
    assert_eq!(find("bin/abs").symlink_target(), Some(&b"/etc/size5"[..]));
    assert_eq!(
        find("bin/dangling").symlink_target(),
        Some(&b"../nowhere/at/all"[..])
    );
    assert_eq!(find("etc/size0").data, b"");
    assert!(es.iter().any(|e| e.name.len() > 255));

    // Hard links: three names with one key; GNU cpio stores the data with
    // exactly one of them (the last one archived) and 0 bytes for the rest.
    let links: Vec<Entry<'_>> = es
        .iter()
        .filter(|e| {
            e.name.ends_with(b"link1") || e.name.ends_with(b"link2") || e.name.ends_with(b"link3")
        })
        .copied()
        .collect();
    assert_eq!(links.len(), 3);
    let key = links[0].hardlink_key().unwrap();
    for l in &links {
        assert_eq!(l.nlink, 3);
        assert_eq!(l.hardlink_key(), Some(key));
    }
    let with_data: Vec<_> = links.iter().filter(|l| !l.data.is_empty()).collect();
    assert_eq!(with_data.len(), 1);
    assert_eq!(with_data[0].data, b"linked contents");
    assert_eq!(find("etc/size1").hardlink_key(), None);
    assert_eq!(find("bin").hardlink_key(), None);
}

#[test]
fn host_cpio_crc_format() {
    if !have_cpio() {
        return;
    }
    let dir = TempDir::new("crc");
    let files = build_tree(dir.path());
    let names = list_tree(dir.path());
    let archive = run_cpio(
        dir.path(),
        "crc",
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(&archive[..6], MAGIC_NEWC_CRC);
    let es = entries(&archive);
    check_against_tree(dir.path(), &es, &files, &names);

    // Corrupt one data byte of a regular file: the checksum must catch it.
    let target = es.iter().find(|e| e.name == b"etc/size9").unwrap();
    let off = target.data.as_ptr() as usize - archive.as_ptr() as usize;
    let mut bad = archive.clone();
    bad[off + 4] ^= 0x40;
    let (ok, err) = entries_and_error(&bad);
    assert!(
        matches!(err, Some(Error::ChecksumMismatch { .. })),
        "{err:?}"
    );
    assert!(ok.iter().all(|e| e.name != b"etc/size9"));
}

#[test]
fn host_cpio_concatenated() {
    if !have_cpio() {
        return;
    }
    let one = TempDir::new("cat1");
    fs::create_dir_all(one.path().join("kernel/x86/microcode")).unwrap();
    fs::write(
        one.path().join("kernel/x86/microcode/AuthenticAMD.bin"),
        b"amd",
    )
    .unwrap();
    let two = TempDir::new("cat2");
    let files = build_tree(two.path());

    let names1 = list_tree(one.path());
    let names2 = list_tree(two.path());
    let a1 = run_cpio(
        one.path(),
        "newc",
        &names1.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let a2 = run_cpio(
        two.path(),
        "newc",
        &names2.iter().map(String::as_str).collect::<Vec<_>>(),
    );

    for gap in [0usize, 4, 1024] {
        let mut cat = a1.clone();
        cat.extend(std::iter::repeat_n(0u8, gap));
        cat.extend_from_slice(&a2);
        let es = entries(&cat);
        assert_eq!(es.len(), names1.len() + names2.len());
        let amd = es
            .iter()
            .find(|e| e.name == b"kernel/x86/microcode/AuthenticAMD.bin")
            .unwrap();
        assert_eq!(amd.data, b"amd");
        check_against_tree(two.path(), &es[names1.len()..], &files, &names2);
    }

    // Also concatenate without cpio's block padding: cut the first archive
    // right after its trailer.
    let trailer = a1
        .windows(TRAILER_NAME.len())
        .rposition(|w| w == TRAILER_NAME)
        .unwrap();
    let end = (trailer + TRAILER_NAME.len() + 1 + 3) & !3;
    let mut cat = a1[..end].to_vec();
    cat.extend_from_slice(&a2);
    assert_eq!(entries(&cat).len(), names1.len() + names2.len());
}

#[test]
fn host_cpio_truncations_and_flips() {
    if !have_cpio() {
        return;
    }
    let dir = TempDir::new("fuzz");
    fs::create_dir(dir.path().join("d")).unwrap();
    for len in 0..=5 {
        fs::write(dir.path().join(format!("d/f{len}")), pattern(len, 7)).unwrap();
    }
    std::os::unix::fs::symlink("f3", dir.path().join("d/l")).unwrap();
    let names = list_tree(dir.path());
    let archive = run_cpio(
        dir.path(),
        "newc",
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(entries(&archive).len(), names.len());
    check_all_truncations(&archive);
    fuzz(&archive, 0xfeed_f00d, 20_000);
}
