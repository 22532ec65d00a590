# ofs_tap_lib.sh - shared set-up of the tests of the real of-switch binary
# on the tap target (sourced by test_ofs_tap_*.sh).
#
# Layout (every name carries the test's pid):
#   $NSC  the control network: a Linux bridge $BRC at $CADDR (where
#         ovs-testcontroller listens and ovs-ofctl runs), with of-switch's
#         device 0 ($TAPC, its direct stack at $SWADDR) and, when it runs,
#         of-controller's TAP ($TAPO, its direct stack at $OFCADDR) as
#         bridge ports.
#   $NS1, $NS2  the two hosts: of-switch's ports 1 and 2 are the TAPs
#         $TAP1 and $TAP2, moved into them, at $IP1 and $IP2.
# Our processes create their TAPs in the root namespace; the test moves
# each into its namespace (the descriptor keeps working there).
# Everything started is stopped, the namespaces deleted and the temporary
# directory removed on exit; every wait is bounded.
#
# Exit status: 0 pass, 1 fail, 77 skip (with the reason printed).
set -u

ID=$$
NSC="ukofc$ID"
NS1="ukoh1-$ID"
NS2="ukoh2-$ID"
BRC="ukbc$ID"
TAPC="ukc$ID"
TAP1="uka$ID"
TAP2="ukb$ID"
TAPO="uko$ID"
CADDR=10.80.0.1
SWADDR=10.80.0.2
OFCADDR=10.80.0.3
IP1=10.81.0.1
IP2=10.81.0.2
MAC1=02:00:00:81:00:01
MAC2=02:00:00:81:00:02
CPORT=6653 # the controller's port, in $NSC
MPORT=6634 # of-switch's management port (--listen), on its stack
PY=/usr/bin/python3
BIN_DIR="${UK_BINARY_DIR:-$(pwd)}"
OFS="$BIN_DIR/examples/of-switch/of-switch"
OFC="$BIN_DIR/examples/of-controller/of-controller"
TMP=$(mktemp -d /tmp/uk-ofs-tap.XXXXXX)
PIDS=""
OFS_PID=""
OFC_PID=""
EXTRA_NS=""    # more namespaces and interfaces a test creates, to clean up
EXTRA_LINKS=""
CAP_PID=""

log() { echo "[$(date +%T)] $*"; }

