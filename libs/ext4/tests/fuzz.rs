//! Corrupt images must never panic the library: mount either refuses,
//! falls back to read-only, or works; every later call returns a value
//! or an error.

mod common;

use common::*;
use kevlar_ext4::*;
use std::panic::{AssertUnwindSafe, catch_unwind};

fn populate(root: &std::path::Path) {
    std::fs::create_dir_all(root.join("d/e")).unwrap();
    for i in 0..120 {
        std::fs::write(root.join(format!("d/f{i}")), pattern(i, (i as usize * 97) % 3000)).unwrap();
    }
    std::fs::write(root.join("d/e/big"), pattern(99, 200_000)).unwrap();
    std::os::unix::fs::symlink("d/f1", root.join("l1")).unwrap();
    std::os::unix::fs::symlink("x/".repeat(60), root.join("l2")).unwrap();
}

/// Exercise everything reachable, bounded so loops in corrupt metadata
/// cannot run away.
static SEEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static ERRS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn exercise<D: BlockDevice>(fs: &mut Fs<D>) {
    let _ = fs.statfs();
    let mut stack = vec![(ROOT_INO, 0)];
    let mut seen = 0;
    while let Some((dir, depth)) = stack.pop() {
        if depth > 6 || seen > 400 {
            break;
        }
        let mut entries = Vec::new();
        let mut pos = 0;
        for _ in 0..50 {
            let mut last = None;
            let r = fs.readdir(dir, pos, |e| {
                if entries.len() > 300 {
                    return false;
                }
                entries.push((e.name.to_vec(), e.ino));
                last = Some(e.next);
                true
            });
            match (r, last) {
                (Ok(()), Some(n)) if n > pos => pos = n,
                _ => break,
            }
        }
        for (name, ino) in entries {
            seen += 1;
            let _ = fs.lookup(dir, &name);
            SEEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Ok(a) = fs.stat(ino) else {
                ERRS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            };
            match a.mode & S_IFMT {
                S_IFDIR if name != b"." && name != b".." => stack.push((ino, depth + 1)),
                S_IFREG => {
                    let mut buf = vec![0u8; 64 * 1024];
                    let _ = fs.read(ino, 0, &mut buf);
                    let _ = fs.read(ino, a.size.saturating_sub(100), &mut buf[..100]);
                    let _ = fs.listxattr(ino);
                }
                S_IFLNK => {
                    let _ = fs.readlink(ino);
                }
                _ => {}
            }
        }
    }
    if fs.is_read_only() {
        return;
    }
    // Writes may fail on corrupt metadata, but must not panic.
    if let Ok(d) = fs.mkdir(ROOT_INO, b"fuzzdir", 0o755, 0, 0) {
        if let Ok(f) = fs.create(d, b"f", 0o644, 0, 0) {
            let _ = fs.write(f, 0, &pattern(5, 10000));
            let _ = fs.setxattr(f, b"user.x", b"y", 0);
            let _ = fs.truncate(f, 10);
        }
    }
    if let Ok(d) = fs.lookup(ROOT_INO, b"d") {
        for i in 0..5 {
            let _ = fs.unlink(d, format!("f{i}").as_bytes());
        }
        let _ = fs.create(d, b"newname", 0o600, 0, 0);
        let _ = fs.rename(d, b"f7", ROOT_INO, b"moved", 0);
    }
    let _ = fs.sync();
}

