//! Shared test helpers: a file-backed block device, e2fsprogs wrappers
//! and scratch directories. Tests that need e2fsprogs skip (with a
//! message) when the tools are missing; `make setup` installs them.

#![allow(dead_code)]

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use kevlar_ext4::{BlockDevice, Error, Fs, MountOptions, Timestamp};

/// A block device backed by an image file.
pub struct FileDevice {
    pub file: File,
    pub size: u64,
}

impl FileDevice {
    pub fn open(path: &Path) -> FileDevice {
        let file = OpenOptions::new().read(true).write(true).open(path).expect("open image");
        let size = file.metadata().unwrap().len();
        FileDevice { file, size }
    }
}

impl BlockDevice for FileDevice {
    fn size(&self) -> u64 {
        self.size
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        self.file.read_exact_at(buf, offset).map_err(|_| Error::Io)
    }
    fn write_at(&mut self, offset: u64, buf: &[u8]) -> Result<(), Error> {
        self.file.write_all_at(buf, offset).map_err(|_| Error::Io)
    }
    fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

/// A fixed clock so timestamps are predictable: 2023-11-14 22:13:20.5.
pub fn test_clock() -> Timestamp {
    Timestamp::new(1_700_000_000, 500_000_000)
}

pub fn opts() -> MountOptions {
    MountOptions { clock: test_clock, ..MountOptions::default() }
}

pub fn mount(path: &Path) -> Fs<FileDevice> {
    match Fs::mount(FileDevice::open(path), opts()) {
        Ok(fs) => fs,
        Err(e) => panic!("mount {}: {:?}", path.display(), e.error),
    }
}

fn find_tool(name: &str) -> Option<PathBuf> {
    for dir in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return Some(p);
        }
    }
    None
}

/// Whether e2fsprogs is installed; prints why a test is skipped if not.
pub fn have_tools() -> bool {
    let ok = ["mkfs.ext4", "e2fsck", "debugfs"].iter().all(|t| find_tool(t).is_some());
    if !ok {
        eprintln!("SKIP: e2fsprogs (mkfs.ext4, e2fsck, debugfs) not installed; run `make setup`");
    }
    ok
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A fresh scratch directory for one test.
pub fn scratch(tag: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let n = SEQ.fetch_add(1, Ordering::SeqCst);
    let d = base.join(format!("ext4-{}-{}-{}", tag, std::process::id(), n));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Feature sets the tests use.
pub const DEFAULT: &[&str] = &[];
/// The Alpine disk's features: no metadata_csum, no 64bit.
pub const ALPINE: &[&str] = &["-O", "^metadata_csum,^64bit"];

/// Make an image of `size_mb` MiB with mkfs.ext4 `args`, optionally
/// populated from `root` (-d).
pub fn mkfs(path: &Path, size_mb: u64, args: &[&str], root: Option<&Path>) {
    let _ = std::fs::remove_file(path);
    let f = File::create(path).unwrap();
    f.set_len(size_mb << 20).unwrap();
    drop(f);
    let mut c = Command::new(find_tool("mkfs.ext4").unwrap());
    c.arg("-q").arg("-F").args(["-E", "root_owner=0:0"]).args(args);
    if let Some(r) = root {
        c.arg("-d").arg(r);
    }
    c.arg(path);
    c.env("E2FSPROGS_FAKE_TIME", "1700000000");
    let out = c.output().unwrap();
    assert!(out.status.success(), "mkfs failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Run `e2fsck -fn`; returns (clean, output).
pub fn fsck(path: &Path) -> (bool, String) {
    let out = Command::new(find_tool("e2fsck").unwrap()).arg("-fn").arg(path).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code() == Some(0), text)
}

/// Assert that e2fsck finds nothing to fix.
pub fn assert_clean(path: &Path) {
    let (ok, text) = fsck(path);
    assert!(ok, "e2fsck -fn is not clean:\n{text}");
}

/// Run one debugfs request against the image.
pub fn debugfs(path: &Path, req: &str) -> String {
    let out = Command::new(find_tool("debugfs").unwrap()).arg("-R").arg(req).arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// debugfs's `cat`, as bytes.
pub fn debugfs_cat(path: &Path, file: &str) -> Vec<u8> {
    let out = Command::new(find_tool("debugfs").unwrap()).arg("-R").arg(format!("cat {file}")).arg(path).output().unwrap();
    out.stdout
}

/// Deterministic pseudo-random bytes.
pub fn pattern(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Resolve a path from the root with the library.
pub fn resolve<D: BlockDevice>(fs: &mut Fs<D>, path: &str) -> kevlar_ext4::Result<u32> {
    let mut ino = kevlar_ext4::ROOT_INO;
    for c in path.split('/').filter(|c| !c.is_empty()) {
        ino = fs.lookup(ino, c.as_bytes())?;
    }
    Ok(ino)
}

/// Read a whole file with the library.
pub fn read_file<D: BlockDevice>(fs: &mut Fs<D>, ino: u32) -> Vec<u8> {
    let size = fs.stat(ino).unwrap().size as usize;
    let mut v = vec![0u8; size];
    let mut off = 0;
    while off < size {
        let n = fs.read(ino, off as u64, &mut v[off..]).unwrap();
        assert!(n > 0);
        off += n;
    }
    v
}

/// All names in a directory (without . and ..), sorted.
pub fn list<D: BlockDevice>(fs: &mut Fs<D>, dir: u32) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let mut got = 0;
        let mut last = pos;
        fs.readdir(dir, pos, |e| {
            if got >= 37 {
                return false;
            }
            got += 1;
            last = e.next;
            if e.name != b"." && e.name != b".." {
                out.push((String::from_utf8_lossy(e.name).into_owned(), e.ino));
            }
            true
        })
        .unwrap();
        if got == 0 {
            break;
        }
        pos = last;
    }
    out.sort();
    out
}

/// Whether the host lets the tests loop-mount images (root, loop devices,
/// unshare for a private mount namespace).
pub fn can_loop_mount() -> bool {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let ok = root && Path::new("/dev/loop-control").exists() && Path::new("/usr/bin/unshare").exists();
    if !ok {
        eprintln!("SKIP: needs root, loop devices and unshare to ask Linux");
    }
    ok
}

/// statfs of the image as the host's Linux reports it (read-only loop
/// mount in a private mount namespace): blocks, bfree, bavail, files,
/// ffree, bsize, namelen, type.
pub fn linux_statfs(img: &Path) -> Option<[u64; 8]> {
    let mnt = img.with_extension("mnt");
    std::fs::create_dir_all(&mnt).ok()?;
    let script = format!(
        "mount -o loop,ro,noload {img} {mnt} && stat -f -c '%b %f %a %c %d %S %l %t' {mnt}; umount {mnt}",
        img = img.display(),
        mnt = mnt.display()
    );
    let out = Command::new("unshare").args(["-m", "--propagation", "private", "sh", "-c", &script]).output().ok()?;
    let _ = std::fs::remove_dir(&mnt);
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<u64> = text
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| if i == 7 { u64::from_str_radix(w, 16).unwrap_or(0) } else { w.parse().unwrap_or(0) })
        .collect();
    (v.len() == 8).then(|| [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]])
}
