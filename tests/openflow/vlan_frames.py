"""vlan_frames.py - full-size frames, 802.1Q-tagged or not, through a
switch, with packet sockets (the kernel here may lack VLAN interfaces).
Every frame carries 1500 bytes after its header(s), so a tagged one is
1518 bytes long, an untagged one 1514; the ethertype is 0x88b5.

  vlan_frames.py send IFACE SRC_MAC DST_MAC VID
      sends 3 such frames, tagged with VID (0: untagged)
  vlan_frames.py recv IFACE READYFILE VID
      waits (at most 10 s) for one, which must arrive whole and tagged
      with VID (0: untagged; the tag either inline or lifted by the
      kernel into the packet's auxiliary data); exit 0 when it did
"""
import socket
import struct
import sys
import time

ETH_P_ALL, SOL_PACKET, PACKET_AUXDATA = 3, 263, 8
TP_STATUS_VLAN_VALID = 1 << 4
MARK = b"uk-vlan-frame"
mode, iface = sys.argv[1], sys.argv[2]


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


if mode == "send":
    src, dst, vid = mac(sys.argv[3]), mac(sys.argv[4]), int(sys.argv[5])
    tag = struct.pack("!HH", 0x8100, vid) if vid else b""
    frame = dst + src + tag + struct.pack("!H", 0x88b5) + MARK
    frame += bytes(1500 - len(MARK))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for _ in range(3):
        s.send(frame)
        time.sleep(0.1)
    sys.exit(0)

vid = int(sys.argv[4])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
s.bind((iface, 0))
s.settimeout(1)
open(sys.argv[3], "w").close()
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(32))
    except socket.timeout:
        continue
    if MARK not in data:
        continue
    tci = None
    for level, kind, blob in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA:
            status = struct.unpack_from("I", blob, 0)[0]
            if status & TP_STATUS_VLAN_VALID:
                tci = struct.unpack_from("H", blob, 16)[0]
    if tci is None and data[12:14] == b"\x81\x00":  # the tag inline
        tci = struct.unpack_from("!H", data, 14)[0]
        data = data[:12] + data[16:]
    got = 0 if tci is None else tci & 0xfff
    if len(data) == 1514 and data[12:14] == b"\x88\xb5" and got == vid:
        print("got a %d-byte frame, %s" % (1518 if vid else 1514,
                                            "VLAN %d" % vid if vid
                                            else "untagged"))
        sys.exit(0)
    print("got a damaged frame: %d bytes untagged, VLAN %d (%d expected)"
          % (len(data), got, vid))
    sys.exit(1)
print("no frame arrived")
sys.exit(1)
