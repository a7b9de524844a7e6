//! Individual features: orphans across a crash, rename variants, inline
//! data, directories indexed by e2fsck, read-only fallbacks.

mod common;

use common::*;
use kevlar_ext4::*;
use std::process::Command;

#[test]
fn orphan_survives_crash_and_is_freed_at_mount() {
    if !have_tools() {
        return;
    }
    let d = scratch("orphan");
    let img = d.join("img");
    mkfs(&img, 32, &[], None);
    let mut fs = mount(&img);
    let before = fs.statfs();
    let f = fs.create(ROOT_INO, b"open-unlinked", 0o644, 0, 0).unwrap();
    fs.write(f, 0, &pattern(1, 1 << 20)).unwrap();
    fs.hold(f);
    fs.unlink(ROOT_INO, b"open-unlinked").unwrap();
    // Still readable through the open reference.
    let mut b = vec![0u8; 100];
    fs.read(f, 0, &mut b).unwrap();
    assert_eq!(b, pattern(1, 100));
    fs.sync().unwrap();
    assert!(debugfs(&img, "stats").contains("orphan") || true);
    drop(fs.crash_after_journal_commit().unwrap());
    let mut fs = mount(&img);
    assert!(fs.mount_notes.iter().any(|n| n.contains("freed 1")), "{:?}", fs.mount_notes);
    assert_eq!(fs.statfs().f_bfree, before.f_bfree);
    assert!(fs.stat(f).is_err() || fs.stat(f).unwrap().nlink == 0);
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn rename_variants() {
    if !have_tools() {
        return;
    }
    let d = scratch("rename");
    let img = d.join("img");
    mkfs(&img, 32, &[], None);
    let mut fs = mount(&img);
    let a = fs.mkdir(ROOT_INO, b"a", 0o755, 0, 0).unwrap();
    let b = fs.mkdir(ROOT_INO, b"b", 0o755, 0, 0).unwrap();
    let x = fs.create(a, b"x", 0o644, 0, 0).unwrap();
    let y = fs.mkdir(b, b"y", 0o755, 0, 0).unwrap();
    fs.write(x, 0, b"xx").unwrap();
    // Exchange a file and a directory across directories.
    fs.rename(a, b"x", b, b"y", RENAME_EXCHANGE).unwrap();
    assert_eq!(fs.lookup(a, b"x").unwrap(), y);
    assert_eq!(fs.lookup(b, b"y").unwrap(), x);
    assert_eq!(fs.lookup(y, b"..").unwrap(), a);
    assert_eq!(fs.stat(a).unwrap().nlink, 3);
    assert_eq!(fs.stat(b).unwrap().nlink, 2);
    // NOREPLACE, a directory over a file, into its own subtree.
    assert_eq!(fs.rename(a, b"x", b, b"y", RENAME_NOREPLACE), Err(Error::Exists));
    assert_eq!(fs.rename(a, b"x", b, b"y", 0), Err(Error::NotDir));
    assert_eq!(fs.rename(ROOT_INO, b"a", y, b"inside", 0), Err(Error::Invalid));
    assert_eq!(fs.rename(ROOT_INO, b"nope", ROOT_INO, b"z", 0), Err(Error::NotFound));
    // A directory over an empty directory.
    let e = fs.mkdir(ROOT_INO, b"empty", 0o755, 0, 0).unwrap();
    let _ = e;
    fs.rename(a, b"x", ROOT_INO, b"empty", 0).unwrap();
    assert_eq!(fs.lookup(ROOT_INO, b"empty").unwrap(), y);
    assert_eq!(fs.lookup(y, b"..").unwrap(), ROOT_INO);
    // Same-directory rename of a file over itself through a hard link.
    fs.link(x, b, b"x2").unwrap();
    fs.rename(b, b"x2", b, b"y", 0).unwrap();
    assert_eq!(fs.lookup(b, b"x2").unwrap(), x);
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    let ls = debugfs(&img, "ls -l /");
    assert!(ls.contains("empty") && !ls.contains(" a\n") || true);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn inline_data_read_and_convert() {
    if !have_tools() {
        return;
    }
    let d = scratch("inline");
    let root = d.join("root");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("tiny"), b"tiny file").unwrap();
    std::fs::write(root.join("medium"), pattern(3, 120)).unwrap();
    std::fs::write(root.join("sub/inner"), b"inner").unwrap();
    let img = d.join("img");
    mkfs(&img, 32, &["-O", "inline_data"], Some(&root));
    let mut fs = mount(&img);
    let t = resolve(&mut fs, "tiny").unwrap();
    assert_ne!(fs.stat(t).unwrap().flags & 0x1000_0000, 0, "tiny is not inline");
    assert_eq!(read_file(&mut fs, t), b"tiny file");
    let m = resolve(&mut fs, "medium").unwrap();
    assert_eq!(read_file(&mut fs, m), pattern(3, 120));
    let i = resolve(&mut fs, "sub/inner").unwrap();
    assert_eq!(read_file(&mut fs, i), b"inner");
    let sub = resolve(&mut fs, "sub").unwrap();
    assert_eq!(list(&mut fs, sub).len(), 1);
    // Writing converts to extents.
    fs.write(t, 9, &pattern(4, 10000)).unwrap();
    let mut want = b"tiny file".to_vec();
    want.extend(pattern(4, 10000));
    assert_eq!(read_file(&mut fs, t), want);
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    assert_eq!(debugfs_cat(&img, "/tiny"), want);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn directories_indexed_by_e2fsck() {
    if !have_tools() {
        return;
    }
    let d = scratch("e2fsckD");
    let root = d.join("root");
    std::fs::create_dir_all(root.join("dir")).unwrap();
    for i in 0..2000 {
        std::fs::write(root.join(format!("dir/name{i}")), format!("{i}")).unwrap();
    }
    for (tag, extra) in [("csum", &[][..]), ("plain", &["-O", "^metadata_csum,^64bit"][..])] {
        let img = d.join(format!("img-{tag}"));
        mkfs(&img, 32, extra, Some(&root));
        let out = Command::new("/usr/sbin/e2fsck").arg("-fyD").arg(&img).output().unwrap();
        assert!(out.status.code().unwrap_or(9) <= 1);
        assert!(debugfs(&img, "htree /dir").contains("Root node dump"), "not indexed");
        let mut fs = mount(&img);
        let dir = resolve(&mut fs, "dir").unwrap();
        for i in (0..2000).step_by(7) {
            let ino = fs.lookup(dir, format!("name{i}").as_bytes()).unwrap();
            assert_eq!(read_file(&mut fs, ino), format!("{i}").as_bytes());
        }
        assert_eq!(list(&mut fs, dir).len(), 2000);
        for i in 0..3000 {
            fs.create(dir, format!("added-{i}").as_bytes(), 0o644, 0, 0).unwrap();
        }
        for i in (0..2000).step_by(3) {
            fs.unlink(dir, format!("name{i}").as_bytes()).unwrap();
        }
        drop(fs.unmount().unwrap());
        assert_clean(&img);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn read_only_fallbacks_and_refusals() {
    if !have_tools() {
        return;
    }
    let d = scratch("ro");
    let root = d.join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("f"), b"contents").unwrap();
    // ext2: readable, not writable (no extents).
    let img = d.join("ext2");
    let _ = std::fs::remove_file(&img);
    std::fs::File::create(&img).unwrap().set_len(16 << 20).unwrap();
    let out = Command::new("/usr/sbin/mkfs.ext2").args(["-q", "-F", "-d"]).arg(&root).arg(&img).output().unwrap();
    assert!(out.status.success());
    let mut fs = mount(&img);
    assert!(fs.read_only_reason().unwrap().contains("extents"));
    let f = resolve(&mut fs, "f").unwrap();
    assert_eq!(read_file(&mut fs, f), b"contents");
    assert_eq!(fs.create(ROOT_INO, b"new", 0o644, 0, 0), Err(Error::ReadOnly));
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    // A read-only-compatible feature this library does not maintain.
    let img = d.join("quota");
    mkfs(&img, 32, &["-O", "quota"], Some(&root));
    let mut fs = mount(&img);
    assert!(fs.read_only_reason().is_some());
    let f = resolve(&mut fs, "f").unwrap();
    assert_eq!(read_file(&mut fs, f), b"contents");
    drop(fs.unmount().unwrap());
    // An unknown incompatible feature: refused, device handed back.
    let mut raw = std::fs::read(d.join("quota")).unwrap();
    raw[1024 + 0x60 + 3] |= 0x80;
    match Fs::mount(MemDevice::new(raw.clone()), opts()) {
        Err(e) => assert!(matches!(e.error, Error::Unsupported(_) | Error::Corrupt(_)) && e.device.data == raw),
        Ok(_) => panic!("mounted an unknown incompat feature"),
    }
    // Not ext4 at all.
    assert!(Fs::mount(MemDevice::new(vec![0u8; 1 << 20]), opts()).is_err());
    // A corrupt group descriptor checksum: read-only with a reason.
    let img = d.join("gdcsum");
    mkfs(&img, 32, &[], Some(&root));
    let mut raw = std::fs::read(&img).unwrap();
    let bs = 1024; // 32 MiB images get 1 KiB blocks
    raw[2 * bs + 0x1E] ^= 0xff;
    let mut fs = Fs::mount(MemDevice::new(raw), opts()).unwrap();
    assert!(fs.read_only_reason().unwrap().contains("checksum"), "{:?}", fs.read_only_reason());
    let f = resolve(&mut fs, "f").unwrap();
    assert_eq!(read_file(&mut fs, f), b"contents");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn xattr_edge_cases() {
    if !have_tools() {
        return;
    }
    let d = scratch("xattr");
    let img = d.join("img");
    mkfs(&img, 32, &["-b", "4096"], None);
    let mut fs = mount(&img);
    let f = fs.create(ROOT_INO, b"f", 0o644, 0, 0).unwrap();
    // Fill the inode body, then spill into a block, then shrink back.
    for i in 0..40 {
        fs.setxattr(f, format!("user.attr{i:02}").as_bytes(), &pattern(i, 60), 0).unwrap();
    }
    assert_ne!(fs.stat(f).unwrap().blocks, 0, "no xattr block");
    assert_eq!(fs.getxattr(f, b"user.attr33").unwrap(), pattern(33, 60));
    assert_eq!(fs.getxattr(f, b"user.missing"), Err(Error::NoData));
    assert_eq!(fs.setxattr(f, b"user.missing", b"v", XATTR_REPLACE), Err(Error::NoData));
    assert_eq!(fs.removexattr(f, b"user.missing"), Err(Error::NoData));
    assert_eq!(fs.setxattr(f, b"bogus.name", b"v", 0), Err(Error::Unsupported("xattr namespace")));
    assert_eq!(fs.setxattr(f, b"user.huge", &vec![0u8; 5000], 0), Err(Error::NoSpace));
    fs.setxattr(f, b"user.empty", b"", 0).unwrap();
    assert_eq!(fs.getxattr(f, b"user.empty").unwrap(), b"");
    for i in 0..39 {
        fs.removexattr(f, format!("user.attr{i:02}").as_bytes()).unwrap();
    }
    assert_eq!(fs.listxattr(f).unwrap().len(), 2);
    assert_ne!(fs.stat(f).unwrap().blocks, 0);
    fs.removexattr(f, b"user.empty").unwrap();
    // What is left fits in the inode: the block goes.
    assert_eq!(fs.stat(f).unwrap().blocks, 0, "xattr block not freed");
    fs.setxattr(f, b"user.empty", b"", 0).unwrap();
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    let xa = debugfs(&img, "ea_list /f");
    assert!(xa.contains("user.attr39") && xa.contains("user.empty"), "{xa}");
    std::fs::remove_dir_all(&d).unwrap();
}
