//! Linux as the oracle: statfs figures of images this library wrote must
//! equal what the host kernel reports for the same image.

mod common;

use common::*;
use kevlar_ext4::*;

fn compare(img: &std::path::Path) {
    let fs = mount(img);
    let s = fs.statfs();
    let ours = [s.f_blocks, s.f_bfree, s.f_bavail, s.f_files, s.f_ffree, s.f_bsize, s.f_namelen, s.f_type];
    drop(fs.unmount().unwrap());
    let Some(linux) = linux_statfs(img) else {
        eprintln!("SKIP: loop mount failed");
        return;
    };
    assert_eq!(ours, linux, "statfs [blocks bfree bavail files ffree bsize namelen type] vs Linux");
}

#[test]
fn statfs_like_linux() {
    if !have_tools() || !can_loop_mount() {
        return;
    }
    for extra in [&["-b", "4096"][..], &["-b", "1024"], &["-O", "^metadata_csum,^64bit"], &["-O", "^has_journal"]] {
        let d = scratch("statfs-linux");
        let img = d.join("img");
        mkfs(&img, 96, extra, None);
        compare(&img);
        let mut fs = mount(&img);
        let dir = fs.mkdir(ROOT_INO, b"d", 0o755, 0, 0).unwrap();
        for i in 0..300 {
            let f = fs.create(dir, format!("f{i}").as_bytes(), 0o644, 0, 0).unwrap();
            fs.write(f, 0, &pattern(i, (i as usize * 4099) % 70000)).unwrap();
        }
        drop(fs.unmount().unwrap());
        assert_clean(&img);
        compare(&img);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
