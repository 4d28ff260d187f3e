package io.tarn.s3.xml;

import io.tarn.storage.StoredChecksum;

/**
 * CompleteMultipartUpload response
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html): Location,
 * Bucket, Key, ETag, the checksum, ChecksumType.
 *
 * @param location the object's URL
 * @param etag the object's ETag without quotes ({@code hex-N})
 * @param checksum the object's checksum, or {@code null}
 */
public record CompleteMultipartUploadResult(String location, String bucket, String key, String etag, StoredChecksum checksum)
    implements XmlResponse {
  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("CompleteMultipartUploadResult")
        .element("Location", location).element("Bucket", bucket).element("Key", key)
        .element("ETag", XmlWriter.quoteETag(etag));
    Checksums.writeValue(w, checksum);
    return w.optional("ChecksumType", checksum == null ? null : checksum.type()).toBytes();
  }
}
