#!/bin/bash
# hello runs on the tap target (no network, no root needed).
HELLO="${UK_BINARY_DIR:-.}/examples/hello/hello"
[ -x "$HELLO" ] || { echo "SKIP: hello not built ($HELLO)"; exit 77; }
out=$(timeout 30 "$HELLO" 2>&1)
rc=$?
echo "$out"
[ $rc = 0 ] || { echo "FAIL: hello exited with $rc"; exit 1; }
echo "$out" | grep -q "tap" || { echo "FAIL: hello did not name the tap target"; exit 1; }
echo "PASS: hello ran on the tap target"
