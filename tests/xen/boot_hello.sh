#!/bin/bash
# boot_hello.sh SRC BUILD [CC]: builds examples/hello for the xen target in
# BUILD (a sub-build of the source tree SRC) and boots it with
# tools/xen/xen-run.sh.  Passes when the guest prints its four lines, in
# order, and its exit status 0 reaches the host; and when a bad option
# makes it exit 2, the host sees 2.  Exit 77 (skip) when the
# emulator and Xen cannot be installed.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" hello
image=$build/examples/hello/hello
[ -f "$build/examples/hello/hello.xl" ] || { echo "FAIL: no hello.xl beside the image"; exit 1; }
size -A "$image" | sed -n '1,8p'

out=$(mktemp); trap 'rm -f "$out"' EXIT
set +e
"$src/tools/xen/xen-run.sh" "$image" --timeout 60 > "$out"
rc=$?
set -e
cat "$out"
if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
if [ $rc != 0 ]; then echo "FAIL: xen-run exit status $rc, expected 0"; exit 1; fi
expect=$(for i in 1 2 3 4; do echo "hello from uk on xen ($i/4)"; done; echo "uk: exit 0")
got=$(tr -d '\r' < "$out" | grep -E '^(hello from uk|uk: exit)')
if [ "$got" != "$expect" ]; then
  echo "FAIL: console differs from:"; echo "$expect"; exit 1
fi
echo "PASS: hello booted on Xen, four lines, exit status 0"

# A non-zero status must reach the host too: an unknown option makes
# uk_parse_options return 2, which the guest exits with.
set +e
"$src/tools/xen/xen-run.sh" "$image" --timeout 60 -- --no-such-option > "$out"
rc=$?
set -e
cat "$out"
if [ $rc != 2 ]; then echo "FAIL: with a bad option, exit status $rc, expected 2"; exit 1; fi
grep -q 'no-such-option' "$out" || { echo "FAIL: no error line naming the option"; exit 1; }
echo "PASS: a bad option gives exit status 2 on the host"
