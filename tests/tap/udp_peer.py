#!/usr/bin/python3
"""A UDP peer for the tap interop tests: binds ADDR:PORT, answers the first
datagram with "pong", prints what it got, exits 0; exits 1 after TIMEOUT s.

usage: udp_peer.py ADDR PORT TIMEOUT
"""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(float(sys.argv[3]))
try:
    data, src = s.recvfrom(2048)
except socket.timeout:
    print("udp_peer: nothing received")
    sys.exit(1)
s.sendto(b"pong", src)
print("udp_peer: got %r from %s:%d" % (data, src[0], src[1]))
