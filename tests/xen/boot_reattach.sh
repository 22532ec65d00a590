#!/bin/bash
# boot_reattach.sh SRC BUILD [CC]: netback torn down and re-attached under
# a running guest.  Boots examples/echo with a vif and --ipv4=10.0.0.2/24;
# dom0 checks a TCP echo, detaches the vif (`xl network-detach`: netback
# closes, the toolstack removes the device), re-attaches one with the same
# MAC (`xl network-attach`), and checks a TCP echo again.  The guest must
# log the teardown and the reconnection, answer after it, and exit 0 on
# `xl shutdown`; it must never hang (xen-run's time limit fails the test).
# Exit 77 (skip) without Xen/QEMU.
set -euo pipefail
src=$1 build=$2 cc=${3:-gcc}
. "$(dirname "$0")/netboot.sh"
"$(dirname "$0")/subbuild.sh" "$src" "$build" "$cc" echo
image=$build/examples/echo/echo
cmd='up() { i=0; while [ $i -lt 30 ]; do ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && return 0; i=$((i+1)); done; return 1; }
up; echo "before: $(echo first-echo | nc -w 3 10.0.0.2 7)"
xl network-detach guest 0 && echo "detach: done"
echo "vifs after detach: $(xl network-list guest | tail -n +2 | wc -l)"
xl network-attach guest mac=00:16:3e:75:6b:02 bridge=ukbr0 script=uk-vif && echo "attach: done"
up && echo "ping: answered"
echo "after: $(echo second-echo | nc -w 3 10.0.0.2 7)"
xl shutdown guest'
boot_with_vif "$image" 90 "$cmd" --ipv4=10.0.0.2/24
grep -q '^dom0: before: first-echo$' "$out" || { echo "FAIL: no TCP echo before the detach"; exit 1; }
grep -q '^dom0: detach: done$' "$out" || { echo "FAIL: xl network-detach failed (the guest did not close its side?)"; exit 1; }
grep -q '^dom0: vifs after detach: 0$' "$out" || { echo "FAIL: the vif was not removed"; exit 1; }
grep -E -q '^xen: vif0: backend (removed|closed); waiting for it to come back$' "$out" ||
  { echo "FAIL: the guest did not log the teardown"; exit 1; }
grep -q '^dom0: attach: done$' "$out" || { echo "FAIL: xl network-attach failed"; exit 1; }
grep -q '^xen: vif0: backend back, reconnected$' "$out" || { echo "FAIL: the guest did not reconnect"; exit 1; }
grep -q '^dom0: after: second-echo$' "$out" || { echo "FAIL: no TCP echo after the re-attach"; exit 1; }
echo "PASS: vif detached and re-attached; the guest reconnected and answers over TCP"
