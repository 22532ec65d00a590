#!/usr/bin/env python3
"""api_h1spec.py HOST PORT: HTTP/1.1 conformance cases in the manner of
h1spec (raw requests on fresh connections, the status line and body
checked), against the api example's dynamic handler for POST /api/notes
and GET /api/counter: Content-Length and chunked bodies (split across
writes, with extensions and trailers), pipelining after a chunked body,
413 over the body bound, 400 for bad chunk sizes and framing.  Prints
one line per case; exits 1 if any fails."""
import json
import socket
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
FORM = "Content-Type: application/x-www-form-urlencoded\r\n"


def exchange(parts, want_responses=1, timeout=10):
    """Sends parts (with a short pause between them) on a new
    connection; returns the responses as (status, headers, body)."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    for i, p in enumerate(parts):
        s.sendall(p.encode("latin1"))
        if i + 1 < len(parts):
            time.sleep(0.05)
    data = b""
    out = []
    deadline = time.time() + timeout
    while len(out) < want_responses and time.time() < deadline:
        out = parse(data)
        if out is not None and len(out) >= want_responses:
            break
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            out = parse(data) or []
            break
        data += d
        out = parse(data) or []
    s.close()
    return out or []


def parse(data):
    """The complete responses in data (Content-Length or chunked)."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return out
        head = data[:end].decode("latin1").split("\r\n")
        status = int(head[0].split()[1])
        hdrs = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        rest = data[end + 4:]
        if 100 <= status < 200:  # interim: no body
            out.append((status, hdrs, b""))
            data = rest
            continue
        if "content-length" in hdrs:
            n = int(hdrs["content-length"])
            if len(rest) < n:
                return out
            body, data = rest[:n], rest[n:]
        elif hdrs.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                le = rest.find(b"\r\n")
                if le < 0:
                    return out
                size = int(rest[:le].split(b";")[0], 16)
                if len(rest) < le + 2 + size + 2:
                    return out
                body += rest[le + 2:le + 2 + size]
                rest = rest[le + 2 + size + 2:]
                if size == 0:
                    break
            data = rest
        else:
            body, data = rest, b""
        out.append((status, hdrs, body))
    return out


failures = 0


def case(name, parts, statuses, json_body=True, check=None):
    global failures
    got = exchange(parts, len(statuses))
    ok = [r[0] for r in got] == statuses
    if ok and json_body:
        for st, h, b in got:
            if st < 200:
                continue
            if not h.get("content-type", "").startswith("application/json"):
                ok = False
            else:
                try:
                    json.loads(b)
                except ValueError:
                    ok = False
    if ok and check is not None:
        ok = check(got)
    print("%s: %s (got %s)" % ("ok" if ok else "FAIL", name,
                                [r[0] for r in got]))
    if not ok:
        failures += 1
        for r in got:
            print("   ", r)


def post(extra, body=""):
    return "POST /api/notes HTTP/1.1\r\nHost: t\r\n" + FORM + extra + \
        "\r\n" + body


def text_is(t):
    return lambda got: json.loads(got[0][2]).get("text") == t


case("GET counter", ["GET /api/counter HTTP/1.1\r\nHost: t\r\n\r\n"], [200],
     check=lambda g: "counter" in json.loads(g[0][2]))
case("POST with Content-Length",
     [post("Content-Length: 16\r\n", "text=length+body")], [201],
     check=text_is("length body"))
case("POST with Content-Length, body in pieces",
     [post("Content-Length: 16\r\n"), "text=le", "ngth+body"], [201],
     check=text_is("length body"))
case("POST chunked",
     [post("Transfer-Encoding: chunked\r\n",
           "5\r\ntext=\r\n7\r\nchunked\r\n0\r\n\r\n")], [201],
     check=text_is("chunked"))
case("POST chunked, split inside sizes and data, extension, trailer",
     [post("Transfer-Encoding: chunked\r\n"), "5\r", "\ntext=\r\n",
      "1", "2;name=value\r\nspl", "it+chunked+body\r\n0\r\nX-T: 1\r\n\r\n"],
     [201], check=text_is("split chunked body"))
case("POST JSON chunked",
     ["POST /api/notes HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\n{\"text\":\r\n6\r\n\"json\"\r\n1\r\n}\r\n0\r\n\r\n"], [201],
     check=text_is("json"))
case("pipelined: chunked POST then GET",
     [post("Transfer-Encoding: chunked\r\n",
           "9\r\ntext=pipe\r\n0\r\n\r\n") +
      "GET /api/notes?id=0 HTTP/1.1\r\nHost: t\r\n\r\n"], [201, 200])
case("Expect: 100-continue, then the body",
     [post("Expect: 100-continue\r\nContent-Length: 11\r\n"), "text=waited"],
     [100, 201], check=lambda g: json.loads(g[1][2]).get("text") == "waited")
case("413: Content-Length over the bound",
     [post("Content-Length: 100000\r\n")], [413])
case("413: chunked body over the bound",
     [post("Transfer-Encoding: chunked\r\n",
           "1000\r\ntext=" + "a" * 4091 + "\r\n10\r\n" + "a" * 16 +
           "\r\n0\r\n\r\n")], [413])
case("400: chunk size not hex",
     [post("Transfer-Encoding: chunked\r\n", "zz\r\ntext=x\r\n0\r\n\r\n")],
     [400])
case("400: chunk size overflow",
     [post("Transfer-Encoding: chunked\r\n", "fffffffffffffffffff\r\n")],
     [400])
case("400: chunk size empty",
     [post("Transfer-Encoding: chunked\r\n", "\r\ntext=x\r\n0\r\n\r\n")],
     [400])
case("400: chunk data longer than its size",
     [post("Transfer-Encoding: chunked\r\n", "3\r\ntext=x\r\n0\r\n\r\n")],
     [400])
case("400: bare LF after a chunk size",
     [post("Transfer-Encoding: chunked\r\n", "6\ntext=x\r\n0\r\n\r\n")],
     [400])
case("400: Content-Length with chunked (no handler)",
     [post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
           "0\r\n\r\n")], [400], json_body=False)
case("400: form without text",
     [post("Content-Length: 3\r\n", "a=b")], [400])
case("415: not a form",
     ["POST /api/notes HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
      "Content-Length: 1\r\n\r\nx"], [415])
case("405: DELETE", ["DELETE /api/notes HTTP/1.1\r\nHost: t\r\n\r\n"], [405],
     check=lambda g: g[0][1].get("allow") == "GET, POST")
case("404: no endpoint", ["GET /api/nope HTTP/1.1\r\nHost: t\r\n\r\n"], [404])
case("list is a JSON array", ["GET /api/notes HTTP/1.1\r\nHost: t\r\n\r\n"],
     [200], check=lambda g: isinstance(json.loads(g[0][2]), list) and
     g[0][1].get("transfer-encoding") == "chunked")
print("h1spec: %d failure(s)" % failures)
sys.exit(1 if failures else 0)
