//! Builds the vDSO (kernel/vdso/): a small shared object the kernel maps
//! into every process, compiled for user space by the host's C compiler.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("vdso");
    for f in ["vdso.c", "vdso.lds", "vdso-layout.lds"] {
        println!("cargo:rerun-if-changed={}", dir.join(f).display());
    }
    let so = out.join("vdso.so");
    let status = Command::new(std::env::var("KEVLAR_VDSO_CC").unwrap_or_else(|_| "gcc".into()))
        .args(["-O2", "-fPIC", "-shared", "-nostdlib", "-fno-stack-protector", "-fno-asynchronous-unwind-tables"])
        .args(["-fno-unwind-tables", "-mno-red-zone", "-Wl,-soname=linux-vdso.so.1", "-Wl,--hash-style=both", "-Wl,--build-id=none"])
        .arg(format!("-Wl,--version-script={}", dir.join("vdso.lds").display()))
        .arg(format!("-Wl,-T,{}", dir.join("vdso-layout.lds").display()))
        .arg("-o")
        .arg(&so)
        .arg(dir.join("vdso.c"))
        .status()
        .expect("cannot run the C compiler for the vDSO (gcc)");
    assert!(status.success(), "building the vDSO failed");
}
