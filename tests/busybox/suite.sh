#!/bin/sh
# tests/busybox/suite.sh: BusyBox shell and applet test suite for Kevlar.
#
# Usage: busybox sh tests/busybox/suite.sh
#
# Prints one line per check, `PASS: <name>` or `FAIL: <name>: <detail>`, then
# a final line `N passed, M failed`; exits 0 iff M == 0.  Every command is
# called by its plain name, so PATH must hold busybox applets (in the guest,
# /bin/<applet> -> busybox).  Works in a scratch directory under
# ${TMPDIR:-/tmp} that it removes at the end.  No check depends on timing,
# the network, /proc, the current date, or user names.
#
# To run it on a Linux host (the oracle):
#   mkdir -p /tmp/bbpath && for a in $(/bin/busybox --list); do
#     ln -sf /bin/busybox /tmp/bbpath/$a; done
#   PATH=/tmp/bbpath /bin/busybox sh tests/busybox/suite.sh

. "$(dirname "$0")/lib.sh"

NL='
'

T=${TMPDIR:-/tmp}/bbsuite.$$
rm -rf "$T"
if ! mkdir -p "$T" || ! cd "$T"; then
    echo "FAIL: setup: cannot create scratch dir $T"
    echo "0 passed, 1 failed"
    exit 1
fi
cleanup() { cd / && rm -rf "$T"; }
trap cleanup EXIT

############################################################################
# Shell language
############################################################################

a=hello
b="$a world"
check var-assign "hello world" "$b"

s=dir/sub/file.tar.gz
check param-default "def set" "${unset_var:-def} ${s:+set}"
check param-strip "file.tar.gz|dir/sub/file.tar|sub/file.tar.gz|dir|19" \
    "${s##*/}|${s%.*}|${s#*/}|${s%%/*}|${#s}"
x=${s##*/}
check param-strip-nested "file.tar" "${x%.gz}"
: ${assigned_default:=filled}
check param-assign-default filled "$assigned_default"

check arith-basic 14 $((3 * 4 + 2))
check arith-ops "4 -3 1 256 2" "$(( (7 % 3) << 2 )) $((-9 / 3)) $((5 > 2 && 1)) $((1 << 8)) $((17 / 8))"
i=5
i=$((i + 1))
: $((i += 10))
check arith-vars 16 "$i"

classify() {
    if [ "$1" -lt 0 ]; then echo neg
    elif [ "$1" -eq 0 ]; then echo zero
    else echo pos
    fi
}
check if-elif-else "neg zero pos" "$(classify -3) $(classify 0) $(classify 7)"

kind() {
    case $1 in
        *.c|*.h) echo c ;;
        [0-9]*) echo num ;;
        ?) echo one ;;
        *) echo other ;;
    esac
}
check case-patterns "c c num one other" "$(kind a.c) $(kind b.h) $(kind 42x) $(kind z) $(kind hello)"

out=
for w in one two "three four"; do out="$out[$w]"; done
check for-loop "[one][two][three four]" "$out"

n=0; out=
while [ $n -lt 5 ]; do n=$((n + 1)); [ $n -eq 2 ] && continue; out="$out$n"; done
check while-continue "1345" "$out"

n=0
until [ $n -ge 3 ]; do n=$((n + 1)); done
check until-loop 3 "$n"

n=0
for i in 1 2 3 4 5 6; do [ $i -gt 3 ] && break; n=$((n + i)); done
check for-break 6 "$n"

glob_var=outer
fn() {
    local glob_var=inner
    echo "$#:$1:$2:$glob_var"
    return 3
}
out=$(fn a "b c"); st=$?
check func-args "2:a:b c:inner" "$out"
check_rc func-return 3 "$st"
check func-local-scope outer "$glob_var"

