package io.tarn.s3.xml;

import io.tarn.storage.StoredChecksum;
import java.time.Instant;

/**
 * CopyObject response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html):
 * LastModified, ETag (the order of the page's example), then ChecksumType and the checksum.
 *
 * @param etag the new object's ETag, without quotes
 * @param lastModified the new object's modification time
 * @param checksum the new object's additional checksum, or {@code null}
 */
public record CopyObjectResult(String etag, Instant lastModified, StoredChecksum checksum) implements XmlResponse {
  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("CopyObjectResult")
        .element("LastModified", lastModified)
        .element("ETag", XmlWriter.quoteETag(etag))
        .optional("ChecksumType", checksum == null ? null : checksum.type());
    Checksums.writeValue(w, checksum);
    return w.toBytes();
  }
}
