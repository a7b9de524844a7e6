#!/usr/bin/env bash
# tools/setup.sh: install everything Kevlar needs on a fresh Debian 12 machine.
#
# Idempotent: every step first checks whether its work is already done, so a
# second run on a ready machine finishes in a second or two.
set -euo pipefail

log() { printf 'setup: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Packages by purpose. QEMU 10 comes from bookworm-backports (the machine's
# qemu-utils is already the backports build and conflicts with bookworm's 7.2).
PKGS_TOOLCHAIN="rustc-web cargo-web rust-web-src lld"
PKGS_BACKPORTS="qemu-system-x86 qemu-system-data qemu-utils"
PKGS_USERLAND="musl-tools busybox-static e2fsprogs cpio binutils python3"
ALL_PKGS="$PKGS_TOOLCHAIN $PKGS_BACKPORTS $PKGS_USERLAND"

missing_pkgs() {
  local p out=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
  done
  echo "$out"
}

ensure_backports_suite() {
  if grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 1   # already present, nothing changed
  fi
  log "adding the bookworm-backports apt suite"
  $SUDO tee /etc/apt/sources.list.d/kevlar-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  return 0
}

install_packages() {
  local missing
  missing=$(missing_pkgs $ALL_PKGS)
  # QEMU 10 is required: a stale 7.2 qemu-system-x86 counts as missing.
  if dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null | grep -q '^1:7\.'; then
    missing="$missing qemu-system-x86"
  fi
  local changed=0
  ensure_backports_suite && changed=1
  [ -z "${missing// }" ] && [ $changed -eq 0 ] && return 0
  log "installing:$missing"
  $SUDO apt-get update -q -o Acquire::Retries=3 >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    $PKGS_TOOLCHAIN $PKGS_USERLAND >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    -t bookworm-backports $PKGS_BACKPORTS >/dev/null
}

install_packages
log "ready ($(qemu-system-x86_64 --version | head -n1))"

# The stock Alpine disk and its Linux kernel (ext4 host tests, the Linux
# reference for benchmarks, the Alpine boot): fetched once into the cache.
python3 "$(dirname "$0")/fetch-alpine.py"
