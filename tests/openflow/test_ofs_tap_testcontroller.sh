#!/bin/bash
# test_ofs_tap_testcontroller.sh - the real of-switch binary (tap target)
# controlled by Open vSwitch's ovs-testcontroller: the switch reaches the
# controller over its own direct stack (device 0, a TAP on the control
# bridge), its ports are two TAPs, each a host's interface in its own
# namespace.  The hosts ping each other and exchange TCP through flows
# the controller installed; `ovs-ofctl dump-flows` against the switch's
# management port shows them, `ovs-ofctl show` its ports, dump-ports and
# dump-aggregate the traffic; flows added with `ovs-ofctl add-flow`
# expire by idle and hard timeouts, and push and pop VLAN tags on
# full-size frames.  Malformed messages at the management port each get
# the OFPT_ERROR OpenFlow 1.0 prescribes (ofs_malformed.py).  The control
# channel, captured on the bridge, decodes in tshark with nothing
# malformed but those.  See ofs_tap_lib.sh.
. "$(dirname "$0")/ofs_tap_lib.sh"
command -v ovs-testcontroller >/dev/null ||
    skip "needs ovs-testcontroller (apt-get install openvswitch-testcontroller)"
command -v ovs-ofctl >/dev/null || skip "needs ovs-ofctl (apt-get install openvswitch-common)"
require_basics

capture_start "$CPORT" "$MPORT"
OVS_RUNDIR="$TMP" OVS_LOGDIR="$TMP" ip netns exec "$NSC" ovs-testcontroller --detach --no-chdir \
    --pidfile="$TMP/tc.pid" --log-file="$TMP/testcontroller.log" -O OpenFlow10 \
    "ptcp:$CPORT:$CADDR" >"$TMP/tc-start.out" 2>&1 || fail "ovs-testcontroller did not start"
start_switch --controller="$CADDR:$CPORT" --listen="$MPORT"
wait_for 20 grep -q "controller connected" "$TMP/of-switch.log" ||
    fail "of-switch did not connect to ovs-testcontroller"
hosts_talk "ovs-testcontroller"

export OVS_RUNDIR="$TMP" OVS_LOGDIR="$TMP"
OFCTL="timeout 10 ip netns exec $NSC ovs-ofctl -O OpenFlow10"
SW="tcp:$SWADDR:$MPORT"
$OFCTL show "$SW" >"$TMP/show.out" 2>&1 || { cat "$TMP/show.out"; fail "ovs-ofctl show"; }
cat "$TMP/show.out"
grep -q " 1($TAP1): addr:" "$TMP/show.out" || fail "show: port 1 is not $TAP1"
grep -q " 2($TAP2): addr:" "$TMP/show.out" || fail "show: port 2 is not $TAP2"
$OFCTL dump-flows "$SW" >"$TMP/flows.out" 2>&1 || { cat "$TMP/flows.out"; fail "ovs-ofctl dump-flows"; }
cat "$TMP/flows.out"
grep -q "in_port=1,.*dl_src=$MAC1,dl_dst=$MAC2.* actions=output:2" "$TMP/flows.out" ||
    fail "dump-flows: no $MAC1 -> $MAC2 flow from the controller"
grep -q "in_port=2,.*dl_src=$MAC2,dl_dst=$MAC1.* actions=output:1" "$TMP/flows.out" ||
    fail "dump-flows: no $MAC2 -> $MAC1 flow from the controller"
grep -Eq "n_packets=[1-9]" "$TMP/flows.out" || fail "dump-flows: no flow counted a packet"

# Port and aggregate counters saw the traffic.
$OFCTL dump-ports "$SW" >"$TMP/ports.out" 2>&1 || { cat "$TMP/ports.out"; fail "ovs-ofctl dump-ports"; }
cat "$TMP/ports.out"
for p in 1 2; do
    grep -Eq "port +$p: rx pkts=[1-9][0-9]+" "$TMP/ports.out" || fail "dump-ports: port $p received nothing"
done
$OFCTL dump-aggregate "$SW" >"$TMP/aggr.out" 2>&1 || { cat "$TMP/aggr.out"; fail "ovs-ofctl dump-aggregate"; }
cat "$TMP/aggr.out"
grep -Eq "packet_count=[1-9][0-9]+ .*flow_count=[1-9]" "$TMP/aggr.out" || fail "dump-aggregate: no counts"

# Idle and hard timeouts expire flows added with ovs-ofctl (each with an
# action: Wireshark 4.0 calls a flow-mod without actions malformed).
$OFCTL add-flow "$SW" "priority=9,idle_timeout=2,dl_type=0x88b6,actions=output:2" || fail "add-flow idle"
$OFCTL add-flow "$SW" "priority=9,hard_timeout=3,dl_type=0x88b7,actions=output:2" || fail "add-flow hard"
$OFCTL dump-flows "$SW" "dl_type=0x88b6" 2>&1 | grep -q "idle_timeout=2" || fail "the idle-timeout flow is not there"
$OFCTL dump-flows "$SW" "dl_type=0x88b7" 2>&1 | grep -q "hard_timeout=3" || fail "the hard-timeout flow is not there"
expired() { ! $OFCTL dump-flows "$SW" 2>&1 | grep -Eq "dl_type=0x88b[67]"; }
wait_for 10 expired || { $OFCTL dump-flows "$SW"; fail "flows with timeouts did not expire"; }

# VLAN actions on full-size frames, by flows added with ovs-ofctl: a tag
# pushed (1514 -> 1518 bytes) one way, popped the other way.
$OFCTL add-flow "$SW" "priority=100,in_port=1,dl_type=0x88b5,actions=mod_vlan_vid:20,output:2" ||
    fail "add-flow mod_vlan_vid"
$OFCTL add-flow "$SW" "priority=100,in_port=2,dl_vlan=30,dl_type=0x88b5,actions=strip_vlan,output:1" ||
    fail "add-flow strip_vlan"
vlan_frames "full-size frames tagged VLAN 20 by the switch" \
    "$NS1" "$TAP1" "$NS2" "$TAP2" "$MAC1" "$MAC2" 0 20
vlan_frames "full-size VLAN 30 frames untagged by the switch" \
    "$NS2" "$TAP2" "$NS1" "$TAP1" "$MAC2" "$MAC1" 30 0

# Malformed OpenFlow at the management port: the right OFPT_ERROR each,
# a closed connection for a framing error, and the switch forwards on.
log "malformed OpenFlow at the switch"
CAP_EXCLUDE=40999
ip netns exec "$NSC" timeout 40 "$PY" "$SRC_DIR/tests/openflow/ofs_malformed.py" "$SWADDR" "$MPORT" \
    "$CAP_EXCLUDE" >"$TMP/malformed.out" 2>&1 || { cat "$TMP/malformed.out"; fail "malformed OpenFlow"; }
cat "$TMP/malformed.out"
ip netns exec "$NS1" ping -c 2 -i 0.2 -W 2 "$IP2" >"$TMP/ping3.out" 2>&1 ||
    { cat "$TMP/ping3.out"; fail "ping after the malformed messages"; }

stop_proc "$OFS_PID" of-switch
OFS_PID=""
cat "$TMP/of-switch.log"
check_sanitizers
# hello, features request/reply, packet-in, flow-mod, stats request/reply
capture_check "0 5 6 10 14 16 17" "$CPORT" "$MPORT"
echo "PASS: two hosts ping and talk TCP through of-switch (tap) under ovs-testcontroller"
