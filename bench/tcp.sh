#!/usr/bin/env bash
# bench/tcp.sh - uk's TCP against lwIP on the same TAP path and against
# Linux over a veth pair, measured in the same run.  Not a test: it prints
# a table and asserts nothing.
#
#   bench/tcp.sh [SECONDS] [ROUNDS]           (defaults: 10, 3)
#   BIG_MB=64 BULK_FETCHES=3 PIN=1 bench/tcp.sh ...
#                       file size (MiB), curl fetches per round, servers
#                       on CPU 0 and clients on the last CPU
#
# Needs root, /dev/net/tun, ip netns, wrk, curl, nginx (nginx-light), a C
# compiler and liblwip-dev.  Builds, in a scratch directory:
#   uk     the www example on -DUK_TARGET=tap with the files embedded in
#          the image (-DUK_WWW_SITE), as it ships;
#   lwIP   bench/lwip/lwip_www (Debian's lwIP 2.1, raw API, one thread,
#          files in memory; see its header);
# and serves a 1 KiB page (/1k.html) and a BIG_MB MiB file (/big.bin) from:
#   uk, lwIP  each a process in the root namespace on a TAP device that is
#             moved into the client namespace (as tests/tap/lib.sh does);
#   nginx     Linux's TCP: nginx (1 worker, sendfile, access_log off) in a
#             server namespace, joined to the client namespace by a veth
#             pair.
# The clients (wrk -t1, curl) run in the client namespace.  Every round
# measures every load on every server, the servers' order rotating; the
# table gives medians over the rounds: requests/s (wrk, 10 and 100
# connections on the page), bulk MB/s (curl fetching the big file, one
# connection), each server's CPU seconds per measurement (utime + stime
# from /proc/PID/stat: on a shared machine a low number means "starved",
# not "fast"), the ratios uk/lwIP and uk/nginx (medians of the per-round
# ratios) and uk/lwIP per CPU second of the server.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/nginx_conf.sh"
. "$root/bench/netns.sh"
secs=${1:-10}
rounds=${2:-3}
big_mb=${BIG_MB:-64}
bulk_fetches=${BULK_FETCHES:-3}