fn fuzz(features: &[&str], cases: u64) {
    if !have_tools() {
        return;
    }
    let d = scratch("fuzz");
    let root = d.join("root");
    populate(&root);
    let img = d.join("img");
    let mut args = features.to_vec();
    args.extend_from_slice(&["-b", "1024", "-N", "256"]);
    mkfs(&img, 4, &args, Some(&root));
    // Index the directory so the htree paths get corrupted too.
    let _ = std::process::Command::new("/usr/sbin/e2fsck").arg("-fyD").arg(&img).output();
    let base = std::fs::read(&img).unwrap();
    // Metadata of this small image sits in its first ~700 KiB.
    let hot = 700 * 1024;
    let nonzero: Vec<usize> = (1..base.len() / 1024).filter(|&b| base[b * 1024..(b + 1) * 1024].iter().any(|&x| x != 0)).collect();
    let mut fs0 = Fs::mount(MemDevice::new(base.clone()), opts()).unwrap();
    let dd = fs0.lookup(ROOT_INO, b"d").unwrap();
    assert_eq!(list(&mut fs0, dd).len(), 121, "populated image");
    let (mut mounted, mut ro, mut refused) = (0, 0, 0);
    for case in 0..cases {
        let mut disk = base.clone();
        let r = pattern(case + 1000, 64);
        let flips = 1 + (r[0] as usize % 24);
        for k in 0..flips {
            let pick = u32::from_le_bytes([r[1 + k * 2], r[2 + k * 2], r[3], r[4 + k % 8]]) as usize;
            // Half the flips in the group-0 metadata (descriptors, bitmaps,
            // inode table), half in any other block that holds something.
            let blk = if k % 2 == 0 { 1 + pick % 300 } else { nonzero[pick % nonzero.len()] };
            let at = blk * 1024 + (pick >> 8) % 1024;
            let at = at.max(1024).min(hot.max(disk.len()) - 1);
            let v = r[(k * 5 + 7) % 64];
            disk[at] = if case % 3 == 0 { v } else { disk[at] ^ (1 << (v % 8)) };
        }
        let result = catch_unwind(AssertUnwindSafe(|| match Fs::mount(MemDevice::new(disk), opts()) {
            Ok(mut fs) => {
                let r = fs.is_read_only();
                exercise(&mut fs);
                let _ = fs.unmount();
                if r { 1 } else { 0 }
            }
            Err(_) => 2,
        }));
        match result {
            Ok(0) => mounted += 1,
            Ok(1) => ro += 1,
            Ok(_) => refused += 1,
            Err(_) => panic!("case {case} ({features:?}) panicked"),
        }
    }
    eprintln!(
        "fuzz {features:?}: {mounted} mounted, {ro} read-only, {refused} refused; entries seen so far {}, stat errors {}",
        SEEN.load(std::sync::atomic::Ordering::Relaxed),
        ERRS.load(std::sync::atomic::Ordering::Relaxed)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn fuzz_metadata_csum() {
    fuzz(&[], 150);
}

#[test]
fn fuzz_no_checksums() {
    // Without checksums corruption reaches the parsers themselves.
    fuzz(&["-O", "^metadata_csum,^64bit"], 250);
}

#[test]
fn fuzz_journal_and_superblock() {
    if !have_tools() {
        return;
    }
    // Corrupt the journal log of a dirty image and the superblock fields.
    let d = scratch("fuzzj");
    let img = d.join("img");
    mkfs(&img, 8, &["-b", "1024", "-O", "^metadata_csum"], None);
    let mut fs = mount(&img);
    let dir = fs.mkdir(ROOT_INO, b"x", 0o755, 0, 0).unwrap();
    for i in 0..20 {
        let f = fs.create(dir, format!("{i}").as_bytes(), 0o644, 0, 0).unwrap();
        fs.write(f, 0, &pattern(i, 3000)).unwrap();
    }
    drop(fs.crash_after_journal_commit().unwrap());
    let base = std::fs::read(&img).unwrap();
    // Where the log lives: the journal inode's blocks.
    let stat = debugfs(&img, "stat <8>");
    let start: usize = stat
        .split(|c: char| !c.is_ascii_digit() && c != '-')
        .find_map(|w| w.split_once('-').and_then(|(a, _)| a.parse().ok()))
        .unwrap_or(0);
    for case in 0..120u64 {
        let mut disk = base.clone();
        let r = pattern(case + 7, 32);
        for k in 0..(1 + r[0] as usize % 8) {
            let at = if case % 2 == 0 {
                1024 + (r[k + 1] as usize * 4 + r[k + 9] as usize) % 1024
            } else {
                (start * 1024 + (u16::from_le_bytes([r[k + 1], r[k + 2]]) as usize) % (64 * 1024)).min(disk.len() - 1)
            };
            disk[at] ^= 1 << (r[k + 17] % 8);
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            if let Ok(mut fs) = Fs::mount(MemDevice::new(disk), opts()) {
                exercise(&mut fs);
                let _ = fs.unmount();
            }
        }));
        assert!(result.is_ok(), "journal case {case} panicked");
    }
    std::fs::remove_dir_all(&d).unwrap();
}
