//! Kevlar: a Linux-compatible kernel in safe Rust.
//!
//! This crate is the kernel's policy: processes, memory, files, signals and
//! the system calls, all in safe Rust (`unsafe` is denied here; the
//! hardware layer `kevlar_hal` holds every unsafe block). Boot order:
//! the hal brings the CPU, memory and timers up and calls [`kernel_main`],
//! which unpacks the initramfs into the root tmpfs, mounts /dev, starts
//! init and becomes the idle thread.

#![no_std]
#![no_main]
#![deny(unsafe_code)]
// The skeleton defines interfaces (errno names, VFS and process APIs) ahead
// of the issues that call them; unused ones are not errors while it grows.
#![allow(dead_code)]

extern crate alloc;

mod block;
mod cgroup;
mod cmdline;
mod errno;
mod fs;
mod hooks;
mod ipc;
mod mm;
mod net;
mod process;
mod random;
mod sched;
mod signal;
mod syscall;
mod time;
mod tty;

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal as hal;
use kevlar_hal::arch::context::{FpuState, TaskContext, ThreadStart};
use kevlar_hal::arch::trap::TrapFrame;
use kevlar_hal::sync::SpinLock;

use crate::fs::fdtable::FdTable;
use crate::fs::inode::{Inode, NewNode};
use crate::fs::mount::{Mount, MountFlags, MountNamespace, SuperBlock};
use crate::fs::path::{FsContext, PathNode};
use crate::fs::tmpfs::Tmpfs;
use crate::process::thread::{Thread, ThreadResources};
use crate::process::{Process, register_thread};
use crate::signal::SigHandlers;

hal::entry_point!(kernel_main);

static HOOKS: hooks::Hooks = hooks::Hooks;

/// Paths tried for init when `init=` is not given or fails (Linux's order).
const DEFAULT_INITS: &[&[u8]] = &[b"/init", b"/sbin/init", b"/etc/init", b"/bin/init", b"/bin/sh"];

fn kernel_main() -> ! {
    let cmd = cmdline::parse(hal::boot_info::get().cmdline());
    let mem = hal::mem::frame::stats();
    hal::println!("[kevlar] Kevlar {} booting: {} MiB free", env!("CARGO_PKG_VERSION"), mem.free * 4 / 1024);
    hal::hooks::register(&HOOKS);
    if let Some(pid) = cmd.strace {
        syscall::TRACE_PID.store(pid, core::sync::atomic::Ordering::Relaxed);
    }

    block::virtio_blk::probe();
    let (ns, root_mount) = mount_root(&cmd);
    if let Some(path) = &cmd.loop_file {
        attach_loop(&root_mount.root, path);
    }
    let root = PathNode::new_root(root_mount);
    let fs = Arc::new(SpinLock::new(FsContext { ns, root: root.clone(), cwd: root, umask: 0o022 }));

    // The boot code becomes process 0's idle thread.
    let idle_proc = Process::new(0, None, 0);
    let idle = Thread::new_idle(
        idle_proc,
        ThreadResources {
            mm: None,
            files: Arc::new(SpinLock::new(FdTable::new())),
            fs: fs.clone(),
            sighand: Arc::new(SpinLock::new(SigHandlers::default())),
            sigmask: 0,
            sched_params: Default::default(),
        },
    );
    sched::init_boot_cpu(idle);

    if cmd.panic_test {
        deliberate_panic();
    }

    start_init(&cmd, fs);
    tty::console();
    hal::arch::serial::enable_rx_interrupt();
    hal::arch::apic::enable_isa_irq(4);
    hal::arch::irq::enable();
    sched::idle_loop()
}

/// The mount tree at boot, as Linux builds it: an empty "rootfs" at the
/// bottom (never seen, but it gives "/" a parent, which pivot_root
/// needs), a tmpfs holding the initramfs mounted on it as "/", and the
/// device nodes on /dev. Returns the namespace and the "/" mount.
fn mount_root(cmd: &cmdline::Cmdline) -> (Arc<MountNamespace>, Arc<Mount>) {
    let rootfs: Arc<dyn Inode> = Tmpfs::new(0o755, 0, 0);
    let bottom = Mount::new(SuperBlock::new("rootfs", b"rootfs".to_vec(), rootfs.clone(), false, String::new()), rootfs.clone(), b"/".to_vec(), MountFlags::empty());
    let ns = MountNamespace::new(bottom.clone());
    let top = match cmd.root.as_deref().and_then(|dev| mount_disk_root(dev, cmd.root_rw)) {
        Some(m) => m,
        None => {
            let root: Arc<dyn Inode> = Tmpfs::new(0o755, 0, 0);
            match hal::boot_info::consume_initrd(|bytes| fs::initramfs::unpack(&root, bytes)) {
                Ok(u) => hal::println!("[kevlar] initramfs: {} entries, {} KiB", u.entries, u.bytes / 1024),
                Err(e) => hal::println!("[kevlar] initramfs: unpacking stopped: {:?}", e),
            }
            Mount::new(SuperBlock::new("tmpfs", b"none".to_vec(), root.clone(), false, String::new()), root, b"/".to_vec(), MountFlags::RELATIME)
        }
    };
    let root = top.root.clone();
    ns.attach(&top, &bottom, fs::mount::key_of(&rootfs), b"/".to_vec()).expect("cannot mount /");
    let dev_dir = match root.lookup(b"dev") {
        Ok(d) => d,
        Err(_) => root.create(b"dev", NewNode::Directory, 0o755, 0, 0).expect("cannot create /dev"),
    };
    let devfs = fs::devices::devtmpfs_root();
    let dev_sb = fs::mount::single_instance("devtmpfs", || SuperBlock::new("devtmpfs", b"devtmpfs".to_vec(), devfs.clone(), false, String::from(",mode=755")));
    let dev = Mount::new(dev_sb, devfs, b"/".to_vec(), MountFlags::NOSUID | MountFlags::RELATIME);
    ns.attach(&dev, &top, fs::mount::key_of(&dev_dir), b"/dev".to_vec()).expect("cannot mount /dev");
    (ns, top)
}

