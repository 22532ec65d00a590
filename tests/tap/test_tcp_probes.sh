#!/bin/bash
# Odd TCP segments answered as Linux answers them: hping3 sends each flag
# combination (SYN, SYN+FIN, FIN, NULL, Xmas, ACK, RST, SYN+ACK, SYN+RST,
# FIN+ACK, PSH+URG, SYN+URG, SYN+PSH) to an open and a closed port of the
# www example on the tap target, and the same to a Linux listener in a
# second namespace over a veth pair; the answers (SYN-ACK, RST, RST-ACK or
# nothing) must be the same.  Then nmap's SYN, FIN, NULL, Xmas and ACK
# scans must find the same port states on both.
. "$(dirname "$0")/lib.sh"
WWW="$BIN_DIR/examples/www/www"
[ -x "$WWW" ] || skip "the www example is not built ($WWW)"
require_basics
require_tool hping3 hping3
require_tool nmap nmap
require_tool tshark tshark
[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3 (the Linux listener)"

LXNS="uklx$$"
LXADDR=10.77.1.2
lx_cleanup() {
    local p
    for p in $(ip netns pids "$LXNS" 2>/dev/null); do
        kill -9 "$p" 2>/dev/null
    done
    ip netns del "$LXNS" 2>/dev/null
}
trap 'lx_cleanup; cleanup' EXIT

mkdir -p "$TMP/site"
echo "probe target" >"$TMP/site/index.html"
start_uk www "$WWW" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" --port=80 \
    --kv-site="$TMP/site"
wait_for 5 nsx curl -s -m 1 -o /dev/null "http://$UKADDR/index.html" ||
    uk_gone www "www did not answer"

# The Linux reference: a listener on port 80 (81 closed), one veth away.
ip netns add "$LXNS" || fail "cannot create $LXNS"
ip link add "ukv$$c" netns "$NS" type veth peer name "ukv$$l" netns "$LXNS" ||
    fail "cannot create a veth pair"
nsx ip addr add 10.77.1.1/24 dev "ukv$$c"
nsx ip link set "ukv$$c" up
ip -n "$LXNS" addr add "$LXADDR/24" dev "ukv$$l"
ip -n "$LXNS" link set "ukv$$l" up
ip -n "$LXNS" link set lo up
# (in a subshell, so that its end is not reported; lx_cleanup ends it)
(ip netns exec "$LXNS" timeout 110 /usr/bin/python3 -c '
import socket, time
s = socket.socket()
s.bind(("0.0.0.0", 80))
s.listen(128)
time.sleep(110)' >"$TMP/listener.log" 2>&1 &)
wait_for 5 nsx bash -c "echo >/dev/tcp/$LXADDR/80" ||
    fail "the Linux listener did not start"

# name:hping3 flags
PROBES="syn:-S synfin:-S_-F fin:-F null: xmas:-F_-P_-U ack:-A rst:-R
synack:-S_-A synrst:-S_-R finack:-F_-A pshurg:-P_-U synurg:-S_-U
synpsh:-S_-P"

# probe_all ADDR TAG: every probe to ports 80 and 81 at once, each from
# its own source port, written to $TMP/probes (TAG NAME PORT SPORT).
# hping3 attributes answers loosely when several run at once, so the
# answers are read from a capture instead.
probe_all() {
    local addr=$1 tag=$2 i=0 p name flags port pids=""
    for p in $PROBES; do
        name=${p%%:*}
        flags=${p#*:}
        for port in 80 81; do
            i=$((i + 1))
            sport=$((40000 + i * 7 + ${#tag} * 1000))
            echo "$tag $name $port $sport" >>"$TMP/probes"
            # shellcheck disable=SC2086
            nsx timeout 10 hping3 -c 1 -p "$port" -s "$sport" -k \
                ${flags//_/ } "$addr" >"$TMP/hping-$tag-$name-$port.out" 2>&1 &
            pids="$pids $!"
        done
    done
    for p in $pids; do
        wait "$p"
    done
}

# answer ADDR PORT SPORT: the flags of the first segment ADDR:PORT sent to
# SPORT (SA, R, RA, ...) or "none".
answer() {
    awk -v a="$1" -v p="$2" -v s="$3" '$1 == a && $2 == p && $3 == s {
        out = ""
        if ($4 == 1) out = out "S"
        if ($5 == 1) out = out "F"
        if ($6 == 1) out = out "R"
        if ($7 == 1) out = out "P"
        if ($8 == 1) out = out "A"
        if ($9 == 1) out = out "U"
        print out; found = 1; exit }
        END { if (!found) print "none" }' "$TMP/answers"
}

ip netns exec "$NS" tshark -n -a duration:60 -i "$TAP" -i "ukv$$c" -f tcp \
    -w "$TMP/probes.pcap" >"$TMP/tshark.log" 2>&1 &
CAP=$!
PIDS="$PIDS $CAP"
wait_log "$TMP/tshark.log" "Capturing on" 10 || fail "tshark did not start"
sleep 0.5
probe_all "$UKADDR" uk
probe_all "$LXADDR" linux
sleep 1
kill -INT "$CAP"
wait_for 10 bash -c "! kill -0 $CAP" || fail "tshark did not stop"
wait "$CAP"
tshark -n -r "$TMP/probes.pcap" -T fields -e ip.src -e tcp.srcport \
    -e tcp.dstport -e tcp.flags.syn -e tcp.flags.fin -e tcp.flags.reset \
    -e tcp.flags.push -e tcp.flags.ack -e tcp.flags.urg \
    >"$TMP/answers" 2>/dev/null
bad=0
printf '%-8s %-5s %-6s %-6s\n' probe port uk linux
while read -r tag name port sport; do
    [ "$tag" = uk ] || continue
    u=$(answer "$UKADDR" "$port" "$sport")
    lsport=$(awk -v n="$name" -v p="$port" '$1 == "linux" && $2 == n && $3 == p {print $4}' "$TMP/probes")
    l=$(answer "$LXADDR" "$port" "$lsport")
    mark=""
    [ "$u" = "$l" ] || { mark="  <-- differs"; bad=$((bad + 1)); }
    printf '%-8s %-5s %-6s %-6s%s\n' "$name" "$port" "$u" "$l" "$mark"
done <"$TMP/probes"
# the probes reached both: an open port answered SYN with SYN-ACK
grep -q "^uk syn 80 " "$TMP/probes" || fail "no probes sent"
[ "$(answer "$UKADDR" 80 "$(awk '$1 == "uk" && $2 == "syn" && $3 == 80 {print $4}' "$TMP/probes")")" = SA ] ||
    fail "www did not answer a SYN (capture: $(wc -l <"$TMP/answers") segments)"
[ "$(answer "$LXADDR" 80 "$(awk '$1 == "linux" && $2 == "syn" && $3 == 80 {print $4}' "$TMP/probes")")" = SA ] ||
    fail "Linux did not answer a SYN"
[ "$bad" = 0 ] || fail "$bad probe(s) answered differently from Linux"

# nmap: the port states of each scan type, both targets in one run.
nbad=0
for scan in sS sF sN sX sA; do
    nsx timeout 60 nmap -n -Pn "-$scan" -p 80,81 --max-retries 2 -T4 -oG - \
        "$UKADDR" "$LXADDR" >"$TMP/nmap-$scan.out" 2>&1 ||
        fail "nmap -$scan: $(tail -n 3 "$TMP/nmap-$scan.out")"
    for port in 80 81; do
        u=$(grep "Host: $UKADDR " "$TMP/nmap-$scan.out" | grep -o " $port/[^/]*" | cut -d/ -f2)
        l=$(grep "Host: $LXADDR " "$TMP/nmap-$scan.out" | grep -o " $port/[^/]*" | cut -d/ -f2)
        [ -n "$l" ] || fail "nmap -$scan found no state for Linux port $port"
        mark=""
        [ "$u" = "$l" ] || { mark="  <-- differs"; nbad=$((nbad + 1)); }
        printf 'nmap -%s port %s: uk %s, linux %s%s\n' "$scan" "$port" "${u:-?}" "$l" "$mark"
    done
done
[ "$nbad" = 0 ] || fail "nmap: $nbad port state(s) differ from Linux"
kill -0 "$UK_PID" 2>/dev/null || uk_gone www "www died under the probes"
nsx curl -s -m 5 -o /dev/null "http://$UKADDR/index.html" ||
    fail "www stopped answering after the probes"
pass "hping3 probes and nmap scans answered as Linux answers them"
