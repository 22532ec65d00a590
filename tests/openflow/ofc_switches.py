"""ofc_switches.py PORT MAX - many fake OpenFlow 1.0 switches against a
running of-controller on 127.0.0.1:PORT, over real kernel sockets.

Checks: MAX switches complete the handshake (hello, features request,
set-config, delete-all flow-mod) and learn independently; one more is
refused (closed); a malformed message gets OFPT_ERROR with its first 64
bytes; a framing error closes that connection; echo requests are answered;
vendor messages get BAD_VENDOR.  Exits 0 on success, 1 with a reason.
"""
import socket
import struct
import sys

from ofwire import fail, msg, recv_msg, set_deadline

PORT, MAX = int(sys.argv[1]), int(sys.argv[2])
set_deadline(60)


def recv_type(s, want):
    """Next message of type want, answering echo requests on the way."""
    while True:
        m = recv_msg(s)
        if m is None:
            fail("connection closed while waiting for type %d" % want)
        if m[1] == 2:
            s.sendall(msg(3, m[2], m[3]))
            continue
        if m[1] == want:
            return m


def features_reply(xid, dpid):
    port = struct.pack("!H6s16sIIIIII", 1, b"\x02\0\0\0\0\x01", b"p1",
                       0, 0, 0, 0, 0, 0)
    body = struct.pack("!QIB3xII", dpid, 256, 1, 0, 0xfff) + port
    return msg(6, xid, body)


def packet_in(src, dst, in_port, buffer_id):
    frame = dst + src + b"\x08\x00" + bytes(46)
    return msg(10, 0, struct.pack("!IHHBx", buffer_id, len(frame), in_port, 0)
               + frame)


def handshake(i):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    s.sendall(msg(0, 1))
    v, t, x, _ = recv_msg(s)
    if t != 0:
        fail("switch %d: first message type %d, not hello" % (i, t))
    _, _, x, _ = recv_type(s, 5)            # features request
    s.sendall(features_reply(x, 0x1000 + i))
    recv_type(s, 9)                          # set-config
    _, _, _, fm = recv_type(s, 14)           # delete-all flow-mod
    if struct.unpack("!H", fm[48:50])[0] != 3:
        fail("switch %d: first flow-mod is not a DELETE" % i)
    return s


socks = [handshake(i) for i in range(MAX)]
print("%d switches connected" % MAX)

# One more: refused.
extra = socket.create_connection(("127.0.0.1", PORT), timeout=10)
extra.settimeout(10)
try:
    data = extra.recv(100)
except ConnectionResetError:
    data = b""
if data:
    fail("switch %d beyond the table got %r" % (MAX, data[:16]))
print("switch beyond the table refused")

# Each switch learns on its own: A on port 1 floods, B->A installs a flow.
A, B = b"\x02\0\0\0\0\x0a", b"\x02\0\0\0\0\x0b"
for i, s in enumerate(socks):
    s.sendall(packet_in(A, B, 1, 0x100 + i))
    _, t, _, po = recv_type(s, 13)
    if struct.unpack("!IHH", po[:8])[0] != 0x100 + i:
        fail("switch %d: packet-out of another buffer" % i)
    s.sendall(packet_in(B, A, 2, 0x200 + i))
    _, _, _, fm = recv_type(s, 14)
    in_port = struct.unpack("!H", fm[4:6])[0]
    act_port = struct.unpack("!H", fm[68:70])[0]
    if in_port != 2 or act_port != 1:
        fail("switch %d: flow in_port %d -> %d" % (i, in_port, act_port))
print("every switch learned")

s = socks[0]
# Echo request: answered with the same xid and data.
s.sendall(msg(2, 0x77, b"ping"))
_, t, x, body = recv_type(s, 3)
if x != 0x77 or body != b"ping":
    fail("echo reply %x %r" % (x, body))
# Vendor: BAD_REQUEST/BAD_VENDOR.
s.sendall(msg(4, 0x78, struct.pack("!I", 0x2320)))
_, _, x, body = recv_type(s, 1)
if x != 0x78 or struct.unpack("!HH", body[:4]) != (1, 3):
    fail("vendor answer %r" % body[:4])
# A packet-out with an action of length 12: BAD_ACTION/BAD_LEN, 64 bytes.
bad = msg(13, 0x79, struct.pack("!IHH", 0xffffffff, 1, 16)
          + struct.pack("!HHHH", 0, 12, 2, 0) + bytes(8) + bytes(80))
s.sendall(bad)
_, _, x, body = recv_type(s, 1)
if x != 0x79 or struct.unpack("!HH", body[:4]) != (2, 1):
    fail("bad action answer %r" % body[:4])
if body[4:] != bad[:64]:
    fail("error data is not the first 64 bytes of the message")
# Unknown type: BAD_REQUEST/BAD_TYPE; bad version: BAD_VERSION.
s.sendall(msg(99, 0x7a))
_, _, x, body = recv_type(s, 1)
if struct.unpack("!HH", body[:4]) != (1, 1):
    fail("unknown type answer %r" % body[:4])
s.sendall(msg(18, 0x7b, version=2))
_, _, x, body = recv_type(s, 1)
if struct.unpack("!HH", body[:4]) != (1, 0):
    fail("bad version answer %r" % body[:4])
print("errors answered")
# Framing error: length 4 closes the connection.
s.sendall(struct.pack("!BBHI", 1, 18, 4, 1))
s.settimeout(10)
try:
    while s.recv(4096):
        pass
except ConnectionResetError:
    pass
print("framing error closed the connection")
# The others are still served.
socks[1].sendall(msg(2, 0x80))
recv_type(socks[1], 3)
for x in socks[1:]:
    x.close()
extra.close()
print("PASS")
