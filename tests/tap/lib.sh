# lib.sh - shared set-up of the tap interop tests (sourced by each test).
#
# Layout: our process runs in the root namespace and creates the TAP
# interface with --tap=$TAP; the test then moves the interface into a
# network namespace of its own ($NS, named with the pid), where the Linux
# kernel is our peer at $KADDR.  Our stack is $UKADDR.  The file
# descriptor keeps working after the move, so traffic never leaves the
# namespace.  Everything started is stopped and the namespace deleted on
# exit, whatever happens; every wait is bounded.
#
# Exit status: 0 pass, 1 fail, 77 skip (ctest SKIP_RETURN_CODE).

set -u

NS="uktest$$"
TAP="ukt$$"
KADDR=10.77.0.1
UKADDR=10.77.0.2
UKMAC=02:00:00:77:00:02
PREFIX=24
TMP=$(mktemp -d /tmp/uk-tap-test.XXXXXX)
PIDS=""
BIN_DIR="${UK_BINARY_DIR:-$(pwd)}"
SRC_DIR="${UK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
PROBE="$BIN_DIR/tests/tap/tap_probe"

log() { echo "[$(date +%T)] $*"; }

cleanup() {
    local p
    for p in $PIDS; do
        kill "$p" 2>/dev/null
    done
    for p in $PIDS; do
        # bounded: SIGKILL after 2 s
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    # Anything left in our namespace was started by this test.
    for p in $(ip netns pids "$NS" 2>/dev/null); do
        kill -9 "$p" 2>/dev/null
    done
    ip netns del "$NS" 2>/dev/null
    ip link del "$TAP" 2>/dev/null
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        log "kept $TMP"
    else
        rm -rf "$TMP"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*"
    local f
    for f in "$TMP"/*.log; do
        [ -f "$f" ] || continue
        echo "---- $(basename "$f") (last 30 lines)"
        tail -n 30 "$f"
    done
    exit 1
}

# stop_uk: stops our process with SIGTERM (the unix platform then ends the
# event loop and exits normally, so a sanitizer build checks for leaks) and
# waits for it, at most 5 s.
stop_uk() {
    [ -n "${UK_PID:-}" ] || return 0
    kill "$UK_PID" 2>/dev/null
    for _ in $(seq 50); do
        kill -0 "$UK_PID" 2>/dev/null || break
        sleep 0.1
    done
    wait "$UK_PID" 2>/dev/null
}

pass() {
    stop_uk
    # A sanitizer report from any process we ran fails the test.
    if grep -lE "AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:" \
        "$TMP"/*.log >/dev/null 2>&1; then
        fail "sanitizer report in $(grep -lE "Sanitizer|runtime error:" "$TMP"/*.log | tr '\n' ' ')"
    fi
    echo "PASS: $*"
    exit 0
}

# Checks what every test needs: root, /dev/net/tun, ip netns.
require_basics() {
    [ "$(id -u)" = 0 ] || skip "needs root (creates a TAP device and a network namespace)"
    [ -c /dev/net/tun ] || skip "needs /dev/net/tun (modprobe tun)"
    command -v ip >/dev/null || skip "needs ip (iproute2)"
    ip netns add "$NS" 2>"$TMP/netns.err" ||
        skip "cannot create a network namespace: $(cat "$TMP/netns.err")"
    [ -x "$PROBE" ] || fail "$PROBE not built"
}

require_tool() {
    command -v "$1" >/dev/null || skip "needs $1 (Debian package $2)"
}

. "$SRC_DIR/tests/support/wait_for.sh"

# wait_log FILE PATTERN SECONDS: waits for an extended regex in FILE.
wait_log() {
    wait_for "$3" grep -Eq "$2" "$1"
}

nsx() {
    ip netns exec "$NS" "$@"
}

# uk_gone NAME WHY: our process NAME stopped or misbehaved: fail with WHY
# and the end of its log.
uk_gone() {
    local name=$1 why=$2
    fail "$why: $(tail -n 3 "$TMP/$name.log" 2>/dev/null | tr '\n' ' ')"
}

# start_uk NAME BINARY ARGS...: runs BINARY --tap=$TAP ARGS in the root
# namespace (log in $TMP/NAME.log), waits for the interface, moves it into
# $NS and configures the kernel's side.
start_uk() {
    local name=$1 bin=$2
    shift 2
    "$bin" --tap="$TAP" "$@" >"$TMP/$name.log" 2>&1 &
    UK_PID=$!
    PIDS="$PIDS $UK_PID"
    wait_for 5 ip link show dev "$TAP" || uk_gone "$name" "$name did not create $TAP"
    ip link set dev "$TAP" netns "$NS" 2>"$TMP/move.err" ||
        uk_gone "$name" "cannot move $TAP into $NS: $(cat "$TMP/move.err")"
    nsx ip link set lo up
    nsx ip addr add "$KADDR/$PREFIX" dev "$TAP" 2>/dev/null
    nsx ip link set dev "$TAP" up 2>/dev/null ||
        uk_gone "$name" "cannot bring $TAP up in $NS"
    kill -0 "$UK_PID" 2>/dev/null || uk_gone "$name" "$name exited early"
}

# bg NAME CMD...: runs CMD in the background, logging to $TMP/NAME.log.
bg() {
    local name=$1
    shift
    "$@" >"$TMP/$name.log" 2>&1 &
    LAST_PID=$!
    PIDS="$PIDS $LAST_PID"
}
