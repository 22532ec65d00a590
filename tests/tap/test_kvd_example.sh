#!/bin/bash
# The kvd example on the tap target keeps its data across a SIGKILL: a
# client in the namespace writes over the direct TCP stack, the process is
# killed, a new one on the same --block-data file (and a new TAP device)
# reads the data and its history back (tests/kvd/session.sh).
. "$(dirname "$0")/lib.sh"
. "$SRC_DIR/tests/kvd/session.sh"
KVD="$BIN_DIR/examples/kvd/kvd"
[ -x "$KVD" ] || skip "the kvd example is not built ($KVD)"
require_basics
truncate -s 16M "$TMP/data.img"

start_kvd() { # start_kvd N
    start_uk "kvd$1" "$KVD" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" \
        --block-data="$TMP/data.img" --port=7000
    wait_log "$TMP/kvd$1.log" "listening on TCP port 7000" 10 ||
        uk_gone "kvd$1" "kvd did not start"
}
session() { # session INPUT WANT WHAT
    local got
    got=$(printf '%s\n' "$1" |
          nsx timeout 30 "$SRC_DIR/tests/kvd/client.sh" "$UKADDR" 7000 | kvd_strip_time)
    [ "$got" = "$2" ] || fail "$3: got
$got
wanted
$2"
}

start_kvd 1
grep -q "at commit 0;" "$TMP/kvd1.log" || fail "a blank file did not start at commit 0"
session "$KVD_WRITE" "$KVD_WRITE_WANT" "the writes"
kill -9 "$UK_PID"
wait "$UK_PID" 2>/dev/null
UK_PID=
wait_for 5 sh -c "! ip link show dev $TAP >/dev/null 2>&1 && ! ip -n $NS link show dev $TAP >/dev/null 2>&1" ||
    fail "the TAP device outlived its process"

start_kvd 2
grep -q "at commit 4;" "$TMP/kvd2.log" || fail "the restart is not at commit 4"
session "$KVD_READ" "$KVD_READ_WANT" "the reads after SIGKILL"
pass "kvd over the tap target: commits survive SIGKILL"
