package io.tarn.s3.xml;

import io.tarn.storage.StoredChecksum;
import java.util.List;

/**
 * GetObjectAttributes response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html).
 * Only the requested attributes are present: a {@code null} field is omitted. Order: ETag,
 * Checksum, ObjectParts, StorageClass, ObjectSize. Unlike every other document, S3 writes this ETag
 * without quotes.
 *
 * @param etag ETag without quotes, or {@code null}
 * @param checksum the full-object or composite checksum, or {@code null}
 * @param objectParts the parts of a multipart object, or {@code null}
 * @param storageClass e.g. {@code STANDARD}, or {@code null}
 * @param objectSize bytes, or {@code null}
 */
public record GetObjectAttributesResponse(
    String etag, StoredChecksum checksum, ObjectParts objectParts, String storageClass, Long objectSize)
    implements XmlResponse {

  /**
   * {@code ObjectParts}: PartsCount, PartNumberMarker, NextPartNumberMarker, MaxParts, IsTruncated,
   * Part....
   *
   * @param partsCount total number of parts of the object
   * @param parts the parts on this page (S3 lists them only when the object has part checksums)
   */
  public record ObjectParts(
      int partsCount, int partNumberMarker, int nextPartNumberMarker, int maxParts, boolean truncated, List<Part> parts) {
    public ObjectParts {
      parts = List.copyOf(parts);
    }
  }

  /** @param checksum the part's checksum, or {@code null} */
  public record Part(int partNumber, long size, StoredChecksum checksum) {}

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("GetObjectAttributesResponse").optional("ETag", etag);
    if (checksum != null) {
      w.start("Checksum");
      Checksums.writeValue(w, checksum);
      w.element("ChecksumType", checksum.type()).end();
    }
    if (objectParts != null) {
      w.start("ObjectParts")
          .element("PartsCount", objectParts.partsCount())
          .element("PartNumberMarker", objectParts.partNumberMarker())
          .element("NextPartNumberMarker", objectParts.nextPartNumberMarker())
          .element("MaxParts", objectParts.maxParts())
          .element("IsTruncated", objectParts.truncated());
      for (Part p : objectParts.parts()) {
        w.start("Part").element("PartNumber", p.partNumber()).element("Size", p.size());
        Checksums.writeValue(w, p.checksum());
        w.end();
      }
      w.end();
    }
    w.optional("StorageClass", storageClass);
    if (objectSize != null) {
      w.element("ObjectSize", objectSize.longValue());
    }
    return w.toBytes();
  }
}