/// `root=/dev/NAME`: the ext4 file system on disk NAME as "/" (read-only
/// unless `rw`). None, with a console message, if that cannot be done:
/// the initramfs is used instead.
fn mount_disk_root(dev: &[u8], rw: bool) -> Option<Arc<Mount>> {
    let name = String::from_utf8_lossy(dev.strip_prefix(b"/dev/").unwrap_or(dev)).into_owned();
    let Some(disk) = block::by_name(&name) else {
        hal::println!("[kevlar] root={}: no such disk; using the initramfs", String::from_utf8_lossy(dev));
        return None;
    };
    match fs::ext4fs::mount(disk.device, !rw, &name) {
        Ok((root, reason)) => {
            let ro = !rw || reason.is_some();
            hal::println!("[kevlar] root: ext4 on {} ({})", name, if ro { "ro" } else { "rw" });
            let flags = if ro { MountFlags::RELATIME | MountFlags::READONLY } else { MountFlags::RELATIME };
            Some(Mount::new(SuperBlock::new("ext4", dev.to_vec(), root.clone(), ro, String::new()), root, b"/".to_vec(), flags))
        }
        Err(e) => {
            hal::println!("[kevlar] root={}: cannot mount ({:?}); using the initramfs", String::from_utf8_lossy(dev), e);
            None
        }
    }
}

/// `kevlar.loop=PATH`: the file at PATH in the initramfs becomes the disk
/// loop0 (block device 7:0, /dev/loop0).
fn attach_loop(root: &Arc<dyn Inode>, path: &[u8]) {
    let mut node = root.clone();
    for part in path.split(|&b| b == b'/').filter(|p| !p.is_empty()) {
        match node.lookup(part) {
            Ok(n) => node = n,
            Err(e) => {
                hal::println!("[kevlar] loop: {}: {:?}", String::from_utf8_lossy(path), e);
                return;
            }
        }
    }
    let disk = fs::ext4fs::LoopDisk::new(node);
    let kib = block::BlockDevice::sectors(&*disk) / 2;
    block::register(block::Disk { name: String::from("loop0"), major: 7, minor: 0, device: disk });
    if let Err(e) = fs::devices::add_block_node(b"loop0", 7, 0) {
        hal::println!("[kevlar] loop: no /dev/loop0: {:?}", e);
    }
    hal::println!("[kevlar] loop: loop0 = {} ({} KiB)", String::from_utf8_lossy(path), kib);
}

/// Starts process 1 with /dev/console as its standard streams.
fn start_init(cmd: &cmdline::Cmdline, fs: Arc<SpinLock<FsContext>>) {
    let console = syscall::open_console().expect("cannot open /dev/console");
    let mut files = FdTable::new();
    for fd in 0..3 {
        files.install_at(fd, console.clone(), false, 3).expect("fd table");
    }
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    if let Some(p) = &cmd.init {
        candidates.push(p.clone());
    }
    candidates.extend(DEFAULT_INITS.iter().map(|p| p.to_vec()));
    let mut env: Vec<Vec<u8>> = alloc::vec![b"HOME=/".to_vec(), b"TERM=linux".to_vec()];
    env.extend(cmd.init_env.iter().cloned());

    let ctx = fs.lock().clone();
    let creds = process::creds::Credentials::root();
    for path in &candidates {
        let mut argv = alloc::vec![path.clone()];
        argv.extend(cmd.init_args.iter().cloned());
        match process::exec::load(&ctx, &creds, path, argv, env.clone()) {
            Ok(image) => {
                let pid = process::alloc_pid().expect("pid");
                assert_eq!(pid, 1, "init must be pid 1");
                let init = Process::new(pid, None, 0);
                init.set_comm(&image.comm);
                *init.args.lock() = image.args;
                *init.exe.lock() = Some(image.exe.clone());
                let start = ThreadStart::User { frame: TrapFrame::new_user(image.entry, image.sp), fpu: FpuState::new(), fs_base: 0 };
                let context = TaskContext::new(start).expect("no memory for init");
                let thread = Thread::new(
                    pid,
                    init.clone(),
                    context,
                    ThreadResources {
                        mm: Some(image.mm),
                        files: Arc::new(SpinLock::new(files)),
                        fs,
                        sighand: Arc::new(SpinLock::new(SigHandlers::default())),
                        sigmask: 0,
                        sched_params: Default::default(),
                    },
                );
                register_thread(&thread);
                init.add_thread(&thread);
                sched::enqueue_new(thread);
                if !cmd.quiet {
                    hal::println!("[kevlar] starting init: {}", core::str::from_utf8(path).unwrap_or("?"));
                }
                return;
            }
            Err(e) => hal::println!("[kevlar] cannot run {}: {:?}", core::str::from_utf8(path).unwrap_or("?"), e),
        }
    }
    panic!("no working init found; pass init= on the kernel command line");
}

/// `kevlar.panic_test`: proves that a panic prints a symbolized backtrace
/// and ends QEMU with a failure status.
#[inline(never)]
fn deliberate_panic() -> ! {
    panic!("deliberate panic requested by kevlar.panic_test");
}
