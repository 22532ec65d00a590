#!/bin/bash
# ARP both ways: the kernel resolves our address to our MAC (ip neigh), and
# our stack resolves the kernel's address (its UDP probe reaches a peer in
# the namespace and the answer comes back).
. "$(dirname "$0")/lib.sh"
require_basics
require_tool python3 python3
bg peer ip netns exec "$NS" timeout 20 /usr/bin/python3 "$SRC_DIR/tests/tap/udp_peer.py" 0.0.0.0 9999 15
PEER_PID=$LAST_PID
start_uk probe "$PROBE" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --peer="$KADDR:9999"
wait_log "$TMP/probe.log" "probe: reply from $KADDR:9999" 15 ||
    fail "our stack got no answer from $KADDR (ARP resolution of the kernel?)"
wait "$PEER_PID" || fail "the peer in the namespace got nothing"
grep -q "got b'probe" "$TMP/peer.log" || fail "the peer got something else"
# The kernel learned our MAC from the exchange (or resolves it now).
nsx timeout 5 ping -c 1 -W 2 "$UKADDR" >/dev/null 2>&1 || fail "ping $UKADDR"
nsx ip neigh show "$UKADDR" dev "$TAP" >"$TMP/neigh.log"
grep -qi "lladdr $UKMAC" "$TMP/neigh.log" ||
    fail "kernel neighbour entry for $UKADDR: $(cat "$TMP/neigh.log")"
grep -Eq "REACHABLE|STALE|DELAY|PROBE" "$TMP/neigh.log" ||
    fail "kernel neighbour entry not resolved: $(cat "$TMP/neigh.log")"
pass "kernel resolved $UKADDR to $UKMAC; our stack resolved $KADDR"
