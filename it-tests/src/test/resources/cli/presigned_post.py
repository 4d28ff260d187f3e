"""Prints the url and form fields of boto3's generate_presigned_post for TARN_BUCKET/TARN_POST_KEY.

Default configuration (for us-east-1 boto3 signs the form with Signature Version 2), or
signature_version="s3v4" when TARN_SIGNATURE is "s3v4". TARN_POST_FIELDS and TARN_POST_CONDITIONS are
JSON (boto3's Fields and Conditions), TARN_POST_EXPIRES the seconds until the policy expires (negative:
already expired). Output: name=value lines, the fields as one JSON object in boto3's order."""
import json
import os

import boto3
from botocore.config import Config

from tarn_it import client, out

env = os.environ
s3 = client(Config(signature_version="s3v4") if env.get("TARN_SIGNATURE") == "s3v4" else None)
post = s3.generate_presigned_post(
    env["TARN_BUCKET"], env["TARN_POST_KEY"],
    Fields=json.loads(env.get("TARN_POST_FIELDS", "null")),
    Conditions=json.loads(env.get("TARN_POST_CONDITIONS", "null")),
    ExpiresIn=int(env.get("TARN_POST_EXPIRES", "600")))
out("version", boto3.__version__)
out("url", post["url"])
out("fields", json.dumps(post["fields"]))
