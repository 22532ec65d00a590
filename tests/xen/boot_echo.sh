#!/bin/bash
# boot_echo.sh SRC BUILD [CC]: builds examples/echo for the xen target and
# boots it with a vif and --ipv4=10.0.0.2/24 (the direct stack over
# netfront); dom0 sends a line over TCP with nc and must get it back, then
# asks the guest to stop with `xl shutdown`: the image must exit 0.
# Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" echo
image=$build/examples/echo/echo
cmd="$DOM0_WAIT_UP"'
echo "reply: $(echo hello-over-netfront | nc -w 3 10.0.0.2 7)"
xl shutdown guest'
boot_with_vif "$image" 60 "$cmd" --ipv4=10.0.0.2/24
grep -q '^dom0: reply: hello-over-netfront' "$out" || { echo "FAIL: dom0 did not get its line echoed over TCP"; exit 1; }
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: TCP echo over the direct stack and netfront; xl shutdown stops it"