cleanup() {
    local p ns
    [ -n "$CAP_PID" ] && kill -INT "$CAP_PID" 2>/dev/null
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do
        for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    if [ -f "$TMP/tc.pid" ]; then
        p=$(cat "$TMP/tc.pid")
        kill "$p" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    fi
    # Anything left in our namespaces was started by this test.
    for ns in "$NSC" "$NS1" "$NS2" $EXTRA_NS; do
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
    for p in "$TAPC" "$TAP1" "$TAP2" "$TAPO" $EXTRA_LINKS; do ip link del "$p" 2>/dev/null; done
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP: $*"; exit 77; }

fail() {
    local f
    echo "FAIL: $*"
    for f in "$TMP"/*.log; do
        [ -f "$f" ] || continue
        echo "---- $(basename "$f") (last 30 lines)"
        tail -n 30 "$f"
    done
    exit 1
}

. "$(dirname "${BASH_SOURCE[0]}")/../support/wait_for.sh"

require_basics() {
    [ "$(id -u)" = 0 ] || skip "needs root (TAP devices, network namespaces)"
    [ -c /dev/net/tun ] || skip "needs /dev/net/tun (modprobe tun)"
    command -v ip >/dev/null || skip "needs ip (iproute2)"
    command -v ping >/dev/null || skip "needs ping (Debian package iputils-ping)"
    [ -x "$PY" ] || skip "needs $PY"
    [ -x "$OFS" ] || skip "$OFS not built (UK_BUILD_EXAMPLES=OFF?)"
    ip netns add "$NS1" 2>"$TMP/netns.err" ||
        skip "cannot create a network namespace: $(cat "$TMP/netns.err")"
    ip netns add "$NS2" || fail "ip netns add $NS2"
    ip netns add "$NSC" || fail "ip netns add $NSC"
    # The control network: a bridge the appliances' TAPs join.
    ip -n "$NSC" link set lo up
    ip -n "$NSC" link add "$BRC" type bridge || fail "cannot create a bridge in $NSC"
    ip -n "$NSC" addr add "$CADDR/24" dev "$BRC"
    ip -n "$NSC" link set "$BRC" up
}

# move_tap TAP NS [ADDR MAC]: moves our TAP into NS; with ADDR, it is a
# host's interface there (address, MAC, IPv6 off so that only the test's
# traffic crosses the switch); without, a port of the bridge $BR (default
# the control bridge $BRC) in NS.
move_tap() {
    local tap=$1 ns=$2
    wait_for 5 ip link show dev "$tap" || return 1
    ip link set dev "$tap" netns "$ns" || return 1
    if [ $# -ge 3 ]; then
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 >/dev/null 2>&1
        ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$tap.disable_ipv6=1" >/dev/null 2>&1
        ip -n "$ns" link set lo up
        ip -n "$ns" link set dev "$tap" address "$4"
        ip -n "$ns" addr add "$3/24" dev "$tap"
    else
        ip -n "$ns" link set dev "$tap" master "${BR:-$BRC}" || return 1
    fi
    ip -n "$ns" link set dev "$tap" up
}

# start_switch ARGS...: runs of-switch with device 0 = $TAPC and ports
# $TAP1, $TAP2, then moves the TAPs into place.
start_switch() {
    "$OFS" --tap="$TAPC,$TAP1,$TAP2" --ipv4="$SWADDR/24" "$@" >"$TMP/of-switch.log" 2>&1 &
    OFS_PID=$!
    PIDS="$PIDS $OFS_PID"
    move_tap "$TAP1" "$NS1" "$IP1" "$MAC1" || fail "cannot set up $TAP1 in $NS1"
    move_tap "$TAP2" "$NS2" "$IP2" "$MAC2" || fail "cannot set up $TAP2 in $NS2"
    kill -0 "$OFS_PID" 2>/dev/null || fail "of-switch exited early"
    grep -q "of-switch: 2 ports" "$TMP/of-switch.log" || wait_for 5 grep -q "of-switch: 2 ports" "$TMP/of-switch.log" ||
        fail "of-switch did not start its 2 ports"
    # Device 0 is opened when the switch asks for TCP (controller/listen).
    if ip link show dev "$TAPC" >/dev/null 2>&1; then
        move_tap "$TAPC" "$NSC" || fail "cannot set up $TAPC in $NSC"
    fi
}

# start_ofc ARGS...: runs our of-controller (tap target: its own direct
# stack over $TAPO, on the control bridge at $OFCADDR).
start_ofc() {
    "$OFC" --tap="$TAPO" --ipv4="$OFCADDR/24" "$@" >"$TMP/of-controller.log" 2>&1 &
    OFC_PID=$!
    PIDS="$PIDS $OFC_PID"
    move_tap "$TAPO" "$NSC" || fail "cannot set up $TAPO in $NSC"
}

# capture_start PORT...: tshark on the control bridge, TCP to the ports.
capture_start() {
    local f="" p
    command -v tshark >/dev/null || { log "tshark not installed: no capture check"; return 0; }
    for p in "$@"; do f="${f:+$f or }tcp port $p"; done
    ip netns exec "$NSC" tshark -q -i "$BRC" -f "$f" -w "$TMP/of.pcap" >"$TMP/tshark.out" 2>&1 &
    CAP_PID=$!
    wait_for 10 grep -q "Capturing on" "$TMP/tshark.out" || fail "tshark did not start"
}

# capture_check TYPES PORT...: every OpenFlow 1.0 message the capture
# holds decodes, none malformed, and each type of TYPES is there.  The
# TCP port $CAP_EXCLUDE (if set: the source of deliberately malformed
# messages) is left out of the malformed count.
capture_check() {
    local types=$1 d="" p t bad filter
    shift
    [ -n "$CAP_PID" ] || return 0
    sleep 0.5
    kill -INT "$CAP_PID" 2>/dev/null
    wait "$CAP_PID" 2>/dev/null
    CAP_PID=""
    for p in "$@"; do d="$d -d tcp.port==$p,openflow"; done
    tshark -r "$TMP/of.pcap" $d -T fields -e openflow_1_0.type 2>/dev/null | tr ',' '\n' |
        grep -v '^$' >"$TMP/of-types.txt" || fail "tshark could not read the capture"
    log "tshark decoded $(wc -l <"$TMP/of-types.txt") OpenFlow 1.0 messages"
    for t in $types; do
        grep -qx "$t" "$TMP/of-types.txt" || fail "no OpenFlow message of type $t in the capture"
    done
    # Wireshark 4.0's openflow_v1 dissector throws on a flow-mod without
    # actions, which a DELETE legitimately is (see test_ovs.sh).
    filter='(_ws.malformed || _ws.expert.severity == error) && !(openflow.command == 3 || openflow.command == 4)'
    [ -n "${CAP_EXCLUDE:-}" ] && filter="$filter && !(tcp.port == $CAP_EXCLUDE)"
    bad=$(tshark -r "$TMP/of.pcap" $d -Y "$filter" 2>/dev/null | wc -l)
    [ "$bad" = 0 ] || { tshark -r "$TMP/of.pcap" $d -Y "$filter" 2>/dev/null | head
        fail "$bad malformed packets"; }
}

# hosts_talk WHAT: the hosts ping each other and exchange 256 KiB of TCP
# through the switch.
hosts_talk() {
    local what=$1 srv
    log "$what: ping $IP1 -> $IP2"
    ip netns exec "$NS1" ping -c 3 -i 0.2 -W 2 "$IP2" >"$TMP/ping1.out" 2>&1 ||
        { cat "$TMP/ping1.out"; fail "$what: ping $IP1 -> $IP2"; }
    log "$what: ping $IP2 -> $IP1"
    ip netns exec "$NS2" ping -c 3 -i 0.2 -W 2 "$IP1" >"$TMP/ping2.out" 2>&1 ||
        { cat "$TMP/ping2.out"; fail "$what: ping $IP2 -> $IP1"; }
    log "$what: TCP, 256 KiB echoed from $IP1 through $IP2"
    rm -f "$TMP/ready"
    timeout 30 ip netns exec "$NS2" "$PY" "$SRC_DIR/tests/openflow/tcp_echo.py" server "$IP2" 5001 \
        "$TMP/ready" >"$TMP/tcp-server.out" 2>&1 &
    srv=$!
    wait_for 5 test -f "$TMP/ready" || fail "$what: the TCP server did not start"
    timeout 30 ip netns exec "$NS1" "$PY" "$SRC_DIR/tests/openflow/tcp_echo.py" client "$IP2" 5001 \
        >"$TMP/tcp-client.out" 2>&1 || { kill "$srv" 2>/dev/null; cat "$TMP/tcp-client.out"
        fail "$what: TCP exchange through the switch"; }
    wait "$srv" || { cat "$TMP/tcp-server.out"; fail "$what: TCP server"; }
}

# vlan_frames WHAT FROM_NS FROM_TAP TO_NS TO_TAP SRC DST VID_SENT
# VID_EXPECTED: full-size frames (vlan_frames.py) sent by one host arrive
# at the other whole, with the tag expected.
vlan_frames() {
    local what=$1 vpid
    log "$what"
    rm -f "$TMP/ready"
    timeout 15 ip netns exec "$4" "$PY" "$SRC_DIR/tests/openflow/vlan_frames.py" recv "$5" \
        "$TMP/ready" "$9" >"$TMP/vlan-recv.out" 2>&1 &
    vpid=$!
    wait_for 5 test -f "$TMP/ready" || fail "$what: the receiver did not start"
    ip netns exec "$2" "$PY" "$SRC_DIR/tests/openflow/vlan_frames.py" send "$3" "$6" "$7" "$8" \
        >"$TMP/vlan-send.out" 2>&1 || { cat "$TMP/vlan-send.out"; fail "$what: cannot send"; }
    wait "$vpid" || { cat "$TMP/vlan-recv.out"; fail "$what"; }
    cat "$TMP/vlan-recv.out"
}

# stop_proc PID NAME: SIGTERM, which the unix platform turns into a normal
# exit of the event loop (status 143): a sanitizer build then checks leaks.
stop_proc() {
    local p=$1 name=$2 st
    kill -0 "$p" 2>/dev/null || fail "$name died"
    kill -TERM "$p"
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    wait "$p"
    st=$?
    [ "$st" = 143 ] || fail "$name exited with $st after SIGTERM (143 expected)"
}

check_sanitizers() {
    if grep -lE "AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:" \
        "$TMP"/*.log >/dev/null 2>&1; then
        fail "sanitizer report in $(grep -lE "Sanitizer|runtime error:" "$TMP"/*.log | tr '\n' ' ')"
    fi
}

SRC_DIR="${UK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
