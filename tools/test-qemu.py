#!/usr/bin/env python3
"""tools/test-qemu.py: boot Kevlar once in QEMU, run test suites, judge them.

Usage:
  tools/test-qemu.py --kernel build/kevlar.elf --initrd build/initramfs.cpio \\
      --suites busybox,efault,crash [--timeout 300] [--append "extra cmdline"] \\
      [--log build/test-qemu.log] [--quiet]
  tools/test-qemu.py --kernel K --initrd I --expect-panic --append kevlar.panic_test
  tools/test-qemu.py --selftest

Suite mode boots with `kvtest=<suites>` on the kernel command line (the guest's
/init runs them, see tests/init.sh), streams the serial console to the
terminal and the log as it arrives, and passes iff, for every suite, a
`=== SUITE s ===` ... `=== END s status=0 ===` block exists whose last
`N passed, M failed` line has M == 0 (N >= 40 for busybox), init printed
`=== ALL DONE ===`, and QEMU exited with status 1 (isa-debug-exit value 0,
i.e. the kernel's clean poweroff). Status 3 means a kernel panic.

--expect-panic passes iff the output has a `KERNEL PANIC` line and a
backtrace frame naming a kernel function (`#N 0x... kevlar_...`) and QEMU
exited with status 3.

--selftest runs the output parser on canned transcripts (passing and
failing ones) and the streaming/timeout logic on a fake QEMU; no kernel
needed. Exit status: 0 iff everything passed.
"""

import argparse
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import time

QEMU_CLEAN_EXIT = 1   # isa-debug-exit: (0 << 1) | 1
QEMU_PANIC_EXIT = 3   # isa-debug-exit: (1 << 1) | 1
MIN_PASSED = {"busybox": 40, "system": 100}

SUITE_RE = re.compile(r"=== SUITE (\S+) ===")
END_RE = re.compile(r"=== END (\S+) status=(-?\d+) ===")
COUNT_RE = re.compile(r"(?:^|\s)(\d+) passed, (\d+) failed\s*$")
FAIL_RE = re.compile(r"^FAIL: ")
ALL_DONE = "=== ALL DONE ==="
PANIC_RE = re.compile(r"KERNEL PANIC")
# A frame naming a kernel function: `#2  0xffffffff801524a3 kevlar::kernel_main+0x702`,
# `kevlar_hal::arch::init+0x307`, `kevlar_kernel::x::y+0x3be`, `__kevlar_kernel_main+0x8`.
FRAME_RE = re.compile(r"#\d+ +0x[0-9a-f]+ _*kevlar(?:_|::)")


