#!/usr/bin/env bash
# bench/www.sh - www against nginx on loopback, measured with wrk in the
# same run.  Not a test: it prints a table and asserts nothing.
#
#   bench/www.sh [BUILD_DIR] [SECONDS]      (defaults: build, 10)
#   PIN=1 bench/www.sh ...                  servers on CPU 0, wrk on the last
#
# Every server gets the same files (a 1 KiB page and a 100 KiB file,
# generated into a temporary directory):
#   www      the www example as it ships, with the files embedded in the
#            image (built here, in a scratch build with -DUK_WWW_SITE=DIR);
#   www-dir  BUILD_DIR's www reading the directory at run time
#            (--kv-site=DIR), for reference;
#   nginx    Debian nginx-light, private config: 1 worker, access_log off,
#            sendfile on, the same directory.
# For every load the table gives requests/s, MB/s (wrk's Transfer/sec),
# the server's CPU seconds (utime + stime from /proc/PID/stat, so a busy
# machine shows as low CPU rather than as a slow server) and the ratio
# www/nginx of requests/s, and requests per CPU second of each server.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/nginx_conf.sh"
build=${1:-$root/build}
secs=${2:-10}
www=$build/examples/www/www
for tool in wrk nginx; do
  command -v $tool >/dev/null || { echo "bench/www.sh: $tool is not installed (apt-get install $tool${tool/nginx/-light})" >&2; exit 2; }
done
[ -x "$www" ] || { echo "bench/www.sh: $www not built (cmake --build $build --target www)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/uk-bench-www.XXXXXX)
www_pid= dir_pid= ngx_pid=
cleanup() {
  [ -n "$www_pid" ] && kill "$www_pid" 2>/dev/null || true
  [ -n "$dir_pid" ] && kill "$dir_pid" 2>/dev/null || true
  [ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/site" "$tmp/nginx"
chmod 755 "$tmp" "$tmp/site" # nginx's worker runs as an unprivileged user
head -c 1024 /dev/zero | tr '\0' 'x' > "$tmp/site/1k.html"
head -c 102400 /dev/zero | tr '\0' 'y' > "$tmp/site/100k.bin"

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
www_port=$(free_port)
dir_port=$(free_port)
ngx_port=$(free_port)

ncpu=$(nproc)
srv_pin= cli_pin= where="unpinned"
if [ "${PIN:-0}" = 1 ] && [ "$ncpu" -gt 1 ]; then
  srv_pin="taskset -c 0" cli_pin="taskset -c $((ncpu - 1))"
  where="servers on CPU 0, wrk on CPU $((ncpu - 1))"
fi

echo "building www with the bench files embedded..." >&2
cmake -S "$root" -B "$tmp/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DUK_BUILD_TESTS=OFF -DUK_WWW_SITE="$tmp/site" > "$tmp/build.log" 2>&1 &&
  cmake --build "$tmp/build" --target www -j"$ncpu" >> "$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; exit 1; }

nginx_conf "$tmp/nginx" "127.0.0.1:$ngx_port" "$tmp/site"

$srv_pin "$tmp/build/examples/www/www" --port="$www_port" > "$tmp/www.log" 2>&1 &
www_pid=$!
$srv_pin "$www" --port="$dir_port" --kv-site="$tmp/site" > "$tmp/www-dir.log" 2>&1 &
dir_pid=$!
$srv_pin nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" > "$tmp/nginx/stdout" 2>&1 &
ngx_pid=$!

wait_up() { # port
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/1k.html" && return 0
    sleep 0.1
  done
  echo "bench/www.sh: server on port $1 did not start" >&2
  cat "$tmp/www.log" "$tmp/nginx/error.log" >&2 2>/dev/null || true
  exit 1
}
wait_up "$www_port"
wait_up "$dir_port"
wait_up "$ngx_port"
ngx_worker=$(pgrep -P "$ngx_pid" | head -1)
[ -n "$ngx_worker" ] || ngx_worker=$ngx_pid

cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# wrk's Transfer/sec in MB/s (10^6 bytes).
to_mb() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    m = (u == "GB") ? 1073741824 : (u == "MB") ? 1048576 : (u == "KB") ? 1024 : 1
    printf "%.1f", n * m / 1e6 }'
}

run() { # pid port path conns -> "req/s MB/s cpu-s"
  local pid=$1 port=$2 path=$3 conns=$4 before after out rps tr
  before=$(cputicks "$pid")
  out=$($cli_pin wrk -t1 -c"$conns" -d"${secs}s" "http://127.0.0.1:$port$path")
  after=$(cputicks "$pid")
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  tr=$(echo "$out" | awk '/^Transfer\/sec:/ {print $2}')
  if echo "$out" | grep -q "Non-2xx\|Socket errors"; then
    echo "bench/www.sh: errors from port $port $path:" >&2
    echo "$out" | grep "Non-2xx\|Socket errors" >&2
  fi
  echo "$rps $(to_mb "$tr") $(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}')"
}

echo "uk www vs nginx: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t1 -d${secs}s, $where; $(nginx -v 2>&1 | sed 's/.*: //')"
per_cpu() { # req/s cpu-s -> thousands of requests per CPU second
  awk -v r="$1" -v c="$2" -v s="$secs" 'BEGIN {printf "%.1f", (c > 0 ? r * s / c / 1000 : 0)}'
}
printf '\n| %-15s | %10s | %10s | %10s | %8s | %8s | %7s | %7s | %10s | %10s | %9s |\n' \
  load "www req/s" "nginx" "www-dir" "www MB/s" "ngx MB/s" "www CPU" "ngx CPU" \
  "www k/CPUs" "ngx k/CPUs" "www/nginx"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' ----------------- ------------ \
  ------------ ------------ ---------- ---------- --------- --------- \
  ------------ ------------ -----------
for spec in "/1k.html 10" "/1k.html 100" "/100k.bin 10" "/100k.bin 100"; do
  set -- $spec
  w=$(run "$www_pid" "$www_port" "$1" "$2")
  n=$(run "$ngx_worker" "$ngx_port" "$1" "$2")
  d=$(run "$dir_pid" "$dir_port" "$1" "$2")
  set -- $1 $2 $w $n $d
  printf '| %-15s | %10s | %10s | %10s | %8s | %8s | %6ss | %6ss | %10s | %10s | %9s |\n' \
    "$1 -c$2" "$3" "$6" "$9" "$4" "$7" "$5" "$8" "$(per_cpu "$3" "$5")" \
    "$(per_cpu "$6" "$8")" \
    "$(awk -v a="$3" -v b="$6" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
done
echo
echo "k/CPUs: thousands of requests per CPU second of the server (robust to a"
echo "busy machine); www/nginx: ratio of requests per second."
