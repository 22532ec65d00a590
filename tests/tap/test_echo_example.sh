#!/bin/bash
# The echo example on the tap target answers UDP from the namespace.
. "$(dirname "$0")/lib.sh"
ECHO="$BIN_DIR/examples/echo/echo"
[ -x "$ECHO" ] || skip "the echo example is not built ($ECHO)"
require_basics
require_tool python3 python3
start_uk echo "$ECHO" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC"
sleep 0.5
kill -0 "$UK_PID" 2>/dev/null || uk_gone echo "the echo example exited"
nsx timeout 30 /usr/bin/python3 "$SRC_DIR/tests/tap/udp_client.py" "$UKADDR" 7 20 3 \
    >"$TMP/client.log" 2>&1 || fail "udp echo: $(cat "$TMP/client.log")"
pass "the echo example answered: $(cat "$TMP/client.log")"
