//! Write workloads on images made by mkfs.ext4; after each one e2fsck -fn
//! must be clean and debugfs must read back exactly what was written.

mod common;

use common::*;
use kevlar_ext4::*;
use std::path::Path;

/// Fields of `debugfs -R "stat path"` this test checks.
#[derive(Debug, Default)]
struct DStat {
    mode: u32,
    uid: u32,
    gid: u32,
    size: u64,
    links: u32,
    mtime: (u32, u32),
    atime: (u32, u32),
    ctime: (u32, u32),
}

fn dstat(img: &Path, path: &str) -> DStat {
    let out = debugfs(img, &format!("stat {path}"));
    let mut s = DStat::default();
    let words: Vec<&str> = out.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        match *w {
            "Mode:" => s.mode = u32::from_str_radix(next, 8).unwrap_or(0),
            "User:" => s.uid = next.parse().unwrap_or(0),
            "Group:" => s.gid = next.parse().unwrap_or(0),
            "Size:" if s.size == 0 => s.size = next.parse().unwrap_or(0),
            "Links:" => s.links = next.parse().unwrap_or(0),
            "mtime:" | "atime:" | "ctime:" => {
                let (a, b) = next.trim_start_matches("0x").split_once(':').unwrap_or(("0", "0"));
                let v = (u32::from_str_radix(a, 16).unwrap_or(0), u32::from_str_radix(b, 16).unwrap_or(0));
                match *w {
                    "mtime:" => s.mtime = v,
                    "atime:" => s.atime = v,
                    _ => s.ctime = v,
                }
            }
            _ => {}
        }
    }
    s
}

fn check_file(img: &Path, path: &str, want: &[u8]) {
    let got = debugfs_cat(img, path);
    assert_eq!(got.len(), want.len(), "size of {path} per debugfs");
    assert!(got == want, "contents of {path} per debugfs differ");
}

