#!/usr/bin/env bash
# tools/run.sh: boot Kevlar in QEMU with a BusyBox shell on this terminal.
#
# Usage: tools/run.sh [extra kernel command line words...]
#   e.g. tools/run.sh kvtest=busybox      (run a suite by hand)
#
# Boots build/kevlar.elf with build/initramfs.cpio (override with $KERNEL and
# $INITRD; build them first with `make kernel` and
# `tools/build-initramfs.sh build/initramfs.cpio`). The serial console is on
# stdio (-nographic): Ctrl-A X quits QEMU, Ctrl-A C toggles the monitor.
# Exiting the guest shell powers off. Exit status: 0 after a clean poweroff,
# 3 after a kernel panic, otherwise QEMU's own status.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNEL=${KERNEL:-$ROOT/build/kevlar.elf}
INITRD=${INITRD:-$ROOT/build/initramfs.cpio}
QEMU=${QEMU:-qemu-system-x86_64}

for f in "$KERNEL" "$INITRD"; do
    if [ ! -f "$f" ]; then
        echo "run.sh: missing $f (build it: make kernel; tools/build-initramfs.sh build/initramfs.cpio)" >&2
        exit 2
    fi
done

"$QEMU" -machine pc -cpu max -m 512M -nographic -no-reboot -nic none \
    -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 init=/init${*:+ $*}"
status=$?

# isa-debug-exit turns the kernel's exit code v into QEMU status (v << 1) | 1.
case $status in
    1) exit 0 ;;
    3) echo "run.sh: kernel panic (QEMU exit status 3)" >&2; exit 3 ;;
    *) exit "$status" ;;
esac
