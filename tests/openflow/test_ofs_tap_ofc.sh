#!/bin/bash
# test_ofs_tap_ofc.sh - both appliances on the tap target, each over its
# own direct stack: of-switch controlled by our of-controller across the
# control bridge (a Linux bridge in a namespace joining their TAPs).  The
# two hosts behind the switch's ports ping each other and exchange TCP
# through the flows of-controller learned (in_port, dl_src, dl_dst, idle
# timeout), which `ovs-ofctl dump-flows` lists from the switch.  A port
# taken down with `ovs-ofctl mod-port` is announced (port-status) and
# of-controller drops its flows; up again, the hosts talk again.  Echo
# keep-alives flow both ways while idle.  The control channel decodes in
# tshark with nothing malformed.  Then the controller is killed: the
# switch notices (unanswered echoes), turns standalone, and the hosts
# still ping.  See ofs_tap_lib.sh.
. "$(dirname "$0")/ofs_tap_lib.sh"
command -v ovs-ofctl >/dev/null || skip "needs ovs-ofctl (apt-get install openvswitch-common)"
[ -x "$OFC" ] || skip "$OFC not built"
require_basics

capture_start "$CPORT" "$MPORT"
start_ofc --port="$CPORT" --idle-timeout=60 --echo-interval=2 --verbose
wait_for 10 grep -q "listening on port $CPORT" "$TMP/of-controller.log" ||
    fail "of-controller did not start"
start_switch --controller="$OFCADDR:$CPORT" --listen="$MPORT" --echo-interval=1
wait_for 20 grep -q "controller connected" "$TMP/of-switch.log" ||
    fail "of-switch did not connect to of-controller"
wait_for 10 grep -q "connected from $SWADDR" "$TMP/of-controller.log" ||
    fail "of-controller did not log the switch"
hosts_talk "of-controller"

export OVS_RUNDIR="$TMP" OVS_LOGDIR="$TMP"
OFCTL="timeout 10 ip netns exec $NSC ovs-ofctl -O OpenFlow10"
$OFCTL dump-flows "tcp:$SWADDR:$MPORT" >"$TMP/flows.out" 2>&1 ||
    { cat "$TMP/flows.out"; fail "ovs-ofctl dump-flows"; }
cat "$TMP/flows.out"
grep -q "idle_timeout=60,.*in_port=1,dl_src=$MAC1,dl_dst=$MAC2 actions=output:2" "$TMP/flows.out" ||
    fail "dump-flows: no learned flow $MAC1 (port 1) -> $MAC2 (port 2)"
grep -q "idle_timeout=60,.*in_port=2,dl_src=$MAC2,dl_dst=$MAC1 actions=output:1" "$TMP/flows.out" ||
    fail "dump-flows: no learned flow $MAC2 (port 2) -> $MAC1 (port 1)"

# Port 2 taken down through the switch's management port: the switch
# announces it (port-status), of-controller deletes the flows out of it
# and forgets the MACs learned there; the hosts are cut off.  Up again,
# they talk again through newly learned flows.
$OFCTL mod-port "tcp:$SWADDR:$MPORT" 2 down >"$TMP/mod.out" 2>&1 ||
    { cat "$TMP/mod.out"; fail "ovs-ofctl mod-port 2 down"; }
no_flow_to_2() {
    $OFCTL dump-flows "tcp:$SWADDR:$MPORT" >"$TMP/flows2.out" 2>&1 &&
        ! grep -q "actions=output:2" "$TMP/flows2.out"
}
wait_for 5 no_flow_to_2 || { cat "$TMP/flows2.out"; fail "flows to port 2 left after it went down"; }
$OFCTL show "tcp:$SWADDR:$MPORT" 2>&1 | grep -A1 " 2($TAP2)" | grep -q "config:.*PORT_DOWN" ||
    fail "show: port 2 not PORT_DOWN"
ip netns exec "$NS1" ping -c 2 -i 0.2 -W 1 "$IP2" >"$TMP/ping-down.out" 2>&1 &&
    fail "ping through a port that is down"
$OFCTL mod-port "tcp:$SWADDR:$MPORT" 2 up >"$TMP/mod.out" 2>&1 ||
    { cat "$TMP/mod.out"; fail "ovs-ofctl mod-port 2 up"; }
ip netns exec "$NS1" ping -c 3 -i 0.2 -W 2 "$IP2" >"$TMP/ping-up.out" 2>&1 ||
    { cat "$TMP/ping-up.out"; fail "ping after port 2 came back up"; }
relearned() { [ "$(grep -c "port 1 -> 2" "$TMP/of-controller.log")" -ge 2 ]; }
wait_for 5 relearned || fail "of-controller did not learn the 1 -> 2 flow again"

# Keep-alive: 3 s without traffic, so both sides send echo requests
# (of-controller after 2 s of silence, the switch after 1 s) and answer.
sleep 3
grep -q "controller gone" "$TMP/of-switch.log" && fail "the switch dropped a live controller"

# The controller goes away (killed: its stack sends no FIN): the switch
# sees its echo requests unanswered and falls back to learning.
stop_proc "$OFC_PID" of-controller
OFC_PID=""
wait_for 10 grep -q "controller gone" "$TMP/of-switch.log" ||
    fail "of-switch did not notice the controller leaving"
log "controller gone: ping $IP1 -> $IP2"
ip netns exec "$NS1" ping -c 3 -i 0.2 -W 2 "$IP2" >"$TMP/ping3.out" 2>&1 ||
    { cat "$TMP/ping3.out"; fail "standalone after the controller left: ping"; }

stop_proc "$OFS_PID" of-switch
OFS_PID=""
cat "$TMP/of-controller.log" "$TMP/of-switch.log"
check_sanitizers
# hello, echo request/reply, features request/reply, set-config,
# packet-in, port-status, packet-out, flow-mod, port-mod, stats
# request/reply
capture_check "0 2 3 5 6 9 10 12 13 14 15 16 17" "$CPORT" "$MPORT"
echo "PASS: two hosts ping and talk TCP through of-switch controlled by of-controller (tap)"
