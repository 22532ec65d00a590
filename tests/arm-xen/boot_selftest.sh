#!/bin/bash
# boot_selftest.sh SRC BUILDROOT ARCH XEN [GIC [CPU]]: builds the in-guest
# self-test (tests/arm-xen/guest: timers in deadline order and never early,
# the clock, an event channel to itself) for ARCH and boots it on Xen XEN
# (optionally with GIC version GIC, "" for the default, and QEMU cpu CPU;
# with "max", which has FEAT_RNG, the entropy source must be RNDR), then
# boots it with --fault: the CPU exception must be reported and crash the
# domain (status 70).
set -euo pipefail
src=$1 root=$2 arch=$3 xen=$4 gic=${5:-} cpu=${6:-}
here=$(dirname "$0")
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" arm_xen_selftest
rc=$?
set -e
[ $rc = 0 ] || exit $rc
image=$root/$arch/tests/arm-xen/guest/arm_xen_selftest
gicopt=(); [ -z "$gic" ] || gicopt=(--gic "$gic")
[ -z "$cpu" ] || gicopt+=(--cpu "$cpu")

out=$(mktemp "${TMPDIR:-/tmp}/uk-arm-xen-selftest.XXXXXX"); trap 'rm -f "$out"' EXIT
set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --xen "$xen" "${gicopt[@]}" --timeout 60 > "$out"
rc=$?
set -e
cat "$out"
if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen for ARM not available (see above)"; exit 77; fi
for want in "timers fired in deadline order" "no timer fired before its deadline" \
    "a cancelled timer did not fire" "the monotonic clock never stepped back" \
    "event delivered on the bound port"; do
  grep -q "^selftest: ok $want" "$out" || { echo "FAIL: no 'selftest: ok $want'"; exit 1; }
done
if [ "$cpu" = max ] && ! grep -q '^selftest: target arm-xen, entropy rndr' "$out"; then
  echo "FAIL: the cpu has RNDR but the entropy source is not rndr"; exit 1
fi
if grep -q '^selftest: FAIL' "$out" || [ $rc != 0 ]; then
  echo "FAIL: self-test failed (exit status $rc)"; exit 1
fi
echo "PASS: self-test ($arch guest, $xen Xen${gic:+, GICv$gic}${cpu:+, cpu $cpu})"

set +e
"$src/tools/arm-xen/arm-xen-run.sh" "$image" --xen "$xen" "${gicopt[@]}" --timeout 60 -- --fault > "$out" 2>/dev/null
rc=$?
set -e
cat "$out"
[ $rc = 70 ] || { echo "FAIL: --fault gave exit status $rc, expected 70 (crash)"; exit 1; }
grep -q '^uk: fatal: CPU exception' "$out" || { echo "FAIL: no CPU exception report"; exit 1; }
echo "PASS: a CPU exception is reported and crashes the domain"
