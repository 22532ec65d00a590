#!/usr/bin/env bash
# bench/attack.sh - the attacks of the attack suite (tests/attack/) played
# against uk's www and nginx, and against uk's dns and NSD, one server after
# the other in the same run (see NET below).  Not a test: it prints a table
# and asserts nothing.
#
#   bench/attack.sh [BUILD_DIR] [SECONDS]      (defaults: build, 15)
#   ATTACKS="www_idle dns_slow" bench/attack.sh ...   only these
#   NET=tap bench/attack.sh BUILD_DIR ...      BUILD_DIR a -DUK_TARGET=tap
#                                              build: over uk's own TCP
#
# NET=loopback (the default): every server on 127.0.0.1, uk's on the
# unix target (Linux's TCP under uk's HTTP and DNS).  NET=tap: uk's server
# is a tap-target process whose TAP device is moved into a client network
# namespace (uk's own TCP, as tests/tap does), nginx and NSD run in a
# server namespace joined to the client one by a veth pair, and every
# client runs in the client namespace; uk runs in the memory its image
# declares (4 MiB).
#
# For every attack and every server (started afresh for each attack): the
# attacker (tests/attack/uk_attack.c, compiled here) starts, and after a
# 3 s ramp, for SECONDS: the normal client of the suite
# (tests/attack/normal.sh) asks once a second, and a load runs beside it:
# wrk -t1 -c10 on a 1 KiB page (www, nginx), dnsperf over TCP with 4
# clients (dns, NSD).  The table gives the normal client's success rate,
# the load's requests (queries) per second, the server's peak RSS (VmHWM,
# summed over its processes: nginx's master and worker, NSD's three), the
# attacker's own count (connections open at its peak; for the pipelines,
# answers received and bursts fully answered) and the ratios uk/reference.
# "none" is the baseline: the load alone.
#
# The references are limited like uk: nginx to 1,124 client connections
# (worker_connections 1125: its listening socket takes one), NSD to 64 TCP
# connections (tcp-count), rate limiting off; their time-outs are their
# defaults.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/nginx_conf.sh"
. "$root/bench/nsd_conf.sh"
. "$root/bench/netns.sh"
. "$root/tests/attack/normal.sh"
build=${1:-$root/build}
secs=${2:-15}
ramp=3
ATTACKS=${ATTACKS:-none_www www_slowloris www_idle www_noread www_pipeline none_dns dns_pipeline dns_idle dns_slow}
www=$build/examples/www/www
dns=$build/examples/dns/dns
PATH=$PATH:/usr/sbin
for tool in wrk nginx nsd dnsperf curl dig cc; do
  command -v $tool >/dev/null ||
    { echo "bench/attack.sh: $tool is not installed (tools/setup-deps.sh --bench)" >&2; exit 2; }
done
for b in "$www" "$dns"; do
  [ -x "$b" ] || { echo "bench/attack.sh: $b not built" >&2; exit 2; }
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
net=${NET:-loopback}
case $net in
loopback)
  RUN= # normal.sh: the clients run here, on 127.0.0.1
  uk_addr=127.0.0.1 ref_addr=127.0.0.1 ;;
tap)
  [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] ||
    { echo "bench/attack.sh: NET=tap needs root and /dev/net/tun" >&2; exit 2; }
  cli="ukac$$" srv="ukas$$" tap="ukat$$" veth="ukav$$"
  RUN="ip netns exec $cli"
  uk_addr=10.82.1.2 ref_addr=10.82.2.2 ;;
*) echo "bench/attack.sh: NET is loopback or tap, not $net" >&2; exit 2 ;;
esac

