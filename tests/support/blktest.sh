#!/bin/bash
# blktest.sh BLKTEST: runs tests/support/blktest.c built for a Linux target
# (unix or tap) on a fresh file given as block device "data"
# (--block-data=FILE): a process writes a seeded pattern (checked in the
# file by blktest_check.py), a second one
# finds it, a third one with another seed must not, and without the option
# there is no device.
set -euo pipefail
bin=$1
disk=$(mktemp); out=$(mktemp)
trap 'rm -f "$disk" "$out"' EXIT
truncate -s 1M "$disk"
expect() { # expect STATUS LINE ARGS...
  local want=$1 line=$2 rc=0
  shift 2
  "$bin" "$@" > "$out" 2>&1 || rc=$?
  cat "$out"
  [ "$rc" = "$want" ] || { echo "FAIL: $*: exit $rc, expected $want"; exit 1; }
  grep -q "$line" "$out" || { echo "FAIL: $*: no line '$line'"; exit 1; }
}
expect 0 '^blktest: wrote 304 sectors of seed 7 (durable)' --block-data="$disk" --write=7
python3 "$(dirname "$0")/blktest_check.py" "$disk" || { echo "FAIL: the file does not hold the pattern"; exit 1; }
expect 0 '^blktest: verified 304 sectors of seed 7' --block-data "$disk" --verify=7
expect 1 "another seed's pattern" --block-data="$disk" --verify=8
expect 1 '^blktest: FAIL: no block device' --block-other="$disk" --verify=7
echo "PASS: the pattern written through block device 'data' is found by another process"
