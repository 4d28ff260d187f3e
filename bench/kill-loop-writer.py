"""Writer/verifier for the kill -9 loop (bench/kill-loop.sh; from the team's shared tools): `write` PUTs objects (0 B to 9 MiB, some multipart) from 8 threads
until killed, appending each *acknowledged* key and MD5 to an fsynced journal; `verify` reads every
journaled key back and counts mismatches."""
import hashlib, os, random, sys, threading
import boto3
from botocore.config import Config

mode, ep, ak, sk, journal = sys.argv[1:6]
s3 = boto3.client("s3", endpoint_url=ep, aws_access_key_id=ak, aws_secret_access_key=sk,
                  region_name="us-east-1", config=Config(retries={"max_attempts": 1},
                  connect_timeout=3, read_timeout=20, s3={"addressing_style": "path"}))
B = "crash"
# Unique per writer process: a pid alone repeats across a long loop (pids are reused), and a key written
# twice with other bytes would read back as a false "wrong bytes".
RUN = f"{os.getpid()}.{os.urandom(4).hex()}"

if mode == "write":
    try:
        s3.create_bucket(Bucket=B)
    except Exception:
        pass
    lock = threading.Lock()
    jf = open(journal, "a")

    def ack(key, md5):
        with lock:
            jf.write(f"{key} {md5}\n"); jf.flush(); os.fsync(jf.fileno())

    def worker(n):
        rnd = random.Random()
        i = 0
        while True:
            i += 1
            key = f"w{n}/{RUN}-{i}"
            kind = rnd.random()
            try:
                if kind < 0.1:
                    body = os.urandom(rnd.choice([5, 6]) * 1024 * 1024 + 7)
                    up = s3.create_multipart_upload(Bucket=B, Key=key)["UploadId"]
                    half = 5 * 1024 * 1024
                    p1 = s3.upload_part(Bucket=B, Key=key, UploadId=up, PartNumber=1, Body=body[:half])
                    p2 = s3.upload_part(Bucket=B, Key=key, UploadId=up, PartNumber=2, Body=body[half:])
                    s3.complete_multipart_upload(Bucket=B, Key=key, UploadId=up, MultipartUpload={"Parts": [
                        {"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["ETag"]}]})
                else:
                    body = os.urandom(rnd.choice([0, 1, 4096, 65537, 1024 * 1024, 9 * 1024 * 1024 + 1]))
                    s3.put_object(Bucket=B, Key=key, Body=body)
                ack(key, hashlib.md5(body).hexdigest())
            except Exception:
                pass

    for n in range(8):
        threading.Thread(target=worker, args=(n,), daemon=True).start()
    threading.Event().wait()
else:
    entries = [l.split() for l in open(journal) if len(l.split()) == 2 and l.endswith("\n")]
    lost = 0
    for n, (key, md5) in enumerate(entries):
        try:
            got = hashlib.md5(s3.get_object(Bucket=B, Key=key)["Body"].read()).hexdigest()
            if got != md5:
                lost += 1; print(f"journal line {n + 1}: {key}: wrong bytes", file=sys.stderr)
        except Exception as e:
            lost += 1; print(f"journal line {n + 1}: {key}: {type(e).__name__} {str(e)[:120]}", file=sys.stderr)
    print(f"{len(entries)} acknowledged writes, {lost} lost")
