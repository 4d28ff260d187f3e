package io.tarn.s3.xml;

import io.tarn.storage.StoredChecksum;
import java.time.Instant;

/**
 * UploadPartCopy response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html):
 * LastModified, ETag, then the part's checksum.
 *
 * @param etag the part's ETag, without quotes
 * @param lastModified when the part was stored
 * @param checksum the part's checksum, or {@code null}
 */
public record CopyPartResult(String etag, Instant lastModified, StoredChecksum checksum) implements XmlResponse {
  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("CopyPartResult")
        .element("LastModified", lastModified)
        .element("ETag", XmlWriter.quoteETag(etag));
    Checksums.writeValue(w, checksum);
    return w.toBytes();
  }
}