tmp=$(mktemp -d /tmp/uk-bench-attack.XXXXXX)
srv_pid= att_pid=
stop() { # kills the server and the attacker of the last run
  local p
  for p in $att_pid $srv_pid; do
    kill "$p" 2>/dev/null || true
  done
  for p in $att_pid $srv_pid; do
    wait "$p" 2>/dev/null || true
  done
  att_pid= srv_pid=
}
cleanup() {
  stop
  if [ "$net" = tap ]; then
    ip netns del "$cli" 2>/dev/null || true
    ip netns del "$srv" 2>/dev/null || true
    ip link del "$tap" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cc -O2 -std=c99 -Wall -Wextra -D_GNU_SOURCE -o "$tmp/uk_attack" \
  "$root/tests/attack/uk_attack.c"
mkdir -p "$tmp/site" "$tmp/normal"
chmod 755 "$tmp" "$tmp/site" # nginx's worker runs as an unprivileged user
head -c 1024 /dev/zero | tr '\0' 'x' >"$tmp/site/index.html"
head -c $((8 << 20)) /dev/zero >"$tmp/site/big.bin"
cp "$root/examples/dns/zones/example.org.zone" "$tmp/example.org.zone"
printf 'www.example.org A\nexample.org NS\nftp.example.org A\nnope.example.org A\n' \
  >"$tmp/queries"

[ "$net" = tap ] && netns_pair "$cli" "$srv" "$veth" 10.82.2.1 "$ref_addr"

free_port() {
  if [ "$net" = tap ]; then # one server at a time, on its own address
    if [ "$1" = www ]; then echo 80; else echo 53; fi
    return
  fi
  python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
p=s.getsockname()[1]; u.bind(("127.0.0.1",p)); print(p)'
}

attack_args() { # attack -> uk_attack MODE and options, as attack.sh plays it
  case $1 in
  www_slowloris) echo "slowloris conns=2000 interval_ms=3000 path=/index.html" ;;
  www_idle) echo "idle conns=5000 path=/index.html" ;;
  www_noread) echo "noread conns=100 path=/big.bin" ;;
  www_pipeline) echo "http-pipe conns=1 depth=450 path=/index.html" ;;
  dns_pipeline) echo "dns-pipe conns=1 depth=240 qname=www.example.org" ;;
  dns_idle) echo "dns-idle conns=200" ;;
  dns_slow) echo "dns-slow conns=200 interval_ms=4000" ;;
  esac
}

start_server() { # name port: starts it afresh, sets srv_pid
  local name=$1 port=$2 d=$tmp/$1 on= refrun=
  rm -rf "$d"
  mkdir -p "$d"
  chmod 755 "$d"
  if [ "$net" = tap ]; then
    refrun="ip netns exec $srv"
    case $name in www | dns) on="--tap=$tap --ipv4=$uk_addr/24 --mac=02:00:00:82:01:02" ;; esac
  fi
  case $name in
  www) "$www" $on --port="$port" --kv-site="$tmp/site" >"$d/out" 2>&1 & ;;
  nginx)
    nginx_conf "$d" "$ref_addr:$port" "$tmp/site" 1125
    $refrun nginx -c "$d/nginx.conf" -p "$d" >"$d/out" 2>&1 & ;;
  dns) # on tap the image's zones are embedded (examples/dns/zones, as here)
    [ "$net" = tap ] || on="--zone-dir=$tmp"
    "$dns" $on --port="$port" >"$d/out" 2>&1 & ;;
  nsd)
    cp "$tmp/example.org.zone" "$d/"
    nsd_conf "$d" "$port" example.org example.org.zone 64 "$ref_addr"
    $refrun nsd -c "$d/nsd.conf" -d >"$d/out" 2>&1 & ;;
  esac
  srv_pid=$!
  if [ "$net" = tap ] && [ -n "$on" ]; then netns_attach_tap "$tap" "$cli" 10.82.1.1; fi
}

# Peak RSS in MiB of a process and its descendants (nginx's worker, NSD's
# children).
peak_rss() {
  local pids=$1 p kids all=""
  while [ -n "$pids" ]; do
    all="$all $pids"
    kids=""
    for p in $pids; do
      kids="$kids $(pgrep -P "$p" || true)"
    done
    pids=$(echo $kids)
  done
  for p in $all; do
    awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || true
  done | awk '{s += $1} END {printf "%.1f", s / 1024}'
}

