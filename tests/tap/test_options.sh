#!/bin/bash
# Option errors of the tap target are clear one-liners (no root needed for
# the errors found before the device is opened).
PROBE="${UK_BINARY_DIR:-.}/tests/tap/tap_probe"
[ -x "$PROBE" ] || { echo "FAIL: $PROBE not built"; exit 1; }
check() { # expected-substring args...
    local want=$1 out rc
    shift
    out=$(timeout 10 "$PROBE" "$@" 2>&1)
    rc=$?
    if [ $rc = 0 ] || ! echo "$out" | grep -qF -- "$want"; then
        echo "FAIL: $PROBE $*: status $rc, output: $out"
        exit 1
    fi
    echo "ok: $* -> $(echo "$out" | head -n 1)"
}
check "needs an address" --tap=nosuch0
check "--gateway needs --ipv4" --dhcp --gateway=10.0.0.1
check "not on the subnet" --ipv4=10.0.0.2/24 --gateway=10.0.1.1
check "--ipv4" --ipv4=10.0.0.300/24
check "--mac" --mac=01:02:03
"$PROBE" --help 2>&1 | grep -q -- "--faults" || { echo "FAIL: --help lacks --faults"; exit 1; }
if "$PROBE" --help 2>&1 | grep -q -- "--block"; then
  echo "FAIL: --help lists --block, a device the probe does not use"; exit 1
fi
echo "PASS: option errors are reported; --help lists no --block"
