"""ofs_malformed.py HOST PORT [SRC_PORT] - malformed OpenFlow 1.0 at a running
of-switch's management port (--listen): each message gets the OFPT_ERROR
type/code OpenFlow 1.0 prescribes, carrying the start of the offending
message (its xid); an echo request is still answered after all of them;
finally a framing error (length below 8) closes the connection.  Exits 0
on success, 1 with a reason.  Every wait is bounded.
"""
import socket
import struct
import sys

from ofwire import fail, msg, recv_msg, set_deadline

HOST, PORT = sys.argv[1], int(sys.argv[2])
set_deadline(30)
OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 1, 2, 3


MATCH_ALL = struct.pack("!I", 0x3fffff) + bytes(36)


def flow_mod(actions):
    # match, cookie, ADD, idle, hard, priority, no buffer, out_port, flags
    return (MATCH_ALL + struct.pack("!QHHHHIHH", 0, 0, 0, 0, 100,
                                    0xffffffff, 0xffff, 0) + actions)


def output(port, length=8):
    return struct.pack("!HHHH", 0, length, port, 0)


CASES = [
    # (what, type, body, version, expected error type, code)
    ("unknown message type", 30, b"", 1, 1, 1),
    ("wrong version after hello", OFPT_ECHO_REQUEST, b"", 4, 1, 0),
    ("vendor message", 4, struct.pack("!I", 0x2320), 1, 1, 3),
    ("unknown stats type", 16, struct.pack("!HH", 0x77, 0), 1, 1, 2),
    ("flow-mod shorter than its fixed part", 14, bytes(20), 1, 1, 6),
    ("flow-mod with an action of length 4", 14,
     flow_mod(output(1, 4) + bytes(4)), 1, 2, 1),
    ("flow-mod with an action overrunning the message", 14,
     flow_mod(output(1, 16)), 1, 2, 1),
    ("flow-mod with an unknown action type", 14,
     flow_mod(struct.pack("!HHI", 0x55, 8, 0)), 1, 2, 0),
    ("flow-mod out of a port that does not exist", 14,
     flow_mod(output(9)), 1, 2, 4),
    ("packet-out whose actions_len overruns it", 13,
     struct.pack("!IHH", 0xffffffff, 1, 64) + output(2), 1, 1, 6),
    ("packet-out of an unknown buffer", 13,
     struct.pack("!IHH", 0x1234, 1, 8) + output(2), 1, 1, 8),
    ("port-mod of a port that does not exist", 15,
     struct.pack("!H6sIIII", 7, bytes(6), 0, 0, 0, 0), 1, 4, 0),
]

# From SRC_PORT when given, so that a capture can leave this out.
src = int(sys.argv[3]) if len(sys.argv) > 3 else 0
s = socket.create_connection((HOST, PORT), timeout=10,
                             source_address=("0.0.0.0", src))
s.sendall(msg(0, 1))
m = recv_msg(s)
if m is None or m[1] != 0:
    fail("no hello from the switch: %r" % (m,))
xid = 100
for what, t, body, version, etype, ecode in CASES:
    xid += 1
    raw = msg(t, xid, body, version)
    s.sendall(raw)
    m = recv_msg(s)
    if m is None:
        fail("%s: the switch closed the connection" % what)
    v, mt, mx, mb = m
    if mt != OFPT_ERROR or len(mb) < 4:
        fail("%s: got message type %d, not an error" % (what, mt))
    got = struct.unpack("!HH", mb[:4])
    if got != (etype, ecode) or mx != xid:
        fail("%s: error %r xid %d, expected %r xid %d"
             % (what, got, mx, (etype, ecode), xid))
    if mb[4:12] != raw[:8] and len(raw) >= 8:
        fail("%s: the error does not carry the message's header" % what)
    print("ok: %s -> error %d/%d" % (what, etype, ecode))
s.sendall(msg(OFPT_ECHO_REQUEST, 7, b"still there?"))
m = recv_msg(s)
if m is None or m[1] != OFPT_ECHO_REPLY or m[2] != 7 or m[3] != b"still there?":
    fail("no echo reply after the malformed messages: %r" % (m,))
print("ok: echo answered after them")
s.sendall(msg(2, 8, length=4))
try:
    while True:
        m = recv_msg(s)
        if m is None:
            break
        if m[1] != OFPT_ERROR:
            fail("framing error: got message type %d" % m[1])
except (ConnectionResetError, socket.timeout):
    pass
print("ok: a length below 8 closed the connection")
