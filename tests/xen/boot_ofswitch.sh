#!/bin/bash
# boot_ofswitch.sh SRC BUILD [CC]: builds examples/of-switch for the xen
# target and boots it with three vifs (xen-run.sh --vifs 3): its stack on
# device 0 (10.0.0.2/24 on ukbr0, dom0 pings it) and switch ports on
# devices 1 and 2, whose backends dom0 finds on ukbr1 and ukbr2.  The
# switch must report 2 ports, and exit 0 on `xl shutdown`.  Exit 77 (skip)
# without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" of-switch
image=$build/examples/of-switch/of-switch
cmd="$DOM0_WAIT_UP"'
ping -c 1 -W 2 10.0.0.2 >/dev/null 2>&1 && echo "stack: up"
for b in ukbr1 ukbr2; do echo "port bridge $b: $(ls /sys/class/net/$b/brif)"; done
xl shutdown guest'
XEN_RUN_NET="--vifs 3" boot_with_vif "$image" 90 "$cmd" --ipv4=10.0.0.2/24 --listen=6633
grep -q '^of-switch: 2 ports' "$out" || { echo "FAIL: the switch did not start with 2 ports"; exit 1; }
grep -q '^dom0: stack: up' "$out" || { echo "FAIL: the stack on device 0 did not answer ping"; exit 1; }
for b in ukbr1 ukbr2; do
  grep -q "^dom0: port bridge $b: vif" "$out" || { echo "FAIL: no vif on $b"; exit 1; }
done
grep -q '^uk: shutdown requested by the toolstack' "$out" || { echo "FAIL: xl shutdown was not seen"; exit 1; }
echo "PASS: of-switch booted on Xen with 2 ports (xen-run --vifs 3)"