set -- a "b c" d
check positional "3 b c" "$# $2"
shift
check shift "2 b c" "$# $1"
cnt() { echo $#; }
check quoted-at 2 "$(cnt "$@")"
check unquoted-star 3 "$(cnt $*)"

check pipe-2 "3" "$(printf 'a\nb\nc\n' | wc -l | tr -d ' ')"
check pipe-multi "C|B" "$(printf 'a\nb\nc\n' | tr a-z A-Z | sort -r | head -n 2 | tr '\n' '|' | sed 's/|$//')"

false | true
check_rc pipe-status-last 0 $?
true | false
check_rc pipe-status-last-fail 1 $?

echo first > f1
echo second > f1
check redir-truncate second "$(cat f1)"
echo third >> f1
check redir-append "second${NL}third" "$(cat f1)"
read line < f1
check redir-input second "$line"
out=$( (echo out; echo err 1>&2) 2>&1 | sort | tr '\n' ' ')
check redir-2to1 "err out " "$out"
ls /nonexistent_kevlar_path 2>/dev/null >/dev/null
st=$?
out=$(ls /nonexistent_kevlar_path 2>&1 >/dev/null | wc -l | tr -d ' ')
check redir-stderr-only 1 "$out"
[ $st -ne 0 ] && pass ls-missing-status || fail ls-missing-status "expected nonzero got $st"

exec 3> fd3.txt
echo via-fd3 >&3
exec 3>&-
check redir-fd3 via-fd3 "$(cat fd3.txt)"

name=World
cat > hd.txt <<EOF
Hello $name
sum=$((2 + 3))
EOF
check heredoc-expand "Hello World${NL}sum=5" "$(cat hd.txt)"
out=$(cat <<'EOF'
literal $name $(echo no)
EOF
)
check heredoc-quoted 'literal $name $(echo no)' "$out"
out=$(cat <<-EOF
	tabbed
	EOF
)
check heredoc-striptabs tabbed "$out"

v=orig
(v=changed; exit 0)
check subshell-isolation orig "$v"
(exit 7)
check_rc subshell-status 7 $?
out=$( (cd /; pwd) ); here=$(pwd)
check subshell-cwd "/ $T" "$out $here"

check cmdsubst "x-3-y" "x-$(echo 3)-y"
check cmdsubst-nested "ABC" "$(echo $(echo $(echo abc) | tr a-z A-Z))"
check backticks "5" "`expr 2 + 3`"
out=$(printf 'a\n\n\n')
check cmdsubst-trailing-nl "a" "$out"

out=$( (trap 'echo bye' EXIT; echo hi) )
check trap-exit "hi${NL}bye" "$out"
(trap 'echo cleanup >&2' EXIT; exit 5) 2>/dev/null
check_rc trap-exit-status 5 $?

got_usr1=0
trap 'got_usr1=1' USR1
kill -USR1 $$
: # give the shell a command boundary to run the pending trap
trap - USR1
check trap-usr1-self 1 "$got_usr1"

out=$(sh -c 'trap "echo term-caught; exit 0" TERM; kill -TERM $$; echo not-here')
check trap-term-child-sh term-caught "$out"

(exit 3) &
bgpid=$!
wait $bgpid
check_rc bg-wait-status 3 $?
echo bgdata > bg.txt &
wait $!
check_rc bg-wait-zero 0 $?
check bg-output bgdata "$(cat bg.txt)"
sh -c 'exit 9' &
p1=$!
(exit 4) &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
check bg-two-jobs "9 4" "$s1 $s2"
case $bgpid in ''|*[!0-9]*) fail bang-pid "not a number: '$bgpid'" ;; *) pass bang-pid ;; esac

false
check_rc false-status 1 $?
true
check_rc true-status 0 $?
! false
check_rc bang-false 0 $?
! true
check_rc bang-true 1 $?
check and-or "yes no" "$(true && echo yes) $(false || echo no)"
check and-or-chain "b" "$(false && echo a || echo b)"

out=$( (set -e; echo a; false; echo b) ); st=$?
check set-e-subshell a "$out"
check_rc set-e-subshell-status 1 "$st"
out=$( (set -e; if false; then :; fi; false || true; echo survived) )
check set-e-conditionals survived "$out"

printf 'k1 v1\nk2 v2\nk3 v3\n' > kv.txt
out=
while read k v; do out="$out$k=$v;"; done < kv.txt
check while-read "k1=v1;k2=v2;k3=v3;" "$out"
out=$(echo "a:b:c" | { IFS=: read x y z; echo "$z$y$x"; })
check ifs-read cba "$out"

