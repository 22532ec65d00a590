#!/bin/bash
# boot_nettest.sh SRC BUILD [CC]: builds tests/xen/guest/xen_nettest for
# the xen target and boots it with a vif on dom0's bridge; dom0 pings
# 10.0.0.2.  Passes when the guest answered ARP and three echo requests
# through netfront (exit 0) and dom0 received echo replies.  Exit 77 (skip)
# without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" xen_nettest
image=$build/tests/xen/guest/xen_nettest
out=$(mktemp); trap 'rm -f "$out"' EXIT
ping='i=0; while [ $i -lt 40 ]; do ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && break; i=$((i+1)); done; ping -c 3 -W 1 10.0.0.2'
set +e
"$src/tools/xen/xen-run.sh" "$image" --net --timeout 90 --dom0-cmd "$ping" > "$out" 2>&1
rc=$?
set -e
cat "$out"
if [ $rc = 77 ]; then echo "SKIP: Xen/QEMU not available (see above)"; exit 77; fi
if [ $rc != 0 ]; then echo "FAIL: xen-run exit status $rc, expected 0"; exit 1; fi
grep -q '^nettest: vif0 up, mac 00:16:3e:75:6b:02' "$out" || { echo "FAIL: vif0 not up with the configured MAC"; exit 1; }
grep -q '^nettest: echo reply 3 sent (ok)' "$out" || { echo "FAIL: fewer than 3 echo replies"; exit 1; }
grep -q '^dom0: 64 bytes from 10.0.0.2' "$out" || { echo "FAIL: dom0 received no echo reply"; exit 1; }
echo "PASS: netfront <-> netback: ARP and ICMP echo both ways"