# run ATTACK SERVER KIND: sets R_OK (answered/asked), R_LOAD (load's
# requests/s), R_RSS (MiB) and R_ATT (the attacker's count).
run() {
  local attack=$1 name=$2 kind=$3 port args ok=0 i askers="" load_pid addr
  R_OK=down R_LOAD=0 R_RSS=- R_ATT=-
  port=$(free_port "$kind")
  addr=$ref_addr
  [ "$name" = "$kind" ] && addr=$uk_addr
  start_server "$name" "$port"
  for _ in $(seq 50); do
    normal_ask "$kind" "$addr" "$port" "$tmp/normal/up"
    [ "$(cat "$tmp/normal/up")" = ok ] && break
    sleep 0.2
  done
  if [ "$(cat "$tmp/normal/up")" != ok ]; then
    echo "bench/attack.sh: $name did not start: $(cat "$tmp/$name/out")" >&2
    stop
    return
  fi
  args=$(attack_args "$attack")
  if [ -n "$args" ]; then
    # shellcheck disable=SC2086 # the options are a list of words
    $RUN "$tmp/uk_attack" ${args%% *} "$addr" "$port" ${args#* } \
      seconds=$((ramp + secs + 2)) >"$tmp/attacker.log" 2>&1 &
    att_pid=$!
    sleep $ramp
  fi
  if [ "$kind" = www ]; then
    $RUN wrk -t1 -c10 -d"${secs}s" --timeout 5s "http://$addr:$port/index.html" \
      >"$tmp/load.log" 2>&1 &
  else
    $RUN dnsperf -s "$addr" -p "$port" -m tcp -d "$tmp/queries" -l "$secs" \
      -c 4 -q 20 -t 5 >"$tmp/load.log" 2>&1 &
  fi
  load_pid=$!
  rm -f "$tmp/normal"/[0-9]*
  for i in $(seq "$secs"); do
    normal_ask "$kind" "$addr" "$port" "$tmp/normal/$i" "$tmp/site/index.html" &
    askers="$askers $!"
    sleep 1
  done
  for i in $askers; do wait "$i" || true; done
  wait "$load_pid" || true
  R_RSS=$(peak_rss "$srv_pid")
  for i in $(seq "$secs"); do
    [ "$(cat "$tmp/normal/$i")" = ok ] && ok=$((ok + 1))
  done
  R_OK=$ok/$secs
  if [ "$kind" = www ]; then
    R_LOAD=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/load.log")
  else
    R_LOAD=$(awk '/Queries per second/ {print $4}' "$tmp/load.log")
  fi
  R_LOAD=$(awk -v v="${R_LOAD:-0}" 'BEGIN {printf "%.0f", v}')
  if [ -n "$args" ]; then
    wait "$att_pid" 2>/dev/null || true
    att_pid=
    R_ATT=$(grep '^uk_attack ' "$tmp/attacker.log" | sed -E 's/.*peak_open=([0-9]+).*/open \1/')
    case $attack in
    *_pipeline) R_ATT=$(grep '^uk_attack ' "$tmp/attacker.log" |
        sed -E 's/.*answers=([0-9]+) bursts_ok=([0-9]+) bursts_short=([0-9]+).*/ans \1 ok \2 cut \3/') ;;
    esac
  fi
  stop
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }

echo "uk under attack vs nginx / NSD ($net): $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "${secs} s per attack and server after a ${ramp} s ramp; $(nginx -v 2>&1 | sed 's/.*: //'), $(nsd -v 2>&1 | head -1)"
printf '\n| %-13s | %-5s | %9s | %9s | %10s | %10s | %7s | %8s | %8s | %6s | %-18s | %-18s |\n' \
  attack uk "uk normal" "ref normal" "uk load/s" "ref load/s" "load" "uk MiB" "ref MiB" "RSS" "uk attacker" "ref attacker"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' --------------- ------- ----------- \
  ----------- ------------ ------------ --------- ---------- ---------- -------- \
  -------------------- --------------------
for attack in $ATTACKS; do
  case $attack in
  *www*) kind=www ref=nginx ;;
  *) kind=dns ref=nsd ;;
  esac
  run "$attack" "$kind" "$kind"
  u_ok=$R_OK u_load=$R_LOAD u_rss=$R_RSS u_att=$R_ATT
  run "$attack" "$ref" "$kind"
  r_ok=$R_OK r_load=$R_LOAD r_rss=$R_RSS r_att=$R_ATT
  printf '| %-13s | %-5s | %9s | %10s | %10s | %10s | %7s | %8s | %8s | %6s | %-18s | %-18s |\n' \
    "${attack/#none_*/none}" "$kind" "$u_ok" "$r_ok" "$u_load" "$r_load" "$(ratio "$u_load" "$r_load")" \
    "$u_rss" "$r_rss" "$(ratio "$u_rss" "$r_rss")" "$u_att" "$r_att"
done
echo
echo "normal: requests the normal client got answered / asked (www: curl, dns: dig over"
echo "TCP and UDP, both must answer); load/s: wrk requests/s (www) or dnsperf TCP"
echo "queries/s (dns) during the attack, and the ratio uk/reference; MiB: peak RSS,"
echo "and the ratio uk/reference; attacker: its connections open at the peak, or"
echo "for the pipelines answers received, bursts fully answered, bursts cut short."
