#!/usr/bin/env python3
"""blktest_check.py FILE: checks, on the host, that a disk file holds what
tests/support/blktest.c --write wrote (512-byte sectors): sectors 0..299,
300, 307, 314 and the last one each end in the FNV-1a checksum of their
first 504 bytes and their number.  Exit 0 and one line, or 1 and why."""
import struct
import sys


def fnv(data, h):
    for x in data:
        h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    return h


def main():
    data = open(sys.argv[1], 'rb').read()
    n = len(data) // 512
    sectors = list(range(300)) + [300, 307, 314, n - 1]
    for s in sectors:
        b = data[s * 512:(s + 1) * 512]
        got = struct.unpack('<Q', b[504:])[0]
        if got != fnv(b[:504], 0xcbf29ce484222325 ^ s):
            sys.exit('host: sector %d of %s: bad checksum' % (s, sys.argv[1]))
    print('host: %d sectors hold their checksums' % len(sectors))


main()
