//! The journal: our commits replay under e2fsprogs, Linux-written logs
//! replay under this library, and a power cut after any write leaves a
//! file system e2fsck accepts.

mod common;

use common::*;
use kevlar_ext4::*;
use std::path::Path;
use std::process::Command;

fn small_workload<D: BlockDevice>(fs: &mut Fs<D>, tag: u64) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let d = fs.mkdir(ROOT_INO, format!("j{tag}").as_bytes(), 0o755, 0, 0).unwrap();
    for i in 0..40u64 {
        let name = format!("file{i}");
        let ino = fs.create(d, name.as_bytes(), 0o644, 0, 0).unwrap();
        let data = pattern(tag * 100 + i, (i as usize * 1531) % 20000);
        fs.write(ino, 0, &data).unwrap();
        out.push((format!("/j{tag}/{name}"), data));
    }
    for i in (0..40).step_by(3) {
        fs.unlink(d, format!("file{i}").as_bytes()).unwrap();
        out.retain(|(p, _)| p != &format!("/j{tag}/file{i}"));
    }
    out
}

fn e2fsck_fix(path: &Path) -> String {
    let out = Command::new("/usr/sbin/e2fsck").arg("-fy").arg(path).output().unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn our_journal_replays_under_e2fsck_and_here() {
    if !have_tools() {
        return;
    }
    for extra in [&["-b", "4096"][..], &["-b", "1024"], &["-O", "^metadata_csum,^64bit"]] {
        let d = scratch("jcrash");
        let img = d.join("img");
        mkfs(&img, 64, extra, None);
        let mut fs = mount(&img);
        let first = small_workload(&mut fs, 1);
        fs.sync().unwrap();
        let second = small_workload(&mut fs, 2);
        // Power cut right after the commit record, before checkpoint.
        drop(fs.crash_after_journal_commit().unwrap());
        let dump = debugfs(&img, "logdump");
        assert!(dump.contains("Found expected sequence"), "no transaction in the log:\n{dump}");

        // e2fsprogs replays our log.
        let copy = d.join("copy");
        std::fs::copy(&img, &copy).unwrap();
        let fix = e2fsck_fix(&copy);
        assert!(fix.contains("recovering journal"), "{fix}");
        assert_clean(&copy);
        for (p, data) in first.iter().chain(second.iter()).step_by(5) {
            assert_eq!(&debugfs_cat(&copy, p), data, "{p} after e2fsck replay");
        }

        // This library replays it too.
        let mut fs = mount(&img);
        assert!(fs.mount_notes.iter().any(|n| n.contains("replayed 1")), "{:?}", fs.mount_notes);
        for (p, data) in first.iter().chain(second.iter()) {
            let ino = resolve(&mut fs, p).unwrap();
            assert_eq!(&read_file(&mut fs, ino), data, "{p} after our replay");
        }
        drop(fs.unmount().unwrap());
        assert_clean(&img);
        std::fs::remove_dir_all(&d).unwrap();
    }
}

/// A device that records every write, to rebuild the disk as it was
/// after any prefix of them (a power cut).
struct Recorder {
    dev: MemDevice,
    log: Vec<(u64, Vec<u8>)>,
}

impl BlockDevice for Recorder {
    fn size(&self) -> u64 {
        self.dev.size()
    }
    fn read_at(&mut self, o: u64, b: &mut [u8]) -> Result<()> {
        self.dev.read_at(o, b)
    }
    fn write_at(&mut self, o: u64, b: &[u8]) -> Result<()> {
        self.log.push((o, b.to_vec()));
        self.dev.write_at(o, b)
    }
    fn flush(&mut self) -> Result<()> {
        self.log.push((u64::MAX, Vec::new()));
        Ok(())
    }
}

#[test]
fn power_cut_at_any_write() {
    if !have_tools() {
        return;
    }
    let d = scratch("powercut");
    let img = d.join("img");
    mkfs(&img, 16, &["-b", "1024"], None);
    let base = std::fs::read(&img).unwrap();
    // Mount once and unmount so the cut points below all start from a
    // mounted-clean state.
    let rec = Recorder { dev: MemDevice::new(base.clone()), log: Vec::new() };
    let mut fs = Fs::mount(rec, opts()).unwrap();
    for round in 0..4 {
        small_workload(&mut fs, round);
        fs.sync().unwrap();
    }
    let rec = fs.unmount().unwrap();
    let log = rec.log;
    let flushes: Vec<usize> = log.iter().enumerate().filter(|(_, w)| w.0 == u64::MAX).map(|(i, _)| i).collect();
    assert!(flushes.len() > 10);
    // Cut after a sample of writes: at flushes, just before them, and in between.
    let mut cuts: Vec<usize> = Vec::new();
    for &f in &flushes {
        cuts.push(f);
        cuts.push(f.saturating_sub(1));
        cuts.push(f.saturating_sub(3));
    }
    cuts.sort();
    cuts.dedup();
    let cut_img = d.join("cut");
    for (n, &cut) in cuts.iter().enumerate() {
        let mut disk = base.clone();
        // Writes before the last flush are durable; after it, a volatile
        // cache may have kept any subset of blocks, in any order.
        let last_flush = log[..cut].iter().rposition(|w| w.0 == u64::MAX).unwrap_or(0);
        let coin = pattern(n as u64 + 77, 4096);
        let mut k = 0;
        for (i, (o, b)) in log[..cut].iter().enumerate() {
            if *o == u64::MAX {
                continue;
            }
            for (j, piece) in b.chunks(1024).enumerate() {
                k += 1;
                if i > last_flush && n % 2 == 1 && coin[k % coin.len()] & 1 == 0 {
                    continue;
                }
                let at = *o as usize + j * 1024;
                disk[at..at + piece.len()].copy_from_slice(piece);
            }
        }
        // The next mount replays what the log holds and must leave a file
        // system e2fsck finds clean.
        let mut fs = match Fs::mount(MemDevice::new(disk), opts()) {
            Ok(fs) => fs,
            Err(e) => panic!("mount after cut {cut}: {:?}", e.error),
        };
        // Everything reachable reads without error.
        walk(&mut fs, ROOT_INO, 0);
        let dev = fs.unmount().unwrap();
        std::fs::write(&cut_img, &dev.data).unwrap();
        let (ok, text) = fsck(&cut_img);
        assert!(ok, "cut after write {cut} of {}: e2fsck:\n{text}", log.len());
    }
    std::fs::remove_dir_all(&d).unwrap();
}

fn walk<D: BlockDevice>(fs: &mut Fs<D>, dir: u32, depth: usize) {
    assert!(depth < 10);
    for (name, ino) in list(fs, dir) {
        let a = fs.stat(ino).unwrap();
        if a.mode & S_IFMT == S_IFDIR {
            if name != "lost+found" {
                walk(fs, ino, depth + 1);
            }
        } else if a.mode & S_IFMT == S_IFREG {
            read_file(fs, ino);
        }
    }
}

/// Linux's own journal: mount the image with the host kernel in a private
/// mount namespace, write, sync, and snapshot the image while it is still
/// mounted (its log then holds committed, unreplayed transactions).
#[test]
fn linux_journal_replays_here() {
    if !have_tools() {
        return;
    }
    let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if !is_root || !Path::new("/dev/loop-control").exists() || !Path::new("/usr/bin/unshare").exists() {
        eprintln!("SKIP: needs root, loop devices and unshare to let Linux write a journal");
        return;
    }
    let d = scratch("linuxj");
    let img = d.join("img");
    mkfs(&img, 64, &[], None);
    let mnt = d.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let snap = d.join("snap");
    let script = format!(
        "set -e; mount -o loop {img} {mnt}; mkdir {mnt}/lx; \
         for i in $(seq 1 200); do echo data-$i > {mnt}/lx/f$i; done; \
         dd if=/dev/urandom of={mnt}/lx/blob bs=64k count=20 status=none; \
         rm {mnt}/lx/f1*; sync; cp {img} {snap}; \
         sha256sum {mnt}/lx/blob | cut -d' ' -f1 > {dir}/blob.sha; umount {mnt}",
        img = img.display(),
        mnt = mnt.display(),
        snap = snap.display(),
        dir = d.display()
    );
    let out = Command::new("unshare").args(["-m", "--propagation", "private", "sh", "-c", &script]).output().unwrap();
    if !out.status.success() {
        eprintln!("SKIP: could not loop-mount: {}", String::from_utf8_lossy(&out.stderr));
        let _ = std::fs::remove_dir_all(&d);
        return;
    }
    let dumpe2fs = Command::new("/usr/sbin/dumpe2fs").arg("-h").arg(&snap).output().unwrap();
    let h = String::from_utf8_lossy(&dumpe2fs.stdout).into_owned();
    let dirty = h.contains("needs_recovery");
    eprintln!("linux snapshot: needs_recovery={dirty}");
    // Replay with e2fsprogs on one copy, with this library on the other.
    let theirs = d.join("theirs");
    std::fs::copy(&snap, &theirs).unwrap();
    e2fsck_fix(&theirs);
    assert_clean(&theirs);
    let mut fs = mount(&snap);
    eprintln!("mount notes: {:?}", fs.mount_notes);
    if dirty {
        assert!(fs.mount_notes.iter().any(|n| n.contains("replayed")), "{:?}", fs.mount_notes);
    }
    let lx = resolve(&mut fs, "lx").unwrap();
    let names = list(&mut fs, lx);
    let want = debugfs(&theirs, "ls /lx");
    for (n, _) in &names {
        assert!(want.split_whitespace().any(|w| w == n), "{n} not in e2fsck's replay");
        let p = format!("/lx/{n}");
        let ino = resolve(&mut fs, &p).unwrap();
        assert_eq!(read_file(&mut fs, ino), debugfs_cat(&theirs, &p), "{p}");
    }
    assert_eq!(names.len(), 200 - 111 + 1);
    drop(fs.unmount().unwrap());
    assert_clean(&snap);
    std::fs::remove_dir_all(&d).unwrap();
}