cmd='echo evaluated-$((1+1))'
check eval evaluated-2 "$(eval "$cmd")"

out=$(sh -c 'echo "$0 $1 $2"' zero one two)
check sh-c-args "zero one two" "$out"
sh -c 'exit 42'
check_rc sh-c-exit 42 $?

check_rc command-not-found 127 "$(nonexistent_cmd_kevlar 2>/dev/null; echo $?)"

check dollar-dollar-num ok "$(case $$ in ''|*[!0-9]*) echo bad ;; *) echo ok ;; esac)"

############################################################################
# File applets
############################################################################

mkdir lsdir
touch lsdir/c lsdir/a lsdir/b lsdir/.hidden
check ls-sorted "a b c" "$(ls lsdir | tr '\n' ' ' | sed 's/ $//')"
check ls-a ".hidden" "$(ls -a lsdir | grep '^\.h')"
mkdir lsdir/sub
check ls-l-dir d "$(ls -ld lsdir/sub | cut -c1)"
check ls-1-count 4 "$(ls -1 lsdir | wc -l | tr -d ' ')"

printf 'one\n' > c1; printf 'two\n' > c2
check cat-concat "one${NL}two" "$(cat c1 c2)"
check cat-stdin "piped" "$(echo piped | cat)"
check cat-dash "one${NL}mid${NL}two" "$(echo mid | cat c1 - c2)"

check echo-n "ab" "$(echo -n a; echo b)"
check echo-e "x	y" "$(echo -e 'x\ty')"

cp c1 c1copy
check cp-file one "$(cat c1copy)"
mkdir -p cpsrc/inner
echo deep > cpsrc/inner/f
cp -r cpsrc cpdst
check cp-r deep "$(cat cpdst/inner/f)"
chmod 751 c2
cp -p c2 c2p
check cp-p-mode 751 "$(stat -c %a c2p)"

echo moving > mv1
mv mv1 mv2
check mv-rename "moving absent" "$(cat mv2) $([ -e mv1 ] && echo present || echo absent)"
mkdir mvdir
mv mv2 mvdir/
check mv-into-dir moving "$(cat mvdir/mv2)"
mv mvdir mvdir2
check mv-dir moving "$(cat mvdir2/mv2)"

touch rmme
rm rmme
check rm-file absent "$([ -e rmme ] && echo present || echo absent)"
rm nonexistent_file 2>/dev/null
st=$?
[ $st -ne 0 ] && pass rm-missing-fails || fail rm-missing-fails "expected nonzero status"
rm -f nonexistent_file
check_rc rm-f-missing 0 $?
rm -r cpdst
check rm-r absent "$([ -e cpdst ] && echo present || echo absent)"

echo target > lntarget
ln -s lntarget lnsym
check ln-s-readlink lntarget "$(readlink lnsym)"
check ln-s-follow target "$(cat lnsym)"
check ln-s-test-h yes "$([ -h lnsym ] && echo yes || echo no)"
ln -s missing_target dangling
check ln-s-dangling "link-only" "$([ -L dangling ] && [ ! -e dangling ] && echo link-only)"
ln lntarget lnhard
check ln-hard-count 2 "$(stat -c %h lntarget)"
check ln-hard-same-inode "$(stat -c %i lntarget)" "$(stat -c %i lnhard)"
echo appended >> lnhard
check ln-hard-shared-data "target${NL}appended" "$(cat lntarget)"
rm lnhard
check ln-hard-unlink-count 1 "$(stat -c %h lntarget)"

mkdir -p mk/a/b/c
check mkdir-p yes "$([ -d mk/a/b/c ] && echo yes)"
mkdir mk 2>/dev/null
[ $? -ne 0 ] && pass mkdir-exists-fails || fail mkdir-exists-fails "expected nonzero status"
mkdir -m 700 mkmode
check mkdir-m 700 "$(stat -c %a mkmode)"
rmdir mk/a/b/c
check rmdir gone "$([ -e mk/a/b/c ] && echo still || echo gone)"
rmdir mk 2>/dev/null
[ $? -ne 0 ] && [ -d mk ] && pass rmdir-nonempty-fails || fail rmdir-nonempty-fails "rmdir of non-empty dir succeeded"

