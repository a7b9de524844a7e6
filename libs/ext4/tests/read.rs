//! Reading images made by mkfs.ext4 -d: every file, directory, symlink
//! and attribute must read back as the host tree has it.

mod common;

use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

fn populate(root: &Path) {
    std::fs::create_dir_all(root.join("a/b/c")).unwrap();
    std::fs::write(root.join("empty"), b"").unwrap();
    std::fs::write(root.join("small.txt"), b"hello, ext4\n").unwrap();
    std::fs::write(root.join("a/one_block"), pattern(1, 4096)).unwrap();
    std::fs::write(root.join("a/b/odd"), pattern(2, 12345)).unwrap();
    std::fs::write(root.join("a/b/c/big"), pattern(3, 3 << 20)).unwrap();
    let f = std::fs::File::create(root.join("sparse")).unwrap();
    f.set_len(10 << 20).unwrap();
    use std::os::unix::fs::FileExt;
    f.write_all_at(b"in the middle", 5 << 20).unwrap();
    drop(f);
    std::os::unix::fs::symlink("small.txt", root.join("fastlink")).unwrap();
    let long: String = "x/".repeat(100) + "target";
    std::os::unix::fs::symlink(&long, root.join("slowlink")).unwrap();
    std::fs::set_permissions(root.join("small.txt"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::create_dir(root.join("many")).unwrap();
    for i in 0..300 {
        std::fs::write(root.join(format!("many/file-{i:04}")), format!("{i}")).unwrap();
    }
}

/// Compare the library's view of `dir` with the host tree at `host`.
fn compare_tree<D: kevlar_ext4::BlockDevice>(fs: &mut kevlar_ext4::Fs<D>, ino: u32, host: &Path) {
    let mut want: Vec<String> =
        std::fs::read_dir(host).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    want.sort();
    let got = list(fs, ino);
    let names: Vec<String> = got.iter().map(|g| g.0.clone()).collect();
    let want: Vec<String> = want.into_iter().filter(|n| n != "lost+found").collect();
    let names: Vec<String> = names.into_iter().filter(|n| n != "lost+found").collect();
    assert_eq!(names, want, "entries of {}", host.display());
    for (name, child) in got {
        if name == "lost+found" {
            continue;
        }
        let hp = host.join(&name);
        let md = std::fs::symlink_metadata(&hp).unwrap();
        let a = fs.stat(child).unwrap();
        assert_eq!(a.mode as u32 & 0o7777, md.mode() & 0o7777, "mode of {}", hp.display());
        assert_eq!(a.mode as u32 & 0o170000, md.mode() & 0o170000, "type of {}", hp.display());
        assert_eq!(fs.lookup(ino, name.as_bytes()).unwrap(), child);
        if md.file_type().is_symlink() {
            let t = std::fs::read_link(&hp).unwrap();
            assert_eq!(fs.readlink(child).unwrap(), t.as_os_str().as_encoded_bytes());
        } else if md.is_dir() {
            compare_tree(fs, child, &hp);
        } else {
            assert_eq!(a.size, md.len());
            assert_eq!(read_file(fs, child), std::fs::read(&hp).unwrap(), "contents of {}", hp.display());
        }
    }
}

fn read_back(features: &[&str], size_mb: u64, extra: &[&str]) {
    if !have_tools() {
        return;
    }
    let d = scratch("read");
    let root = d.join("root");
    populate(&root);
    let img = d.join("img");
    let mut args: Vec<&str> = features.to_vec();
    args.extend_from_slice(extra);
    mkfs(&img, size_mb, &args, Some(&root));
    let mut fs = mount(&img);
    compare_tree(&mut fs, kevlar_ext4::ROOT_INO, &root);
    // Reading sparse data: the hole reads as zeros.
    let sp = resolve(&mut fs, "sparse").unwrap();
    let mut buf = vec![1u8; 64];
    fs.read(sp, 4096, &mut buf).unwrap();
    assert!(buf.iter().all(|&b| b == 0));
    let st = fs.stat(sp).unwrap();
    assert!(st.blocks < 100, "sparse file uses {} sectors", st.blocks);
    drop(fs.unmount().unwrap());
    assert_clean(&img);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn read_default_4k() {
    read_back(DEFAULT, 64, &["-b", "4096"]);
}

#[test]
fn read_default_1k() {
    read_back(DEFAULT, 64, &["-b", "1024"]);
}

#[test]
fn read_alpine_features() {
    read_back(ALPINE, 64, &["-b", "4096"]);
}

#[test]
fn read_no_journal_2k() {
    read_back(&["-O", "^has_journal"], 64, &["-b", "2048"]);
}

#[test]
fn statfs_matches_linux_formula() {
    if !have_tools() {
        return;
    }
    let d = scratch("statfs");
    let img = d.join("img");
    mkfs(&img, 64, &[], None);
    let fs = mount(&img);
    let s = fs.statfs();
    // dumpe2fs figures for the same image.
    let out = std::process::Command::new("/usr/sbin/dumpe2fs").arg("-h").arg(&img).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |k: &str| -> u64 {
        text.lines().find(|l| l.starts_with(k)).unwrap().split(':').nth(1).unwrap().trim().parse().unwrap()
    };
    let blocks = field("Block count");
    let overhead = field("Overhead clusters");
    let reserved = field("Reserved block count");
    assert_eq!(s.f_type, 0xEF53);
    assert_eq!(s.f_blocks, blocks - overhead);
    assert_eq!(s.f_files, field("Inode count"));
    assert_eq!(s.f_namelen, 255);
    assert_eq!(s.f_bavail, s.f_bfree - reserved - (blocks / 50).min(4096));
    std::fs::remove_dir_all(&d).unwrap();
}
