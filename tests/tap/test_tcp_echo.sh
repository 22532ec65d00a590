#!/bin/bash
# Upload through the direct TCP on the tap target: the Linux kernel sends
# 256 MiB into the echo example's TCP port and reads it back, byte-exact
# both ways (so our receive path, back-pressure and send path all carry
# it); then 32 MiB again under injected faults (3% loss, 5% reordering,
# 1% duplication) with the kernel's side rate-limited by tbf (real
# congestion drops from a small queue) when tc is available.  (With a
# 48 KiB tbf queue the kernel's sender stalls, one segment per ~200 ms
# with everything unsent; it does the same between two Linux namespaces
# over veth with that qdisc, so the queue here is 128 KiB.)
. "$(dirname "$0")/lib.sh"
ECHO="$BIN_DIR/examples/echo/echo"
[ -x "$ECHO" ] || skip "the echo example is not built ($ECHO)"
require_basics
require_tool python3 python3

cat >"$TMP/client.py" <<'PY'
import hashlib, socket, sys, threading
host, size, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB
s = socket.create_connection((host, 7), timeout=60)
sent_hash = hashlib.sha256()
def send():
    left = size
    while left > 0:
        b = block[:min(left, len(block))]
        s.sendall(b)
        sent_hash.update(b)
        left -= len(b)
    s.shutdown(socket.SHUT_WR)
t = threading.Thread(target=send)
t.start()
got, h = 0, hashlib.sha256()
while True:
    d = s.recv(1 << 20)
    if not d:
        break
    got += len(d)
    h.update(d)
t.join()
s.close()
if got != size or h.digest() != sent_hash.digest():
    print("mismatch: sent %d got %d" % (size, got))
    sys.exit(1)
print("echoed %d bytes exactly" % got)
PY

start_uk echo "$ECHO" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC"
sleep 0.3
nsx timeout 150 /usr/bin/python3 "$TMP/client.py" "$UKADDR" $((256 << 20)) 1 \
    >"$TMP/client1.log" 2>&1 || fail "256 MiB echo: $(cat "$TMP/client1.log")"
log "$(cat "$TMP/client1.log")"
kill "$UK_PID" 2>/dev/null
wait "$UK_PID" 2>/dev/null
ip netns del "$NS" 2>/dev/null
ip netns add "$NS" || fail "cannot recreate $NS"

start_uk echof "$ECHO" --ipv4="$UKADDR/$PREFIX" --mac="$UKMAC" \
    --faults=drop=3%,reorder=5%,dup=1%,seed=3
if command -v tc >/dev/null &&
    nsx tc qdisc add dev "$TAP" root tbf rate 200mbit burst 64kb \
        limit 128kb 2>"$TMP/tc.err"; then
    log "tbf on the kernel's side: 200 mbit/s, 128 KiB queue"
else
    log "no tbf ($(cat "$TMP/tc.err" 2>/dev/null)): faults only"
fi
sleep 0.3
nsx timeout 150 /usr/bin/python3 "$TMP/client.py" "$UKADDR" $((32 << 20)) 2 \
    >"$TMP/client2.log" 2>&1 || fail "echo under faults: $(cat "$TMP/client2.log")"
log "$(cat "$TMP/client2.log") under faults"
log "kernel qdisc: $(nsx tc -s qdisc show dev "$TAP" 2>/dev/null | grep -o 'dropped [0-9]*')"
pass "256 MiB echoed exactly, and 32 MiB under faults"