mkdir -p fd/x/y
touch fd/a.txt fd/x/b.txt fd/x/y/c.log fd/x/y/d.txt
check find-name "./fd/a.txt ./fd/x/b.txt ./fd/x/y/d.txt" \
    "$(find ./fd -name '*.txt' | sort | tr '\n' ' ' | sed 's/ $//')"
check find-type-d "fd fd/x fd/x/y" "$(find fd -type d | sort | tr '\n' ' ' | sed 's/ $//')"
check find-type-f-count 4 "$(find fd -type f | wc -l | tr -d ' ')"

printf 'apple\nbanana\ncherry\napricot\n' > fruits
check grep-basic "apple${NL}apricot" "$(grep '^ap' fruits)"
check grep-c 2 "$(grep -c '^a' fruits)"
check grep-v "banana${NL}cherry" "$(grep -v '^a' fruits)"
check grep-E "banana${NL}cherry" "$(grep -E '^(ban|ch)' fruits)"
check grep-i apple "$(echo APPLE | grep -i apple | tr A-Z a-z)"
grep -q zzz fruits
check_rc grep-q-nomatch 1 $?
check grep-n "3:cherry" "$(grep -n cherry fruits)"

check sed-s-g "x-x-x" "$(echo a-a-a | sed 's/a/x/g')"
check sed-s-first "x-a-a" "$(echo a-a-a | sed 's/a/x/')"
check sed-n-p banana "$(sed -n '2p' fruits)"
check sed-d "apple${NL}apricot" "$(sed '/an/d; /ch/d' fruits)"
check sed-regex-group "b-a" "$(echo a-b | sed -E 's/(.)-(.)/\2-\1/')"
cp fruits fr2
sed -i 's/cherry/CHERRY/' fr2
check sed-i CHERRY "$(sed -n 3p fr2)"

printf '1 10\n2 20\n3 30\n' > nums
check awk-sum 60 "$(awk '{s += $2} END {print s}' nums)"
check awk-fields "10:1" "$(awk 'NR == 1 {print $2 ":" $1}' nums)"
check awk-F "b" "$(echo a:b:c | awk -F: '{print $2}')"
check awk-nf-printf "3 x" "$(echo p q r | awk '{printf "%d %s\n", NF, "x"}')"

printf '10\n9\n100\n1\n' > unsorted
check sort-lex "1 10 100 9" "$(sort unsorted | tr '\n' ' ' | sed 's/ $//')"
check sort-n "1 9 10 100" "$(sort -n unsorted | tr '\n' ' ' | sed 's/ $//')"
check sort-rn "100 10 9 1" "$(sort -rn unsorted | tr '\n' ' ' | sed 's/ $//')"
check sort-r "cherry banana apricot apple" "$(sort -r fruits | tr '\n' ' ' | sed 's/ $//')"
check sort-u "a b" "$(printf 'b\na\nb\na\n' | sort -u | tr '\n' ' ' | sed 's/ $//')"
check sort-k2 "b 1|a 2|" "$(printf 'a 2\nb 1\n' | sort -k2 | tr '\n' '|')"

out=$(printf 'a\na\nb\na\n' | uniq -c | sed 's/^ *//' | tr '\n' '|')
check uniq-c "2 a|1 b|1 a|" "$out"
check uniq-plain "x y" "$(printf 'x\nx\ny\n' | uniq | tr '\n' ' ' | sed 's/ $//')"

check wc-l 4 "$(wc -l < fruits | tr -d ' ')"
check wc-c 6 "$(printf 'hello\n' | wc -c | tr -d ' ')"
check wc-w 3 "$(echo 'a b  c' | wc -w | tr -d ' ')"

seq 1 10 > ten
check head-n "1 2 3" "$(head -n 3 ten | tr '\n' ' ' | sed 's/ $//')"
check tail-n "9 10" "$(tail -n 2 ten | tr '\n' ' ' | sed 's/ $//')"
check tail-plus "8 9 10" "$(tail -n +8 ten | tr '\n' ' ' | sed 's/ $//')"
check head-c "abc" "$(printf 'abcdef' | head -c 3)"
check tail-c "ef" "$(printf 'abcdef' | tail -c 2)"

