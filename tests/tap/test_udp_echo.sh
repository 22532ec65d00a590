#!/bin/bash
# UDP request/response: a client in the namespace against our echo.
# With FAULTS set (e.g. drop=0.1), the client retries and must still get
# every answer; FAULTS_EXPECT_RETRY=1 also demands that some retry was
# needed (proof that frames were really lost).
. "$(dirname "$0")/lib.sh"
require_basics
require_tool python3 python3
extra=""
tries=1
if [ -n "${FAULTS:-}" ]; then
    extra="--faults=$FAULTS"
    tries=20
fi
start_uk probe "$PROBE" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" $extra
nsx timeout 60 /usr/bin/python3 "$SRC_DIR/tests/tap/udp_client.py" "$UKADDR" 7 50 "$tries" \
    >"$TMP/client.log" 2>&1 || fail "udp echo: $(cat "$TMP/client.log")"
cat "$TMP/client.log"
if [ -n "${FAULTS:-}" ]; then
    grep -q "tap: injecting faults: drop=" "$TMP/probe.log" || fail "the fault shim is not active"
    # Losses happened and were recovered by retrying (50 exchanges at 19%
    # loss each: all surviving the first try has probability ~3e-5).
    sent=$(sed -nE 's/.*answered, ([0-9]+) datagrams sent/\1/p' "$TMP/client.log")
    if [ "${FAULTS_EXPECT_RETRY:-0}" = 1 ]; then
        [ "${sent:-0}" -gt 50 ] || fail "no request needed a retry: are faults injected?"
    fi
fi
pass "every UDP request answered${FAULTS:+ under faults $FAULTS}"
