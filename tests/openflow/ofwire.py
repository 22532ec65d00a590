"""ofwire.py - the OpenFlow 1.0 framing shared by the test scripts that
play a switch or a controller over a real socket: build a message, read
one whole message, fail with a reason, all within one deadline."""
import struct
import sys
import time

DEADLINE = time.monotonic() + 60


def set_deadline(seconds):
    """Every read after this fails once `seconds` from now have passed."""
    global DEADLINE
    DEADLINE = time.monotonic() + seconds


def fail(why):
    print("FAIL:", why)
    sys.exit(1)


def msg(t, xid, body=b"", version=1, length=None):
    """A message of type t; length overrides the header's length field."""
    n = 8 + len(body) if length is None else length
    return struct.pack("!BBHI", version, t, n, xid) + body


def recv_msg(s):
    """(version, type, xid, body) of the next message, or None at EOF."""
    def need(n):
        b = b""
        while len(b) < n:
            if time.monotonic() > DEADLINE:
                fail("timed out")
            c = s.recv(n - len(b))
            if not c:
                return None
            b += c
        return b
    h = need(8)
    if h is None:
        return None
    v, t, n, x = struct.unpack("!BBHI", h)
    if n < 8:
        fail("the peer sent a length of %d" % n)
    body = need(n - 8) if n > 8 else b""
    return v, t, x, body
