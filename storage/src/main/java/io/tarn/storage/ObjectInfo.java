package io.tarn.storage;

import io.tarn.storage.access.Acl;
import java.time.Instant;
import java.util.List;

/**
 * A stored object's metadata.
 *
 * @param bucket bucket name
 * @param key object key
 * @param size bytes
 * @param etag without quotes: hex MD5, or {@code hex(md5(part md5s))-N} for multipart objects
 * @param lastModified commit time (millisecond precision)
 * @param metadata HTTP metadata
 * @param checksum the additional checksum, or {@code null}
 * @param parts for a multipart object its parts in order (with sizes, for {@code partNumber} and
 *     GetObjectAttributes); empty for a single PUT
 * @param ownerId canonical id of the object's owner (its writer, or the bucket owner as the bucket's
 *     Object Ownership says)
 * @param acl the object's ACL (owner {@code ownerId})
 */
public record ObjectInfo(
    String bucket,
    String key,
    long size,
    String etag,
    Instant lastModified,
    ObjectMetadata metadata,
    StoredChecksum checksum,
    List<PartSummary> parts,
    String ownerId,
    Acl acl) {

  public ObjectInfo {
    parts = List.copyOf(parts);
  }

  public boolean isMultipart() {
    return !parts.isEmpty();
  }
}
