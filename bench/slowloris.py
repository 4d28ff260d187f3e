#!/usr/bin/env python3
"""Slowloris driver for bench/slow-clients.sh: N connections that each send a request head one byte
every --interval seconds, as reported in issue 11, spread over loopback source addresses
(127.1.x.y, --per-address each). Records when the server closes each one (measured from its first
byte) and whether it answered 400 RequestTimeout first. Prints one line of JSON.

Usage: slowloris.py --port P [--host 127.0.0.1] [--connections 5000] [--interval 10]
                    [--per-address 400] [--duration 60] [--ready FILE]
"""
import argparse
import json
import os
import selectors
import socket
import statistics
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--connections", type=int, default=5000)
    p.add_argument("--interval", type=float, default=10.0)
    p.add_argument("--per-address", type=int, default=400)
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--ready", help="file touched once every connection is open and has sent its first byte")
    a = p.parse_args()

    head = (b"GET /bench/k HTTP/1.1\r\nHost: " + a.host.encode() + b"\r\nX-Trickle: " + b"a" * 4000)
    sel = selectors.DefaultSelector()
    conns = {}  # fd -> [socket, first byte time, bytes sent, received bytes, closed at]
    refused = 0
    started = time.monotonic()
    for i in range(a.connections):
        k = i // a.per_address
        src = "127.1.%d.%d" % (k // 250, k % 250 + 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((src, 0))
            s.settimeout(10)
            s.connect((a.host, a.port))
            s.setblocking(False)
            s.send(head[:1])
        except OSError:
            refused += 1
            s.close()
            continue
        conns[s.fileno()] = [s, time.monotonic(), 1, b"", None]
        sel.register(s, selectors.EVENT_READ)
    open_time = time.monotonic() - started
    if a.ready:
        open(a.ready, "w").close()

    def on_readable(c):
        try:
            data = c[0].recv(65536)
        except (ConnectionResetError, BlockingIOError, OSError) as e:
            if isinstance(e, BlockingIOError):
                return
            data = b""
        if data:
            c[3] += data
            return
        c[4] = time.monotonic()
        sel.unregister(c[0])
        c[0].close()

    next_byte = time.monotonic() + a.interval
    end = started + a.duration
    while time.monotonic() < end and any(c[4] is None for c in conns.values()):
        timeout = max(0.0, min(next_byte, end) - time.monotonic())
        for key, _ in sel.select(timeout):
            on_readable(conns[key.fd])
        if time.monotonic() >= next_byte:
            next_byte += a.interval
            for c in conns.values():
                if c[4] is None and c[2] < len(head):
                    try:
                        c[0].send(head[c[2]:c[2] + 1])
                        c[2] += 1
                    except OSError:
                        pass  # closed by the server: the read side records it

    lifetimes = sorted(c[4] - c[1] for c in conns.values() if c[4] is not None)
    # Closed without a byte of answer: refused, or evicted for a newer connection, by a connection cap
    # (a timed-out head is answered).
    capped = sum(1 for c in conns.values() if c[4] is not None and not c[3])
    answered = sum(1 for c in conns.values() if c[3].startswith(b"HTTP/1.1 400 ") and b"<Code>RequestTimeout</Code>" in c[3])
    still_open = sum(1 for c in conns.values() if c[4] is None)
    for c in conns.values():
        if c[4] is None:
            c[0].close()

    def q(p):
        return round(lifetimes[min(len(lifetimes) - 1, int(p * len(lifetimes)))], 2) if lifetimes else None

    print(json.dumps({
        "connections": a.connections, "connected": len(conns), "connectFailed": refused,
        "openSeconds": round(open_time, 2), "closed": len(lifetimes), "closedWithoutAnswer": capped,
        "answeredRequestTimeout": answered, "stillOpen": still_open,
        "closeAfterFirstByteSeconds": {"p50": q(0.5), "p90": q(0.9), "max": round(lifetimes[-1], 2) if lifetimes else None,
                                       "median": round(statistics.median(lifetimes), 2) if lifetimes else None},
    }))


if __name__ == "__main__":
    main()
