#!/usr/bin/env bash
# tools/check-unsafe.sh: unsafe code lives only in the hardware layer (hal/).
#
# kernel/ and libs/ must deny unsafe_code at the crate root and contain no
# unsafe block, function, impl, trait or attribute. The compiler enforces
# the deny; this check keeps the deny lines themselves from disappearing.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
for root in kernel/src/main.rs libs/*/src/lib.rs; do
    if ! grep -q '^#!\[deny(unsafe_code)\]' "$root"; then
        echo "check-unsafe: $root does not deny unsafe_code" >&2
        fail=1
    fi
done
# Any other mention of `unsafe` as code (not in comments) is an error.
hits=$(grep -rn --include='*.rs' -E '\bunsafe\b' kernel libs \
    | grep -v -E '^[^:]+:[0-9]+:\s*//' \
    | grep -v -E '#!\[deny\(unsafe_code\)\]' || true)
if [ -n "$hits" ]; then
    echo "check-unsafe: unsafe outside hal/:" >&2
    echo "$hits" >&2
    fail=1
fi
# Every unsafe block or impl in hal/ carries a `// SAFETY:` comment within
# the lines just above it.
missing=$(python3 - <<'PY'
import glob, re
bad = []
for path in glob.glob("hal/src/**/*.rs", recursive=True):
    lines = open(path).read().splitlines()
    for i, line in enumerate(lines):
        code = line.split("//")[0]
        if re.search(r"\bunsafe\s*(\{|impl)", code):
            window = "\n".join(lines[max(0, i - 8):i + 1])
            if "SAFETY:" not in window:
                bad.append(f"{path}:{i + 1}: {line.strip()}")
print("\n".join(bad))
PY
)
if [ -n "$missing" ]; then
    echo "check-unsafe: unsafe without a SAFETY comment:" >&2
    echo "$missing" >&2
    fail=1
fi
blocks=$(grep -rn --include='*.rs' -E 'unsafe *\{' hal/src | wc -l)
safety=$(grep -rn --include='*.rs' -E '// SAFETY:' hal/src | wc -l)
if [ "$fail" -eq 0 ]; then
    echo "check-unsafe: ok (kernel/ and libs/ have none; hal/ has $blocks unsafe blocks, $safety SAFETY comments)"
fi
exit $fail
