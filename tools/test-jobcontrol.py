#!/usr/bin/env python3
"""tools/test-jobcontrol.py: job control on the serial console, driven like
a person at a terminal.

Boots Kevlar interactively (no kvtest: /init starts `setsid -c /bin/sh`, a
shell with the console as its controlling terminal), then types:

  sleep 100     ^Z   -> "[1]+  Stopped   sleep 100"
  jobs               -> the job is Stopped
  bg                 -> "[1] sleep 100"
  jobs               -> the job is Running
  fg                 -> the job is in the foreground again
  ^C                 -> back at the prompt; `echo $?` prints 130
  exit               -> clean power-off (QEMU status 1)

Each step waits (with a generous limit) for the text it expects; nothing
depends on timing. Exit status 0 iff every step saw its text.
"""
import os
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEP_LIMIT = 60.0


class Console:
    def __init__(self):
        self.p = subprocess.Popen(
            ["qemu-system-x86_64", "-machine", "pc", "-cpu", "max", "-m", "512M", "-nographic", "-no-reboot",
             "-nic", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
             "-kernel", os.path.join(ROOT, "build/kevlar.elf"), "-initrd", os.path.join(ROOT, "build/initramfs.cpio"),
             "-append", "console=ttyS0 init=/init"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.out = b""
        self.mark = 0

    def expect(self, text, what):
        """Waits until `text` appears after the last mark."""
        end = time.time() + STEP_LIMIT
        while time.time() < end:
            i = self.out.find(text, self.mark)
            if i >= 0:
                self.mark = i + len(text)
                print(f"ok: {what}")
                return True
            r, _, _ = select.select([self.p.stdout], [], [], 0.1)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.out += chunk
        print(f"FAIL: {what}: did not see {text!r}")
        print("--- console tail ---")
        print(self.out[-1500:].decode(errors="replace"))
        return False

    def type(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()


def main():
    c = Console()
    steps = [
        (None, b"Enter 'help'", "shell started"),
        (None, b"# ", "prompt"),
        (b"sleep 100\n", b"sleep 100", "sleep running"),
        (b"\x1a", b"Stopped", "^Z stops the job"),
        (b"jobs\n", b"Stopped", "jobs lists it stopped"),
        (b"bg\n", b"[1] sleep 100", "bg resumes it in the background"),
        (b"jobs\n", b"Running", "jobs lists it running"),
        (b"fg\n", b"sleep 100", "fg brings it back"),
        (b"\x03", b"# ", "^C kills the foreground job"),
        (b"echo status=$?\n", b"status=130", "exit status 128+SIGINT"),
        (b"exit\n", b"power down", "clean power-off"),
    ]
    ok = True
    for data, want, what in steps:
        if data is not None:
            time.sleep(0.3)  # let the shell settle its terminal modes
            c.type(data)
        if not c.expect(want, what):
            ok = False
            break
    try:
        status = c.p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        c.p.kill()
        status = "timeout"
    if ok and status != 1:
        print(f"FAIL: QEMU exit status {status}, expected 1 (clean power-off)")
        ok = False
    print("test-jobcontrol: " + ("PASSED" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
