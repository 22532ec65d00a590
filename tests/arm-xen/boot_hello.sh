#!/bin/bash
# boot_hello.sh SRC BUILDROOT ARCH XEN: builds examples/hello for arm-xen
# ARCH (arm64|armv7) in BUILDROOT/ARCH and boots it dom0less on Xen XEN
# (arm64|arm32) with tools/arm-xen/arm-xen-run.sh.  Passes when the guest
# prints its four lines in order, the run lasts at least the 3 s its
# one-second timers need (a lower bound only: machines are noisy), and
# its exit status 0 reaches the host; and when a bad option makes it exit
# 2, the host sees 2.  Exit 77 (skip) when QEMU/Xen or the cross compiler
# cannot be had.
set -euo pipefail
src=$1 root=$2 arch=$3 xen=$4
here=$(dirname "$0")
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" hello
rc=$?
set -e
[ $rc = 0 ] || exit $rc
image=$root/$arch/examples/hello/hello
[ -f "$image.img" ] || { echo "FAIL: no hello.img beside the ELF"; exit 1; }
size -A "$image" 2>/dev/null | sed -n '1,6p' || true

out=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-hello.XXXXXX"); trap 'rm -f "$out"' EXIT
t0=$(date +%s%N)
set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --xen "$xen" --timeout 60 > "$out"
rc=$?
set -e
t1=$(date +%s%N)
cat "$out"
if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen for ARM not available (see above)"; exit 77; fi
if [ $rc != 0 ]; then echo "FAIL: arm-xen-run exit status $rc, expected 0"; exit 1; fi
expect=$(for i in 1 2 3 4; do echo "hello from uk on arm-xen ($i/4)"; done; echo "uk: exit 0")
got=$(grep -E '^(hello from uk|uk: exit)' "$out")
if [ "$got" != "$expect" ]; then
  echo "FAIL: console differs from:"; echo "$expect"; exit 1
fi
ms=$(( (t1 - t0) / 1000000 ))
if [ $ms -lt 3000 ]; then
  echo "FAIL: the run took ${ms} ms; four lines a second apart need >= 3 s"; exit 1
fi
echo "PASS: hello ($arch guest, $xen Xen) printed four lines in ${ms} ms and exited 0"

set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --xen "$xen" --timeout 60 -- --no-such-option > "$out"
rc=$?
set -e
cat "$out"
if [ $rc != 2 ]; then echo "FAIL: with a bad option, exit status $rc, expected 2"; exit 1; fi
grep -q 'no-such-option' "$out" || { echo "FAIL: no error line naming the option"; exit 1; }
echo "PASS: a bad option gives exit status 2 on the host"
