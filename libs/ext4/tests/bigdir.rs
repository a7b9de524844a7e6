//! Large directories (htree splits, index growth) and thousands of files
//! in nested directories.

mod common;

use common::*;
use kevlar_ext4::*;
use std::collections::BTreeSet;

fn big_directory(extra: &[&str], n: usize) {
    if !have_tools() {
        return;
    }
    let d = scratch("bigdir");
    let img = d.join("img");
    mkfs(&img, 256, extra, None);
    let mut fs = mount(&img);
    let dir = fs.mkdir(ROOT_INO, b"big", 0o755, 0, 0).unwrap();
    let mut inos = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("entry-with-a-longish-name-{i:06}");
        let ino = fs.create(dir, name.as_bytes(), 0o644, 0, 0).unwrap();
        if i % 97 == 0 {
            fs.write(ino, 0, name.as_bytes()).unwrap();
        }
        inos.push(ino);
    }
    // Every name resolves, readdir returns each exactly once.
    for (i, &ino) in inos.iter().enumerate() {
        let name = format!("entry-with-a-longish-name-{i:06}");
        assert_eq!(fs.lookup(dir, name.as_bytes()).unwrap(), ino, "{name}");
    }
    let listed = list(&mut fs, dir);
    assert_eq!(listed.len(), n);
    let set: BTreeSet<String> = listed.iter().map(|e| e.0.clone()).collect();
    assert_eq!(set.len(), n, "duplicates in readdir");
    fs.sync().unwrap();
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    let out = debugfs(&img, "ls /big");
    let count = out.split_whitespace().filter(|w| w.starts_with("entry-with")).count();
    assert_eq!(count, n, "debugfs sees {count} entries");
    assert!(debugfs(&img, "stat /big").contains("Flags: 0x81000") || debugfs(&img, "stat /big").contains("Flags: 0x1000"), "not indexed");
    check_file_contents(&img, n);

    // Delete every other entry, then add new ones: the index stays valid.
    let mut fs = mount(&img);
    let dir = resolve(&mut fs, "big").unwrap();
    for i in (0..n).step_by(2) {
        let name = format!("entry-with-a-longish-name-{i:06}");
        fs.unlink(dir, name.as_bytes()).unwrap();
    }
    for i in 0..n / 4 {
        let name = format!("second-round-{i}");
        fs.create(dir, name.as_bytes(), 0o600, 0, 0).unwrap();
    }
    for i in 0..n {
        let name = format!("entry-with-a-longish-name-{i:06}");
        let r = fs.lookup(dir, name.as_bytes());
        if i % 2 == 0 {
            assert_eq!(r, Err(Error::NotFound));
        } else {
            assert!(r.is_ok(), "{name}");
        }
    }
    assert_eq!(list(&mut fs, dir).len(), n / 2 + n / 4);
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    std::fs::remove_dir_all(&d).unwrap();
}

fn check_file_contents(img: &std::path::Path, n: usize) {
    for i in (0..n).step_by(97).take(5) {
        let name = format!("entry-with-a-longish-name-{i:06}");
        assert_eq!(debugfs_cat(img, &format!("/big/{name}")), name.as_bytes());
    }
}

#[test]
fn big_directory_4k() {
    big_directory(&["-b", "4096"], 12000);
}

#[test]
fn big_directory_1k_two_levels() {
    // 1 KiB blocks: the index needs a second level.
    big_directory(&["-b", "1024", "-N", "40000"], 10000);
}

#[test]
fn big_directory_alpine() {
    big_directory(&["-O", "^metadata_csum,^64bit", "-b", "4096"], 10000);
}

#[test]
fn nested_thousands() {
    if !have_tools() {
        return;
    }
    let d = scratch("nested");
    let img = d.join("img");
    mkfs(&img, 256, &[], None);
    let mut fs = mount(&img);
    let mut files = Vec::new();
    for a in 0..8 {
        let da = fs.mkdir(ROOT_INO, format!("d{a}").as_bytes(), 0o755, 0, 0).unwrap();
        for b in 0..10 {
            let db = fs.mkdir(da, format!("e{b}").as_bytes(), 0o755, a, b).unwrap();
            for c in 0..40 {
                let name = format!("f{c}");
                let ino = fs.create(db, name.as_bytes(), 0o644, 0, 0).unwrap();
                let data = pattern((a * 1000 + b * 100 + c) as u64, (c as usize * 517) % 9000);
                fs.write(ino, 0, &data).unwrap();
                files.push((format!("/d{a}/e{b}/{name}"), data));
            }
        }
    }
    // Remove a few subtrees' files and directories.
    let d3 = resolve(&mut fs, "d3").unwrap();
    for b in 0..10 {
        let db = fs.lookup(d3, format!("e{b}").as_bytes()).unwrap();
        for c in 0..40 {
            fs.unlink(db, format!("f{c}").as_bytes()).unwrap();
        }
        fs.rmdir(d3, format!("e{b}").as_bytes()).unwrap();
    }
    fs.rmdir(ROOT_INO, b"d3").unwrap();
    files.retain(|f| !f.0.starts_with("/d3/"));
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    for (p, data) in files.iter().step_by(37) {
        assert_eq!(&debugfs_cat(&img, p), data, "{p}");
    }
    let mut fs = mount(&img);
    for (p, data) in &files {
        let ino = resolve(&mut fs, p).unwrap();
        assert_eq!(&read_file(&mut fs, ino), data, "{p}");
    }
    let d5 = resolve(&mut fs, "d5").unwrap();
    let a = fs.stat(d5).unwrap();
    assert_eq!(a.nlink, 12);
    drop(fs.unmount().unwrap());
    std::fs::remove_dir_all(&d).unwrap();
}
