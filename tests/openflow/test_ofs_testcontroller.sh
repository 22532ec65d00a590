#!/bin/bash
# test_ofs_testcontroller.sh - our of-switch (its portable part, in the
# ofs_probe image: two in-process ports with a simulated host each) under
# Open vSwitch's own controller, ovs-testcontroller, over TCP on
# 127.0.0.1: the hosts exchange frames through flows the controller
# installed.  Then, with the probe staying up, ovs-ofctl talks to the
# switch directly (its management port): show, dump-desc, dump-tables,
# dump-ports, dump-flows (the controller's flows), add-flow with an IPv4
# prefix, del-flows.  Exit status: 0 pass, 1 fail, 77 skip.
set -u
BIN_DIR="${UK_BINARY_DIR:-$(pwd)}"
PROBE="$BIN_DIR/tests/openflow/ofs_probe"
PY=/usr/bin/python3
command -v ovs-testcontroller >/dev/null || { echo "SKIP: needs ovs-testcontroller (apt-get install openvswitch-testcontroller)"; exit 77; }
[ -x "$PROBE" ] || { echo "SKIP: $PROBE not built"; exit 77; }
[ -x "$PY" ] || { echo "SKIP: needs $PY"; exit 77; }
T=$(mktemp -d /tmp/uk-ofs-tc.XXXXXX)
cleanup() {
    if [ -f "$T/tc.pid" ]; then
        p=$(cat "$T/tc.pid")
        kill "$p" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    fi
    if [ -n "${CAP_PID:-}" ]; then
        kill "$CAP_PID" 2>/dev/null
        wait "$CAP_PID" 2>/dev/null
    fi
    if [ -n "${PROBE_PID:-}" ]; then
        kill "$PROBE_PID" 2>/dev/null
        wait "$PROBE_PID" 2>/dev/null
    fi
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -n 30 "$T/tc.log" 2>/dev/null; exit 1; }
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OVS_RUNDIR="$T" OVS_LOGDIR="$T" ovs-testcontroller --detach --no-chdir --pidfile="$T/tc.pid" \
    --log-file="$T/tc.log" -O OpenFlow10 "ptcp:$PORT:127.0.0.1" || fail "ovs-testcontroller did not start"
MPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Both OpenFlow conversations on the loopback, for tshark to check below.
CAP_PID=""
if command -v tshark >/dev/null; then
    tshark -q -i lo -f "tcp port $PORT or tcp port $MPORT" -w "$T/of.pcap" >"$T/cap.log" 2>&1 &
    CAP_PID=$!
    for _ in $(seq 50); do grep -q "Capturing on" "$T/cap.log" && break; sleep 0.1; done
fi
"$PROBE" --controller="127.0.0.1:$PORT" --listen="$MPORT" >"$T/probe.log" 2>&1 &
PROBE_PID=$!
for _ in $(seq 200); do
    grep -q "ofs_probe: " "$T/probe.log" && break
    kill -0 "$PROBE_PID" 2>/dev/null || break
    sleep 0.1
done
cat "$T/probe.log"
grep -q "ofs_probe: ok" "$T/probe.log" || fail "the hosts did not talk through the switch"

OFCTL="timeout 10 ovs-ofctl -O OpenFlow10"
SW="tcp:127.0.0.1:$MPORT"
export OVS_RUNDIR="$T" OVS_LOGDIR="$T"
$OFCTL show "$SW" >"$T/show.txt" 2>&1 || { cat "$T/show.txt"; fail "ovs-ofctl show"; }
cat "$T/show.txt"
grep -q "n_tables:1, n_buffers:128" "$T/show.txt" || fail "show: features"
grep -q "1(fake1): addr:02:00:00:00:ee:01" "$T/show.txt" || fail "show: port 1"
grep -q "2(fake2): addr:02:00:00:00:ee:02" "$T/show.txt" || fail "show: port 2"
$OFCTL dump-desc "$SW" 2>&1 | tee "$T/desc.txt" | grep -q "Hardware: uk of-switch" || { cat "$T/desc.txt"; fail "dump-desc"; }
$OFCTL dump-tables "$SW" 2>&1 | tee "$T/tables.txt" | grep -q "active=2" || { cat "$T/tables.txt"; fail "dump-tables"; }
$OFCTL dump-ports "$SW" 2>&1 | tee "$T/ports.txt" | grep -q "port  2: rx pkts=" || { cat "$T/ports.txt"; fail "dump-ports"; }
$OFCTL dump-flows "$SW" >"$T/flows.txt" 2>&1 || fail "dump-flows"
cat "$T/flows.txt"
grep -q "in_port=1,.*dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b.* actions=output:2" "$T/flows.txt" \
    || fail "dump-flows: no A -> B flow from the controller"
grep -q "in_port=2,.*dl_src=02:00:00:00:00:0b,dl_dst=02:00:00:00:00:0a.* actions=output:1" "$T/flows.txt" \
    || fail "dump-flows: no B -> A flow from the controller"
$OFCTL add-flow "$SW" "priority=7,ip,nw_src=10.1.0.0/16,actions=mod_nw_tos:32,output:2" \
    || fail "add-flow"
$OFCTL dump-flows "$SW" "ip,nw_src=10.1.0.0/16" >"$T/flows2.txt" 2>&1
cat "$T/flows2.txt"
grep -q "priority=7,ip,nw_src=10.1.0.0/16 actions=mod_nw_tos:32,output:2" "$T/flows2.txt" \
    || fail "the added flow is not listed as added"
$OFCTL del-flows "$SW" || fail "del-flows"
$OFCTL dump-flows "$SW" >"$T/flows3.txt" 2>&1
grep -q "actions=" "$T/flows3.txt" && { cat "$T/flows3.txt"; fail "flows left after del-flows"; }
kill -0 "$PROBE_PID" 2>/dev/null || fail "ofs_probe died"
kill -TERM "$PROBE_PID"
wait "$PROBE_PID"
st=$?
PROBE_PID=""
[ "$st" = 143 ] || fail "ofs_probe exited with $st after SIGTERM (143 expected)"
grep -qE "Sanitizer|runtime error" "$T/probe.log" && { cat "$T/probe.log"; fail "sanitizer report"; }
# What our switch sent, as Wireshark's dissector reads it: nothing
# malformed (flow-mods without actions aside: see test_ovs.sh).
if [ -n "$CAP_PID" ]; then
    sleep 0.5
    kill -INT "$CAP_PID" 2>/dev/null
    wait "$CAP_PID" 2>/dev/null
    CAP_PID=""
    D="-d tcp.port==$PORT,openflow -d tcp.port==$MPORT,openflow"
    tshark -r "$T/of.pcap" $D -T fields -e openflow_1_0.type 2>/dev/null | tr ',' '\n' \
        | grep -v '^$' >"$T/types.txt"
    echo "tshark decoded $(wc -l <"$T/types.txt") OpenFlow 1.0 messages"
    # features reply, packet-in, flow-mod, stats request and reply
    for t in 6 10 14 16 17; do
        grep -qx "$t" "$T/types.txt" || fail "no OpenFlow message of type $t in the capture"
    done
    filter='(_ws.malformed || _ws.expert.severity == error) && !(openflow.command == 3 || openflow.command == 4)'
    bad=$(tshark -r "$T/of.pcap" $D -Y "$filter" 2>/dev/null | wc -l)
    [ "$bad" = 0 ] || { tshark -r "$T/of.pcap" $D -Y "$filter" 2>/dev/null | head
        fail "$bad malformed packets"; }
fi
echo "PASS: of-switch forwards under ovs-testcontroller and answers ovs-ofctl"