check tr-upper "HELLO" "$(echo hello | tr a-z A-Z)"
check tr-d "hll" "$(echo hello | tr -d eo)"
check tr-s "a b" "$(echo 'a    b' | tr -s ' ')"

check cut-f "b" "$(echo a:b:c | cut -d: -f2)"
check cut-f-range "b:c" "$(echo a:b:c | cut -d: -f2-)"
check cut-c "bcd" "$(echo abcdef | cut -c2-4)"

check xargs-basic "a b c" "$(printf 'a\nb\nc\n' | xargs echo)"
check xargs-n1 3 "$(echo a b c | xargs -n1 echo | wc -l | tr -d ' ')"
check xargs-I "[x] [y]" "$(printf 'x\ny\n' | xargs -I{} echo '[{}]' | tr '\n' ' ' | sed 's/ $//')"

check env-set "val" "$(env KVX=val sh -c 'echo $KVX')"
check env-i "" "$(KVY=leak env -i PATH="$PATH" sh -c 'echo $KVY')"
check env-list "KVZ=listed" "$(KVZ=listed env | grep '^KVZ=')"
export KVEXP=exported
check export-to-child exported "$(sh -c 'echo $KVEXP')"
unexp=local
check nonexport-hidden "" "$(sh -c 'echo $unexp')"

check test-f yes "$(test -f fruits && echo yes)"
check test-d yes "$([ -d fd ] && echo yes)"
check test-e-missing no "$([ -e nope ] && echo yes || echo no)"
check test-z-n "z n" "$([ -z '' ] && echo z) $([ -n x ] && echo n)"
check test-str-eq "eq ne" "$([ abc = abc ] && echo eq) $([ abc != abd ] && echo ne)"
check test-int "lt ge" "$([ 3 -lt 10 ] && echo lt) $([ 10 -ge 10 ] && echo ge)"
check test-not-and-or "ok" "$([ ! -e nope -a -f fruits -o -z x ] && echo ok)"
touch -d '2002-01-01 00:00:00' newer_f
touch -d '2001-01-01 00:00:00' older_f
check test-nt yes "$([ newer_f -nt older_f ] && echo yes)"
[ 1 -eq 2 ]
check_rc test-false-status 1 $?

check expr-add 5 "$(expr 2 + 3)"
check expr-mul-prec 14 "$(expr 2 + 3 \* 4)"
check expr-length 5 "$(expr length hello)"
check expr-match 3 "$(expr abcdef : 'abc')"
expr 1 = 2 >/dev/null
check_rc expr-false-status 1 $?

check printf-formats "00042|ff|hi  |3.50" "$(printf '%05d|%x|%-4s|%.2f' 42 255 hi 3.5)"
check printf-reuse "a.b.c." "$(printf '%s.' a b c)"
check printf-escapes "A${NL}B" "$(printf 'A\nB')"

now=$(date +%s)
case $now in ''|*[!0-9]*) fail date-s "not a number: '$now'" ;; *) pass date-s ;; esac
check date-u-d "1970-01-02 00:00:00" "$(date -u -d @86400 '+%Y-%m-%d %H:%M:%S')"

sleep 0.1
check_rc sleep-frac 0 $?
sleep 0
check_rc sleep-zero 0 $?

sleep 100 &
sp=$!
kill $sp
wait $sp 2>/dev/null
check_rc kill-term-143 143 $?
sleep 100 &
sp=$!
kill -9 $sp
wait $sp 2>/dev/null
check_rc kill-9-137 137 $?
kill -0 $$
check_rc kill-0-self 0 $?
check kill-l "TERM" "$(kill -l 15)"

mkdir -p tarsrc/d
echo alpha > tarsrc/a
printf 'beta\nline2\n' > tarsrc/d/b
chmod 640 tarsrc/d/b
tar cf t.tar tarsrc
check tar-list "tarsrc/d/b" "$(tar tf t.tar | grep 'd/b$')"
mkdir tarout
tar xf t.tar -C tarout
cmp -s tarsrc/a tarout/tarsrc/a && cmp -s tarsrc/d/b tarout/tarsrc/d/b
check_rc tar-roundtrip 0 $?
check tar-mode 640 "$(stat -c %a tarout/tarsrc/d/b)"
tar czf t.tgz tarsrc
mkdir tarout2
tar xzf t.tgz -C tarout2
check tar-gzip "beta${NL}line2" "$(cat tarout2/tarsrc/d/b)"