def expand_suites(spec):
    """Comma-separated suite list -> names; `all` = the two BusyBox
    suites plus every tests/c/*.c program (what the guest's /init runs
    for `all`)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cdir = os.path.join(root, "tests", "c")
    progs = []
    if os.path.isdir(cdir):
        for f in sorted(os.listdir(cdir)):
            if not f.endswith(".c"):
                continue
            progs.append(f[:-2])
            # tools/build-initramfs.sh also builds these as <name>-pie.
            with open(os.path.join(cdir, f), errors="replace") as src:
                if "kevlar-test: also-static-pie" in src.read():
                    progs.append(f[:-2] + "-pie")
    out = []
    for s in spec.split(","):
        names = ["busybox", "system"] + progs if s == "all" else ([s] if s else [])
        for n in names:
            if n not in out:
                out.append(n)
    return out


def qemu_command(qemu, kernel, initrd, cmdline, disk=None):
    cmd = [
        qemu, "-machine", "pc", "-cpu", "max", "-m", "512M",
        "-nographic", "-no-reboot", "-nic", "none",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
        "-kernel", kernel, "-initrd", initrd, "-append", cmdline,
    ]
    if disk:
        # A raw image as a virtio disk (the guest's /dev/vda).
        cmd += ["-drive", f"file={disk},if=none,format=raw,id=d0", "-device", "virtio-blk-pci,drive=d0"]
    return cmd


def run_streaming(cmd, timeout, log_path=None, echo=True):
    """Runs cmd with stdin from /dev/null, copying its output (stdout and
    stderr merged) to our stdout and the log as it arrives. Kills it after
    `timeout` seconds. Returns (output_text, exit_status or None, timed_out)."""
    log = open(log_path, "wb") if log_path else None
    chunks = []
    timed_out = False
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        if log:
            log.close()
        return "runner: cannot start %s: %s\n" % (cmd[0], e), None, False
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                break  # EOF: QEMU closed its output (it is exiting)
            chunks.append(data)
            if echo:
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            if log:
                log.write(data)
                log.flush()
    except KeyboardInterrupt:
        kill_group(proc)
        raise
    finally:
        if timed_out:
            kill_group(proc)
        if log:
            log.close()
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        status = proc.wait()
    proc.stdout.close()
    if timed_out:
        status = None
    return b"".join(chunks).decode("utf-8", errors="replace"), status, timed_out


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass


def clean_lines(text):
    return [line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n")]


def parse_suites(text, suites):
    """Returns {suite: row} where row has keys found, ended, status, passed,
    failed, fails (FAIL lines), ok, reason."""
    lines = clean_lines(text)
    blocks = {}
    current = None
    for line in lines:
        m = SUITE_RE.search(line)
        if m:
            current = m.group(1)
            # A repeated suite: the last block wins.
            blocks[current] = {"lines": [], "ended": False, "status": None}
            continue
        m = END_RE.search(line)
        if m and current is not None and m.group(1) == current:
            blocks[current]["ended"] = True
            blocks[current]["status"] = int(m.group(2))
            current = None
            continue
        if current is not None:
            blocks[current]["lines"].append(line)

    rows = {}
    for s in suites:
        row = {"found": False, "ended": False, "status": None, "passed": None,
               "failed": None, "fails": [], "ok": False, "reason": ""}
        rows[s] = row
        b = blocks.get(s)
        if b is None:
            row["reason"] = "suite never started"
            continue
        row["found"] = True
        row["ended"] = b["ended"]
        row["status"] = b["status"]
        for line in b["lines"]:
            m = COUNT_RE.search(line)
            if m:
                row["passed"], row["failed"] = int(m.group(1)), int(m.group(2))
            if FAIL_RE.match(line):
                row["fails"].append(line)
        reasons = []
        if not b["ended"]:
            reasons.append("no END line (hang or crash)")
        elif b["status"] != 0:
            reasons.append("exit status %d%s" % (b["status"],
                           " (timeout)" if b["status"] == 143 else ""))
        if row["passed"] is None:
            reasons.append("no 'N passed, M failed' line")
        else:
            if row["failed"] != 0:
                reasons.append("%d checks failed" % row["failed"])
            need = MIN_PASSED.get(s, 1)
            if row["passed"] < need:
                reasons.append("only %d checks passed (need >= %d)" % (row["passed"], need))
        row["ok"] = not reasons
        row["reason"] = "; ".join(reasons)
    return rows


def evaluate_suites(text, status, timed_out, suites):
    """Returns (ok, rows, problems): problems are run-wide failures."""
    rows = parse_suites(text, suites)
    problems = []
    lines = clean_lines(text)
    if timed_out:
        problems.append("timed out: QEMU killed")
    elif status == QEMU_PANIC_EXIT:
        problems.append("QEMU exit status 3: kernel panic")
    elif status != QEMU_CLEAN_EXIT:
        problems.append("unexpected QEMU exit status %s (want 1 = clean poweroff)" % status)
    if any(PANIC_RE.search(l) for l in lines) and status != QEMU_PANIC_EXIT:
        problems.append("output contains KERNEL PANIC")
    if not any(ALL_DONE in l for l in lines):
        problems.append("init never printed '%s'" % ALL_DONE)
    ok = not problems and all(r["ok"] for r in rows.values())
    return ok, rows, problems


def evaluate_panic(text, status, timed_out):
    """Returns (ok, problems) for --expect-panic."""
    lines = clean_lines(text)
    problems = []
    if not any(PANIC_RE.search(l) for l in lines):
        problems.append("no 'KERNEL PANIC' line")
    if not any(FRAME_RE.search(l) for l in lines):
        problems.append("no backtrace frame naming a kevlar_ function")
    if timed_out:
        problems.append("timed out: QEMU killed")
    elif status != QEMU_PANIC_EXIT:
        problems.append("QEMU exit status %s (want 3 = panic)" % status)
    return not problems, problems


def print_table(rows, out=sys.stdout):
    hdr = ("suite", "passed", "failed", "verdict")
    table = [hdr]
    for s, r in rows.items():
        verdict = "PASS" if r["ok"] else "FAIL: " + r["reason"]
        fmt = lambda v: "-" if v is None else str(v)
        table.append((s, fmt(r["passed"]), fmt(r["failed"]), verdict))
    w = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        out.write("%-*s  %*s  %*s  %s\n" % (w[0], row[0], w[1], row[1], w[2], row[2], row[3]))


def main_run(args):
    for path in (args.kernel, args.initrd):
        if not os.path.isfile(path):
            print("test-qemu: no such file: %s" % path, file=sys.stderr)
            return 2
    words = ["console=ttyS0", "init=/init"]
    suites = expand_suites(args.suites or "")
    if args.expect_panic:
        if suites:
            words.append("kvtest=" + ",".join(suites))
    else:
        if not suites:
            print("test-qemu: --suites is required (or --expect-panic)", file=sys.stderr)
            return 2
        words.append("kvtest=" + ",".join(suites))
    if args.append:
        words.append(args.append)
    cmdline = " ".join(words)
    cmd = qemu_command(args.qemu, args.kernel, args.initrd, cmdline, args.disk)
    if args.log:
        os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    print("test-qemu: %s" % " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    start = time.monotonic()
    text, status, timed_out = run_streaming(cmd, args.timeout, args.log, echo=not args.quiet)
    elapsed = time.monotonic() - start
    sys.stdout.flush()
    print("\ntest-qemu: QEMU %s after %.1f s" % (
        "killed (timeout)" if timed_out else "exited with status %s" % status, elapsed))

    if args.expect_panic:
        ok, problems = evaluate_panic(text, status, timed_out)
        for p in problems:
            print("test-qemu: FAIL: %s" % p)
        print("test-qemu: panic test %s" % ("PASSED" if ok else "FAILED"))
        return 0 if ok else 1

    ok, rows, problems = evaluate_suites(text, status, timed_out, suites)
    print()
    print_table(rows)
    for s, r in rows.items():
        for line in r["fails"][:20]:
            print("  [%s] %s" % (s, line))
        if len(r["fails"]) > 20:
            print("  [%s] ... and %d more FAIL lines" % (s, len(r["fails"]) - 20))
    for p in problems:
        print("test-qemu: FAIL: %s" % p)
    print("test-qemu: %s" % ("ALL PASSED" if ok else "FAILED"))
    return 0 if ok else 1


# ---------------------------------------------------------------- selftest

GOOD = """\
SeaBIOS (version 1.16)
Booting from ROM..
kevlar: booting
init: running suites: busybox efault crash (limit 120s each)
=== SUITE busybox ===
PASS: var-assign
PASS: arith-basic
%s
45 passed, 0 failed
=== END busybox status=0 ===\r
=== SUITE efault ===\r
PASS: read-ptr1\r
144 passed, 0 failed\r
=== END efault status=0 ===\r
=== SUITE crash ===
PASS: null-store-sigsegv
19 passed, 0 failed
=== END crash status=0 ===
=== ALL DONE ===
""" % "\n".join("PASS: c%d" % i for i in range(43))

SUITES3 = ["busybox", "efault", "crash"]


def _selftest_cases():
    """(name, text, status, timed_out, suites, want_ok, want_substring)"""
    cases = [
        ("good-run", GOOD, 1, False, SUITES3, True, None),
        ("good-subset", GOOD, 1, False, ["efault"], True, None),
        ("qemu-exit-0", GOOD, 0, False, SUITES3, False, "exit status 0"),
        ("qemu-exit-3", GOOD, 3, False, SUITES3, False, "kernel panic"),
        ("timeout", GOOD, None, True, SUITES3, False, "timed out"),
        ("suite-missing", GOOD, 1, False, SUITES3 + ["extra"], False, "never started"),
    ]
    bad = GOOD.replace("144 passed, 0 failed", "143 passed, 1 failed")
    bad = bad.replace("PASS: read-ptr1", "FAIL: read-ptr1: expected -1/EFAULT got 16")
    cases.append(("failed-checks", bad, 1, False, SUITES3, False, "1 checks failed"))
    bad = GOOD.replace("=== END crash status=0 ===", "=== END crash status=1 ===")
    cases.append(("nonzero-status", bad, 1, False, SUITES3, False, "exit status 1"))
    bad = GOOD.replace("=== END crash status=0 ===", "=== END crash status=143 ===")
    cases.append(("suite-timeout", bad, 1, False, SUITES3, False, "(timeout)"))
    bad = GOOD.replace("=== END efault status=0 ===\r\n", "")
    cases.append(("no-end", bad, 1, False, SUITES3, False, "no END line"))
    bad = GOOD.replace("45 passed, 0 failed", "39 passed, 0 failed")
    cases.append(("busybox-too-few", bad, 1, False, SUITES3, False, "need >= 40"))
    bad = GOOD.replace("19 passed, 0 failed\n", "")
    cases.append(("no-count", bad, 1, False, SUITES3, False, "no 'N passed"))
    bad = GOOD.replace("=== ALL DONE ===\n", "")
    cases.append(("no-all-done", bad, 1, False, SUITES3, False, "ALL DONE"))
    # The last count line in a block wins.
    bad = GOOD.replace("19 passed, 0 failed", "19 passed, 0 failed\n18 passed, 1 failed")
    cases.append(("last-count-wins", bad, 1, False, SUITES3, False, "1 checks failed"))
    # A count line from another block must not leak into a crashed suite.
    cut = GOOD.index("=== SUITE crash ===")
    crashed = GOOD[:cut] + "=== SUITE crash ===\nPASS: x\nKERNEL PANIC: page fault\n"
    cases.append(("crash-mid-suite", crashed, 3, False, SUITES3, False, "no END line"))
    panic_in_text = GOOD.replace("=== ALL DONE ===", "KERNEL PANIC: oops\n=== ALL DONE ===")
    cases.append(("panic-line", panic_in_text, 1, False, SUITES3, False, "KERNEL PANIC"))
    return cases


PANIC_GOOD = """\
kevlar: booting
kevlar: panic test requested
KERNEL PANIC: panic test (kevlar.panic_test)
backtrace:
  #0  0xffffffff8010aede kevlar_kernel::panic::panic_test+0x3be
  #1  0xffffffff80100123 kevlar_kernel::boot::main+0x23
