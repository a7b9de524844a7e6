#!/usr/bin/env python3
"""Contract tests: Linux is the oracle.

Each contract is a small C program, tests/contracts/<category>/<name>.c,
that prints what it observes, one fact per line, and exits 0. This tool
builds every contract (static musl; also static glibc when the file says
`contract: glibc`), runs each natively on the host Linux, runs the same
binaries inside Kevlar in one QEMU boot, and compares the outputs line by
line:

  PASS     same output, exit status 0 on both sides
  DIVERGE  different output (listed in known-divergences.txt with a reason,
           or a failure)
  FAIL     Kevlar crashed, hung, exited non-zero, or printed nothing
  BROKEN   the contract fails on Linux itself (a bug in the contract)

Usage:
  tools/contracts.py [--only PATTERN] [--timeout SECONDS] [--jobs N]
  tools/contracts.py --build-only      (used by tools/build-initramfs.sh)

Exit status 0 iff no FAIL, no BROKEN and no unlisted DIVERGE.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "tests", "contracts")
OUT = os.path.join(ROOT, "build", "contracts")
BIN = os.path.join(OUT, "bin")
KNOWN = os.path.join(SRC, "known-divergences.txt")
# The environment every contract runs with, on both sides.
ENV = {"PATH": "/bin:/sbin:/usr/bin:/usr/sbin", "HOME": "/root", "LC_ALL": "C"}
PER_CONTRACT_TIMEOUT = 30


def contracts(only=None):
    """(category, name, path, libcs) for every contract source."""
    out = []
    for cat in sorted(os.listdir(SRC)):
        d = os.path.join(SRC, cat)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith(".c"):
                continue
            path = os.path.join(d, f)
            head = open(path, errors="replace").read(2000)
            libcs = ["musl"] + (["glibc"] if "contract: glibc" in head else [])
            name = f[:-2]
            if only and not re.search(only, f"{cat}/{name}"):
                continue
            out.append((cat, name, path, libcs))
    return out


def build_one(cat, name, path, libc):
    exe = os.path.join(BIN, cat, f"{name}.{libc}")
    deps = [path] + [os.path.join(SRC, h) for h in os.listdir(SRC) if h.endswith(".h")]
    if os.path.exists(exe) and all(os.path.getmtime(exe) >= os.path.getmtime(d) for d in deps):
        return exe, None
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    cc = ["musl-gcc"] if libc == "musl" else ["gcc", "-pthread"]
    cmd = cc + ["-static", "-O2", "-Wall", "-I", SRC, "-o", exe + ".tmp", path]
    if libc == "musl":
        cmd.append("-lpthread")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr
    os.replace(exe + ".tmp", exe)
    return exe, None


def build(items, jobs):
    jobs_list = [(c, n, p, l) for (c, n, p, ls) in items for l in ls]
    errors = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for (c, n, p, l), (exe, err) in zip(jobs_list, ex.map(lambda j: build_one(*j), jobs_list)):
            if err:
                errors.append(f"{c}/{n}.{l}:\n{err}")
    if errors:
        print("contracts: build failed:\n" + "\n".join(errors), file=sys.stderr)
        sys.exit(2)
    return [(c, n, l) for (c, n, p, l) in jobs_list]


def scratch_parent():
    """Where host runs get their scratch directory: a tmpfs, as in the
    guest (the guest's /tmp is tmpfs), so file-system details such as a
    directory's size compare like for like."""
    try:
        with open("/proc/mounts") as m:
            for line in m:
                parts = line.split()
                if len(parts) > 2 and parts[1] == "/dev/shm" and parts[2] == "tmpfs":
                    return "/dev/shm"
    except OSError:
        pass
    return None


def default_signals():
    """In the child before exec: every signal at its default disposition
    and none blocked, as a contract starts in the guest, whatever the
    environment that started this runner ignores or blocks."""
    for sig in range(1, signal.NSIG):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def run_host(c, n, l, timeout):
    exe = os.path.join(BIN, c, f"{n}.{l}")
    with tempfile.TemporaryDirectory(prefix="contract-", dir=scratch_parent()) as cwd:
        try:
            r = subprocess.run([exe], cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, preexec_fn=default_signals,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
            out = r.stdout.decode(errors="replace")
            if out and not out.endswith("\n"):
                out += "\n"  # as the guest framing will show it
            return out, r.returncode
        except subprocess.TimeoutExpired as e:
            return (e.stdout or b"").decode(errors="replace"), "timeout"


FRAME_RE = re.compile(r"^=== CONTRACT (\S+) ===$")
END_RE = re.compile(r"^=== CEND (\S+) status=(-?\d+) ===$")


def parse_guest(text):
    """{ 'cat/name.libc': (output, status) } from the guest's serial log."""
    res, cur, lines = {}, None, []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = FRAME_RE.match(line)
        if m:
            cur, lines = m.group(1), []
            continue
        m = END_RE.match(line)
        if m and cur == m.group(1):
            if lines and lines[-1] == "":
                lines.pop()  # the separator run-guest.sh prints
            res[cur] = ("\n".join(lines) + ("\n" if lines else ""), int(m.group(2)))
            cur = None
            continue
        if cur is not None:
            lines.append(line)
    return res


CTIME_RE = re.compile(r"^=== CTIME (\S+) ([0-9.]+) ([0-9.]+) ===")


def slowest(text, n=5):
    """The n contracts that took longest in the guest (from CTIME lines)."""
    times = []
    for line in text.splitlines():
        m = CTIME_RE.match(line.rstrip("\r"))
        if m:
            times.append((m.group(1), float(m.group(3)) - float(m.group(2))))
    return sorted(times, key=lambda kv: -kv[1])[:n]


def load_known():
    known = {}
    if os.path.exists(KNOWN):
        for line in open(KNOWN):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(" ")
            if not reason.strip():
                raise SystemExit(f"contracts: {KNOWN}: '{key}' has no reason")
            known[key] = reason.strip()
    return known


def boot_guest(timeout, log_path):
    kernel = os.path.join(ROOT, "build", "kevlar.elf")
    initrd = os.path.join(ROOT, "build", "initramfs.cpio")
    cmd = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "max", "-m", "1G", "-nographic", "-no-reboot",
           "-nic", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-kernel", kernel, "-initrd", initrd,
           "-append", f"console=ttyS0 init=/init quiet kvtest=contracts kvtimeout={PER_CONTRACT_TIMEOUT}"]
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        out, status = r.stdout.decode(errors="replace"), r.returncode
    except subprocess.TimeoutExpired as e:
        out, status = (e.stdout or b"").decode(errors="replace"), "timeout"
    with open(log_path, "w") as f:
        f.write(out)
    return out, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="regex over category/name")
    ap.add_argument("--timeout", type=float, default=1500, help="whole guest run limit (s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-boot", action="store_true", help="host runs only")
    ap.add_argument("-v", "--verbose", action="store_true", help="show diffs of passing-but-known divergences too")
    ap.add_argument("--show", action="store_true", help="print each contract's host output")
    args = ap.parse_args()

    items = contracts(args.only)
    targets = build(items, args.jobs)
    if args.build_only:
        return 0

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        host = dict(zip([f"{c}/{n}.{l}" for c, n, l in targets],
                        ex.map(lambda t: run_host(*t, PER_CONTRACT_TIMEOUT), targets)))
    if args.show:
        for key in sorted(host):
            print(f"--- {key} (exit {host[key][1]})\n{host[key][0]}", end="")
    guest_log_text = ""
    if args.no_boot:
        guest = {}
    else:
        # The initramfs carries build/contracts/bin as /contracts.
        subprocess.run(["bash", os.path.join(ROOT, "tools", "build-initramfs.sh"), os.path.join(ROOT, "build", "initramfs.cpio")], check=True)
        log = os.path.join(ROOT, "build", "contracts.log")
        text, status = boot_guest(args.timeout, log)
        if status != 1:
            print(f"contracts: QEMU ended with status {status} (log: {log})", file=sys.stderr)
        guest = parse_guest(text)
        guest_log_text = text

    known = load_known()
    rows = {}
    failures = 0
    passed = 0
    report = []
    for key in sorted(host):
        cat = key.split("/")[0]
        h_out, h_status = host[key]
        r = rows.setdefault(cat, {"PASS": 0, "DIVERGE": 0, "known": 0, "FAIL": 0, "BROKEN": 0})
        base = key.rsplit(".", 1)[0]
        if h_status != 0:
            r["BROKEN"] += 1
            failures += 1
            report.append(f"BROKEN  {key}: exit {h_status} on Linux\n{h_out}")
            continue
        if args.no_boot:
            r["PASS"] += 1
            passed += 1
            continue
        if key not in guest:
            r["FAIL"] += 1
            failures += 1
            report.append(f"FAIL    {key}: no result from Kevlar (crash or hang before the end frame)")
            continue
        g_out, g_status = guest[key]
        if g_out == h_out and g_status == 0:
            r["PASS"] += 1
            passed += 1
            if key in known or base in known:
                report.append(f"STALE   {key}: passes but is listed in known-divergences.txt")
            continue
        if g_status != 0 and g_out == h_out:
            r["FAIL"] += 1
            failures += 1
            report.append(f"FAIL    {key}: exit status {g_status} on Kevlar")
            continue
        diff = "".join(list(difflib.unified_diff(h_out.splitlines(True), g_out.splitlines(True), "linux", "kevlar", n=1))[:40])
        if key in known or base in known:
            r["known"] += 1
            failures += 1
            if args.verbose:
                report.append(f"KNOWN   {key}: {known.get(key) or known.get(base)}\n{diff}")
            continue
        r["DIVERGE"] += 1
        failures += 1
        tag = "FAIL   " if g_status != 0 else "DIVERGE"
        report.append(f"{tag} {key}" + (f" (exit {g_status})" if g_status != 0 else "") + f"\n{diff}")

    for line in report:
        print(line)
    print()
    print(f"{'category':<12} {'pass':>5} {'known':>6} {'diverge':>8} {'fail':>5} {'broken':>7}")
    for cat in sorted(rows):
        r = rows[cat]
        print(f"{cat:<12} {r['PASS']:>5} {r['known']:>6} {r['DIVERGE']:>8} {r['FAIL']:>5} {r['BROKEN']:>7}")
    slow = slowest(guest_log_text) if not args.no_boot else []
    if slow:
        print("slowest in Kevlar: " + ", ".join(f"{k} {t:.1f}s" for k, t in slow))
    print(f"{passed} passed, {failures} failed")
    unlisted = sum(r["DIVERGE"] + r["FAIL"] + r["BROKEN"] for r in rows.values())
    known_n = sum(r["known"] for r in rows.values())
    print(f"contracts: {known_n} known divergences (listed with reasons), {unlisted} unlisted failures")
    return 0 if unlisted == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
