"""A current boto3's conditional delete_object (IfMatch) against a Tarn server.

Run by io.tarn.it.cli.Boto3Test with the endpoint, credentials and bucket in the environment,
with the client's default settings. Prints one `name=value` line per observation for the Java test
to assert, and exits non-zero (with a traceback) on anything unexpected.
"""
import os

import botocore
from botocore.exceptions import ClientError

from tarn_it import client, out


def error_of(call):
    try:
        call()
    except ClientError as e:
        return f"{e.response['ResponseMetadata']['HTTPStatusCode']} {e.response['Error']['Code']}"
    return "none"


def main():
    env = os.environ
    s3 = client()
    bucket = env["TARN_BUCKET"]
    out("botocore", botocore.__version__)
    s3.create_bucket(Bucket=bucket)
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"conditional")["ETag"]

    out("stale_if_match", error_of(lambda: s3.delete_object(
        Bucket=bucket, Key="k", IfMatch='"0123456789abcdef0123456789abcdef"')))
    out("still_there", s3.head_object(Bucket=bucket, Key="k")["ETag"] == etag)
    deleted = s3.delete_object(Bucket=bucket, Key="k", IfMatch=etag)
    out("matching_if_match", deleted["ResponseMetadata"]["HTTPStatusCode"])
    out("missing_if_match", error_of(lambda: s3.delete_object(Bucket=bucket, Key="k", IfMatch="*")))
    s3.delete_bucket(Bucket=bucket)


if __name__ == "__main__":
    main()
