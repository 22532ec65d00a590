#!/bin/bash
# test_ofs_tap_standalone.sh - the real of-switch binary (tap target) as a
# fail-standalone learning switch: its ports are two TAPs, each the
# interface of a host in its own network namespace.  First with no
# controller at all, then with one configured that does not answer (a
# port nothing listens on): the hosts ping each other and exchange TCP
# both times, and the switch says it is standalone.  Full-size 802.1Q
# frames (VLAN interfaces on the hosts) cross it too.  See ofs_tap_lib.sh.
. "$(dirname "$0")/ofs_tap_lib.sh"
require_basics

# Bad port lists are refused with the reason, before anything runs.
bad_ports() { # expected message, args...
    local want=$1 st
    shift
    timeout 10 "$OFS" "$@" >"$TMP/bad.out" 2>&1
    st=$?
    [ "$st" = 1 ] || { cat "$TMP/bad.out"; fail "of-switch $* exited with $st (1 expected)"; }
    grep -q -- "$want" "$TMP/bad.out" || { cat "$TMP/bad.out"; fail "of-switch $*: no '$want'"; }
}
bad_ports "no network device 1 for port 1 (tap target): no such device" --tap="$TAPC"
bad_ports "no network device 2 for port 2" --tap="$TAPC,$TAP1" --ports=2
bad_ports "is longer than 15 bytes" --tap="$TAPC,ukaveryveryverylongname"
ip link show dev "$TAP1" >/dev/null 2>&1 && fail "$TAP1 left behind by a refused start"

start_switch
grep -q "controller none" "$TMP/of-switch.log" || fail "of-switch: expected no controller"
hosts_talk "no controller"
# 802.1Q: full-size tagged frames (1518 bytes: 1500 of payload, 14 of
# header, 4 of tag) cross the switch whole.
vlan_frames "1518-byte 802.1Q frames from host 1 to host 2" \
    "$NS1" "$TAP1" "$NS2" "$TAP2" "$MAC1" "$MAC2" 10 10
stop_proc "$OFS_PID" of-switch
OFS_PID=""
# The same ports again (the interfaces went with the process).
ip netns del "$NS1"; ip netns del "$NS2"
ip netns add "$NS1" && ip netns add "$NS2" || fail "cannot recreate the host namespaces"

# A controller that is never there: of-switch keeps trying (connection
# refused by the kernel in $NSC) and forwards as a learning switch.
mv "$TMP/of-switch.log" "$TMP/of-switch-1.log"
start_switch --controller="$CADDR:$CPORT"
grep -q "controller configured" "$TMP/of-switch.log" || fail "of-switch: expected a controller"
hosts_talk "controller unreachable"
grep -q "controller connected" "$TMP/of-switch.log" && fail "of-switch connected to nothing?"
stop_proc "$OFS_PID" of-switch
OFS_PID=""
cat "$TMP/of-switch-1.log" "$TMP/of-switch.log"
check_sanitizers
echo "PASS: two hosts ping and talk TCP through of-switch (tap) as a standalone learning switch"
