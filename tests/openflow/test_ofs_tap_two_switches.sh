#!/bin/bash
# test_ofs_tap_two_switches.sh - one of-controller, two of-switches in a
# row (tap target, real binaries):
#   host 1 -- [1] switch A [2] -- link bridge -- [1] switch B [2] -- host 2
# Both switches reach the controller over their own direct stacks on the
# control bridge; the controller learns per switch, so the hosts ping and
# exchange TCP across both, and each switch's `ovs-ofctl dump-flows`
# shows its own learned flows (host 1 -> host 2 out of port 2, back out
# of port 1).  See ofs_tap_lib.sh.
. "$(dirname "$0")/ofs_tap_lib.sh"
command -v ovs-ofctl >/dev/null || skip "needs ovs-ofctl (apt-get install openvswitch-common)"
[ -x "$OFC" ] || skip "$OFC not built"
NSL="ukofl$ID"        # the link between the switches: a bridge
BRL="ukbl$ID"
TAPC2="ukd$ID"        # switch B's device 0
TAPL1="ukla$ID"       # switch A's port 2
TAPL2="uklb$ID"       # switch B's port 1
SWADDR2=10.80.0.4
EXTRA_NS="$NSL"
EXTRA_LINKS="$TAPC2 $TAPL1 $TAPL2"
require_basics
ip netns add "$NSL" || fail "ip netns add $NSL"
ip -n "$NSL" link add "$BRL" type bridge || fail "cannot create a bridge in $NSL"
ip -n "$NSL" link set "$BRL" up

start_ofc --port="$CPORT" --idle-timeout=60 --verbose
wait_for 10 grep -q "listening on port $CPORT" "$TMP/of-controller.log" ||
    fail "of-controller did not start"

# start_sw NAME TAPS ADDR: an of-switch with the controller and --listen.
start_sw() {
    "$OFS" --tap="$2" --ipv4="$3/24" --controller="$OFCADDR:$CPORT" --listen="$MPORT" \
        >"$TMP/$1.log" 2>&1 &
    PIDS="$PIDS $!"
    eval "PID_${1/-/_}=$!"
    wait_for 5 grep -q "of-switch: 2 ports" "$TMP/$1.log" || fail "$1 did not start"
}
start_sw switch-a "$TAPC,$TAP1,$TAPL1" "$SWADDR"
start_sw switch-b "$TAPC2,$TAPL2,$TAP2" "$SWADDR2"
move_tap "$TAPC" "$NSC" || fail "cannot set up $TAPC"
move_tap "$TAPC2" "$NSC" || fail "cannot set up $TAPC2"
BR="$BRL" move_tap "$TAPL1" "$NSL" || fail "cannot set up $TAPL1"
BR="$BRL" move_tap "$TAPL2" "$NSL" || fail "cannot set up $TAPL2"
move_tap "$TAP1" "$NS1" "$IP1" "$MAC1" || fail "cannot set up $TAP1 in $NS1"
move_tap "$TAP2" "$NS2" "$IP2" "$MAC2" || fail "cannot set up $TAP2 in $NS2"
two_switches() { [ "$(grep -c "connected from" "$TMP/of-controller.log")" = 2 ]; }
wait_for 20 two_switches || fail "the two switches did not both connect to of-controller"
grep "connected from" "$TMP/of-controller.log"

hosts_talk "two switches"

export OVS_RUNDIR="$TMP" OVS_LOGDIR="$TMP"
OFCTL="timeout 10 ip netns exec $NSC ovs-ofctl -O OpenFlow10"
for sw in "$SWADDR" "$SWADDR2"; do
    $OFCTL dump-flows "tcp:$sw:$MPORT" >"$TMP/flows-$sw.out" 2>&1 ||
        { cat "$TMP/flows-$sw.out"; fail "ovs-ofctl dump-flows $sw"; }
    cat "$TMP/flows-$sw.out"
    grep -q "in_port=1,dl_src=$MAC1,dl_dst=$MAC2 actions=output:2" "$TMP/flows-$sw.out" ||
        fail "switch $sw: no learned flow $MAC1 -> $MAC2 (port 1 -> 2)"
    grep -q "in_port=2,dl_src=$MAC2,dl_dst=$MAC1 actions=output:1" "$TMP/flows-$sw.out" ||
        fail "switch $sw: no learned flow $MAC2 -> $MAC1 (port 2 -> 1)"
done

stop_proc "$PID_switch_a" "switch A"
stop_proc "$PID_switch_b" "switch B"
stop_proc "$OFC_PID" of-controller
OFC_PID=""
cat "$TMP/of-controller.log"
check_sanitizers
echo "PASS: two hosts ping and talk TCP across two of-switches under one of-controller (tap)"
