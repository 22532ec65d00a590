#!/bin/bash
# DHCP lease renewal against dnsmasq: with dnsmasq's shortest lease (2
# minutes) the client renews by unicast at T1 (60 s) and keeps its address.
. "$(dirname "$0")/lib.sh"
require_basics
require_tool dnsmasq dnsmasq-base
require_tool ping iputils-ping
start_uk probe "$PROBE" --dhcp --mac="$UKMAC"
bg dnsmasq ip netns exec "$NS" timeout 100 dnsmasq --no-daemon --conf-file=/dev/null \
    --port=0 --interface="$TAP" --bind-interfaces --except-interface=lo \
    --dhcp-range=10.77.0.50,10.77.0.59,255.255.255.0,2m \
    --dhcp-leasefile="$TMP/leases" --pid-file="$TMP/dnsmasq.pid" \
    --dhcp-authoritative --log-dhcp
wait_log "$TMP/probe.log" "dhcp: bound to 10\.77\.0\.5[0-9]/24" 40 || fail "no lease from dnsmasq"
addr=$(sed -nE 's/.*dhcp: bound to (10\.77\.0\.5[0-9])\/24.*/\1/p' "$TMP/probe.log" | head -n 1)
log "leased $addr, waiting for the renewal at T1 (60 s)"
wait_log "$TMP/probe.log" "dhcp: renewed $addr with server $KADDR, lease 120 s" 75 ||
    fail "no renewal"
# dnsmasq saw a unicast REQUEST from the bound address (renewing state).
grep -Eq "DHCPREQUEST\($TAP\) $addr" "$TMP/dnsmasq.log" || fail "dnsmasq logged no renewal request"
nsx timeout 10 ping -c 2 -i 0.2 -W 2 "$addr" >"$TMP/ping.log" 2>&1 || fail "ping $addr after renewal"
pass "renewed $addr at T1"
