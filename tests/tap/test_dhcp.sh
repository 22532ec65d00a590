#!/bin/bash
# The DHCP client against dnsmasq in the namespace: a lease is obtained, the
# address answers ping, and dnsmasq recorded the lease for our MAC.
. "$(dirname "$0")/lib.sh"
require_basics
require_tool dnsmasq dnsmasq-base
require_tool ping iputils-ping
start_uk probe "$PROBE" --dhcp --mac="$UKMAC"
bg dnsmasq ip netns exec "$NS" timeout 60 dnsmasq --no-daemon --conf-file=/dev/null \
    --port=0 --interface="$TAP" --bind-interfaces --except-interface=lo \
    --dhcp-range=10.77.0.50,10.77.0.59,255.255.255.0,2m \
    --dhcp-option=option:router,"$KADDR" \
    --dhcp-option=option:dns-server,"$KADDR" \
    --dhcp-leasefile="$TMP/leases" --pid-file="$TMP/dnsmasq.pid" \
    --dhcp-authoritative --log-dhcp
wait_log "$TMP/probe.log" "dhcp: bound to 10\.77\.0\.5[0-9]/24 gateway $KADDR from server $KADDR, lease 120 s" 40 ||
    fail "no lease from dnsmasq"
addr=$(sed -nE 's/.*dhcp: bound to (10\.77\.0\.5[0-9])\/24.*/\1/p' "$TMP/probe.log" | head -n 1)
log "leased $addr"
grep -qi "$UKMAC $addr" "$TMP/leases" || fail "dnsmasq has no lease for $UKMAC: $(cat "$TMP/leases")"
nsx timeout 10 ping -c 2 -i 0.2 -W 2 "$addr" >"$TMP/ping.log" 2>&1 || fail "ping $addr"
pass "leased $addr from dnsmasq and answered ping there"
