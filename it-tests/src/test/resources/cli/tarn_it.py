"""What the it-tests' Python scripts share: their output protocol, file digests and the client.

Copied beside each script by io.tarn.it.support.Boto3. A script prints one `name=value` line per
observation for the Java test to assert, and exits non-zero (with a traceback) if any call fails.
"""
import hashlib
import os

import boto3

MIB = 1024 * 1024


def out(name, value):
    print(f"{name}={value}", flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MIB), b""):
            h.update(chunk)
    return h.hexdigest()


def client(config=None):
    """An S3 client for the server the test started; config=None keeps every boto3 default."""
    env = os.environ
    return boto3.client(
        "s3",
        endpoint_url=env["TARN_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id=env["TARN_ACCESS_KEY"],
        aws_secret_access_key=env["TARN_SECRET_KEY"],
        config=config,
    )
