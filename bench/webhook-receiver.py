#!/usr/bin/env python3
"""A webhook receiver for bench/notify-bench.sh and the crash loops (bench/kill-loop.sh, bench/power-loss.sh).

Answers every POST with 204 after --delay seconds (threads, so slow answers do not queue), and
records for each delivery the delay from the event's commit (eventTime in the S3 payload) to its
arrival. On SIGTERM or SIGINT it prints one JSON line: count, p50/p99/max delay in ms.

With --journal FILE it also appends one JSON line per request (path, X-Tarn-Delivery, eventName, key,
eTag, sequencer) and fsyncs it BEFORE answering: a delivery the server saw answered is on disk, so
the crash loops' verifier can prove every acknowledged mutation's event arrived.
"""
import argparse
import datetime
import json
import signal
import sys
import threading
import os
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
delays = []
journal = None


def event_time(body):
    try:
        rec = json.loads(body)["Records"][0]
        t = rec["eventTime"]
        return datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    except (KeyError, ValueError, IndexError):
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.0

    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        t = event_time(body)
        if t is not None:
            with lock:
                delays.append((arrived - t) * 1000.0)
        if journal is not None:
            line = json.dumps(describe(self.path, self.headers.get("X-Tarn-Delivery"), body), separators=(",", ":"))
            with lock:
                journal.write(line + "\n")
                journal.flush()
                os.fsync(journal.fileno())
        if self.delay > 0:
            time.sleep(self.delay)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def describe(path, delivery, body):
    try:
        rec = json.loads(body)["Records"][0]
        obj = rec["s3"]["object"]
        return {"path": path, "delivery": delivery, "eventName": rec["eventName"],
                "key": urllib.parse.unquote_plus(obj["key"]), "eTag": obj.get("eTag"), "sequencer": obj.get("sequencer")}
    except (KeyError, ValueError, IndexError, TypeError):
        return {"path": path, "delivery": delivery, "unparsed": body.decode("utf-8", "replace")[:200]}


def pct(sorted_values, p):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return round(sorted_values[i], 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--journal", help="append each request's event to this file, fsynced before answering")
    args = ap.parse_args()
    global journal
    if args.journal:
        journal = open(args.journal, "a")
    Handler.delay = args.delay
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def stop(*_):
        with lock:
            d = sorted(delays)
        print(json.dumps({"received": len(d), "p50Ms": pct(d, 50), "p99Ms": pct(d, 99),
                          "maxMs": round(d[-1], 2) if d else None}, separators=(",", ":")), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()


if __name__ == "__main__":
    main()
