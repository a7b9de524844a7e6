#!/usr/bin/env bash
# tools/build-initramfs.sh: build Kevlar's boot image (a newc cpio archive).
#
# Usage: tools/build-initramfs.sh OUT.cpio
#
# Stages a root file system in build/initramfs-root/ and packs it into OUT:
#   /bin/busybox (from $BUSYBOX, default /bin/busybox) and a symlink
#   /bin/<applet> -> busybox for every applet; /sbin, /usr/bin, /usr/sbin
#   hold the applets `busybox --list-full` places there (-> /bin/busybox);
#   /init (tests/init.sh); /tests/busybox/{suite,system,lib}.sh; /usr/bin/<tool>
#   for every tests/utils/<tool>.c (flock, ptyrun); /tests/bin/<prog> for
#   every tests/c/<prog>.c (built with `musl-gcc -static -O2` into
#   build/tests-bin/, only when the source is newer than the binary);
#   /etc/passwd, /etc/group, /root, /tmp (1777), and empty /dev, /proc, /sys.
# Prints one summary line to stderr on success; compiler output only on error.
set -euo pipefail

die() { printf 'build-initramfs: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: tools/build-initramfs.sh OUT.cpio"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case $1 in
    /*) OUT=$1 ;;
    *) OUT=$PWD/$1 ;;
esac
BUSYBOX=${BUSYBOX:-/bin/busybox}
CC=${MUSL_CC:-musl-gcc}
BUILD=$ROOT/build
STAGE=$BUILD/initramfs-root
BINDIR=$BUILD/tests-bin

[ -x "$BUSYBOX" ] || die "no busybox at $BUSYBOX (apt-get install busybox-static)"
command -v cpio >/dev/null || die "cpio not found"
[ -f "$ROOT/tests/init.sh" ] || die "missing tests/init.sh"
[ -f "$ROOT/tests/busybox/suite.sh" ] || die "missing tests/busybox/suite.sh"

# --- compile the C tests (make-like: only when the source or a header is newer)
mkdir -p "$BINDIR"
# compile_static SRC EXE: a static musl build, replacing EXE only on success.
compile_static() {
    command -v "$CC" >/dev/null || die "$CC not found (apt-get install musl-tools)"
    local log
    if ! log=$("$CC" -static -O2 -o "$2.tmp" "$1" 2>&1); then
        printf '%s\n' "$log" >&2
        rm -f "$2.tmp"
        die "compiling $1 failed"
    fi
    mv "$2.tmp" "$2"
}
rebuilt=()
progs=()
newest_header=
for h in "$ROOT"/tests/c/*.h; do
    [ -e "$h" ] || continue
    if [ -z "$newest_header" ] || [ "$h" -nt "$newest_header" ]; then newest_header=$h; fi
done
for src in "$ROOT"/tests/c/*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    exe=$BINDIR/$name
    progs+=("$name")
    if [ -e "$exe" ] && [ ! "$src" -nt "$exe" ] &&
       { [ -z "$newest_header" ] || [ ! "$newest_header" -nt "$exe" ]; }; then
        continue
    fi
    compile_static "$src" "$exe"
    rebuilt+=("$name")
done

# Programs marked `kevlar-test: also-static-pie` are also built as a static
# PIE, `<name>-pie`. Debian's musl-gcc turns -static-pie into a dynamic PIE,
# so link by hand with musl's rcrt1.o.
MUSL_LIB=${MUSL_LIB:-/usr/lib/x86_64-linux-musl}
for src in "$ROOT"/tests/c/*.c; do
    [ -e "$src" ] || continue
    grep -q 'kevlar-test: also-static-pie' "$src" || continue
    name=$(basename "$src" .c)-pie
    exe=$BINDIR/$name
    progs+=("$name")
    if [ -e "$exe" ] && [ ! "$src" -nt "$exe" ]; then
        continue
    fi
    if ! log=$("$CC" -fPIE -O2 -c -o "$exe.o" "$src" 2>&1 &&
               ld -static -pie --no-dynamic-linker -z text -o "$exe.tmp" \
                  "$MUSL_LIB/rcrt1.o" "$MUSL_LIB/crti.o" "$exe.o" "$MUSL_LIB/libc.a" "$MUSL_LIB/crtn.o" 2>&1); then
        printf '%s\n' "$log" >&2
        rm -f "$exe.tmp" "$exe.o"
        die "building static-pie $name failed"
    fi
    rm -f "$exe.o"
    mv "$exe.tmp" "$exe"
    rebuilt+=("$name")
done

# --- the tools tests/busybox/system.sh needs that BusyBox lacks
# (tests/utils/<tool>.c -> /usr/bin/<tool>)
UTILDIR=$BUILD/utils-bin
mkdir -p "$UTILDIR"
utils=()
for src in "$ROOT"/tests/utils/*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    exe=$UTILDIR/$name
    utils+=("$name")
    [ -e "$exe" ] && [ ! "$src" -nt "$exe" ] && continue
    compile_static "$src" "$exe"
    rebuilt+=("$name")
done
# --- stage the root file system (from scratch: it takes a few milliseconds)
rm -rf "$STAGE"
mkdir -p "$STAGE"
cd "$STAGE"
mkdir -p bin sbin usr/bin usr/sbin etc root tmp dev proc sys tests/bin tests/busybox
cp "$BUSYBOX" bin/busybox
chmod 755 bin/busybox

napplets=0
while IFS= read -r path; do
    applet=${path##*/}
    [ -n "$applet" ] && [ "$applet" != busybox ] || continue
    ln -sf busybox "bin/$applet"
    napplets=$((napplets + 1))
    case $path in
        sbin/*|usr/bin/*|usr/sbin/*) ln -sf /bin/busybox "$path" ;;
    esac
done < <("$BUSYBOX" --list-full)
[ "$napplets" -gt 0 ] || die "$BUSYBOX --list-full listed no applets"

cp "$ROOT/tests/init.sh" init
chmod 755 init
for f in suite.sh system.sh lib.sh; do
    cp "$ROOT/tests/busybox/$f" tests/busybox/$f
    chmod 755 tests/busybox/$f
done
for name in ${utils[@]+"${utils[@]}"}; do
    cp "$UTILDIR/$name" "usr/bin/$name"
    chmod 755 "usr/bin/$name"
done
for name in ${progs[@]+"${progs[@]}"}; do
    cp "$BINDIR/$name" "tests/bin/$name"
    chmod 755 "tests/bin/$name"
done

# Contract tests (tools/contracts.py builds them into build/contracts/bin).
cp "$ROOT/tests/contracts/run-guest.sh" tests/contracts.sh
chmod 755 tests/contracts.sh
if [ -d "$BUILD/contracts/bin" ]; then
    mkdir -p contracts
    cp -r "$BUILD/contracts/bin/." contracts/
fi

# An ext4 image made by the host's mkfs.ext4 for the ext4disk suite (the
# kernel serves it as /dev/loop0 with kevlar.loop=/tests/ext4.img).
EXT4_TREE="$BUILD/ext4-tree"
rm -rf "$EXT4_TREE"
mkdir -p "$EXT4_TREE/dir/sub"
printf 'hello from the host\n' > "$EXT4_TREE/hello.txt"
printf 'deep\n' > "$EXT4_TREE/dir/sub/deep.txt"
printf '#!/bin/sh\necho hi\n' > "$EXT4_TREE/script.sh"
chmod 755 "$EXT4_TREE/script.sh"
ln -s hello.txt "$EXT4_TREE/link"
rm -f tests/ext4.img
mkfs.ext4 -q -F -d "$EXT4_TREE" tests/ext4.img 8M || die "mkfs.ext4 failed"
chmod 644 tests/ext4.img

printf 'root:x:0:0:root:/root:/bin/sh\n' > etc/passwd
printf 'root:x:0:\n' > etc/group
chmod 644 etc/passwd etc/group
find . -type d -exec chmod 755 {} +
chmod 700 root
chmod 1777 tmp

# --- pack
mkdir -p "$(dirname "$OUT")"
find . | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"

nfiles=$(find . | wc -l)
size=$(stat -c %s "$OUT")
if [ ${#rebuilt[@]} -gt 0 ]; then built="rebuilt: ${rebuilt[*]}"; else built="up to date"; fi
printf 'build-initramfs: %s: %d entries, %d bytes, %d applets, test programs: %s (%s)\n' \
    "${OUT#"$ROOT"/}" "$nfiles" "$size" "$napplets" "${progs[*]:-none}" "$built" >&2
