"""Mixed load and verifier for the crash loops (bench/kill-loop.sh, bench/power-loss.sh).

  setup  EP AK SK JOURNAL            creates the bucket
  write  EP AK SK JOURNAL            8 boto3 threads (current boto3, default settings) run a mixed load
                                     until killed; every operation is journaled before it is sent and
                                     again once acknowledged
  verify EP AK SK JOURNAL EVENTS     reads everything back and checks the webhook receiver's journal

The load, per thread: PUTs of 0 B, 1 B, 1000 B, 64 KiB, 200 KiB and 8 MiB+1 to new keys, 2-part multipart
uploads (5 MiB + up to 1 MiB), overwrites of the thread's existing keys (also keys of earlier cycles),
deletes of them. Keys are `d/<thread>/...` (even threads) or `n/<thread>/...` (odd), so the two webhook
rules (ObjectCreated:* on every key -> /created, ObjectRemoved:* on prefix d/ -> /removed) see both a
match and a miss.

The journal (appended with one write per line and fsynced) has `I <key> <op> <md5>` before an operation
and `A <key> <op> <md5> <etag>` after its success (op: put, mpu, del; `-` for none). Thread t owns every
key `*/t/*`, in this process and in every later one (processes never overlap), so the operations on a key
are strictly ordered and the last acknowledged one defines its state. A key whose operation failed (or was
in flight at the kill) is never touched again: its final state may be the last acknowledged one or the
failed operation's -- both are acceptable, for that operation only.

verify checks, after the final restart:
  * every key is in an acceptable state: its bytes (MD5) are those of the last acknowledged write, or it
    is absent if that was a delete; or it is the outcome of the one unacknowledged operation after it.
    Anything else -- a missing acknowledged object, wrong or short bytes -- counts as lost;
  * the listing holds exactly the keys that exist, each readable, with its listed size;
  * every acknowledged mutation (and an unacknowledged one the final state shows happened) was
    delivered to its rule at least once: per key and event name and ETag, at least as many distinct
    sequencers as such operations (waits up to --events-wait seconds for the queue to drain);
  * no event names an operation never attempted, and none reached /removed for a key outside d/.
Exit status 0 only if all hold.
"""
import hashlib
import json
import os
import random
import sys
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

BUCKET = "crash"
THREADS = 8
MIB = 1024 * 1024
# Empty, tiny, inline in RocksDB's WAL and SSTs, inline in a RocksDB blob file (values of 4 KiB and more),
# a Tarn blob file (over the 128 KiB inline threshold), a big Tarn blob file.
SIZES = [0, 1, 1000, 64 * 1024, 200 * 1024, 8 * MIB + 1]
WEIGHTS = [19, 19, 19, 19, 16, 8]  # fewer big ones: a long loop must not fill the disk
EMPTY_MD5 = hashlib.md5(b"").hexdigest()
EVENT_OF = {"put": "ObjectCreated:Put", "mpu": "ObjectCreated:CompleteMultipartUpload", "del": "ObjectRemoved:Delete"}


def client(ep, ak, sk):
    return boto3.client("s3", endpoint_url=ep, aws_access_key_id=ak, aws_secret_access_key=sk,
                        region_name="us-east-1", config=Config(retries={"max_attempts": 1},
                        connect_timeout=3, read_timeout=20, s3={"addressing_style": "path"}))


def read_journal(path):
    """Per key, the list of (kind, op, md5, etag) in order; a torn last line is ignored."""
    ops = {}
    with open(path) as f:
        for line in f:
            if not line.endswith("\n"):
                break
            p = line.split()
            if p[0] == "I" and len(p) == 4:
                ops.setdefault(p[1], []).append(("I", p[2], p[3], None))
            elif p[0] == "A" and len(p) == 5:
                ops.setdefault(p[1], []).append(("A", p[2], p[3], p[4]))
    return ops


def key_state(records):
    """(acknowledged state, [(op, md5, etag, acked)] in order, unacknowledged op or None).
    A state is the MD5 of the object's bytes, or None when it does not exist."""
    state, done, pending = None, [], None
    for kind, op, md5, etag in records:
        if kind == "I":
            pending = (op, md5)
        else:
            state = None if op == "del" else md5
            done.append((op, md5, etag))
            pending = None
    return state, done, pending


def size(rnd):
    return rnd.choices(SIZES, WEIGHTS)[0]


