#!/usr/bin/python3
"""Writes the seed corpora of the direct stack's fuzz targets
(corpus/{eth,arp,ipv4,icmp,udp}/), in the record format of harness.h.
Run from anywhere: /usr/bin/python3 fuzz/tcpip/make_seeds.py"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ME_MAC = bytes([2, 0, 0, 0, 0, 0x0a])
PEER_MAC = bytes([2, 0, 0, 0, 0, 0x0b])
ME = bytes([10, 0, 0, 1])
PEER = bytes([10, 0, 0, 2])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def rec(data, fix=True, wait=0):
    return bytes([(1 if fix else 0) | (wait << 4)]) + struct.pack("!H", len(data)) + data


def ip(proto, payload, ident=1, frag=0, src=PEER, dst=ME, opts=b""):
    ihl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload),
                    ident, frag, 64, proto, 0, src, dst) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def eth(t, payload, dst=ME_MAC):
    return dst + PEER_MAC + struct.pack("!H", t) + payload


def arp(op, spa, tpa, sha=PEER_MAC, tha=bytes(6)):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


def icmp(t, code, rest, data):
    m = struct.pack("!BBHI", t, code, 0, rest) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def udp(sport, dport, data, src=PEER, dst=ME):
    n = 8 + len(data)
    u = struct.pack("!HHHH", sport, dport, n, 0) + data
    c = csum(src + dst + struct.pack("!BBH", 0, 17, n) + u) or 0xffff
    return u[:6] + struct.pack("!H", c) + u[8:]


def dns_query():
    return bytes.fromhex("12340100000100000000000003777777076578616d706c6503636f6d0000010001")


seeds = {
    "eth": {
        "arp_request": rec(eth(0x0806, arp(1, PEER, ME), b"\xff" * 6)),
        "ping": rec(eth(0x0800, ip(1, icmp(8, 0, 0x10001, b"abcdefgh" * 7)))),
        "udp_dns": rec(eth(0x0800, ip(17, udp(4444, 53, dns_query())))),
        "vlan": rec(eth(0x8100, b"\x00\x05\x08\x00" + ip(17, udp(1, 53, b"x")))),
        "runt": rec(b"\x02\x00\x00"),
        "ipv6": rec(eth(0x86dd, bytes(40))),
    },
    "arp": {
        "request": rec(arp(1, PEER, ME)),
        "reply": rec(arp(2, bytes([10, 0, 0, 3]), ME, sha=bytes([2, 0, 0, 0, 0, 0x0c]))),
        "gratuitous": rec(arp(1, PEER, PEER)),
        "probe": rec(arp(1, bytes(4), ME)),
        "stranger": rec(arp(1, bytes([10, 0, 0, 9]), bytes([10, 0, 0, 8]))),
        "bad_hlen": rec(arp(1, PEER, ME)[:4] + b"\x08\x04" + arp(1, PEER, ME)[6:]),
    },
    "ipv4": {
        "udp": rec(ip(17, udp(4444, 53, b"hello"))),
        "options": rec(ip(17, udp(4444, 53, b"hi"), opts=b"\x44\x08\x05\x00" + bytes(4))),
        "fragments": rec(ip(17, udp(1, 53, bytes(2000))[:1480], ident=9, frag=0x2000))
        + rec(ip(17, udp(1, 53, bytes(2000))[1480:], ident=9, frag=185), wait=1),
        "overlap": rec(ip(17, bytes(64), ident=5, frag=0x2000))
        + rec(ip(17, b"\xff" * 32, ident=5, frag=4)),
        "broadcast": rec(ip(17, udp(68, 53, b"x"), dst=b"\xff\xff\xff\xff")),
        "bad_version": rec(b"\x65" + ip(17, b"")[1:], fix=False),
        "icmp": rec(ip(1, icmp(8, 0, 7, b"ping"))),
        "unknown_proto": rec(ip(99, b"data")),
    },
    "icmp": {
        "echo": rec(icmp(8, 0, 0x00010001, b"0123456789" * 5)),
        "echo_large": rec(icmp(8, 0, 0x00010002, bytes(range(256)) * 12)),
        "echo_reply": rec(icmp(0, 0, 0x00630005, b"abc")),
        "unreach": rec(icmp(3, 3, 0, ip(17, udp(53, 4444, b"")))),
        "bad_sum": rec(icmp(8, 0, 1, b"x")[:2] + b"\0\0" + icmp(8, 0, 1, b"x")[4:], fix=False),
    },
    "udp": {
        "dns": rec(udp(4444, 53, dns_query())),
        "closed_port": rec(udp(4444, 9999, b"knock")),
        "no_checksum": rec(udp(4444, 53, b"abc")[:6] + b"\0\0" + b"abc", fix=False),
        "short_len": rec(udp(4444, 53, b"abcdef")[:4] + b"\x00\x07" + udp(4444, 53, b"abcdef")[6:]),
        "large": rec(udp(4444, 53, bytes(5000))),
    },
}

for kind, files in seeds.items():
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
