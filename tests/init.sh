#!/bin/sh
# tests/init.sh: /init of the Kevlar test initramfs (run by the kernel as PID 1).
#
# The kernel passes unconsumed `name=value` words of its command line as
# environment variables and the other words as arguments, as Linux does.
#
#   kvtest unset/empty   interactive: banner, a shell on the console, and
#                        `poweroff -f` once that shell exits.
#   kvtest=a,b,...       run the named suites (busybox = the shell suite,
#                        system = the system-tools suite;
#                        any other name = /tests/bin/<name>, e.g. efault,
#                        crash; `all` runs every one), each under `timeout ${kvtimeout:-120}`,
#                        framed by `=== SUITE <name> ===` and
#                        `=== END <name> status=<N> ===`, then print
#                        `=== ALL DONE ===` and `poweroff -f`.
#
# Needs nothing mounted (no /proc, no /sys) and mounts nothing.

PATH=/bin:/sbin:/usr/bin:/usr/sbin
HOME=/root
export PATH HOME
cd /

# The pseudo file systems (as a distribution's early boot mounts them).
[ -d /proc ] && mount -t proc proc /proc 2>/dev/null
[ -d /dev/pts ] && mount -t devpts devpts /dev/pts 2>/dev/null
[ -d /sys ] && mount -t sysfs sysfs /sys 2>/dev/null

# `all` = the BusyBox suites plus every compiled test program in /tests/bin.
ALL_SUITES="busybox system"
for prog in /tests/bin/*; do
    [ -x "$prog" ] && ALL_SUITES="$ALL_SUITES ${prog##*/}"
done

# PID 1 must never exit: if poweroff returns, keep a shell (or idle) around.
power_off() {
    poweroff -f
    echo "init: poweroff -f failed (status $?); starting a shell instead"
    while :; do
        /bin/sh
        sleep 1
    done
}

if [ -z "$kvtest" ]; then
    echo "Kevlar: BusyBox shell on the console; exit it to power off."
    # A session of its own with the console as controlling terminal, so
    # the shell has job control (Ctrl-C, Ctrl-Z, fg, bg).
    setsid -c /bin/sh
    power_off
fi

limit=${kvtimeout:-120}
case $limit in ''|*[!0-9]*) echo "init: bad kvtimeout '$limit', using 120"; limit=120 ;; esac

# Split the comma-separated list; `all` expands to every suite.
list=
old_ifs=$IFS
IFS=,
for s in $kvtest; do
    if [ "$s" = all ]; then list="$list $ALL_SUITES"; else list="$list $s"; fi
done
IFS=$old_ifs

# Suites get stdin from /dev/null when it exists (the console otherwise).
run_limited() {
    if [ -e /dev/null ]; then
        timeout "$limit" "$@" < /dev/null 2>&1
    else
        timeout "$limit" "$@" 2>&1
    fi
}

echo "init: running suites:$list (limit ${limit}s each)"
for s in $list; do
    echo "=== SUITE $s ==="
    case $s in
        busybox) run_limited sh /tests/busybox/suite.sh ;;
        system) run_limited sh /tests/busybox/system.sh ;;
        # Contracts carry their own per-contract limit (kvtimeout).
        contracts) sh /tests/contracts.sh ;;
        */*) echo "init: bad suite name '$s'"; (exit 127) ;;
        *)
            # efault, crash, and any other program in /tests/bin
            if [ -x "/tests/bin/$s" ]; then
                run_limited "/tests/bin/$s"
            else
                echo "init: unknown suite '$s'"
                (exit 127)
            fi
            ;;
    esac
    st=$?
    echo "=== END $s status=$st ==="
done
echo "=== ALL DONE ==="
power_off
