"""tcp_echo.py - a TCP exchange between two hosts for the OpenFlow tests.

  tcp_echo.py server ADDR PORT READYFILE   echo one connection, then exit
  tcp_echo.py client ADDR PORT             send 256 KiB, expect it back
Exit status 0 when the bytes came back exactly; every wait is bounded.
"""
import os
import socket
import sys

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "server":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(1)
    s.settimeout(20)
    open(sys.argv[4], "w").close()
    c, _ = s.accept()
    c.settimeout(20)
    while True:
        d = c.recv(65536)
        if not d:
            break
        c.sendall(d)
    c.close()
else:
    data = os.urandom(256 * 1024)
    c = socket.create_connection((host, port), timeout=20)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        d = c.recv(65536)
        if not d:
            break
        got += d
    print("echoed %d of %d bytes%s" % (len(got), len(data),
                                       "" if got == data else ", MISMATCH"))
    sys.exit(0 if got == data else 1)
