//! Unit tests. `parse` checks the ELF validation with hand-built images and
//! with real executables built on the host; `stack` checks the initial stack
//! layout, including against the layout the host's Linux kernel produces.

mod parse;
mod stack;

use std::format;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::string::String;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty temporary directory removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("kevlar-elf-test-{}-{tag}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs a command; `None` if the program does not exist (the caller then
/// skips its test with a note), panics with its output if it fails.
pub(crate) fn run(cmd: &mut Command) -> Option<Output> {
    match cmd.output() {
        Ok(out) if out.status.success() => Some(out),
        Ok(out) => panic!(
            "{cmd:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::eprintln!("note: {:?} not found; skipping", cmd.get_program());
            None
        }
        Err(e) => panic!("{cmd:?}: {e}"),
    }
}

/// Like [`run`] but returns `None` (instead of panicking) when the command
/// fails, for probing what a toolchain supports.
pub(crate) fn try_run(cmd: &mut Command) -> Option<Output> {
    cmd.output().ok().filter(|o| o.status.success())
}

/// Small deterministic PRNG (xorshift64*).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Compiles `source` (C) with `compiler` and `flags` into `dir/name`.
/// `None` if the compiler is missing.
pub(crate) fn compile(
    dir: &Path,
    compiler: &str,
    flags: &[&str],
    source: &str,
    name: &str,
) -> Option<PathBuf> {
    let src = dir.join(format!("{name}.c"));
    fs::write(&src, source).unwrap();
    let out = dir.join(name);
    let mut cmd = Command::new(compiler);
    cmd.args(flags).arg("-o").arg(&out).arg(&src);
    run(&mut cmd)?;
    Some(out)
}
