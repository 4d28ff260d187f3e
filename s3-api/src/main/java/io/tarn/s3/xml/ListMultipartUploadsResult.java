package io.tarn.s3.xml;

import io.tarn.core.checksum.ChecksumAlgorithm;
import java.time.Instant;
import java.util.List;

/**
 * ListMultipartUploads response
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html), in the order of
 * that page's examples: Bucket, KeyMarker, UploadIdMarker, NextKeyMarker, NextUploadIdMarker,
 * Delimiter, Prefix, EncodingType, MaxUploads, IsTruncated, Upload..., CommonPrefixes.... With
 * {@code urlEncoding}, KeyMarker, NextKeyMarker, Delimiter, Prefix, Key and CommonPrefixes/Prefix
 * are URL-encoded.
 *
 * @param keyMarker the request's key-marker, or {@code null} (written empty)
 * @param uploadIdMarker the request's upload-id-marker, or {@code null} (written empty)
 * @param nextKeyMarker when truncated, the key to resume at, else {@code null}
 * @param nextUploadIdMarker when truncated, the upload id to resume at, else {@code null}
 * @param delimiter the request's delimiter, or {@code null} to omit
 * @param prefix the request's prefix; {@code null} or {@code ""} omit it
 */
public record ListMultipartUploadsResult(
    String bucket,
    String keyMarker,
    String uploadIdMarker,
    String nextKeyMarker,
    String nextUploadIdMarker,
    String delimiter,
    String prefix,
    int maxUploads,
    boolean urlEncoding,
    boolean truncated,
    List<Upload> uploads,
    List<String> commonPrefixes) implements XmlResponse {

  public ListMultipartUploadsResult {
    uploads = List.copyOf(uploads);
    commonPrefixes = List.copyOf(commonPrefixes);
  }

  /**
   * One in-progress upload.
   *
   * @param checksumAlgorithm the upload's checksum algorithm, or {@code null}
   * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT}, or {@code null}
   */
  public record Upload(
      String key, String uploadId, Owner initiator, Owner owner, Instant initiated, ChecksumAlgorithm checksumAlgorithm,
      String checksumType) {}

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("ListMultipartUploadsResult")
        .element("Bucket", bucket)
        .element("KeyMarker", UrlEncoding.encodeIf(urlEncoding, keyMarker))
        .element("UploadIdMarker", uploadIdMarker)
        .optional("NextKeyMarker", UrlEncoding.encodeIf(urlEncoding, nextKeyMarker))
        .optional("NextUploadIdMarker", nextUploadIdMarker)
        .optional("Delimiter", UrlEncoding.encodeIf(urlEncoding, delimiter))
        .optional("Prefix", prefix == null || prefix.isEmpty() ? null : UrlEncoding.encodeIf(urlEncoding, prefix))
        .optional("EncodingType", urlEncoding ? "url" : null)
        .element("MaxUploads", maxUploads)
        .element("IsTruncated", truncated);
    for (Upload u : uploads) {
      w.start("Upload").element("Key", UrlEncoding.encodeIf(urlEncoding, u.key())).element("UploadId", u.uploadId());
      u.initiator().write(w, "Initiator");
      u.owner().write(w, "Owner");
      w.element("StorageClass", "STANDARD").element("Initiated", u.initiated())
          .optional("ChecksumAlgorithm", u.checksumAlgorithm() == null ? null : u.checksumAlgorithm().s3Name())
          .optional("ChecksumType", u.checksumType())
          .end();
    }
    ObjectEntry.writeCommonPrefixes(w, commonPrefixes, urlEncoding);
    return w.toBytes();
  }
}
