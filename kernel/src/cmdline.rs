//! The kernel command line, split as Linux splits it: parameters the
//! kernel knows are consumed; `name=value` words it does not know go to
//! init's environment, other words to init's arguments (everything after
//! `--` goes to init as arguments).

use alloc::vec::Vec;

/// `kevlar.vdso=0`: no vDSO (programs then make the time system calls).
static VDSO_OFF: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Whether programs get the vDSO.
pub fn vdso_enabled() -> bool {
    !VDSO_OFF.load(core::sync::atomic::Ordering::Relaxed)
}

/// What the command line asked for.
#[derive(Debug, Default)]
pub struct Cmdline {
    /// `init=`: the first program.
    pub init: Option<Vec<u8>>,
    /// `kevlar.strace=all|PID`: trace system calls.
    pub strace: Option<i32>,
    /// `kevlar.panic_test`: panic on purpose after boot (tests the panic path).
    pub panic_test: bool,
    /// `kevlar.loop=PATH`: a file of the initramfs becomes the disk
    /// /dev/loop0 (7:0), to test disk file systems without a controller.
    pub loop_file: Option<Vec<u8>>,
    /// `root=/dev/NAME`: mount that disk (ext4) as "/" instead of the
    /// initramfs; read-only unless `rw`, as Linux.
    pub root: Option<Vec<u8>>,
    /// `rw` on the command line.
    pub root_rw: bool,
    /// `quiet`: fewer boot messages.
    pub quiet: bool,
    /// Arguments for init.
    pub init_args: Vec<Vec<u8>>,
    /// Environment for init.
    pub init_env: Vec<Vec<u8>>,
}

/// Parameters Linux consumes that init should not see.
const KERNEL_ONLY: &[&str] = &["console", "root", "rootfstype", "rw", "ro", "loglevel", "earlyprintk", "panic", "nokaslr", "norandmaps"];

/// Parses a command line.
pub fn parse(line: &str) -> Cmdline {
    let mut c = Cmdline::default();
    let mut after_dashes = false;
    for word in line.split_ascii_whitespace() {
        if after_dashes {
            c.init_args.push(word.as_bytes().to_vec());
            continue;
        }
        if word == "--" {
            after_dashes = true;
            continue;
        }
        let (key, value) = match word.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (word, None),
        };
        match (key, value) {
            ("init", Some(v)) => c.init = Some(v.as_bytes().to_vec()),
            ("kevlar.strace", Some("all")) => c.strace = Some(-1),
            ("kevlar.strace", Some(v)) => c.strace = v.parse().ok(),
            ("kevlar.panic_test", _) => c.panic_test = true,
            ("kevlar.loop", Some(v)) => c.loop_file = Some(v.as_bytes().to_vec()),
            ("kevlar.vdso", Some("0")) => VDSO_OFF.store(true, core::sync::atomic::Ordering::Relaxed),
            ("root", Some(v)) => c.root = Some(v.as_bytes().to_vec()),
            ("rw", None) => c.root_rw = true,
            ("ro", None) => c.root_rw = false,
            ("quiet", None) => c.quiet = true,
            (k, _) if KERNEL_ONLY.contains(&k) || k.contains('.') => {}
            (_, Some(_)) => c.init_env.push(word.as_bytes().to_vec()),
            (_, None) => c.init_args.push(word.as_bytes().to_vec()),
        }
    }
    c
}
