#!/usr/bin/python3
"""UDP request/response client for the tap interop tests.

usage: udp_client.py HOST PORT COUNT [TRIES]
Sends COUNT distinct requests; each is retried up to TRIES times (default
1) with a 0.5 s timeout until its exact echo comes back.  Exits 0 when every
request was answered, 1 otherwise, printing a summary line.
"""
import socket
import sys


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tries = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    answered = sent = 0
    for i in range(count):
        msg = b"request %d of %d" % (i, count)
        for _ in range(tries):
            s.sendto(msg, (host, port))
            sent += 1
            try:
                while True:
                    data, _ = s.recvfrom(2048)
                    if data == msg:
                        break
            except socket.timeout:
                continue
            answered += 1
            break
    print("udp_client: %d/%d answered, %d datagrams sent" % (answered, count, sent))
    return 0 if answered == count else 1


if __name__ == "__main__":
    sys.exit(main())
