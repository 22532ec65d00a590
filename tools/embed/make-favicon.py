#!/usr/bin/env python3
"""Writes examples/www/htdocs/favicon.png: a 32x32 "uk" mark, white letters
on the site's green, in a rounded square.  Standard library only; the output
is deterministic (run it again to check: the file must not change).

    tools/embed/make-favicon.py [OUT.png]
"""
import os
import struct
import sys
import zlib

SIZE = 32
GREEN = (0x1F, 0x6F, 0x5C, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)

# 5x7 glyphs, drawn at 2x: 10x14 pixels each.
GLYPHS = {
    "u": [".....",
          ".....",
          "#...#",
          "#...#",
          "#...#",
          "#..##",
          ".##.#"],
    "k": ["#....",
          "#....",
          "#..#.",
          "#.#..",
          "##...",
          "#.#..",
          "#..#."],
}


def inside_rounded_square(x, y, r=6):
    """Whether pixel (x, y) is inside the square with corners of radius r."""
    cx = min(max(x + 0.5, r), SIZE - r)
    cy = min(max(y + 0.5, r), SIZE - r)
    return (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r


def pixels():
    img = [[GREEN if inside_rounded_square(x, y) else CLEAR
            for x in range(SIZE)] for y in range(SIZE)]
    left, top = 5, 8  # "uk": 10 + 2 + 10 pixels wide, 14 high, centred
    for i, ch in enumerate("uk"):
        for gy, row in enumerate(GLYPHS[ch]):
            for gx, c in enumerate(row):
                if c != "#":
                    continue
                for dy in range(2):
                    for dx in range(2):
                        img[top + 2 * gy + dy][left + 12 * i + 2 * gx + dx] = WHITE
    return img


def chunk(kind, data):
    body = kind + data
    return (struct.pack(">I", len(data)) + body +
            struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF))


def png(img):
    raw = b"".join(b"\0" + b"".join(bytes(p) for p in row) for row in img)
    ihdr = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # RGBA, 8-bit
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "examples", "www", "htdocs", "favicon.png")
    with open(out, "wb") as f:
        f.write(png(pixels()))


if __name__ == "__main__":
    main()
