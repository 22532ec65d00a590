#!/bin/bash
# www over the direct TCP on the tap target, the Linux kernel as the peer:
# curl downloads a 256 MiB file byte-exact (in super-segments the kernel
# cuts: TCP segmentation offload over IFF_VNET_HDR), then 64 MiB again while the
# tap target injects faults in both directions (3% loss, 5% reordering,
# 1% duplication), and 16 MiB under 5% loss alone (loss recovery: partial
# ACKs, tail losses; byte-exact, no speed threshold); the 64 MiB under
# faults again with --tcp-cc=bbr, and --tcp-cc=vegas refused; 200 requests from 50 concurrent clients, and 1,000
# concurrent connections from wrk when it is installed.
. "$(dirname "$0")/lib.sh"
WWW="$BIN_DIR/examples/www/www"
[ -x "$WWW" ] || skip "the www example is not built ($WWW)"
require_basics
require_tool curl curl
require_tool cmp diffutils

mkdir -p "$TMP/site"
head -c $((256 << 20)) /dev/urandom >"$TMP/site/big.bin" ||
    skip "no room for a 256 MiB file in $TMP"
head -c $((64 << 20)) "$TMP/site/big.bin" >"$TMP/site/mid.bin"
head -c $((16 << 20)) "$TMP/site/big.bin" >"$TMP/site/small.bin"
echo "hello over the direct tcp" >"$TMP/site/index.html"

stop_www() { # stops www, gives the next one a fresh namespace
    kill "$UK_PID" 2>/dev/null
    wait "$UK_PID" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    ip netns add "$NS" || fail "cannot recreate $NS"
}
fetch() { # fetch NAME URLPATH SECONDS
    nsx curl -s -S -m "$3" -o "$TMP/$1.out" "http://$UKADDR/$2" \
        >"$TMP/curl-$1.log" 2>&1 || fail "curl $2: $(cat "$TMP/curl-$1.log")"
    cmp "$TMP/$1.out" "$TMP/site/$2" >"$TMP/cmp-$1.log" 2>&1 ||
        fail "$2 differs: $(cat "$TMP/cmp-$1.log")"
    rm -f "$TMP/$1.out"
}

# 64 MiB, as the 1,000-connection Xen test: 1,000 connections' TCP state
# and buffers do not fit www's declared 4 MiB
start_uk www "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --kv-site="$TMP/site" --memory=64M
wait_for 5 nsx curl -s -m 1 -o /dev/null "http://$UKADDR/index.html" ||
    uk_gone www "www did not answer"
rx_stat() { nsx cat "/sys/class/net/$TAP/statistics/rx_$1"; }
p0=$(rx_stat packets) b0=$(rx_stat bytes)
t0=$(date +%s.%N)
fetch big big.bin 60
t1=$(date +%s.%N)
log "256 MiB clean in $(echo "$t1 - $t0" | bc 2>/dev/null || echo ?) s"
# the kernel counts each write to the TAP device as one packet: with
# segmentation offload most carry many segments, so the average write is
# far above a 1514-byte frame
avg=$(( ($(rx_stat bytes) - b0) / ($(rx_stat packets) - p0) ))
log "256 MiB in writes of $avg bytes on average"
[ "$avg" -gt 4000 ] || fail "no segmentation offload: writes of $avg bytes"

# 50 clients at once, 200 requests
seq 200 | nsx xargs -P 50 -I{} curl -s -m 20 -o /dev/null \
    -w '%{http_code}\n' "http://$UKADDR/index.html" >"$TMP/codes.log" 2>&1
ok=$(grep -c '^200$' "$TMP/codes.log")
[ "$ok" = 200 ] || fail "concurrent requests: $ok of 200 answered 200"
# 1,000 concurrent connections (wrk, when installed)
if command -v wrk >/dev/null; then
    nsx sh -c "ulimit -n 8192; wrk -t2 -c1000 -d3s http://$UKADDR/index.html" \
        >"$TMP/wrk.log" 2>&1 || fail "wrk: $(cat "$TMP/wrk.log")"
    grep -q "Socket errors" "$TMP/wrk.log" &&
        fail "wrk with 1000 connections: $(grep 'Socket errors' "$TMP/wrk.log")"
    grep -q "Non-2xx" "$TMP/wrk.log" && fail "wrk: non-200 answers"
    log "1000 connections: $(grep Requests/sec "$TMP/wrk.log")"
else
    log "no wrk: the 1000-connection run is skipped"
fi
stop_www

start_uk wwwf "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --kv-site="$TMP/site" --faults=drop=3%,reorder=5%,dup=1%,seed=7
wait_for 10 nsx curl -s -m 2 -o /dev/null "http://$UKADDR/index.html" ||
    uk_gone wwwf "www under faults did not answer"
t0=$(date +%s.%N)
fetch mid mid.bin 80
t1=$(date +%s.%N)
log "64 MiB under faults in $(echo "$t1 - $t0" | bc 2>/dev/null || echo ?) s"
grep -q "injecting faults" "$TMP/wwwf.log" || fail "faults were not injected"
stop_www

start_uk wwwd "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --kv-site="$TMP/site" --faults=drop=5%,seed=11
wait_for 10 nsx curl -s -m 2 -o /dev/null "http://$UKADDR/index.html" ||
    uk_gone wwwd "www under 5% loss did not answer"
t0=$(date +%s.%N)
fetch small small.bin 120
t1=$(date +%s.%N)
log "16 MiB under 5% loss in $(echo "$t1 - $t0" | bc 2>/dev/null || echo ?) s"
stop_www

# the model-based congestion control under the same mixed faults
start_uk wwwb "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --kv-site="$TMP/site" --faults=drop=3%,reorder=5%,dup=1%,seed=7 \
    --tcp-cc=bbr
wait_for 10 nsx curl -s -m 2 -o /dev/null "http://$UKADDR/index.html" ||
    uk_gone wwwb "www with --tcp-cc=bbr under faults did not answer"
t0=$(date +%s.%N)
fetch mid mid.bin 80
t1=$(date +%s.%N)
log "64 MiB under faults with bbr in $(echo "$t1 - $t0" | bc 2>/dev/null || echo ?) s"
kill "$UK_PID" 2>/dev/null
wait "$UK_PID" 2>/dev/null

# an unknown controller is a one-line error and a failed start
out=$(timeout 10 "$WWW" --tap="$TAP" --ipv4="$UKADDR/$PREFIX" --port=80 \
    --kv-site="$TMP/site" --tcp-cc=vegas 2>&1) &&
    fail "www started with --tcp-cc=vegas"
echo "$out" | grep -q "unknown --tcp-cc 'vegas'" ||
    fail "--tcp-cc=vegas: no clear error: $out"
pass "256 MiB byte-exact, concurrent requests, 64 MiB under faults (cubic and bbr), 16 MiB under 5% loss"
