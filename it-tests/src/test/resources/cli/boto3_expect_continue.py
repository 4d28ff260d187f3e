"""Two PUTs on one kept-alive connection, the first with an empty body: botocore sends both with
Expect: 100-continue. If the server answers the empty one without a 100 Continue, botocore keeps that
answer's status line for the connection and misreads the next response (it then waits for the read
timeout, or, if the server dies meanwhile, reports 200 for a PUT that was never committed).

Retries off and a short read timeout, so that a misread shows as an error instead of a slow success.
Prints name=value lines.
"""
import hashlib
import os

from botocore.config import Config

from tarn_it import client, out

s3 = client(Config(read_timeout=15, retries={"total_max_attempts": 1, "mode": "standard"}))
bucket = os.environ["TARN_BUCKET"]
s3.create_bucket(Bucket=bucket)
for i in range(3):
    empty = s3.put_object(Bucket=bucket, Key=f"empty-{i}", Body=b"")
    body = f"body {i}".encode()
    full = s3.put_object(Bucket=bucket, Key=f"full-{i}", Body=body)
    same = full.get("ETag") == '"' + hashlib.md5(body).hexdigest() + '"'
    out(f"put_{i}", f"{empty['ResponseMetadata']['HTTPStatusCode']} {full['ResponseMetadata']['HTTPStatusCode']} {same}")
out("stored", ",".join(sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])))
