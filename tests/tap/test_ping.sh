#!/bin/bash
# ping from the kernel (in the namespace) to our stack, small and large
# (-s 4000: fragmented both ways, reassembled by each side).
. "$(dirname "$0")/lib.sh"
require_basics
require_tool ping iputils-ping
start_uk probe "$PROBE" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC"
nsx timeout 15 ping -c 3 -i 0.2 -W 2 "$UKADDR" >"$TMP/ping.log" 2>&1 ||
    fail "ping $UKADDR"
grep -q " 0% packet loss" "$TMP/ping.log" || fail "ping lost packets"
nsx timeout 15 ping -c 3 -i 0.2 -W 2 -s 4000 "$UKADDR" >"$TMP/ping4000.log" 2>&1 ||
    fail "ping -s 4000 $UKADDR"
grep -q "4008 bytes from $UKADDR" "$TMP/ping4000.log" ||
    fail "no full-size reply to ping -s 4000"
grep -q " 0% packet loss" "$TMP/ping4000.log" || fail "ping -s 4000 lost packets"
pass "ping and ping -s 4000 answered"