"""


def _panic_cases():
    return [
        ("panic-good", PANIC_GOOD, 3, False, True, None),
        ("panic-exit-1", PANIC_GOOD, 1, False, False, "want 3"),
        ("panic-exit-0", PANIC_GOOD, 0, False, False, "want 3"),
        ("panic-timeout", PANIC_GOOD, None, True, False, "timed out"),
        ("panic-no-frames", PANIC_GOOD.split("backtrace:")[0], 3, False, False,
         "no backtrace"),
        ("panic-unnamed-frames", PANIC_GOOD.replace("kevlar_kernel", "???"), 3, False,
         False, "no backtrace"),
        ("panic-crate-path-frame", PANIC_GOOD.replace("kevlar_kernel::", "kevlar::"), 3,
         False, True, None),
        ("panic-no-banner", PANIC_GOOD.replace("KERNEL PANIC", "kernel oops"), 3, False,
         False, "no 'KERNEL PANIC'"),
    ]


def selftest():
    npass = nfail = 0

    def report(name, good, detail=""):
        nonlocal npass, nfail
        if good:
            npass += 1
            print("PASS: %s" % name)
        else:
            nfail += 1
            print("FAIL: %s: %s" % (name, detail))

    for name, text, status, timed_out, suites, want_ok, want_sub in _selftest_cases():
        ok, rows, problems = evaluate_suites(text, status, timed_out, suites)
        msgs = problems + [r["reason"] for r in rows.values() if r["reason"]]
        joined = " | ".join(msgs)
        good = ok == want_ok and (want_sub is None or want_sub in joined)
        report(name, good, "ok=%s want %s; messages: %s" % (ok, want_ok, joined))

    rows = parse_suites(GOOD, SUITES3)
    report("counts-parsed",
           [(rows[s]["passed"], rows[s]["failed"]) for s in SUITES3]
           == [(45, 0), (144, 0), (19, 0)], str(rows))
    bad = GOOD.replace("PASS: read-ptr1", "FAIL: read-ptr1: expected x got y")
    rows = parse_suites(bad, ["efault"])
    report("fail-lines-collected", rows["efault"]["fails"] == ["FAIL: read-ptr1: expected x got y"],
           str(rows["efault"]["fails"]))

    for name, text, status, timed_out, want_ok, want_sub in _panic_cases():
        ok, problems = evaluate_panic(text, status, timed_out)
        joined = " | ".join(problems)
        good = ok == want_ok and (want_sub is None or want_sub in joined)
        report(name, good, "ok=%s want %s; problems: %s" % (ok, want_ok, joined))

    # The process side: a fake QEMU that prints a transcript and exits 1,
    # one that exits 3, and one that hangs (must be killed by the timeout).
    with tempfile.TemporaryDirectory() as tmp:
        transcript = os.path.join(tmp, "good.txt")
        with open(transcript, "w") as f:
            f.write(GOOD)
        fake = os.path.join(tmp, "fake-qemu")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\n"
                    "case \"$FAKE_MODE\" in\n"
                    "  hang) echo booting; exec sleep 60 ;;\n"
                    "  panic) printf '%s' \"$FAKE_TEXT\"; exit 3 ;;\n"
                    "  *) cat \"$FAKE_FILE\"; exit 1 ;;\n"
                    "esac\n")
        os.chmod(fake, 0o755)
        log = os.path.join(tmp, "run.log")
        env_backup = dict(os.environ)
        try:
            os.environ.update(FAKE_FILE=transcript, FAKE_MODE="good")
            text, status, timed_out = run_streaming([fake], 20, log, echo=False)
            ok, _, problems = evaluate_suites(text, status, timed_out, SUITES3)
            with open(log, newline="") as f:
                logged = f.read()
            report("fake-qemu-good", ok and status == 1 and logged == GOOD,
                   "status %s problems %s log-matches %s" % (status, problems, logged == GOOD))

            os.environ.update(FAKE_MODE="panic", FAKE_TEXT=PANIC_GOOD)
            text, status, timed_out = run_streaming([fake], 20, None, echo=False)
            ok, problems = evaluate_panic(text, status, timed_out)
            report("fake-qemu-panic", ok and status == 3, "status %s problems %s" % (status, problems))

            os.environ.update(FAKE_MODE="hang")
            t0 = time.monotonic()
            text, status, timed_out = run_streaming([fake], 1.5, None, echo=False)
            took = time.monotonic() - t0
            ok, _, problems = evaluate_suites(text, status, timed_out, SUITES3)
            report("fake-qemu-timeout",
                   timed_out and status is None and not ok and took < 10 and "booting" in text,
                   "timed_out %s status %s took %.1f s" % (timed_out, status, took))

            text, status, timed_out = run_streaming([os.path.join(tmp, "missing")], 5, None,
                                                    echo=False)
            ok, _, _ = evaluate_suites(text, status, timed_out, SUITES3)
            report("missing-qemu-binary", not ok and "cannot start" in text, text.strip())
        finally:
            os.environ.clear()
            os.environ.update(env_backup)

    cmd = qemu_command("qemu-system-x86_64", "K", "I", "console=ttyS0 init=/init kvtest=x")
    report("qemu-command",
           cmd[cmd.index("-append") + 1] == "console=ttyS0 init=/init kvtest=x"
           and cmd[cmd.index("-kernel") + 1] == "K" and cmd[cmd.index("-initrd") + 1] == "I"
           and "isa-debug-exit,iobase=0xf4,iosize=4" in cmd and "-no-reboot" in cmd
           and "-nographic" in cmd,
           " ".join(cmd))
    report("expand-all", expand_suites("all,busybox")[0] == "busybox"
           and "efault" in expand_suites("all") and "crash" in expand_suites("all")
           and expand_suites("efault,,crash") == ["efault", "crash"],
           str(expand_suites("all")))

    print("%d passed, %d failed" % (npass, nfail))
    return 0 if nfail == 0 else 1


def main():
    ap = argparse.ArgumentParser(
        description="Boot Kevlar in QEMU and check test suites (see the file header).")
    ap.add_argument("--kernel", default="build/kevlar.elf")
    ap.add_argument("--initrd", default="build/initramfs.cpio")
    ap.add_argument("--suites", default="", help="comma-separated: busybox,efault,crash or all")
    ap.add_argument("--timeout", type=float, default=300, help="whole-run limit in seconds")
    ap.add_argument("--append", default="", help="extra kernel command line words")
    ap.add_argument("--disk", default=None, help="attach this raw image as a virtio disk (/dev/vda)")
    ap.add_argument("--log", default=None, help="also write the serial output here")
    ap.add_argument("--qemu", default="qemu-system-x86_64", help="QEMU binary")
    ap.add_argument("--quiet", action="store_true", help="don't echo the serial output")
    ap.add_argument("--expect-panic", action="store_true",
                    help="pass iff the kernel panics with a symbolized backtrace (exit 3)")
    ap.add_argument("--selftest", action="store_true", help="test the runner itself")
    args = ap.parse_args()
    if args.selftest:
        return selftest()
    return main_run(args)


if __name__ == "__main__":
    sys.exit(main())
