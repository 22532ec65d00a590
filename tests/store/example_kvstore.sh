#!/bin/sh
# The kvstore example on the unix target: commits survive the process,
# history lists them, a delete hides a key, errors are one line and exit 1.
#   example_kvstore.sh KVSTORE_BINARY WORKDIR
set -eu
bin=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
img=$work/disk.img
truncate -s 4M "$img"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" --block="$img" --set=greeting --value=hello --msg=first >/dev/null
"$bin" --block="$img" --set=notes/a --value="two words" --msg=second >/dev/null
out=$("$bin" --block="$img" --get=greeting)
[ "$out" = "greeting = hello" ] || fail "get after reopen: $out"
out=$("$bin" --block="$img" --get=notes/a --list=/)
[ "$out" = "notes/a = two words
greeting
notes/" ] || fail "get and list: $out"
"$bin" --block="$img" --del=greeting --msg=third >/dev/null
if out=$("$bin" --block="$img" --get=greeting); then fail "deleted key read"; fi
[ "$out" = "kvstore: greeting: no such entry" ] || fail "deleted key: $out"
out=$("$bin" --block="$img" --log=10 | cut -d' ' -f2,4,9-)
[ "$out" = "3 2, third
2 1, second
1 0, first
0 0, " ] || fail "log: $out"
if "$bin" --get=x >/dev/null 2>&1; then fail "no --block accepted"; fi
truncate -s 10k "$work/small.img"
if "$bin" --block="$work/small.img" --get=x >/dev/null 2>&1; then
  fail "a device too small accepted"
fi
rm -rf "$work"
echo "example_kvstore: ok"