die() { echo "bench/tcp.sh: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (TAP devices, network namespaces)"
[ -c /dev/net/tun ] || die "needs /dev/net/tun"
for tool in ip wrk curl nginx cc make cmake; do
  command -v $tool >/dev/null || die "$tool is not installed"
done
[ -f /usr/include/lwip/lwip/tcp.h ] || die "liblwip-dev is not installed"

tmp=$(mktemp -d /tmp/uk-bench-tcp.XXXXXX)
cli="ukbc$$" srv="ukbs$$"
uk_tap="ukbu$$" lw_tap="ukbl$$" veth="ukbv$$"
uk_pid= lw_pid= ngx_pid=
cleanup() {
  local p
  for p in $uk_pid $lw_pid $ngx_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for p in $(ip netns pids "$cli" 2>/dev/null) $(ip netns pids "$srv" 2>/dev/null); do
    kill -9 "$p" 2>/dev/null || true
  done
  ip netns del "$cli" 2>/dev/null || true
  ip netns del "$srv" 2>/dev/null || true
  ip link del "$uk_tap" 2>/dev/null || true
  ip link del "$lw_tap" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$tmp/site" "$tmp/nginx"
chmod 755 "$tmp" "$tmp/site" # nginx's worker runs as an unprivileged user
head -c 1024 /dev/zero | tr '\0' 'x' > "$tmp/site/1k.html"
head -c $((big_mb << 20)) /dev/urandom > "$tmp/site/big.bin"
chmod 644 "$tmp/site"/*

ncpu=$(nproc)
srv_pin= cli_pin= where="unpinned"
if [ "${PIN:-0}" = 1 ] && [ "$ncpu" -gt 1 ]; then
  srv_pin="taskset -c 0" cli_pin="taskset -c $((ncpu - 1))"
  where="servers on CPU 0, clients on CPU $((ncpu - 1))"
fi

echo "building www (tap target, files embedded) and the lwIP responder..." >&2
cmake -S "$root" -B "$tmp/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DUK_TARGET=tap -DUK_BUILD_TESTS=OFF -DUK_WWW_SITE="$tmp/site" \
  > "$tmp/build.log" 2>&1 &&
  cmake --build "$tmp/build" --target www -j"$ncpu" >> "$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; exit 1; }
make -s -C "$root/bench/lwip" O="$tmp" >> "$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; exit 1; }

# ---- namespaces and links ----
netns_pair "$cli" "$srv" "$veth" 10.81.3.1 10.81.3.2

$srv_pin "$tmp/build/examples/www/www" --tap="$uk_tap" --ipv4=10.81.1.2/24 \
  --mac=02:00:00:81:01:02 --port=80 > "$tmp/uk.log" 2>&1 &
uk_pid=$!
netns_attach_tap "$uk_tap" "$cli" 10.81.1.1
$srv_pin "$tmp/lwip_www" --tap="$lw_tap" --ipv4=10.81.2.2/24 \
  --mac=02:00:00:81:02:02 --port=80 --site="$tmp/site" > "$tmp/lwip.log" 2>&1 &
lw_pid=$!
netns_attach_tap "$lw_tap" "$cli" 10.81.2.1

nginx_conf "$tmp/nginx" "10.81.3.2:80" "$tmp/site"
ip netns exec "$srv" $srv_pin nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" \
  > "$tmp/nginx/stdout" 2>&1 &
ngx_pid=$!

declare -A addr=([uk]=10.81.1.2 [lwIP]=10.81.2.2 [nginx]=10.81.3.2)
for s in uk lwIP nginx; do
  ok=0
  for _ in $(seq 100); do
    if ip netns exec "$cli" curl -s -m 1 -o /dev/null "http://${addr[$s]}/1k.html"; then ok=1; break; fi
    sleep 0.1
  done
  [ $ok = 1 ] || { cat "$tmp"/*.log "$tmp/nginx/error.log" >&2 2>/dev/null; die "$s did not answer"; }
done
ngx_worker=$(pgrep -P "$ngx_pid" | head -1)
[ -n "$ngx_worker" ] || ngx_worker=$ngx_pid
declare -A pid=([uk]=$uk_pid [lwIP]=$lw_pid [nginx]=$ngx_worker)
# A byte-exact fetch from each, so that the numbers are of correct transfers.
for s in uk lwIP nginx; do
  ip netns exec "$cli" curl -s -m 120 -o "$tmp/check.bin" "http://${addr[$s]}/big.bin"
  cmp -s "$tmp/check.bin" "$tmp/site/big.bin" || die "$s: big.bin differs"
  rm -f "$tmp/check.bin"
done

hz=$(getconf CLK_TCK)
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
secs_of() { awk -v t="$1" -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}'; }

wrk_rps() { # server conns -> "req/s cpu-s"
  local s=$1 c=$2 before after out rps
  before=$(cputicks "${pid[$s]}")
  out=$(ip netns exec "$cli" sh -c "ulimit -n 8192; $cli_pin wrk -t1 -c$c -d${secs}s http://${addr[$s]}/1k.html")
  after=$(cputicks "${pid[$s]}")
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  if echo "$out" | grep -q "Non-2xx\|Socket errors"; then
    echo "bench/tcp.sh: $s: $(echo "$out" | grep "Non-2xx\|Socket errors" | tr '\n' ' ')" >&2
  fi
  echo "${rps:-0} $(secs_of $((after - before)))"
}

curl_bulk() { # server -> "MB/s cpu-s": BULK_FETCHES fetches, one connection each
  local s=$1 before after i t total=0 bytes=0 out
  before=$(cputicks "${pid[$s]}")
  for i in $(seq "$bulk_fetches"); do
    out=$(ip netns exec "$cli" $cli_pin curl -s -m 120 -o /dev/null \
      -w '%{size_download} %{time_total}' "http://${addr[$s]}/big.bin") || out="0 0"
    set -- $out
    [ "$1" = $((big_mb << 20)) ] || echo "bench/tcp.sh: $s: short transfer ($1 bytes)" >&2
    bytes=$((bytes + $1))
    total=$(awk -v a="$total" -v b="$2" 'BEGIN {print a + b}')
  done
  after=$(cputicks "${pid[$s]}")
  echo "$(awk -v b="$bytes" -v t="$total" 'BEGIN {printf "%.1f", (t > 0 ? b / t / 1e6 : 0)}') $(secs_of $((after - before)))"
}

declare -A res
loads=("c10" "c100" "bulk")
servers=(uk lwIP nginx)
for r in $(seq "$rounds"); do
  for load in "${loads[@]}"; do
    # rotate the servers' order every round
    for k in 0 1 2; do
      s=${servers[$(( (k + r) % 3 ))]}
      case $load in
        c10) v=$(wrk_rps "$s" 10) ;;
        c100) v=$(wrk_rps "$s" 100) ;;
        bulk) v=$(curl_bulk "$s") ;;
      esac
      res[$load,$s]="${res[$load,$s]:-} ${v% *}"
      res[$load,$s,cpu]="${res[$load,$s,cpu]:-} ${v#* }"
      echo "round $r $load $s: $v" >&2
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {
  if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2];
  else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# ratios A B: per-round ratios of two lists of the same length
ratios() { awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
  for (i = 1; i <= n; i++) printf "%.3f ", (y[i] > 0 ? x[i] / y[i] : 0) }'; }
# per_cpu VALUES CPUS: per-round values per CPU second
per_cpu() { awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
  for (i = 1; i <= n; i++) printf "%.3f ", (y[i] > 0 ? x[i] * s / y[i] : 0) }'; }
r2() { awk -v v="$1" 'BEGIN {printf "%.2f", v}'; }

echo
echo "uk TCP vs lwIP vs Linux: $(date -u '+%Y-%m-%d %H:%M UTC'), $ncpu CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Linux $(uname -r); lwIP $(dpkg-query -W -f '${Version}' liblwip-dev 2>/dev/null || echo '?'); $(nginx -v 2>&1 | sed 's/.*: //'); $rounds rounds, $where"
echo "wrk -t1 -d${secs}s on /1k.html; bulk: curl of /big.bin ($big_mb MiB), $bulk_fetches fetches per round"
printf '\n| %-24s | %8s | %8s | %8s | %7s | %8s | %11s | %5s | %6s | %5s |\n' \
  load uk lwIP nginx uk/lwIP uk/nginx "uk/lwIP/CPU" "uk s" "lwIP s" "ngx s"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' -------------------------- ---------- \
  ---------- ---------- --------- ---------- ------------- ------- -------- -------
for load in "${loads[@]}"; do
  case $load in
    c10) name="1 KiB, 10 conns, req/s"; len=$secs ;;
    c100) name="1 KiB, 100 conns, req/s"; len=$secs ;;
    bulk) name="$big_mb MiB, 1 conn, MB/s"; len=0 ;;
  esac
  u=${res[$load,uk]} l=${res[$load,lwIP]} n=${res[$load,nginx]}
  uc=${res[$load,uk,cpu]} lc=${res[$load,lwIP,cpu]}
  if [ "$load" = bulk ]; then # the same bytes each: CPU per byte
    pc=$(ratios "$lc" "$uc")
  else
    pc=$(ratios "$(per_cpu "$u" "$uc" "$len")" "$(per_cpu "$l" "$lc" "$len")")
  fi
  printf '| %-24s | %8s | %8s | %8s | %7s | %8s | %11s | %5s | %6s | %5s |\n' \
    "$name" "$(r2 "$(echo "$u" | median)")" "$(r2 "$(echo "$l" | median)")" \
    "$(r2 "$(echo "$n" | median)")" \
    "$(r2 "$(ratios "$u" "$l" | median)")" "$(r2 "$(ratios "$u" "$n" | median)")" \
    "$(r2 "$(echo "$pc" | median)")" \
    "$(r2 "$(echo "$uc" | median)")" "$(r2 "$(echo "$lc" | median)")" \
    "$(r2 "$(echo "${res[$load,nginx,cpu]}" | median)")"
done
echo
echo "Values are medians over the rounds; ratios are medians of the per-round"
echo "ratios (the servers of a round are measured minutes apart at most)."
echo "uk/lwIP/CPU: the same ratio per CPU second of the server (work per"
echo "CPU second, robust to a busy machine).  uk s, lwIP s, ngx s: the"
echo "server's CPU seconds in one measurement; the kernel's work for a frame"
echo "written to a TAP device is charged to the writer, so uk and lwIP include"
echo "much of the client side's receive path, nginx does not.  Per-round"
echo "values are on stderr."
