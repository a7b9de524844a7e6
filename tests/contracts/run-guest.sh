#!/bin/sh
# tests/contracts/run-guest.sh (installed as /tests/contracts.sh): runs every
# contract binary in /contracts/<category>/<name>.<libc> inside Kevlar, each
# in a fresh scratch directory, with the same environment the host run uses
# (tools/contracts.py) and a per-contract time limit, framed for the host:
#   === CONTRACT <category>/<name>.<libc> ===
#   <output>
#   === CEND <category>/<name>.<libc> status=<exit status> ===
limit=${kvtimeout:-30}
for exe in /contracts/*/*; do
    [ -x "$exe" ] || continue
    key=${exe#/contracts/}
    dir=/tmp/contract-run
    rm -rf "$dir"
    mkdir -p "$dir"
    cd "$dir" || exit 1
    echo "=== CONTRACT $key ==="
    read -r t0 _ < /proc/uptime 2>/dev/null || t0=0
    env -i PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root LC_ALL=C timeout "$limit" "$exe" < /dev/null 2>&1
    st=$?
    read -r t1 _ < /proc/uptime 2>/dev/null || t1=0
    # A separator line: the host drops it (output always ends a line).
    printf '\n=== CEND %s status=%d ===\n' "$key" "$st"
    echo "=== CTIME $key $t0 $t1 ==="
    cd /
done
rm -rf /tmp/contract-run
