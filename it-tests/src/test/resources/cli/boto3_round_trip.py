"""boto3 against a Tarn server: path-style basics and a multipart upload_file.

Run by io.tarn.it.cli.Boto3Test with the endpoint, credentials, bucket and a work directory in the
environment. Prints one `name=value` line per observation for the Java test to assert, and exits
non-zero (with a traceback) if any call fails.
"""
import os
import sys

from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from tarn_it import MIB, client, out, sha256_file


def main():
    env = os.environ
    s3 = client(Config(signature_version="s3v4", s3={"addressing_style": "path"},
                       retries={"max_attempts": 1, "mode": "standard"}))
    bucket = env["TARN_BUCKET"]
    work = env["TARN_WORK"]

    s3.create_bucket(Bucket=bucket)
    out("buckets_contain", bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]])

    put = s3.put_object(Bucket=bucket, Key="docs/hello.txt", Body=b"hello boto3",
                        ContentType="text/plain", Metadata={"lang": "python"})
    out("put_etag", put["ETag"])
    head = s3.head_object(Bucket=bucket, Key="docs/hello.txt")
    out("head_length", head["ContentLength"])
    out("head_type", head["ContentType"])
    out("head_meta", head["Metadata"].get("lang"))
    got = s3.get_object(Bucket=bucket, Key="docs/hello.txt")
    out("get_body", got["Body"].read().decode())
    ranged = s3.get_object(Bucket=bucket, Key="docs/hello.txt", Range="bytes=6-10")
    out("range_body", ranged["Body"].read().decode())
    out("range_status", ranged["ResponseMetadata"]["HTTPStatusCode"])

    s3.copy_object(Bucket=bucket, Key="docs/copy.txt", CopySource={"Bucket": bucket, "Key": "docs/hello.txt"})
    s3.put_object(Bucket=bucket, Key="top.txt", Body=b"top")
    listed = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    out("list_keys", ",".join(o["Key"] for o in listed.get("Contents", [])))
    out("list_prefixes", ",".join(p["Prefix"] for p in listed.get("CommonPrefixes", [])))
    nested = s3.list_objects_v2(Bucket=bucket, Prefix="docs/")
    out("nested_keys", ",".join(o["Key"] for o in nested.get("Contents", [])))

    # 12 MiB with a 5 MiB threshold and chunk size: three parts.
    src = os.path.join(work, "big.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(12 * MIB + 5))
    transfer = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=3)
    s3.upload_file(src, bucket, "big/file.bin", Config=transfer)
    out("multipart_etag", s3.head_object(Bucket=bucket, Key="big/file.bin")["ETag"])
    dst = os.path.join(work, "big.down")
    s3.download_file(bucket, "big/file.bin", dst, Config=transfer)
    out("multipart_same", sha256_file(src) == sha256_file(dst))

    try:
        s3.get_object(Bucket=bucket, Key="missing")
        out("missing_error", "none")
    except s3.exceptions.NoSuchKey as e:
        out("missing_error", e.response["Error"]["Code"])

    keys = [{"Key": k} for k in ("docs/hello.txt", "docs/copy.txt", "top.txt", "big/file.bin")]
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})
    out("deleted", ",".join(sorted(d["Key"] for d in deleted.get("Deleted", []))))
    s3.delete_bucket(Bucket=bucket)
    out("bucket_gone", bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
