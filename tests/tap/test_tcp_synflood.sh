#!/bin/bash
# A SYN flood from hping3 at the www example on the tap target while curl
# keeps fetching a page: two floods at once for a few seconds (bounded by
# a packet count and a timeout), one from a spoofed, absent neighbour
# (its half-open connections never complete: the SYN queue fills and SYN
# cookies answer) and one from the kernel's own address (which resets our
# SYN-ACKs).  Every curl during and after the flood must get its page,
# the process's memory must stay bounded (a second flood must not grow
# it further), and the flood must have reached us (interface counters).
. "$(dirname "$0")/lib.sh"
WWW="$BIN_DIR/examples/www/www"
[ -x "$WWW" ] || skip "the www example is not built ($WWW)"
require_basics
require_tool hping3 hping3
require_tool curl curl

mkdir -p "$TMP/site"
echo "still here" >"$TMP/site/index.html"
start_uk www "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --kv-site="$TMP/site"
wait_for 5 nsx curl -s -m 1 -o /dev/null "http://$UKADDR/index.html" ||
    uk_gone www "www did not answer"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$UK_PID/status"; }
tap_tx() { nsx cat "/sys/class/net/$TAP/statistics/tx_packets"; }

# flood N: both floods in the background, curl in the foreground until
# they end; every fetch must succeed.
flood() {
    local n=$1 ok=0 tries=0 a b
    nsx timeout -s INT 5 hping3 -S -p 80 -i u40 -c 60000 -a 10.77.0.99 \
        "$UKADDR" >"$TMP/flood$n-spoofed.log" 2>&1 &
    a=$!
    nsx timeout -s INT 5 hping3 -S -p 80 -i u40 -c 60000 \
        "$UKADDR" >"$TMP/flood$n-local.log" 2>&1 &
    b=$!
    PIDS="$PIDS $a $b"
    while kill -0 "$a" 2>/dev/null || kill -0 "$b" 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -le 200 ] || break
        if nsx curl -s -m 10 -o "$TMP/page.out" "http://$UKADDR/index.html" &&
            cmp -s "$TMP/page.out" "$TMP/site/index.html"; then
            ok=$((ok + 1))
        else
            fail "flood $n: fetch $tries failed while flooded"
        fi
    done
    wait "$a" "$b" 2>/dev/null
    log "flood $n: $ok fetches answered during the flood"
    [ $ok -ge 1 ] || fail "flood $n: no fetch completed during the flood"
    kill -0 "$UK_PID" 2>/dev/null || uk_gone www "www died under the flood"
}

nsx curl -s -m 5 -o /dev/null "http://$UKADDR/index.html"
rss0=$(rss_kb)
tx0=$(tap_tx)
flood 1
tx1=$(tap_tx)
sent=$((tx1 - tx0))
log "flood 1: $sent frames sent to us"
[ "$sent" -ge 2000 ] || fail "the flood did not reach us ($sent frames)"
# curl after the flood
for i in 1 2 3 4 5; do
    nsx curl -s -m 10 -o "$TMP/page.out" "http://$UKADDR/index.html" ||
        fail "fetch $i after the flood failed"
    cmp -s "$TMP/page.out" "$TMP/site/index.html" || fail "page differs"
done
rss1=$(rss_kb)
flood 2
rss2=$(rss_kb)
log "RSS: ${rss0} kB before, ${rss1} kB after flood 1, ${rss2} kB after flood 2"
# Bounded: the connection table and SYN queue are fixed; one flood may
# touch pages of them, but a second flood must not need more.
[ $((rss1 - rss0)) -le 65536 ] ||
    fail "memory grew by $((rss1 - rss0)) kB during a flood"
[ $((rss2 - rss1)) -le 2048 ] ||
    fail "memory keeps growing: $((rss2 - rss1)) kB more after a second flood"
nsx curl -s -m 10 -o /dev/null "http://$UKADDR/index.html" ||
    fail "no answer after the second flood"
pass "curl answered during and after two SYN floods; memory bounded"
