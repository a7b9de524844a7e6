#!/bin/sh
# tests/busybox/system.sh: the system half of the BusyBox scenario: process
# tools, mounts, terminals, locks, FIFOs and the pseudo file systems, as an
# administrator uses them. Runs as root with /proc, /sys and /dev/pts
# mounted; needs the test image's flock and ptyrun (tests/utils) on PATH.
#
# Same output as suite.sh: `PASS: name` / `FAIL: name: detail` lines, then
# `N passed, M failed`; exits 0 iff M == 0. No check depends on timing:
# background jobs are ordered with FIFOs.
#
# To check the expectations against Linux (as root, in a private mount
# namespace so nothing leaks to the host):
#   unshare -m --propagation private env PATH=/tmp/bbpath:$PATH \
#       /bin/busybox sh tests/busybox/system.sh

. "$(dirname "$0")/lib.sh"

NL='
'
T=${TMPDIR:-/tmp}/bbsystem.$$
rm -rf "$T"
if ! mkdir -p "$T" || ! cd "$T"; then
    echo "FAIL: setup: cannot create scratch dir $T"
    echo "0 passed, 1 failed"
    exit 1
fi
cleanup() {
    cd /
    for m in "$T/bind" "$T/ro" "$T/m"; do umount "$m" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

# has TEXT PATTERN: "yes" if TEXT has a line matching the grep pattern.
has() { printf '%s\n' "$1" | grep -q -- "$2" && echo yes || echo no; }

############################################################################
# Processes: ps, top, kill, pidof, renice, taskset
############################################################################

# A sleeper whose pid we know, blocked reading a FIFO (no timing).
mkfifo hold
sleep_job() { read x < hold; }
sleep_job &
job=$!

out=$(ps)
check ps-header yes "$(has "$out" '^ *PID  *USER  .*COMMAND')"
check ps-lists-job yes "$(has "$out" "^ *$job ")"
check ps-lists-self yes "$(has "$out" "^ *$$ ")"
out=$(ps -o pid,ppid,comm)
check ps-o-header yes "$(has "$out" '^ *PID  *PPID  *COMMAND')"
check ps-o-parent "$$" "$(printf '%s\n' "$out" | awk -v p="$job" '$1 == p { print $2 }')"
check ps-stat-sleeping S "$(ps -o pid,stat | awk -v p="$job" '$1 == p { print substr($2, 1, 1) }')"
kill -STOP "$job"
check ps-stat-stopped T "$(ps -o pid,stat | awk -v p="$job" '$1 == p { print substr($2, 1, 1) }')"
kill -CONT "$job"
renice -n 5 -p "$job" >/dev/null 2>&1
check renice-nice 5 "$(ps -o pid,nice | awk -v p="$job" '$1 == p { print $2 }')"
check proc-stat-nice 5 "$(cut -d' ' -f19 /proc/$job/stat)"

out=$(top -b -n 1)
check top-mem-line yes "$(has "$out" '^Mem: ')"
check top-cpu-line yes "$(has "$out" '^CPU: ')"
check top-load-line yes "$(has "$out" '^Load average: ')"
check top-header yes "$(has "$out" 'PID  *PPID  *USER  *STAT  *VSZ')"
check top-lists-job yes "$(has "$out" "^ *$job ")"

check pidof-self-shell yes "$(has "$(pidof "$(cat /proc/$$/comm)" | tr ' ' '\n')" "^$$\$")"
check taskset-self yes "$(has "$(taskset -p $$)" "pid $$'s current affinity mask: ")"
check nproc-matches-cpuinfo "$(grep -c ^processor /proc/cpuinfo)" "$(nproc)"

echo go > hold
wait "$job"
check_rc wait-job 0 $?
check killed-gone no "$(has "$(ps -o pid)" "^ *$job\$")"

# kill -l and a signal status.
sh -c 'kill -TERM $$'
check_rc kill-term-status 143 $?
check kill-l-15 TERM "$(kill -l 15)"

############################################################################
# Memory and system information: free, uptime, uname, sysctl, hostname
############################################################################

out=$(free)
check free-mem-line yes "$(has "$out" '^Mem: ')"
total=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
check free-total-matches "$total" "$(free | awk '/^Mem:/ { print $2 }')"
check uptime-load yes "$(has "$(uptime)" 'load average: ')"
check uname-s Linux "$(uname -s)"
check uname-r-matches-proc "$(cat /proc/sys/kernel/osrelease)" "$(uname -r)"
check sysctl-ostype "kernel.ostype = Linux" "$(sysctl kernel.ostype)"
check sysctl-n-ostype Linux "$(sysctl -n kernel.ostype)"
check hostname-matches-proc "$(cat /proc/sys/kernel/hostname)" "$(hostname)"

############################################################################
# Mounts: mount, umount, df, stat -f, bind, read-only, unshare
############################################################################

mkdir m ro bind
mount -t tmpfs -o size=1m kvtest "$T/m"
check_rc mount-tmpfs 0 $?
check mount-listed yes "$(has "$(mount)" "^kvtest on $T/m type tmpfs ")"
check proc-mounts-listed yes "$(has "$(cat /proc/mounts)" "^kvtest $T/m tmpfs rw")"
check mountinfo-listed yes "$(has "$(cat /proc/self/mountinfo)" " $T/m rw,relatime.* - tmpfs kvtest rw")"
check stat-f-type tmpfs "$(stat -f -c %T "$T/m")"
check df-size-1m 1024 "$(df -k "$T/m" | awk 'NR == 2 { print $2 }')"
check df-used-0 0 "$(df -k "$T/m" | awk 'NR == 2 { print $3 }')"
dd if=/dev/zero of=m/big bs=1k count=256 2>/dev/null
check df-used-after-write 256 "$(df -k "$T/m" | awk 'NR == 2 { print $3 }')"
check df-full-enospc "No space left on device" "$(dd if=/dev/zero of=m/huge bs=1k count=2048 2>&1 | grep -o 'No space left on device' | head -n 1)"
rm -f m/huge
echo data > m/file
mount --bind "$T/m" "$T/bind"
check bind-sees-file data "$(cat bind/file)"
echo more > bind/other
check bind-writes-through more "$(cat m/other)"
umount "$T/bind"
check_rc umount-bind 0 $?
check bind-gone no "$(has "$(cat /proc/mounts)" " $T/bind ")"
mount -t tmpfs -o ro kvro "$T/ro"
check ro-write-erofs yes "$(has "$(touch ro/x 2>&1)" 'Read-only file system')"
mount -o remount,rw "$T/ro"
touch ro/x
check_rc remount-rw 0 $?
mount -o remount,ro "$T/ro"
check remount-ro-shown yes "$(has "$(cat /proc/mounts)" "^kvro $T/ro tmpfs ro")"
check umount-busy yes "$(cd "$T/ro" && has "$(umount "$T/ro" 2>&1)" 'busy')"
umount "$T/ro"
check_rc umount-ro 0 $?
check mount-unknown-type yes "$(has "$(mount -t nosuchfs none "$T/bind" 2>&1)" 'No such device')"
unshare -m sh -c "mount -t tmpfs inner '$T/bind' && touch '$T/bind/only-inside'"
check_rc unshare-mount 0 $?
check unshare-private no "$(has "$(cat /proc/mounts)" " $T/bind ")"
check unshare-file-invisible no "$([ -e bind/only-inside ] && echo yes || echo no)"
umount "$T/m"
check_rc umount-tmpfs 0 $?
check umount-content-gone no "$([ -e m/file ] && echo yes || echo no)"

############################################################################
# Terminals: a pty (ptyrun), tty, stty, job control signals
############################################################################

check pty-tty yes "$(has "$(ptyrun tty)" '^/dev/pts/[0-9]')"
check pty-isatty tty "$(ptyrun sh -c 'test -t 0 && test -t 1 && echo tty' | tr -d '\r')"
check pty-not-tty-here no "$([ -t 0 ] && echo yes || echo no)"
check stty-set-size "30 100" "$(ptyrun sh -c 'stty rows 30 cols 100; stty size' | tr -d '\r')"
check stty-a-speed yes "$(has "$(ptyrun stty -a)" 'speed 38400 baud')"
check stty-a-icanon yes "$(has "$(ptyrun stty -a)" ' icanon ')"
check stty-raw-icanon yes "$(has "$(ptyrun sh -c 'stty raw; stty -a')" ' -icanon ')"
check stty-g-roundtrip same "$(ptyrun sh -c 's=$(stty -g); stty -echo; stty "$s"; [ "$(stty -g)" = "$s" ] && echo same' | tr -d '\r')"
check pty-canonical-read "got hello" "$(ptyrun -i 'hello\n' sh -c 'read x; echo got $x' | tr -d '\r' | tail -n 1)"
# -w ready: type only once the command has turned echo off.
check pty-echo-off "ready${NL}got secret" "$(ptyrun -w ready -i 'secret\n' sh -c 'stty -echo; echo ready; read x; echo got $x' | tr -d '\r')"
check pty-erase "got ab" "$(ptyrun -w ready -i 'abc\177\n' sh -c 'stty -echo; echo ready; read x; echo got $x' | tr -d '\r' | tail -n 1)"
check pty-kill-line "got xy" "$(ptyrun -w ready -i 'abc\025xy\n' sh -c 'stty -echo; echo ready; read x; echo got $x' | tr -d '\r' | tail -n 1)"
check pty-intr-sigint 130 "$(ptyrun -w ready -i '\003' sh -c 'stty -echo; echo ready; exec cat' >/dev/null; echo $?)"
check pty-quit-sigquit 131 "$(ptyrun -w ready -i '\034' sh -c 'stty -echo; echo ready; exec cat' >/dev/null; echo $?)"
check pty-susp-sigtstp yes "$(has "$(ptyrun -w ready -i '\032\n' sh -c 'trap "echo caught" TSTP; stty -echo; echo ready; read x; echo end')" caught)"
check pty-eof "eof" "$(ptyrun -w ready -i '\004' sh -c 'stty -echo; echo ready; cat; echo eof' | tr -d '\r' | tail -n 1)"
check pty-session-leader yes "$(ptyrun sh -c 'ps -o pid,sid | awk -v p=$$ "\$1 == p && \$2 == p { print \"yes\" }"' | tr -d '\r')"

############################################################################
# Locks: flock
############################################################################

mkfifo locked release
flock lockfile sh -c 'echo held > locked; read x < release' &
holder=$!
read x < locked
flock -n lockfile true
check_rc flock-nb-conflict 1 $?
flock -n -E 7 lockfile true
check_rc flock-nb-conflict-code 7 $?
flock -n -s lockfile true
check_rc flock-shared-vs-exclusive 1 $?
echo go > release
wait "$holder"
flock -n lockfile true
check_rc flock-after-release 0 $?
flock -s lockfile sh -c 'echo held > locked; read x < release' &
holder=$!
read x < locked
flock -n -s lockfile true
check_rc flock-shared-with-shared 0 $?
flock -n -x lockfile true
check_rc flock-exclusive-vs-shared 1 $?
echo go > release
wait "$holder"
check flock-runs-command ran "$(flock lockfile echo ran)"
check flock-command-status 3 "$(flock lockfile sh -c 'exit 3'; echo $?)"
# A lock on an inherited descriptor: held by the subshell's fd 9.
(
    flock 9
    flock -n lockfile true
    echo $?
) 9> lockfile > fd-result
check flock-fd-held 1 "$(cat fd-result)"

############################################################################
# FIFOs
############################################################################

mkfifo pipe1
check fifo-type fifo "$(stat -c %F pipe1)"
check fifo-mode "prw-r--r--" "$(umask 022; mkfifo pipe2; stat -c %A pipe2)"
(echo one; echo two) > pipe1 &
check fifo-transfer "one${NL}two" "$(cat pipe1)"
wait
seq 1 20000 > pipe1 &
check fifo-bulk 20000 "$(wc -l < pipe1 | tr -d ' ')"
wait
check mkfifo-exists yes "$(has "$(mkfifo pipe1 2>&1)" 'File exists')"

############################################################################
# The pseudo file systems: /proc, /sys, /dev
############################################################################

errs=$(find /proc -xdev 2>&1 >/dev/null | grep -v "/proc/[0-9]*/\|/proc/[0-9]*\$")
check find-proc-clean "" "$errs"
check find-proc-has-self yes "$(has "$(find /proc -xdev -maxdepth 1)" '^/proc/self$')"
errs=$(find /sys -xdev 2>&1 >/dev/null)
check find-sys-clean "" "$errs"
check find-dev-xdev-stays yes "$(has "$(find / -xdev -maxdepth 1)" '^/proc$')"
check find-root-xdev-skips-proc no "$(has "$(find / -xdev -maxdepth 2 -path /proc/self)" self)"
check proc-self-exe-readlink busybox "$(basename "$(readlink /proc/self/exe)")"
check proc-self-cmdline "cat /proc/self/cmdline " "$(cat /proc/self/cmdline | tr '\0' ' ')"
check proc-meminfo-free yes "$(has "$(cat /proc/meminfo)" '^MemFree: *[0-9]* kB$')"
check proc-loadavg-fields 5 "$(awk '{ print NF }' /proc/loadavg)"
check sys-class-exists yes "$([ -d /sys/class ] && echo yes || echo no)"
check sys-kernel-exists yes "$([ -d /sys/kernel ] && echo yes || echo no)"
check stat-f-proc proc "$(stat -f -c %T /proc)"
check stat-f-sys sysfs "$(stat -f -c %T /sys)"
check dev-null-char "character special file" "$(stat -c %F /dev/null)"
check dev-null-numbers "1,3" "$(stat -c '%t,%T' /dev/null)"
check dev-zero-numbers "1,5" "$(stat -c '%t,%T' /dev/zero)"
check dev-full-enospc yes "$(has "$(echo x 2>&1 > /dev/full)" 'No space left on device')"
check dev-urandom-bytes 16 "$(head -c 16 /dev/urandom | wc -c | tr -d ' ')"
check dev-ptmx-numbers "5,2" "$(stat -c '%t,%T' /dev/ptmx)"
check dev-tty-numbers "5,0" "$(stat -c '%t,%T' /dev/tty)"

############################################################################
# Unix sockets: syslogd listens on /dev/log (a datagram socket) and logger
# writes to it; nc in BusyBox has no unix sockets (TCP comes with the
# network). In a private mount namespace with a /dev of its own, so the
# host's /dev/log is never touched. The loops poll for state, bounded;
# no check depends on how long anything takes.
############################################################################

unix_log() {
    unshare -m sh -c '
        mount -t tmpfs tmpfs /dev && mknod /dev/null c 1 3 || exit 1
        syslogd -n -S -O "$1/messages" &
        pid=$!
        i=0
        while [ ! -S /dev/log ] && [ $i -lt 20000 ]; do i=$((i + 1)); usleep 1000; done
        stat -c %F /dev/log
        logger -t kvtest "hello over a unix socket"
        i=0
        while ! grep -q "kvtest.*hello over a unix socket" "$1/messages" 2>/dev/null && [ $i -lt 20000 ]; do
            i=$((i + 1)); usleep 1000
        done
        kill $pid
        wait $pid 2>/dev/null
        grep -c "kvtest.*hello over a unix socket" "$1/messages"
        [ -S /dev/log ] && echo left || echo gone
    ' sh "$T"
}
out=$(unix_log 2>&1)
check syslogd-binds-dev-log socket "$(printf '%s\n' "$out" | sed -n 1p)"
check logger-reaches-syslogd 1 "$(printf '%s\n' "$out" | sed -n 2p)"
check syslogd-exit-leaves-socket-file left "$(printf '%s\n' "$out" | sed -n 3p)"

############################################################################
trap - EXIT
cleanup
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
