"""boto3 with its DEFAULT settings against a Tarn server: what a new user's first script does.

No Config at all: whatever the installed botocore does by default (for 1.36+: CRC32 checksums on
uploads sent as aws-chunked trailers, response checksum validation on every GET, including the ranged
GETs of download_file). Run by io.tarn.it.cli.Boto3Test with both boto3 generations. Prints one
`name=value` line per observation; exits non-zero with a traceback if any call fails.
"""
import hashlib
import os
import sys

from tarn_it import MIB, client, out, sha256_file


def main():
    env = os.environ
    s3 = client()
    bucket = env["TARN_BUCKET"]
    work = env["TARN_WORK"]
    s3.create_bucket(Bucket=bucket)

    # A small PUT, then a whole GET: today's botocore checks the response checksum if one comes.
    body = b"hello from today's boto3\n" * 100
    s3.put_object(Bucket=bucket, Key="small.txt", Body=body)
    got = s3.get_object(Bucket=bucket, Key="small.txt")
    out("small_same", got["Body"].read() == body)
    ranged = s3.get_object(Bucket=bucket, Key="small.txt", Range="bytes=6-9")
    out("small_range", ranged["Body"].read().decode())

    # 20 MiB + 3: upload_file goes multipart (8 MiB threshold and parts), download_file reads it back
    # in parallel ranged GETs.
    src = os.path.join(work, "big.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(20 * MIB + 3))
    s3.upload_file(src, bucket, "big/file.bin")
    head = s3.head_object(Bucket=bucket, Key="big/file.bin", ChecksumMode="ENABLED")
    out("big_etag_parts", head["ETag"].strip('"').split("-")[-1])
    out("big_length", head["ContentLength"])
    dst = os.path.join(work, "big.down")
    s3.download_file(bucket, "big/file.bin", dst)
    out("big_download_same", sha256_file(src) == sha256_file(dst))

    with open(src, "rb") as f:
        f.seek(9 * MIB)
        expected = f.read(MIB)
    r = s3.get_object(Bucket=bucket, Key="big/file.bin", Range=f"bytes={9 * MIB}-{10 * MIB - 1}")
    out("big_range_same", r["Body"].read() == expected)
    out("big_range_status", r["ResponseMetadata"]["HTTPStatusCode"])
    with open(src, "rb") as f:
        f.seek(8 * MIB)
        part2 = f.read(8 * MIB)
    p = s3.get_object(Bucket=bucket, Key="big/file.bin", PartNumber=2, ChecksumMode="ENABLED")
    out("big_part2_same", p["Body"].read() == part2)
    out("big_parts_count", p.get("PartsCount"))
    whole = s3.get_object(Bucket=bucket, Key="big/file.bin", ChecksumMode="ENABLED")
    digest = hashlib.sha256()
    for chunk in whole["Body"].iter_chunks(MIB):
        digest.update(chunk)
    out("big_get_same", digest.hexdigest() == sha256_file(src))

    # A 12 MiB object in ONE PUT (a full-object checksum), downloaded in ranges: the reported failure.
    single = os.path.join(work, "single.bin")
    with open(single, "wb") as f:
        f.write(os.urandom(12 * MIB))
    with open(single, "rb") as f:
        s3.put_object(Bucket=bucket, Key="single.bin", Body=f)
    single_dst = os.path.join(work, "single.down")
    s3.download_file(bucket, "single.bin", single_dst)
    out("single_download_same", sha256_file(single) == sha256_file(single_dst))

    # Copies: CopyObject, and the managed copy (multipart UploadPartCopy above 8 MiB).
    s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "small.txt"})
    out("copy_same", s3.get_object(Bucket=bucket, Key="copy.txt")["Body"].read() == body)
    s3.copy({"Bucket": bucket, "Key": "big/file.bin"}, bucket, "big/copy.bin")
    copy_dst = os.path.join(work, "copy.down")
    s3.download_file(bucket, "big/copy.bin", copy_dst)
    out("big_copy_same", sha256_file(src) == sha256_file(copy_dst))

    # Listing page by page: the paginator passes each page's continuation token on.
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"page/{i}", Body=b"x")
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="page/", PaginationConfig={"PageSize": 2}):
        keys += [o["Key"] for o in page.get("Contents", [])]
    out("paged_keys", ",".join(keys))

    s3.delete_object(Bucket=bucket, Key="copy.txt")
    everything = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in everything]})
    out("deleted_count", len(deleted.get("Deleted", [])))
    s3.delete_bucket(Bucket=bucket)
    out("bucket_gone", bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