def write(ep, ak, sk, journal):
    s3 = client(ep, ak, sk)
    try:
        s3.create_bucket(Bucket=BUCKET)
    except Exception:
        pass
    run = os.urandom(4).hex()  # keys stay unique across cycles (pids are reused in a long loop)
    owned = [dict() for _ in range(THREADS)]  # thread -> key -> state (md5 or None), keys safe to touch
    earlier = {}  # key of an earlier cycle -> the ETag it must have (None: absent), checked before first use
    if os.path.exists(journal):
        for key, records in read_journal(journal).items():
            state, done, pending = key_state(records)
            if pending is None and records[-1][0] == "A":
                owned[int(key.split("/")[1])][key] = state
                earlier[key] = None if state is None else done[-1][2]
    lock = threading.Lock()
    jf = open(journal, "a")

    def log(line):
        with lock:
            jf.write(line + "\n"); jf.flush(); os.fsync(jf.fileno())

    def still_there(key, etag):
        """Before a key of an earlier cycle is overwritten or deleted: is it as acknowledged? A lost write
        that a later overwrite replaced would be invisible at the end; it is journaled here (`L`)."""
        try:
            got = s3.head_object(Bucket=BUCKET, Key=key)["ETag"].strip('"')
        except ClientError as e:
            if e.response["Error"]["Code"] not in ("404", "NoSuchKey"):
                return False  # cannot tell (e.g. the server is going down): leave the key alone
            got = None
        except Exception:
            return False
        if got != etag:
            log(f"L {key} {etag or '-'} {got or '-'}")
            return False
        return True

    def worker(t):
        rnd = random.Random()
        mine = owned[t]
        prefix = ("d" if t % 2 == 0 else "n") + f"/{t}/{run}-"
        i = 0
        while True:
            roll = rnd.random()
            existing = [k for k, s in mine.items() if s is not None]
            if roll < 0.2 and existing:
                key, op, body = rnd.choice(existing), "del", None
            elif roll < 0.45 and mine:
                key, op = rnd.choice(list(mine)), "put"
                body = os.urandom(size(rnd))
            else:
                i += 1
                key = prefix + str(i)
                op = "mpu" if roll > 0.88 else "put"
                body = os.urandom(5 * MIB + rnd.randint(1, MIB) if op == "mpu" else size(rnd))
            if key in earlier and not still_there(key, earlier.pop(key)):
                mine.pop(key, None)
                continue
            md5 = "-" if body is None else hashlib.md5(body).hexdigest()
            log(f"I {key} {op} {md5}")
            try:
                if op == "del":
                    s3.delete_object(Bucket=BUCKET, Key=key)
                    etag = "-"
                elif op == "put":
                    etag = s3.put_object(Bucket=BUCKET, Key=key, Body=body)["ETag"].strip('"')
                else:
                    up = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
                    half = 5 * MIB
                    p1 = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=1, Body=body[:half])
                    p2 = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=2, Body=body[half:])
                    etag = s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=up, MultipartUpload={"Parts": [
                        {"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["ETag"]}]})["ETag"].strip('"')
            except Exception:
                mine.pop(key, None)  # in doubt: never touched again
                time.sleep(0.05)
                continue
            log(f"A {key} {op} {md5} {etag}")
            mine[key] = None if op == "del" else md5

    for t in range(THREADS):
        threading.Thread(target=worker, args=(t,), daemon=True).start()
    threading.Event().wait()


def read_events(path):
    events = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.endswith("\n"):
                    events.append(json.loads(line))
    return events


def verify(ep, ak, sk, journal, events_path, wait):
    s3 = client(ep, ak, sk)
    ops = read_journal(journal)
    failures = []
    with open(journal) as f:
        for line in f:
            p = line.split()
            if line.endswith("\n") and p[0] == "L" and len(p) == 4:
                failures.append(f"{p[1]}: lost between cycles: acknowledged ETag {p[2]}, found {p[3]} before overwriting it")
    counts = {"put": 0, "mpu": 0, "del": 0, "overwrite": 0}
    expected_events = {}  # (path, key, eventName, etag) -> operations that must have an event
    attempted = set()  # (key, eventName, etag) of every operation tried
    exists = {}
    for key, records in sorted(ops.items()):
        state, done, pending = key_state(records)
        for n, (op, md5, _) in enumerate(done):
            counts[op] += 1
            if op == "put" and n > 0:
                counts["overwrite"] += 1
        for kind, op, md5, etag in records:
            attempted.add((key, EVENT_OF[op], None if op == "del" else (etag if etag not in (None, "-") else
                                                                       (md5 if op == "put" else "*"))))
        failed = "GET failed"
        try:
            body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
            got = hashlib.md5(body).hexdigest()
        except ClientError as e:
            got = None
            if e.response["Error"]["Code"] != "NoSuchKey":
                got = failed
                failures.append(f"{key}: GET failed: {e}")
        except Exception as e:
            got = failed
            failures.append(f"{key}: GET failed: {type(e).__name__} {str(e)[:160]}")
        acceptable = {state, failed}  # a failed GET is counted above
        pending_state = None
        if pending is not None:
            pending_state = None if pending[0] == "del" else pending[1]
            acceptable.add(pending_state)
        if got not in acceptable:
            what = "missing" if got is None else "wrong bytes"
            failures.append(f"{key}: {what}: got {got}, acknowledged state {state}, in-flight {pending}")
        if got not in (None, failed):
            exists[key] = len(body)
        effective = list(done)
        if pending is not None and got == pending_state and pending_state != state:
            # The unacknowledged operation happened (the final state shows it): its event is owed too.
            effective.append((pending[0], pending[1], None))
        for op, md5, etag in effective:
            path = "/removed" if op == "del" else "/created"
            if op == "del" and not key.startswith("d/"):
                continue
            if etag is None:  # an in-flight put: its ETag is the MD5 (multipart: unknown, match any)
                etag = md5 if op == "put" else "*"
            k = (path, key, EVENT_OF[op], None if op == "del" else etag)
            expected_events[k] = expected_events.get(k, 0) + 1

    listed = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for o in page.get("Contents", []):
            listed[o["Key"]] = o["Size"]
    for key, size in listed.items():
        if key not in exists:
            failures.append(f"listed but not readable or never written: {key}")
        elif exists[key] != size:
            failures.append(f"{key}: listed with size {size}, GET gave {exists[key]} bytes")
    for key in exists:
        if key not in listed:
            failures.append(f"readable but not listed: {key}")

    def delivered():
        got = {}
        for e in read_events(events_path):
            if "eventName" not in e:
                continue
            got.setdefault((e["path"], e["key"], e["eventName"], e.get("eTag")), set()).add(e["sequencer"])
        return got

    def missing(got):
        out = []
        for (path, key, name, etag), n in expected_events.items():
            have = got.get((path, key, name, etag), set())
            if etag == "*":
                have = set().union(*[s for (p, k, nm, _), s in got.items() if (p, k, nm) == (path, key, name)] or [set()])
            if len(have) < n:
                out.append(f"{path} {key} {name} {etag}: {len(have)} of {n} delivered")
        return out

    deadline = time.time() + wait
    got = delivered()
    while missing(got) and time.time() < deadline:
        time.sleep(1)
        got = delivered()
    lacking = missing(got)
    phantom = []
    for (path, key, name, etag) in got:
        if path == "/removed" and not key.startswith("d/"):
            phantom.append(f"{path} {key} {name}: the rule's prefix is d/")
        elif (key, name, etag) not in attempted and (key, name, "*") not in attempted:
            phantom.append(f"{path} {key} {name} {etag}: no such operation was ever sent")
    for f in failures + ["event missing: " + m for m in lacking] + ["event unexpected: " + p for p in phantom]:
        print(f, file=sys.stderr)
    acked = counts["put"] + counts["mpu"] + counts["del"]
    print(f"{acked} acknowledged operations ({counts['put']} put, of which {counts['overwrite']} overwrites; "
          f"{counts['mpu']} multipart; {counts['del']} delete) on {len(ops)} keys, {len(exists)} exist; "
          f"{len(failures)} lost or wrong; events: {sum(expected_events.values())} owed, {len(lacking)} missing, "
          f"{len(phantom)} unexpected, {sum(len(s) for s in got.values())} distinct delivered")
    return 0 if not failures and not lacking and not phantom else 1


if __name__ == "__main__":
    mode, ep, ak, sk, journal = sys.argv[1:6]
    if mode == "setup":
        client(ep, ak, sk).create_bucket(Bucket=BUCKET)
    elif mode == "write":
        write(ep, ak, sk, journal)
    else:
        wait = float(os.environ.get("EVENTS_WAIT", "180"))
        sys.exit(verify(ep, ak, sk, journal, sys.argv[6], wait))
