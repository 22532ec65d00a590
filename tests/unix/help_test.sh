#!/bin/bash
# help_test.sh BUILD_DIR: an image's --help lists the options it has and
# no others: www (a store, a TCP server) lists --port and --kv-site but not
# --block (it never opens a block device: block_default.c is not linked).
set -uo pipefail
www=$1/examples/www/www
[ -x "$www" ] || { echo "FAIL: $www not built"; exit 1; }
out=$(timeout 10 "$www" --help 2>&1)
for want in --port --kv-site --max-clients; do
  grep -q -- "$want" <<<"$out" || { echo "FAIL: www --help lacks $want:"; echo "$out"; exit 1; }
done
if grep -q -- "--block" <<<"$out"; then
  echo "FAIL: www --help lists --block, a device www does not have:"; echo "$out"; exit 1
fi
echo "PASS: www --help lists its options and no --block"
