package io.tarn.s3.xml;

/**
 * CreateMultipartUpload response
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html). The checksum
 * algorithm and type travel as headers.
 */
public record InitiateMultipartUploadResult(String bucket, String key, String uploadId) implements XmlResponse {
  @Override
  public byte[] toXml() {
    return XmlWriter.s3Document("InitiateMultipartUploadResult")
        .element("Bucket", bucket).element("Key", key).element("UploadId", uploadId).toBytes();
  }
}