seq 1 300 > gzsrc
cp gzsrc gzorig
gzip gzsrc
check gzip-replaces "gone present" "$([ -e gzsrc ] && echo present || echo gone) $([ -e gzsrc.gz ] && echo present)"
gunzip gzsrc.gz
cmp gzsrc gzorig
check_rc gzip-roundtrip 0 $?
check gzip-pipe "$(cat gzorig)" "$(gzip -c gzorig | gunzip -c)"
sz_orig=$(stat -c %s gzorig)
sz_gz=$(gzip -9 -c gzorig | wc -c | tr -d ' ')
[ "$sz_gz" -lt "$sz_orig" ] && pass gzip-compresses || fail gzip-compresses "gz $sz_gz >= orig $sz_orig"
check zcat "300" "$(gzip -c gzorig | zcat | tail -n 1)"

check md5sum-hello "b1946ac92492d2347c6235b4d2611184" "$(echo hello | md5sum | cut -d' ' -f1)"
check md5sum-abc "900150983cd24fb0d6963f7d28e17f72" "$(printf abc | md5sum | cut -d' ' -f1)"
check sha256sum-abc "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" \
    "$(printf abc | sha256sum | cut -d' ' -f1)"

check seq-basic "1 2 3" "$(seq 3 | tr '\n' ' ' | sed 's/ $//')"
check seq-step "2 5 8" "$(seq 2 3 10 | tr '\n' ' ' | sed 's/ $//')"
check seq-sum 5050 "$(seq 100 | awk '{s += $1} END {print s}')"

check basename "c.txt" "$(basename /a/b/c.txt)"
check basename-suffix "c" "$(basename /a/b/c.txt .txt)"
check dirname "/a/b" "$(dirname /a/b/c.txt)"
check dirname-rel "." "$(dirname file)"

touch created_by_touch
check touch-create yes "$([ -f created_by_touch ] && [ ! -s created_by_touch ] && echo yes)"
TZ=UTC0 touch -d '2001-02-03 04:05:06' created_by_touch
check touch-d 981173106 "$(stat -c %Y created_by_touch)"
TZ=UTC0 touch -t 200203040506.07 created_by_touch
check touch-t 1015218367 "$(stat -c %Y created_by_touch)"
touch -r created_by_touch ref_copy
check touch-r 1015218367 "$(stat -c %Y ref_copy)"

printf '12345' > five
check stat-size 5 "$(stat -c %s five)"
chmod 644 five
check stat-mode 644 "$(stat -c %a five)"
check stat-links 1 "$(stat -c %h five)"
check stat-type "regular file" "$(stat -c %F five)"
check stat-dir-type "directory" "$(stat -c %F fd)"
uid=$(stat -c %u five)
case $uid in ''|*[!0-9]*) fail stat-uid "not a number: '$uid'" ;; *) check stat-uid "$(id -u)" "$uid" ;; esac

chmod 755 five
check chmod-numeric 755 "$(stat -c %a five)"
chmod go-rx five
check chmod-symbolic-minus 700 "$(stat -c %a five)"
chmod u-w,g+r,o=x five
check chmod-symbolic-multi 541 "$(stat -c %a five)"
chmod a+w five
check chmod-a-plus 763 "$(stat -c %a five)"
chmod 4755 five
check chmod-setuid 4755 "$(stat -c %a five)"
chmod 600 five
check ls-l-perms "-rw-------" "$(ls -l five | cut -c1-10)"

############################################################################
# Miscellaneous applets
############################################################################

true
check_rc true-applet 0 $?
check yes-head "y y y" "$(yes | head -n 3 | tr '\n' ' ' | sed 's/ $//')"
check yes-word "ok ok" "$(yes ok | head -n 2 | tr '\n' ' ' | sed 's/ $//')"

