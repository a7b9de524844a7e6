//! Throughput figures on an in-memory device (no device cost, so this
//! measures the library itself). Ignored by default; run with
//! `cargo test --release -p kevlar_ext4 --test perf -- --ignored --nocapture`.

mod common;

use common::*;
use kevlar_ext4::*;
use std::time::Instant;

#[test]
#[ignore]
fn perf_figures() {
    if !have_tools() {
        return;
    }
    let d = scratch("perf");
    let img = d.join("img");
    mkfs(&img, 1024, &[], None);
    let dev = MemDevice::new(std::fs::read(&img).unwrap());
    let mut fs = Fs::mount(dev, opts()).unwrap();
    let total: usize = 256 << 20;
    for (label, chunk) in [("4 KiB writes", 4096usize), ("1 MiB writes", 1 << 20)] {
        let f = fs.create(ROOT_INO, label.as_bytes(), 0o644, 0, 0).unwrap();
        let data = pattern(1, chunk);
        let t = Instant::now();
        let mut off = 0;
        while off < total {
            fs.write(f, off as u64, &data).unwrap();
            off += chunk;
        }
        fs.sync().unwrap();
        let w = t.elapsed().as_secs_f64();
        let mut buf = vec![0u8; chunk];
        let t = Instant::now();
        let mut off = 0;
        while off < total {
            fs.read(f, off as u64, &mut buf).unwrap();
            off += chunk;
        }
        let r = t.elapsed().as_secs_f64();
        println!(
            "sequential 256 MiB, {label}: write {:.0} MiB/s, read {:.0} MiB/s",
            256.0 / w,
            256.0 / r
        );
        fs.unlink(ROOT_INO, label.as_bytes()).unwrap();
        fs.sync().unwrap();
    }
    let dir = fs.mkdir(ROOT_INO, b"small", 0o755, 0, 0).unwrap();
    let t = Instant::now();
    for i in 0..10_000 {
        let f = fs.create(dir, format!("file{i}").as_bytes(), 0o644, 0, 0).unwrap();
        fs.write(f, 0, b"0123456789").unwrap();
    }
    fs.sync().unwrap();
    let c = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for i in 0..10_000 {
        fs.unlink(dir, format!("file{i}").as_bytes()).unwrap();
    }
    fs.sync().unwrap();
    let u = t.elapsed().as_secs_f64();
    println!("10,000 small files: create+write {:.0}/s, unlink {:.0}/s", 10_000.0 / c, 10_000.0 / u);
    let dev = fs.unmount().unwrap();
    println!("device flushes: {}", dev.flushes);
    std::fs::write(&img, &dev.data).unwrap();
    assert_clean(&img);
    std::fs::remove_dir_all(&d).unwrap();
}
