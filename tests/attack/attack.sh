#!/bin/bash
# attack.sh TARGET ATTACK - one test of the attack suite (issue 13).
#
# Starts the real www or dns example on TARGET ("unix": a process on
# 127.0.0.1; "tap": over a TAP device moved into a network namespace of the
# test's own, as tests/tap/lib.sh does), plays ATTACK from uk_attack (in
# that namespace on tap) and, while it runs, a normal client asks once a
# second: curl fetches /index.html (www), dig asks for www.example.org A
# over TCP and over UDP (dns).  Every normal request must succeed (answer,
# and the right one, within 5 s); the test fails if one did not, and
# lists them.  It also fails when the server dies, when the attack
# could not be played (the attacker never reached the server), or on a
# sanitizer report.  The pipelining attacks are also clients the server
# owes answers: every burst's answers must all come back (a server may
# pace a pipelining client by not reading, not hang up on it).
#
# ATTACK is one of
#   www_slowloris  2,000 connections sending a request head a byte every 3 s
#   www_idle       5,000 keep-alive connections, idle after one request
#   www_noread     100 connections asking for an 8 MiB file, never reading
#   www_pipeline   450 GETs written in one burst, again and again
#   dns_pipeline   240 DNS queries written in one TCP burst, again and again
#   dns_idle       200 TCP connections to the DNS port saying nothing
#   dns_slow       200 TCP connections sending a query a byte every 4 s
# The attack lasts UK_ATTACK_SECONDS (default 20) plus a 3 s ramp.
#
# Exit status: 0 pass, 1 fail, 77 skip (ctest SKIP_RETURN_CODE).
KIND=$1
ATTACK=$2
. "$(dirname "$0")/../tap/lib.sh"
SECS=${UK_ATTACK_SECONDS:-20}
RAMP=3
ATTACKER=${UK_ATTACK:-$BIN_DIR/tests/attack/uk_attack}
WWW="$BIN_DIR/examples/www/www"
DNS="$BIN_DIR/examples/dns/dns"

case $ATTACK in
www_slowloris) args="slowloris conns=2000 interval_ms=3000 path=/index.html" ;;
www_idle) args="idle conns=5000 path=/index.html" ;;
www_noread) args="noread conns=100 path=/big.bin" ;;
www_pipeline) args="http-pipe conns=1 depth=450 path=/index.html" ;;
dns_pipeline) args="dns-pipe conns=1 depth=240 qname=www.example.org" ;;
dns_idle) args="dns-idle conns=200" ;;
dns_slow) args="dns-slow conns=200 interval_ms=4000" ;;
*) echo "attack.sh: unknown attack $ATTACK" >&2; exit 2 ;;
esac
SERVER=${ATTACK%%_*}
[ -x "$ATTACKER" ] || fail "$ATTACKER not built"

# Descriptors: 5,000 attack connections, and the server's as many as it
# will take.  Root may raise the hard limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 8192 ] ||
    skip "needs 8192 file descriptors, the limit is $(ulimit -n)"

free_port() {
    python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
p=s.getsockname()[1]; u.bind(("127.0.0.1",p)); print(p)'
}

# ---- the server
if [ "$SERVER" = www ]; then
    [ -x "$WWW" ] || skip "the www example is not built ($WWW)"
    require_tool curl curl
    mkdir -p "$TMP/site"
    echo "served under attack" >"$TMP/site/index.html"
    head -c $((8 << 20)) /dev/zero >"$TMP/site/big.bin"
    set -- "$WWW" --kv-site="$TMP/site"
else
    [ -x "$DNS" ] || skip "the dns example is not built ($DNS)"
    require_tool dig bind9-dnsutils
    set -- "$DNS"
fi
case $KIND in
unix)
    require_tool python3 python3
    ADDR=127.0.0.1
    PORT=$(free_port) || fail "no free port"
    RUN=
    [ "$SERVER" = dns ] && set -- "$@" --zone-dir="$SRC_DIR/examples/dns/zones"
    bg "$SERVER" "$@" --port="$PORT"
    UK_PID=$LAST_PID
    ;;
