#!/bin/bash
# --pcap: every frame of a ping (with fragments), ARP and UDP exchange is
# captured, and tshark decodes the file with no malformed packet and no bad
# IP or UDP checksum.
. "$(dirname "$0")/lib.sh"
require_basics
require_tool tshark tshark
require_tool ping iputils-ping
require_tool python3 python3
start_uk probe "$PROBE" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --pcap="$TMP/f.pcap"
nsx timeout 10 ping -c 2 -i 0.2 -W 2 "$UKADDR" >/dev/null 2>&1 || fail "ping"
nsx timeout 10 ping -c 2 -i 0.2 -W 2 -s 4000 "$UKADDR" >/dev/null 2>&1 || fail "ping -s 4000"
nsx timeout 20 /usr/bin/python3 "$SRC_DIR/tests/tap/udp_client.py" "$UKADDR" 7 5 \
    >"$TMP/client.log" 2>&1 || fail "udp echo"
stop_uk
# tshark refuses to run as root from some directories; run it from $TMP.
cd "$TMP" || fail "cd $TMP"
timeout 60 tshark -n -r f.pcap >"$TMP/decode.log" 2>"$TMP/tshark.err" || fail "tshark cannot read the capture"
frames=$(wc -l <"$TMP/decode.log")
log "$frames frames captured"
timeout 60 tshark -n -r f.pcap -T fields -e frame.protocols >"$TMP/protos.log" 2>>"$TMP/tshark.err" ||
    fail "tshark cannot list protocols"
for proto in ':arp' ':ip:icmp' ':ip:udp'; do
    grep -q "$proto" "$TMP/protos.log" || fail "no $proto frame in the capture"
done
timeout 60 tshark -n -r f.pcap -Y 'ip.flags.mf == 1' >"$TMP/frags.log" 2>>"$TMP/tshark.err"
[ -s "$TMP/frags.log" ] || fail "no IP fragment in the capture"
timeout 60 tshark -n -r f.pcap -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
    -Y 'ip.checksum.status == "Bad" || udp.checksum.status == "Bad" || _ws.malformed' \
    >"$TMP/bad.log" 2>>"$TMP/tshark.err" || fail "tshark filter failed: $(cat "$TMP/tshark.err")"
[ -s "$TMP/bad.log" ] && fail "bad frames: $(head -n 20 "$TMP/bad.log")"
pass "$frames frames decoded, none malformed, no bad checksum"
