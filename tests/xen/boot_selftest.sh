#!/bin/bash
# boot_selftest.sh SRC BUILD [CC]: builds the in-guest platform self-test
# (tests/xen/guest) for the xen target and boots it with xen-run.sh.
# Passes when every check logs "selftest: ok" (none "FAIL"), both watch
# events arrive, and the guest exits 0; and with --fault, the CPU
# exception is reported and the domain crashes (exit 70).  Exit 77 (skip)
# without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" xen_selftest
image=$build/tests/xen/guest/xen_selftest
out=$(mktemp); trap 'rm -f "$out"' EXIT
set +e
"$src/tools/xen/xen-run.sh" "$image" --timeout 60 > "$out"
rc=$?
set -e
cat "$out"
if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
if [ $rc != 0 ]; then echo "FAIL: xen-run exit status $rc, expected 0"; exit 1; fi
if grep -q 'selftest: FAIL' "$out"; then echo "FAIL: a check failed"; exit 1; fi
oks=$(grep -c 'selftest: ok ' "$out" || true)
if [ "$oks" -lt 22 ]; then echo "FAIL: only $oks checks passed, expected 22"; exit 1; fi
grep -q 'selftest: watch event 2 path=data/uk-watched token=tok1' "$out" ||
  { echo "FAIL: the watch did not fire on change"; exit 1; }
echo "PASS: $oks platform checks inside the guest"

# The fatal path: a CPU exception is reported and crashes the domain.
set +e
"$src/tools/xen/xen-run.sh" "$image" --timeout 60 -- --fault > "$out"
rc=$?
set -e
cat "$out"
if [ $rc != 70 ]; then echo "FAIL: --fault gave exit status $rc, expected 70 (crash)"; exit 1; fi
grep -q '^uk: fatal: CPU exception 6' "$out" || { echo "FAIL: no 'uk: fatal: CPU exception 6' line"; exit 1; }
echo "PASS: a CPU exception is reported and crashes the domain"
