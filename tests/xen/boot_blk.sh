#!/bin/bash
# boot_blk.sh SRC BUILD [CC]: blkfront against dom0's blkback, and data
# that outlive the guest.  Builds tests/xen/guest/xen_blktest for the xen
# target; a fresh 8 MiB disk file is given to two guests in turn (each run
# of tools/xen/xen-run.sh --disk is its own Xen and dom0; the guest is
# destroyed when it stops): the first writes a seeded pattern (one 150 KiB
# request, in parts and indirect segments, and concurrent one-sector
# writes, the last at the disk's end) and reads it back; the host checks
# every written sector's checksum in the file itself; the second guest,
# given a blank disk first and ours second, names ours with
# --block-data=xvdb and finds the pattern.  Exit 77 (skip) without
# Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" xen_blktest
image=$build/tests/xen/guest/xen_blktest
out=$(mktemp); disk=$(mktemp); blank=$(mktemp)
trap 'rm -f "$out" "$disk" "$blank"' EXIT
truncate -s 8M "$disk"
truncate -s 1M "$blank"
disks=(--disk "$disk")

run() { # run EXPECTED_LINE GUEST_ARGS...
  local want=$1 rc=0
  shift
  "$src/tools/xen/xen-run.sh" "$image" "${disks[@]}" --timeout 60 -- "$@" \
    > "$out" 2>&1 || rc=$?
  cat "$out"
  if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
  if [ $rc != 0 ]; then echo "FAIL: $* : xen-run exit status $rc, expected 0"; exit 1; fi
  grep -q "^$want" "$out" || { echo "FAIL: $*: no line '$want'"; exit 1; }
}

run "blktest: verified 304 sectors of seed 4242" --write=4242
grep -q '^blktest: wrote 304 sectors of seed 4242 (durable)' "$out" ||
  { echo "FAIL: the writer did not report its writes durable"; exit 1; }
grep -q '^xen: xvda: 8 MiB, 512-byte sectors, read-write' "$out" ||
  { echo "FAIL: blkfront did not report the disk's geometry"; exit 1; }

# The sectors are in the host's file, each with its checksum.
python3 "$src/tests/support/blktest_check.py" "$disk" ||
  { echo "FAIL: the disk file does not hold the pattern"; exit 1; }

# A new guest with two disks, ours second: --block-data=xvdb names it.
disks=(--disk "$blank" --disk "$disk")
run "blktest: verified 304 sectors of seed 4242" --block-data=xvdb --verify=4242
grep -q "^xen: block device 'data' is xvdb" "$out" ||
  { echo "FAIL: --block-data=xvdb did not pick the second disk"; exit 1; }
echo "PASS: a guest's writes through blkfront are read back by a new guest"
