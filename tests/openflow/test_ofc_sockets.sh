#!/bin/bash
# test_ofc_sockets.sh - the built of-controller over real kernel sockets
# on 127.0.0.1, against fake switches (ofc_switches.py): a full switch
# table and one refused, independent learning, the automatic error
# answers, a framing error, and a log line per connect and disconnect.
# Exit status: 0 pass, 1 fail, 77 skip.
set -u
BIN_DIR="${UK_BINARY_DIR:-$(pwd)}"
SRC_DIR="${UK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
OFC="$BIN_DIR/examples/of-controller/of-controller"
PY=/usr/bin/python3
MAX=16 # OFC_MAX_SWITCHES
[ -x "$OFC" ] || { echo "SKIP: $OFC not built"; exit 77; }
[ -x "$PY" ] || { echo "SKIP: needs $PY"; exit 77; }
T=$(mktemp -d /tmp/uk-ofc-test.XXXXXX)
PID=""
cleanup() {
    [ -n "$PID" ] && { kill -9 "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "---- of-controller log"; cat "$T/ofc.log"; exit 1; }

PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$OFC" --port="$PORT" >"$T/ofc.log" 2>&1 &
PID=$!
for _ in $(seq 50); do grep -q listening "$T/ofc.log" && break; sleep 0.1; done
grep -q listening "$T/ofc.log" || fail "of-controller did not start"
timeout 90 "$PY" "$SRC_DIR/tests/openflow/ofc_switches.py" "$PORT" "$MAX" || fail "fake switches"
for _ in $(seq 50); do
    [ "$(grep -c 'disconnected' "$T/ofc.log")" -ge "$MAX" ] && break
    sleep 0.1
done
n=$(grep -c 'connected from' "$T/ofc.log")
[ "$n" = "$MAX" ] || fail "$n connect lines, $MAX expected"
n=$(grep -c 'disconnected' "$T/ofc.log")
[ "$n" = "$MAX" ] || fail "$n disconnect lines, $MAX expected"
grep -q "switch table full" "$T/ofc.log" || fail "no line for the refused switch"
grep -q "0000000000001000 from 127.0.0.1:[0-9]* disconnected: protocol error" "$T/ofc.log" \
    || fail "the framing error is not logged as a protocol error"
kill -TERM "$PID"
wait "$PID"
st=$?
PID=""
[ "$st" = 143 ] || fail "exit status $st after SIGTERM (143 expected)"
grep -qE "Sanitizer|runtime error" "$T/ofc.log" && fail "sanitizer report"
cat "$T/ofc.log"
echo "PASS: of-controller served $MAX switches over kernel sockets"
