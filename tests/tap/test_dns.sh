#!/bin/bash
# The dns example on the tap target answers dig from the namespace.
. "$(dirname "$0")/lib.sh"
DNS="$BIN_DIR/examples/dns/dns"
[ -x "$DNS" ] || skip "the dns example is not built ($DNS)"
require_basics
require_tool dig bind9-dnsutils
start_uk dns "$DNS" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC"
sleep 0.5
kill -0 "$UK_PID" 2>/dev/null || uk_gone dns "the dns example exited"
ok=0
for _ in 1 2 3; do
    nsx timeout 10 dig +time=2 +tries=1 +short @"$UKADDR" -p 53 www.example.org A \
        >"$TMP/dig.log" 2>&1 && grep -qx "192.0.2.80" "$TMP/dig.log" && { ok=1; break; }
done
[ "$ok" = 1 ] || fail "dig www.example.org: $(cat "$TMP/dig.log")"
nsx timeout 10 dig +time=2 +tries=3 @"$UKADDR" -p 53 nosuch.example.org A >"$TMP/dig2.log" 2>&1 ||
    fail "dig nosuch.example.org"
grep -q "status: NXDOMAIN" "$TMP/dig2.log" || fail "expected NXDOMAIN: $(cat "$TMP/dig2.log")"
pass "dig got www.example.org A 192.0.2.80 and NXDOMAIN from the dns example"
