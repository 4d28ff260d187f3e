"""Non-ASCII user metadata through boto3: reads what a raw UTF-8 PUT stored, and round-trips an
RFC 2047 encoded-word. Output: name=value lines."""
import email.header
import os

import boto3

from tarn_it import client

s3 = client()
bucket = os.environ["TARN_BUCKET"]
print("version=" + boto3.__version__)
raw = s3.head_object(Bucket=bucket, Key="raw.txt")["Metadata"]["name"]
print("raw_header=" + raw)
print("raw_decoded=" + str(email.header.make_header(email.header.decode_header(raw))))
encoded = email.header.Header("café", "utf-8").encode()
s3.put_object(Bucket=bucket, Key="boto3.txt", Body=b"boto3", Metadata={"name": encoded})
print("roundtrip_same=" + str(s3.head_object(Bucket=bucket, Key="boto3.txt")["Metadata"]["name"] == encoded))
try:
    s3.put_object(Bucket=bucket, Key="refused.txt", Body=b"x", Metadata={"name": "café"})
    print("non_ascii_put=sent")
except Exception as e:  # botocore refuses non-ASCII metadata before sending
    print("non_ascii_put=" + type(e).__name__)
