#!/bin/bash
# boot_blk.sh SRC BUILDROOT [ARCH]: blkfront on arm-xen against an arm64
# Linux dom0's blkback (arm-xen-run.sh --net --disk).  Builds
# tests/support/blktest.c for ARCH (arm64, the default, or armv7); a fresh
# 8 MiB disk file is given to two guests in turn (each run is its own Xen
# and dom0; dom0 destroys the guest when it stops): the first writes a
# seeded pattern and reads it back, the host checks the file, the second
# guest finds the pattern on the disk.  Exit
# 77 (skip) when QEMU/Xen or the dom0 packages cannot be had.
set -euo pipefail
src=$1 root=$2 arch=${3:-arm64}
here=$(dirname "$0")
set +e
"$here/subbuild.sh" "$src" "$root/$arch" "$arch" arm_xen_blktest
rc=$?
set -e
[ $rc = 0 ] || exit $rc
image=$root/$arch/tests/arm-xen/guest/arm_xen_blktest
out=$(mktemp); disk=$(mktemp)
trap 'rm -f "$out" "$disk"' EXIT
truncate -s 8M "$disk"
run() { # run GUEST_ARGS...
  local rc=0
  "$src/tools/arm-xen/arm-xen-run.sh" "$image" --net --disk "$disk" \
    --timeout 90 -- "$@" > "$out" 2>&1 || rc=$?
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: QEMU/Xen or the arm64 dom0 packages not available"; exit 77; fi
  [ $rc = 0 ] || { echo "FAIL: $*: exit status $rc, expected 0"; exit 1; }
  grep -q '^blktest: verified 304 sectors of seed 4242' "$out" ||
    { echo "FAIL: $*: the pattern was not read back"; exit 1; }
}
run --write=4242
grep -q '^blktest: wrote 304 sectors of seed 4242 (durable)' "$out" ||
  { echo "FAIL: the writer did not report its writes durable"; exit 1; }
python3 "$src/tests/support/blktest_check.py" "$disk" ||
  { echo "FAIL: the disk file does not hold the pattern"; exit 1; }
run --verify=4242
echo "PASS: an $arch guest's writes through blkfront are read back by a new guest"
