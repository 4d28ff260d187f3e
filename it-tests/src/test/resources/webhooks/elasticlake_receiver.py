"""A webhook receiver written to ElasticLake's webhooks document
(https://elasticlake.com/blog/webhooks-event-driven), as its readers write one: the document's
verify_webhook as it stands, its handler's steps (X-ElasticLake-Signature over the raw body, then
the JSON payload's documented fields), on the standard library's http.server instead of Flask.

Prints "PORT=<n>" once listening on 127.0.0.1; appends one JSON line per request to $RECEIVER_LOG
saying what the handler saw, for the test to check.
"""
import hashlib
import hmac
import json
import os
import sys
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"]
LOG = os.environ["RECEIVER_LOG"]
_lock = threading.Lock()


# From the document, unchanged.
def verify_webhook(payload, signature, secret):
    expected = hmac.new(
        secret.encode(),
        payload.encode(),
        hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(f'sha256={expected}', signature)


def record(entry):
    with _lock, open(LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            status, entry = self.handle_webhook(data)
        except Exception as e:  # what Flask would turn into a 500: the test sees why
            status, entry = 500, {"verified": False, "error": f"{type(e).__name__}: {e}"}
        entry["tarnEvent"] = self.headers.get("X-Tarn-Event")
        record(entry)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # The document's handle_webhook, on http.server.
    def handle_webhook(self, data):
        signature = self.headers.get('X-ElasticLake-Signature')
        if not verify_webhook(data.decode(), signature, WEBHOOK_SECRET):
            return 401, {"verified": False, "error": "Invalid signature"}
        event = json.loads(data)
        obj = event['object']
        # The document's timestamp: "2025-10-30T14:22:33Z".
        when = datetime.strptime(event['timestamp'], '%Y-%m-%dT%H:%M:%SZ')
        return 200, {
            "verified": True,
            "event": event['event'],
            "timestamp": when.isoformat(),
            "bucket": event['bucket'],
            "key": obj['key'],
            "size": obj['size'],
            "etag": obj['etag'],
            "contentType": obj['contentType'],
        }

    def log_message(self, fmt, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"PORT={server.server_address[1]}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
