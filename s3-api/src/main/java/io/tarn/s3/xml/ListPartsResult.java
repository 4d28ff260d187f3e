package io.tarn.s3.xml;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.PartSummary;
import io.tarn.storage.StoredChecksum;
import java.time.Instant;
import java.util.List;

/**
 * ListParts response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html), in the
 * order of that page's example: Bucket, Key, UploadId, Initiator, Owner, StorageClass,
 * PartNumberMarker, NextPartNumberMarker, MaxParts, IsTruncated, then ChecksumAlgorithm,
 * ChecksumType and the parts.
 *
 * @param nextPartNumberMarker the last part number on this page (0 when empty)
 * @param checksumAlgorithm the upload's checksum algorithm, or {@code null}
 * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT}, or {@code null}
 */
public record ListPartsResult(
    String bucket,
    String key,
    String uploadId,
    Owner initiator,
    Owner owner,
    int partNumberMarker,
    int nextPartNumberMarker,
    int maxParts,
    boolean truncated,
    ChecksumAlgorithm checksumAlgorithm,
    String checksumType,
    List<Part> parts) implements XmlResponse {

  public ListPartsResult {
    parts = List.copyOf(parts);
  }

  /** @param etag without quotes; @param checksum the part's checksum, or {@code null} */
  public record Part(int partNumber, Instant lastModified, String etag, long size, StoredChecksum checksum) {
    public static Part of(PartSummary p) {
      return new Part(p.partNumber(), p.lastModified(), p.etag(), p.size(), p.checksum());
    }
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("ListPartsResult")
        .element("Bucket", bucket).element("Key", key).element("UploadId", uploadId);
    initiator.write(w, "Initiator");
    owner.write(w, "Owner");
    w.element("StorageClass", "STANDARD")
        .element("PartNumberMarker", partNumberMarker)
        .element("NextPartNumberMarker", nextPartNumberMarker)
        .element("MaxParts", maxParts)
        .element("IsTruncated", truncated)
        .optional("ChecksumAlgorithm", checksumAlgorithm == null ? null : checksumAlgorithm.s3Name())
        .optional("ChecksumType", checksumType);
    for (Part p : parts) {
      w.start("Part").element("PartNumber", p.partNumber()).element("LastModified", p.lastModified())
          .element("ETag", XmlWriter.quoteETag(p.etag())).element("Size", p.size());
      Checksums.writeValue(w, p.checksum());
      w.end();
    }
    return w.toBytes();
  }
}
