"""Prints presigned GET and PUT URLs made by boto3 with its default configuration for us-east-1,
or with signature_version="s3v4" when the first argument is "s3v4". Output: name=value lines."""
import os
import sys

import boto3
from botocore.config import Config

kwargs = {}
if len(sys.argv) > 1 and sys.argv[1] == "s3v4":
    kwargs["config"] = Config(signature_version="s3v4")
s3 = boto3.client(
    "s3",
    region_name="us-east-1",
    endpoint_url=os.environ["TARN_ENDPOINT"],
    aws_access_key_id=os.environ["TARN_ACCESS_KEY"],
    aws_secret_access_key=os.environ["TARN_SECRET_KEY"],
    **kwargs,
)
bucket = os.environ["TARN_BUCKET"]
print("version=" + boto3.__version__)
print("get=" + s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": os.environ["TARN_GET_KEY"]}, ExpiresIn=600))
print("put=" + s3.generate_presigned_url(
    "put_object", Params={"Bucket": bucket, "Key": os.environ["TARN_PUT_KEY"]}, ExpiresIn=600))
