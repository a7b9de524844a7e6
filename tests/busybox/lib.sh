# tests/busybox/lib.sh: the check helpers shared by the BusyBox suites
# (sourced; prints `PASS: name` or `FAIL: name: detail`, counts both).

npass=0
nfail=0

# One line of detail: newlines become '|'.
flat() { printf '%s' "$1" | tr '\n' '|'; }

pass() { npass=$((npass + 1)); printf 'PASS: %s\n' "$1"; }
fail() { nfail=$((nfail + 1)); printf 'FAIL: %s: %s\n' "$1" "$2"; }

# check NAME EXPECTED GOT
check() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "expected '$(flat "$2")' got '$(flat "$3")'"
    fi
}

# check_rc NAME EXPECTED_STATUS GOT_STATUS
check_rc() {
    if [ "$2" -eq "$3" ] 2>/dev/null; then
        pass "$1"
    else
        fail "$1" "expected status $2 got $3"
    fi
}
