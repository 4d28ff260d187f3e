package io.tarn.s3.xml;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.ObjectInfo;
import java.time.Instant;

/**
 * One {@code Contents} element of a listing
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html). Written in the order S3 uses:
 * Key, LastModified, ETag, ChecksumAlgorithm, ChecksumType, Size, Owner, StorageClass.
 *
 * @param key object key (URL-encoded on output when the listing asks for it)
 * @param lastModified last modification time
 * @param etag ETag without quotes
 * @param size bytes
 * @param checksumAlgorithm the object's additional checksum algorithm, or {@code null}
 * @param checksumType {@code FULL_OBJECT} or {@code COMPOSITE}, or {@code null}
 * @param owner the owner, or {@code null} to omit (ListObjectsV2 without fetch-owner)
 */
public record ObjectEntry(
    String key, Instant lastModified, String etag, long size, ChecksumAlgorithm checksumAlgorithm, String checksumType,
    Owner owner) {

  /** The entry for a stored object; {@code owner} {@code null} to omit it. */
  public static ObjectEntry of(ObjectInfo info, Owner owner) {
    return new ObjectEntry(info.key(), info.lastModified(), info.etag(), info.size(),
        info.checksum() == null ? null : info.checksum().algorithm(),
        info.checksum() == null ? null : info.checksum().type(), owner);
  }

  void write(XmlWriter w, boolean urlEncoding) {
    w.start("Contents")
        .element("Key", UrlEncoding.encodeIf(urlEncoding, key))
        .element("LastModified", lastModified)
        .element("ETag", XmlWriter.quoteETag(etag))
        .optional("ChecksumAlgorithm", checksumAlgorithm == null ? null : checksumAlgorithm.s3Name())
        .optional("ChecksumType", checksumType)
        .element("Size", size);
    if (owner != null) {
      owner.write(w, "Owner");
    }
    w.element("StorageClass", "STANDARD").end();
  }

  static void writeCommonPrefixes(XmlWriter w, Iterable<String> prefixes, boolean urlEncoding) {
    for (String p : prefixes) {
      w.start("CommonPrefixes").element("Prefix", UrlEncoding.encodeIf(urlEncoding, p)).end();
    }
  }
}
