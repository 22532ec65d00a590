#!/bin/bash
# boot_nettest.sh SRC BUILD [CC]: builds tests/xen/guest/xen_nettest for
# the xen target and boots it with a vif on dom0's bridge; dom0 pings
# 10.0.0.2.  Passes when the guest answered ARP and three echo requests
# through netfront (exit 0) and dom0 received echo replies.  Exit 77 (skip)
# without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" xen_nettest
image=$build/tests/xen/guest/xen_nettest
ping="$DOM0_WAIT_UP"'; ping -c 3 -W 1 10.0.0.2'
boot_with_vif "$image" 90 "$ping"
grep -q '^nettest: vif0 up, mac 00:16:3e:75:6b:02' "$out" || { echo "FAIL: vif0 not up with the configured MAC"; exit 1; }
grep -q '^nettest: echo reply 3 sent (ok)' "$out" || { echo "FAIL: fewer than 3 echo replies"; exit 1; }
grep -q '^dom0: 64 bytes from 10.0.0.2' "$out" || { echo "FAIL: dom0 received no echo reply"; exit 1; }
echo "PASS: netfront <-> netback: ARP and ICMP echo both ways"
