#!/bin/bash
# boot_echo.sh SRC BUILD [CC]: builds examples/echo for the xen target and
# boots it with a vif and --ipv4=10.0.0.2/24 (the direct stack over
# netfront); dom0 sends a line over TCP with nc and must get it back, then
# asks the guest to stop with `xl shutdown`: the image must exit 0.
# Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" echo
image=$build/examples/echo/echo
out=$(mktemp); trap 'rm -f "$out"' EXIT
cmd='i=0; while [ $i -lt 40 ]; do ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && break; i=$((i+1)); done
echo "reply: $(echo hello-over-netfront | nc -w 3 10.0.0.2 7)"
xl shutdown guest'
set +e
"$src/tools/xen/xen-run.sh" "$image" --net --timeout 60 --dom0-cmd "$cmd" \
  -- --ipv4=10.0.0.2/24 > "$out" 2>&1
rc=$?
set -e
cat "$out"
if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
if [ $rc != 0 ]; then echo "FAIL: xen-run exit status $rc, expected 0 (xl shutdown)"; exit 1; fi
grep -q '^dom0: reply: hello-over-netfront' "$out" || { echo "FAIL: dom0 did not get its line echoed over TCP"; exit 1; }
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: TCP echo over the direct stack and netfront; xl shutdown stops it"
