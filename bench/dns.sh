#!/bin/sh
# bench/dns.sh - dnsperf against the dns example and against NSD, same zone
# (tests/dns/zones/example.zone), same query mix, same run.  Not a test: it
# prints a table of queries per second, the CPU time each server used, and
# the ratio ours/NSD.
#
#   bench/dns.sh [BUILD_DIR]     (default build; env DURATION=10 seconds per
#                                 run, ROUNDS=3, CLIENTS=4, THREADS=2,
#                                 OUTSTANDING=500, MODES="udp tcp")
#
# Each server is one process with one worker (NSD: server-count 1, rate
# limiting off, minimal-responses like ours).  Both run on 127.0.0.1 on
# free ports; dnsperf runs on the same machine, so results depend on what
# else is running.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/bench/nsd_conf.sh"
BUILD=${1:-$SRC/build}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
OUTSTANDING=${OUTSTANDING:-500}
CLIENTS=${CLIENTS:-4}
MODES=${MODES:-udp tcp}
DNS=$BUILD/examples/dns/dns
for tool in nsd dnsperf; do
    command -v $tool >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
    command -v $tool >/dev/null 2>&1 || { echo "bench/dns.sh: $tool not installed" >&2; exit 2; }
done
[ -x "$DNS" ] || { echo "bench/dns.sh: $DNS not built" >&2; exit 2; }

TMP=$(mktemp -d /tmp/uk-dns-bench.XXXXXX)
NSD_PID= DNS_PID=
cleanup() {
    [ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null || true
    [ -n "$DNS_PID" ] && kill "$DNS_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
[ -n "${DEBUG:-}" ] && set -x

free_port() {
    /usr/bin/python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
p=s.getsockname()[1]; u.bind(("127.0.0.1",p)); print(p)'
}

cp "$SRC/tests/dns/zones/example.zone" "$TMP/example.zone"
NSD_PORT=$(free_port)
DNS_PORT=$(free_port)
nsd_conf "$TMP" "$NSD_PORT" example.com example.zone

# The query mix: every kind of answer, weighted towards plain hits.
cat > "$TMP/queries" <<Q
www.example.com A
www.example.com A
www.example.com AAAA
mail.example.com A
example.com MX
example.com NS
example.com SOA
alias2.example.com A
x.wild.example.com A
nope.example.com A
x.www.example.com A
x.sub.example.com A
txt.example.com TXT
_sip._udp.example.com SRV
MiXeD.example.com A
example.org A
Q

nsd -c "$TMP/nsd.conf" -d >"$TMP/nsd.out" 2>&1 &
NSD_PID=$!
"$DNS" --port="$DNS_PORT" --zone-dir="$TMP" --zone=example.com.:example.zone \
    >"$TMP/dns.out" 2>&1 &
DNS_PID=$!
sleep 1
for p in $NSD_PID $DNS_PID; do
    kill -0 $p 2>/dev/null || { cat "$TMP"/*.out >&2; echo "bench/dns.sh: a server did not start" >&2; exit 1; }
done
# CPU ticks (user + system) of the processes given as "pid" or as
# "conf:PATTERN" (every process whose command line has PATTERN: NSD's
# server process is forked away from the process we started).
cpu_ticks() {
    case $1 in
    conf:*) pids=$(pgrep -f "${1#conf:}" || true) ;;
    *) pids=$1 ;;
    esac
    t=0
    for p in $pids; do
        # utime + stime: fields 14 and 15, counted after the "(comm)"
        # field, which may hold blanks ("nsd: server 1").
        t=$((t + $(sed 's/.*) //' /proc/$p/stat 2>/dev/null |
                   awk '{print $12 + $13}' || echo 0)))
    done
    echo $t
}
HZ=$(getconf CLK_TCK)

# run NAME PID PORT MODE -> "qps cpu_seconds"
run() {
    before=$(cpu_ticks "$2")
    dnsperf -s 127.0.0.1 -p "$3" -m "$4" -d "$TMP/queries" -l "$DURATION" \
        -c "$CLIENTS" -T "$THREADS" -q "$OUTSTANDING" >"$TMP/perf.$1.$4" 2>&1 || true
    after=$(cpu_ticks "$2")
    qps=$(awk '/Queries per second/ {print $4}' "$TMP/perf.$1.$4")
    lost=$(awk '/Queries lost/ {print $3}' "$TMP/perf.$1.$4")
    echo "${qps:-0} $(echo "$before $after $HZ" | awk '{printf "%.2f", ($2-$1)/$3}') ${lost:-?}"
}

# Rounds alternate which server goes first, so that a change in the
# machine's load during the run does not favour either; the summary adds
# up the queries and the CPU time of every round.
date -u
printf '%-5s %-4s %5s %12s %8s %10s %6s\n' server mode round qps cpu_s us/query lost
for mode in $MODES; do
    nq=0 uq=0 ncpu=0 ucpu=0
    r=1
    while [ $r -le "$ROUNDS" ]; do
        if [ $((r % 2)) -eq 1 ]; then order="nsd uk"; else order="uk nsd"; fi
        for who in $order; do
            if [ $who = nsd ]; then
                set -- $(run nsd "conf:$TMP/nsd.conf" "$NSD_PORT" "$mode")
            else
                set -- $(run uk "$DNS_PID" "$DNS_PORT" "$mode")
            fi
            us=$(echo "$1 $2 $DURATION" | awk '{ if ($1 > 0) printf "%.2f", $2 * 1e6 / ($1 * $3); else print "-" }')
            printf '%-5s %-4s %5s %12.0f %8s %10s %6s\n' $who "$mode" $r "$1" "$2" "$us" "$3"
            if [ $who = nsd ]; then
                nq=$(echo "$nq $1" | awk '{print $1 + $2}'); ncpu=$(echo "$ncpu $2" | awk '{print $1 + $2}')
            else
                uq=$(echo "$uq $1" | awk '{print $1 + $2}'); ucpu=$(echo "$ucpu $2" | awk '{print $1 + $2}')
            fi
        done
        r=$((r + 1))
    done
    echo "$uq $nq $ucpu $ncpu $ROUNDS $DURATION $mode" | awk '{
        printf "%s: nsd %.0f qps (%.2f us CPU/query), uk %.0f qps (%.2f us CPU/query), ratio uk/nsd %.2f\n",
            $7, $2 / $5, $4 * 1e6 / ($2 * $6), $1 / $5, $3 * 1e6 / ($1 * $6), $1 / $2 }'
done
