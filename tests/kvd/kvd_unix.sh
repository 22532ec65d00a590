#!/bin/bash
# kvd_unix.sh KVD SRC: the kvd example on the unix target keeps its data
# across a SIGKILL: a client writes (each OK is a durable commit), the
# process is killed at once, a new one on the same --block-data file reads
# the data back, its history (LOG, GETAT) included.  Bad input gets ERR
# lines and the server goes on; a line over 4096 bytes gets ERR and a
# close.  The last stop is SIGTERM so a sanitizer build checks for leaks.
set -u
bin=$1 src=$2
. "$src/tests/kvd/session.sh"
. "$src/tests/support/wait_for.sh"
work=$(mktemp -d /tmp/uk-kvd.XXXXXX)
pid=
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -n 5 "$work"/kvd*.log 2>/dev/null; exit 1; }
port=$((20000 + $$ % 20000))
truncate -s 16M "$work/data.img"

start() { # start N: runs kvd, log kvdN.log, and waits for its listening line
  "$bin" --block-data="$work/data.img" --port=$port > "$work/kvd$1.log" 2>&1 &
  pid=$!
  wait_for 10 grep -q "listening on TCP port $port" "$work/kvd$1.log" ||
    fail "kvd did not start: $(cat "$work/kvd$1.log")"
}
session() { # session INPUT WANT WHAT
  local got
  got=$(printf '%s\n' "$1" | "$src/tests/kvd/client.sh" 127.0.0.1 $port | kvd_strip_time)
  [ "$got" = "$2" ] || fail "$3: got
$got
wanted
$2"
}

start 1
grep -q "at commit 0;" "$work/kvd1.log" || fail "a blank file did not start at commit 0"
session "$KVD_WRITE" "$KVD_WRITE_WANT" "the writes"
# A line past the limit: one ERR line, then the server closes.
got=$({ head -c 5000 /dev/zero | tr '\0' x; printf '\nGET greeting\n'; } |
      "$src/tests/kvd/client.sh" 127.0.0.1 $port)
[ "$got" = "ERR line longer than 4096 bytes" ] || fail "a long line: $got"
kill -9 $pid; wait $pid 2>/dev/null; pid=

start 2
grep -q "at commit 4;" "$work/kvd2.log" || fail "the restart is not at commit 4: $(cat "$work/kvd2.log")"
session "$KVD_READ" "$KVD_READ_WANT" "the reads after SIGKILL"
kill $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid 2>/dev/null; pid=
if grep -qE "Sanitizer|runtime error:" "$work"/kvd*.log; then
  fail "sanitizer report: $(grep -hE "Sanitizer|runtime error:" "$work"/kvd*.log | head -3)"
fi
echo "PASS: kvd's commits survive SIGKILL; history and errors as expected"