fn workload(features: &[&str], extra: &[&str]) {
    if !have_tools() {
        return;
    }
    let d = scratch("write");
    let img = d.join("img");
    let mut args: Vec<&str> = features.to_vec();
    args.extend_from_slice(extra);
    mkfs(&img, 128, &args, None);
    let mut fs = mount(&img);
    assert!(fs.read_only_reason().is_none(), "{:?}", fs.read_only_reason());
    let root = ROOT_INO;

    // Files of several sizes, written in odd-sized pieces.
    let dir = fs.mkdir(root, b"dir", 0o755, 0, 0).unwrap();
    let sub = fs.mkdir(dir, b"sub", 0o700, 1000, 1000).unwrap();
    let small = fs.create(dir, b"small", 0o644, 0, 0).unwrap();
    fs.write(small, 0, b"hello world").unwrap();
    let big = fs.create(sub, b"big", 0o600, 70000, 70001).unwrap();
    let big_data = pattern(7, 5 * 1024 * 1024 + 123);
    let mut off = 0;
    for (i, chunk) in big_data.chunks(65536 + 7).enumerate() {
        let n = fs.write(big, off, chunk).unwrap();
        assert_eq!(n, chunk.len(), "chunk {i}");
        off += n as u64;
    }
    // Overwrite in the middle across block boundaries.
    let mut big_want = big_data.clone();
    let patch = pattern(8, 10000);
    fs.write(big, 4000, &patch).unwrap();
    big_want[4000..14000].copy_from_slice(&patch);

    // Sparse: data far apart, holes between.
    let sparse = fs.create(root, b"sparse", 0o644, 0, 0).unwrap();
    fs.write(sparse, 0, b"start").unwrap();
    fs.write(sparse, 100 << 20, b"far").unwrap();
    fs.write(sparse, 7 << 20, b"mid").unwrap();
    let mut sparse_want = vec![0u8; (100 << 20) + 3];
    sparse_want[..5].copy_from_slice(b"start");
    sparse_want[7 << 20..(7 << 20) + 3].copy_from_slice(b"mid");
    sparse_want[100 << 20..].copy_from_slice(b"far");
    assert!(fs.stat(sparse).unwrap().blocks < 200);

    // Symlinks, fast and slow; hard links.
    fs.symlink(root, b"fast", b"dir/small", 0, 0).unwrap();
    let long_target = "a/".repeat(200) + "end";
    fs.symlink(root, b"slow", long_target.as_bytes(), 0, 0).unwrap();
    fs.link(small, root, b"hardlink").unwrap();
    assert_eq!(fs.stat(small).unwrap().nlink, 2);

    // Metadata: chmod, chown with high bits, utimes with nanoseconds.
    fs.setattr(small, &SetAttr { mode: Some(0o4751), uid: Some(123456), gid: Some(654321), ..Default::default() })
        .unwrap();
    let t = SetAttr {
        atime: Some(Timestamp::new(1_600_000_000, 123_456_789)),
        mtime: Some(Timestamp::new(1_500_000_000, 987_654_321)),
        ..Default::default()
    };
    fs.setattr(small, &t).unwrap();

    // Special files.
    fs.mknod(root, b"fifo", S_IFIFO | 0o644, 0, 0, (0, 0)).unwrap();
    fs.mknod(root, b"null", S_IFCHR | 0o666, 0, 0, (1, 3)).unwrap();
    fs.mknod(root, b"bigdev", S_IFBLK | 0o600, 0, 0, (259, 70000)).unwrap();

    // Truncate down and up.
    let tr = fs.create(root, b"trunc", 0o644, 0, 0).unwrap();
    fs.write(tr, 0, &pattern(9, 300000)).unwrap();
    fs.truncate(tr, 5000).unwrap();
    fs.truncate(tr, 20000).unwrap();
    let mut tr_want = pattern(9, 5000);
    tr_want.resize(20000, 0);

    // fallocate: unwritten extents read as zeros; writing converts them.
    let fa = fs.create(root, b"falloc", 0o644, 0, 0).unwrap();
    fs.fallocate(fa, 0, 0, 1 << 20).unwrap();
    fs.write(fa, 10000, b"inside").unwrap();
    fs.fallocate(fa, FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20).unwrap();
    let mut fa_want = vec![0u8; 1 << 20];
    fa_want[10000..10006].copy_from_slice(b"inside");
    assert_eq!(fs.stat(fa).unwrap().size, 1 << 20);
    let ph = fs.create(root, b"punched", 0o644, 0, 0).unwrap();
    fs.write(ph, 0, &pattern(10, 100000)).unwrap();
    fs.fallocate(ph, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 5000, 50000).unwrap();
    let mut ph_want = pattern(10, 100000);
    ph_want[5000..55000].fill(0);

    // Xattrs: small in the inode, big in a block, security.*.
    fs.setxattr(small, b"user.greeting", b"hi", 0).unwrap();
    fs.setxattr(small, b"security.selinux", b"system_u:object_r:etc_t:s0\0", 0).unwrap();
    fs.setxattr(big, b"user.big", &vec![b'x'; 700], 0).unwrap();
    assert_eq!(fs.setxattr(small, b"user.greeting", b"x", XATTR_CREATE), Err(Error::Exists));
    assert_eq!(fs.getxattr(small, b"user.greeting").unwrap(), b"hi");
    assert_eq!(fs.getxattr(big, b"user.big").unwrap().len(), 700);

    // Renames: over a file, a directory across directories.
    let victim = fs.create(root, b"victim", 0o644, 0, 0).unwrap();
    fs.write(victim, 0, b"doomed").unwrap();
    let mover = fs.create(root, b"mover", 0o644, 0, 0).unwrap();
    fs.write(mover, 0, b"moved").unwrap();
    fs.rename(root, b"mover", root, b"victim", 0).unwrap();
    fs.rename(dir, b"sub", root, b"sub2", 0).unwrap();
    let sub2 = resolve(&mut fs, "sub2").unwrap();
    assert_eq!(fs.lookup(sub2, b"..").unwrap(), root);

    // Unlink and rmdir.
    let gone = fs.create(root, b"gone", 0o644, 0, 0).unwrap();
    fs.write(gone, 0, &pattern(11, 50000)).unwrap();
    fs.unlink(root, b"gone").unwrap();
    let empty = fs.mkdir(root, b"emptydir", 0o755, 0, 0).unwrap();
    let _ = empty;
    assert_eq!(fs.rmdir(root, b"dir"), Err(Error::NotEmpty));
    fs.rmdir(root, b"emptydir").unwrap();
    assert_eq!(fs.lookup(root, b"gone"), Err(Error::NotFound));

    // An unlinked file that is still open keeps its data until release.
    let held = fs.create(root, b"held", 0o644, 0, 0).unwrap();
    fs.write(held, 0, b"still here").unwrap();
    fs.hold(held);
    fs.unlink(root, b"held").unwrap();
    let mut b = [0u8; 10];
    fs.read(held, 0, &mut b).unwrap();
    assert_eq!(&b, b"still here");
    fs.release(held).unwrap();

    fs.sync().unwrap();
    drop(fs.unmount().unwrap());
    assert_clean(&img);

    // debugfs reads back what was written.
    check_file(&img, "/dir/small", b"hello world");
    check_file(&img, "/sub2/big", &big_want);
    check_file(&img, "/sparse", &sparse_want);
    check_file(&img, "/trunc", &tr_want);
    check_file(&img, "/falloc", &fa_want);
    check_file(&img, "/punched", &ph_want);
    check_file(&img, "/victim", b"moved");
    let s = dstat(&img, "/dir/small");
    assert_eq!((s.mode, s.uid, s.gid, s.links, s.size), (0o4751, 123456, 654321, 2, 11));
    assert_eq!(s.atime, (1_600_000_000, 123_456_789 << 2));
    assert_eq!(s.mtime, (1_500_000_000, 987_654_321 << 2));
    let s = dstat(&img, "/sub2/big");
    assert_eq!((s.uid, s.gid, s.mode), (70000, 70001, 0o600));
    assert!(debugfs(&img, "stat /fast").contains("Fast link dest: \"dir/small\""));
    let ls = debugfs(&img, "ls -l /");
    for n in ["fifo", "null", "bigdev", "slow", "hardlink", "sub2", "victim"] {
        assert!(ls.contains(n), "{n} missing from {ls}");
    }
    for n in ["gone", "emptydir", "mover", "held"] {
        assert!(!ls.split_whitespace().any(|w| w == n), "{n} still in {ls}");
    }
    assert!(debugfs(&img, "stat /null").contains("Device major/minor number: 01:03"));
    let xa = debugfs(&img, "ea_list /dir/small");
    assert!(xa.contains("user.greeting") && xa.contains("security.selinux"), "{xa}");

    // The library reads it all back after a remount too.
    let mut fs = mount(&img);
    let ino = resolve(&mut fs, "sub2/big").unwrap();
    assert_eq!(read_file(&mut fs, ino), big_want);
    let ino = resolve(&mut fs, "slow").unwrap();
    assert_eq!(fs.readlink(ino).unwrap(), long_target.as_bytes());
    let ino = resolve(&mut fs, "dir/small").unwrap();
    let a = fs.stat(ino).unwrap();
    assert_eq!(a.mtime, Timestamp::new(1_500_000_000, 987_654_321));
    assert_eq!(fs.getxattr(ino, b"user.greeting").unwrap(), b"hi");
    let mut names = fs.listxattr(ino).unwrap();
    names.sort();
    assert_eq!(names, vec![b"security.selinux".to_vec(), b"user.greeting".to_vec()]);
    fs.removexattr(ino, b"user.greeting").unwrap();
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn workload_default_4k() {
    workload(DEFAULT, &["-b", "4096"]);
}

#[test]
fn workload_default_1k() {
    workload(DEFAULT, &["-b", "1024"]);
}

#[test]
fn workload_alpine_features() {
    workload(ALPINE, &["-b", "4096"]);
}

#[test]
fn workload_no_journal() {
    workload(&["-O", "^has_journal"], &["-b", "4096"]);
}

#[test]
fn workload_gdt_csum() {
    workload(&["-O", "^metadata_csum,uninit_bg"], &["-b", "4096"]);
}