tap)
    require_basics
    ADDR=$UKADDR
    PORT=80
    RUN=nsx
    [ "$SERVER" = dns ] && PORT=53
    # The direct stack keeps every attack connection's TCP state in the
    # image's budget: the server runs in the memory its image declares
    # (www and dns: 4 MiB), as it would on Xen; UK_ATTACK_MEMORY=SIZE
    # gives it another.
    mem=${UK_ATTACK_MEMORY:-}
    start_uk "$SERVER" "$@" ${mem:+--memory="$mem"} --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port="$PORT"
    ;;
*) echo "attack.sh: unknown target $KIND" >&2; exit 2 ;;
esac

# ---- the normal client (normal.sh); answers go to $TMP/normal/N
. "$SRC_DIR/tests/attack/normal.sh"
mkdir -p "$TMP/normal"
ask() { normal_ask "$SERVER" "$ADDR" "$PORT" "$TMP/normal/$1" "$TMP/site/index.html"; }
up() { ask up && [ "$(cat "$TMP/normal/up")" = ok ]; }
wait_for 10 up || uk_gone "$SERVER" "$SERVER did not answer the normal client"
rm -f "$TMP/normal/up"

# ---- the attack, and the normal client once a second during it
log "attack $ATTACK on $KIND: uk_attack $args for $((RAMP + SECS)) s"
# shellcheck disable=SC2086 # the options are a list of words
bg attacker $RUN "$ATTACKER" "${args%% *}" "$ADDR" "$PORT" ${args#* } \
    seconds=$((RAMP + SECS + 2))
ATT_PID=$LAST_PID
sleep "$RAMP"
asked=0 askers=
for i in $(seq "$SECS"); do
    ask "$i" &
    askers="$askers $!"
    asked=$((asked + 1))
    sleep 1
done
for p in $askers; do
    wait "$p" # bounded: each ask gives up after 5 s (dig: 2 x 8 s)
done
for _ in $(seq 100); do
    kill -0 "$ATT_PID" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$UK_PID" 2>/dev/null || uk_gone "$SERVER" "$SERVER died under attack"
rss=$(awk '/VmHWM/ {print $2, $3}' "/proc/$UK_PID/status" 2>/dev/null)

# ---- verdict
summary=$(grep '^uk_attack ' "$TMP/attacker.log")
[ -n "$summary" ] || fail "the attacker did not finish: $(tail -n 3 "$TMP/attacker.log")"
log "$summary"
log "$SERVER peak RSS ${rss:-?}"
field() { echo "$summary" | sed -nE "s/.* $1=([0-9]+).*/\1/p"; }
[ "$(field established)" -gt 0 ] ||
    fail "the attack was not played: the attacker never reached $SERVER"
failed=0
for i in $(seq "$asked"); do
    r=$(cat "$TMP/normal/$i" 2>/dev/null || echo "no answer recorded")
    if [ "$r" != ok ]; then
        failed=$((failed + 1))
        log "normal request $i of $asked (t=$((RAMP + i - 1)) s) failed:$r"
    fi
done
log "normal client: $((asked - failed)) of $asked requests served"
case $ATTACK in
*_pipeline)
    # A pipelining client is owed every answer: the server may pace it
    # (stop reading), not drop what it sent and hang up.
    [ "$(field bursts_short)" = 0 ] && [ "$(field bursts_ok)" -gt 0 ] ||
        fail "the pipelining client got every answer to $(field bursts_ok) bursts; $(field bursts_short) bursts were cut short (the server closed the connection before answering all $( [ "$SERVER" = www ] && echo 450 || echo 240)), $(field answers) answers in all"
    ;;
esac
[ "$failed" = 0 ] || fail "$failed of $asked normal requests failed during $ATTACK"
pass "$ATTACK on $KIND: $asked of $asked normal requests served"
