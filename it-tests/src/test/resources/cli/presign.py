"""Prints presigned GET and PUT URLs made by boto3 with its default configuration for us-east-1, or
with signature_version="s3v4" when TARN_SIGNATURE is "s3v4". Output: name=value lines."""
import os

import boto3
from botocore.config import Config

from tarn_it import client, out

s3 = client(Config(signature_version="s3v4") if os.environ.get("TARN_SIGNATURE") == "s3v4" else None)
bucket = os.environ["TARN_BUCKET"]
out("version", boto3.__version__)
out("get", s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": os.environ["TARN_GET_KEY"]}, ExpiresIn=600))
out("put", s3.generate_presigned_url(
    "put_object", Params={"Bucket": bucket, "Key": os.environ["TARN_PUT_KEY"]}, ExpiresIn=600))
