#!/bin/bash
# help_test.sh BUILD_DIR: an image's --help lists the options it has and
# no others: www (a store, a TCP server) lists --port, --kv-site and the
# network's --ipv4 and --max-conns (its one connection limit) but not --block (it never opens a block device:
# block_default.c is not linked); hello (no network, no store) lists none
# of them; kvstore (which opens uk_default_block) lists --block and
# --block-NAME.
set -uo pipefail
www=$1/examples/www/www
[ -x "$www" ] || { echo "FAIL: $www not built"; exit 1; }
out=$(timeout 10 "$www" --help 2>&1)
for want in --port --kv-site --ipv4 --max-conns; do
  grep -q -- "$want" <<<"$out" || { echo "FAIL: www --help lacks $want:"; echo "$out"; exit 1; }
done
if grep -q -- "--block" <<<"$out"; then
  echo "FAIL: www --help lists --block, a device www does not have:"; echo "$out"; exit 1
fi
hello=$1/examples/hello/hello
out=$(timeout 10 "$hello" --help 2>&1)
for unwanted in --block --ipv4 --max-conns --kv-; do
  if grep -q -- "$unwanted" <<<"$out"; then
    echo "FAIL: hello --help lists $unwanted, which hello does not have:"; echo "$out"; exit 1
  fi
done
kvstore=$1/examples/kvstore/kvstore
[ -x "$kvstore" ] || { echo "FAIL: $kvstore not built"; exit 1; }
out=$(timeout 10 "$kvstore" --help 2>&1)
for want in --block= --block-NAME=; do
  grep -q -- "$want" <<<"$out" || { echo "FAIL: kvstore --help lacks $want:"; echo "$out"; exit 1; }
done
echo "PASS: www --help lists its options and no --block; hello's lists no network option; kvstore's lists --block and --block-NAME"