dd if=/dev/zero of=zeros bs=512 count=3 2>/dev/null
check dd-zero 1536 "$(stat -c %s zeros)"
printf 'abcdefghij' > ddin
dd if=ddin of=ddout bs=1 skip=2 count=4 2>/dev/null
check dd-skip-count cdef "$(cat ddout)"
check dd-stdin "abc" "$(printf abcdef | dd bs=3 count=1 2>/dev/null)"

printf 'same\n' > cmpa; printf 'same\n' > cmpb; printf 'diff\n' > cmpc
cmp -s cmpa cmpb
check_rc cmp-same 0 $?
cmp -s cmpa cmpc
check_rc cmp-differ 1 $?

printf 'l1\nl2\nl3\n' > da; printf 'l1\nL2\nl3\n' > db
diff da da >/dev/null
check_rc diff-same 0 $?
out=$(diff -u da db | grep '^[-+]l\|^[-+]L' | tr '\n' ' ' | sed 's/ $//')
check diff-u "-l2 +L2" "$out"

check od-x1 "41 42 0a" "$(echo AB | od -An -tx1 | sed 's/^ *//; s/ *$//')"
check od-c "a   b" "$(printf ab | od -c | head -n 1 | sed 's/^0* *//; s/ *$//')"
check hexdump-C "41 42" "$(printf AB | hexdump -C | head -n 1 | cut -c11-15)"

check base64-enc "aGVsbG8=" "$(printf hello | base64)"
check base64-dec "hello" "$(printf aGVsbG8= | base64 -d)"

check rev "cba" "$(echo abc | rev)"
check tac "3 2 1" "$(seq 3 | tac | tr '\n' ' ' | sed 's/ $//')"
check paste "1	a|2	b|" "$(printf '1\n2\n' > p1; printf 'a\nb\n' > p2; paste p1 p2 | tr '\n' '|')"
check nl "1	x" "$(echo x | nl | sed 's/^ *//')"
check tee "teed teed" "$(echo teed | tee teefile) $(cat teefile)"

mkdir -p rl/real
ln -s real rl/link
check readlink-f "$(cd rl/real && pwd -P)" "$(readlink -f rl/link)"
check realpath "$(cd rl/real && pwd -P)" "$(realpath rl/link)"
check pwd-P "$(cd rl/real && pwd)" "$(cd rl/link && pwd -P)"
check cd-dotdot "$T" "$(cd rl/real/.. && cd .. && pwd)"

mf=$(mktemp "$T/mt.XXXXXX")
check mktemp yes "$([ -f "$mf" ] && [ "$(stat -c %a "$mf")" = 600 ] && echo yes)"
md=$(mktemp -d "$T/md.XXXXXX")
check mktemp-d yes "$([ -d "$md" ] && echo yes)"

truncate -s 1000 trunc
check truncate-grow 1000 "$(stat -c %s trunc)"
truncate -s 10 trunc
check truncate-shrink 10 "$(stat -c %s trunc)"
check sparse-reads-zero "00" "$(od -An -tx1 -N1 trunc | tr -d ' ')"

mkfifo ff
check mkfifo-type "fifo" "$(stat -c %F ff)"
(echo through-fifo > ff) &
fpid=$!
check fifo-data through-fifo "$(cat ff)"
wait $fpid
check_rc fifo-writer-status 0 $?

check uname-s Linux "$(uname -s)"
u=$(id -u)
case $u in ''|*[!0-9]*) fail id-u "not a number: '$u'" ;; *) pass id-u ;; esac

check which "/" "$(which sh | cut -c1)"
check getopts-loop "a:b=x:" "$(set -- -a -b x; while getopts ab: o; do case $o in b) printf 'b=%s:' "$OPTARG" ;; *) printf '%s:' "$o" ;; esac; done)"

check wc-l-no-final-nl 2 "$(printf 'x\ny\nz' | wc -l | tr -d ' ')"
check fold "abc${NL}def" "$(echo abcdef | fold -w 3)"
check timeout-fast 0 "$(timeout 10 true; echo $?)"
check nproc-num ok "$(n=$(nproc); [ "$n" -ge 1 ] 2>/dev/null && echo ok)"

############################################################################
trap - EXIT
cleanup
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
