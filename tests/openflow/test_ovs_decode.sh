#!/bin/bash
# test_ovs_decode.sh - the known-answer vectors of test_codec.c, written
# from the specification by hand, decoded by Open vSwitch's own OpenFlow
# parser (`ovs-ofctl ofp-parse`): an independent check of our layouts.
# OVS must decode every vector but two it refuses by design (a Nicira
# vendor message with an unknown subtype, and output to OFPP_NONE, which
# OVS does not accept as an action) and print the values we encoded.
# Exit status: 0 pass, 1 fail, 77 skip.
set -u
BIN_DIR="${UK_BINARY_DIR:-$(pwd)}"
CODEC="$BIN_DIR/tests/openflow/openflow_test_codec"
command -v ovs-ofctl >/dev/null || { echo "SKIP: needs ovs-ofctl (apt-get install openvswitch-switch)"; exit 77; }
[ -x "$CODEC" ] || { echo "SKIP: $CODEC not built"; exit 77; }
T=$(mktemp -d /tmp/uk-ofp-parse.XXXXXX)
trap 'rm -rf "$T"' EXIT
OF_DUMP_VECTORS="$T/vectors.bin" "$CODEC" >/dev/null 2>&1 || { echo "FAIL: $CODEC failed"; exit 1; }
# ovs-ofctl logs to its own run directory otherwise.
OVS_RUNDIR="$T" OVS_LOGDIR="$T" timeout 30 ovs-ofctl ofp-parse "$T/vectors.bin" >"$T/out.txt" 2>&1
cat "$T/out.txt"
fail() { echo "FAIL: $*"; exit 1; }
errors=$(grep -c 'decode error' "$T/out.txt")
[ "$errors" = 2 ] || fail "OVS could not decode $errors vectors (2 expected)"
grep -q 'decode error: OFPBRC_BAD_SUBTYPE' "$T/out.txt" || fail "vendor vector"
grep -q 'OFPT_PACKET_OUT (xid=0x20): \*\*\*decode error: OFPBAC_BAD_OUT_PORT' "$T/out.txt" || fail "OFPP_NONE vector"
for want in \
    'OFPT_HELLO (xid=0x1)' \
    'OFPT_ERROR (xid=0x2): OFPBRC_BAD_LEN' \
    'OFPT_ECHO_REQUEST (xid=0x3): 2 bytes of payload' \
    'OFPT_FEATURES_REPLY (xid=0x6): dpid:0102030405060708' \
    'n_tables:1, n_buffers:256' \
    '1(eth1): addr:02:00:00:00:00:01' \
    'current:    1GB-FD COPPER' \
    'frags=drop miss_send_len=128' \
    'frags=normal miss_send_len=65535' \
    'total_len=60 in_port=3 (via no_match) data_len=4 buffer=0x00000100' \
    'OFPT_FLOW_REMOVED (xid=0xb): tcp,in_port=1,dl_vlan=291,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=4660,tp_dst=80 reason=delete cookie:0x1122334455667788 duration5.000000006s idle30 pkts7 bytes8' \
    'OFPT_PORT_STATUS (xid=0xc): MOD: 1(eth1)' \
    'OFPT_PACKET_OUT (xid=0xd): in_port=1 actions=output:2 data_len=2' \
    'cookie:0x102030405060708 idle:10 hard:20 buf:0x200 send_flow_rem actions=CONTROLLER:128,mod_vlan_vid:291,mod_vlan_pcp:5,strip_vlan,mod_dl_src:02:00:00:00:00:0a,mod_dl_dst:02:00:00:00:00:0b,mod_nw_src:192.168.0.1,mod_nw_dst:192.168.0.2,mod_nw_tos:40,mod_tp_src:1000,mod_tp_dst:2000,enqueue:3:7' \
    'OFPT_PORT_MOD (xid=0xf): port: 1: addr:02:00:00:00:00:01' \
    'OFPST_DESC request (xid=0x10)' \
    'OFPST_FLOW request (xid=0x11)' \
    'OFPST_AGGREGATE request (xid=0x12): table=0 out_port=2 tcp,in_port=1' \
    'OFPST_TABLE request (xid=0x13)' \
    'OFPST_PORT request (xid=0x14): port_no=ANY' \
    'OFPST_QUEUE request (xid=0x15): port=1 queue=ALL' \
    'OFPST_FLOW reply (xid=0x17): flags=[more]' \
    'n_packets=7, n_bytes=8, idle_timeout=10, hard_timeout=20, tcp,in_port=1' \
    'OFPST_AGGREGATE reply (xid=0x18): packet_count=7 byte_count=8 flow_count=2' \
    'table 0 ("classifier")' \
    'active=2, lookup=9, matched=4' \
    'port  1: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11' \
    'tx pkts=2, bytes=4, drop=6, errs=8, coll=12' \
    'port 1 queue 2: bytes=3, pkts=4, errors=5' \
    'OFPT_BARRIER_REQUEST (xid=0x1c)' \
    'OFPT_BARRIER_REPLY (xid=0x1d)' \
    'OFPT_QUEUE_GET_CONFIG_REQUEST (xid=0x1e): port=1' \
    'OFPT_QUEUE_GET_CONFIG_REPLY (xid=0x1f)'; do
    grep -qF "$want" "$T/out.txt" || fail "OVS did not print: $want"
done
echo "PASS: Open vSwitch decodes our vectors as written"
