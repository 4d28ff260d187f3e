package io.tarn.storage.objects;

import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.PartSummary;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.Grant;
import io.tarn.storage.meta.Codec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An object as stored in the {@code objects} column family (keyed by {@link ObjectTables#objectKey}). The bytes
 * are elsewhere, as its {@link Body} says: listing reads only these small records.
 *
 * @param grants the object's ACL grants (its owner is {@code ownerId}), or null for a record of an
 *     earlier build, which had no ACL: those objects were their owner's alone, {@link Acl#privateTo}
 */
record ObjectRecord(long size, String etag, long lastModifiedMillis, ObjectMetadata metadata, StoredChecksum checksum,
    String ownerId, Body body, List<Grant> grants) {
  /**
   * Format 2 adds the completed upload's id to a {@link Parts} body; format 1 records read without one.
   * Format 3 adds the manifest blob of a {@link BlobFile} or {@link Parts} body (older ones have none).
   * Format 4 adds the ACL grants.
   */
  static final int FORMAT = 4;

  ObjectRecord {
    grants = grants == null ? null : List.copyOf(grants);
  }

  ObjectRecord(long size, String etag, long lastModifiedMillis, ObjectMetadata metadata, StoredChecksum checksum,
      String ownerId, Body body) {
    this(size, etag, lastModifiedMillis, metadata, checksum, ownerId, body, null);
  }

  /** The object's ACL: its grants, or for a record without any, its owner's FULL_CONTROL. */
  Acl acl() {
    String owner = ownerId == null ? "" : ownerId;
    return grants == null ? Acl.privateTo(owner) : new Acl(owner, grants);
  }

  /** The same object with another ACL (PutObjectAcl: the owner stays). */
  ObjectRecord withGrants(List<Grant> newGrants) {
    return new ObjectRecord(size, etag, lastModifiedMillis, metadata, checksum, ownerId, body, newGrants);
  }
  private static final int INLINE = 1;
  private static final int FILE = 2;
  private static final int PARTS = 3;

  /** Where an object's bytes are. */
  sealed interface Body permits Inline, BlobFile, Parts {
    /** The blob files holding this body's bytes, in order (none for inline bytes). */
    List<String> fileIds();

    /**
     * The 0-byte blob file describing this object as made of {@link #fileIds()} (a completed upload
     * or a copy, whose data files describe a part or the copy's source: {@link BlobDescription}), or
     * null.
     */
    default String manifestId() {
      return null;
    }

    /** Every blob file this body owns and releases with it: its data files and its manifest. */
    default List<String> ownedIds() {
      if (manifestId() == null) {
        return fileIds();
      }
      List<String> ids = new ArrayList<>(fileIds());
      ids.add(manifestId());
      return ids;
    }
  }

  /** Bytes in the {@code inline} column family under {@code blobId}. */
  record Inline(String blobId) implements Body {
    @Override
    public List<String> fileIds() {
      return List.of();
    }
  }

  /**
   * Bytes in the blob file {@code blobId}.
   *
   * @param manifestId the manifest of a copy (whose {@code blobId} is a link to the source's file), or null
   */
  record BlobFile(String blobId, String manifestId) implements Body {
    BlobFile(String blobId) {
      this(blobId, null);
    }

    @Override
    public List<String> fileIds() {
      return List.of(blobId);
    }
  }

  /**
   * A completed multipart upload: the parts' blob files in order, never concatenated.
   *
   * @param uploadId the upload whose completion made this object, so that a retried completion can be
   *     answered like the first (null for a copy of it, and for objects of format 1)
   * @param manifestId the manifest blob (null in records of format 1 and 2)
   */
  record Parts(List<PartRecord> parts, String uploadId, String manifestId) implements Body {
    Parts {
      parts = List.copyOf(parts);
    }

    @Override
    public List<String> fileIds() {
      List<String> ids = new ArrayList<>(parts.size());
      for (PartRecord p : parts) {
        ids.add(p.blobId());
      }
      return ids;
    }
  }

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).varint(size).string(etag).i64(lastModifiedMillis);
    ObjectFields.metadata(out, metadata);
    ObjectFields.checksum(out, checksum);
    out.string(ownerId);
    if (body instanceof Inline i) {
      out.u8(INLINE).blobId(i.blobId());
    } else if (body instanceof BlobFile f) {
      out.u8(FILE).blobId(f.blobId());
      optionalBlobId(out, f.manifestId());
    } else {
      Parts p = (Parts) body; // the only other permitted Body
      out.u8(PARTS).varint(p.parts().size());
      for (PartRecord part : p.parts()) {
        part.writeFields(out);
      }
      out.string(p.uploadId());
      optionalBlobId(out, p.manifestId());
    }
    AclFields.writeOptional(out, grants);
    return out.toBytes();
  }

  private static void optionalBlobId(Codec.Out out, String id) {
    out.bool(id != null);
    if (id != null) {
      out.blobId(id);
    }
  }

  private static String optionalBlobId(Codec.In in) {
    return in.format() >= 3 && in.bool() ? in.blobId() : null;
  }

  static ObjectRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "object", 1, FORMAT);
    long size = in.varint();
    String etag = in.requiredString();
    long modified = in.i64();
    ObjectMetadata metadata = ObjectFields.metadata(in);
    StoredChecksum checksum = ObjectFields.checksum(in);
    String owner = in.string();
    int kind = in.u8();
    Body body;
    switch (kind) {
      case INLINE:
        body = new Inline(in.blobId());
        break;
      case FILE:
        body = new BlobFile(in.blobId(), optionalBlobId(in));
        break;
      case PARTS:
        int n = in.count(10_000);
        List<PartRecord> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          parts.add(PartRecord.readFields(in));
        }
        body = new Parts(parts, in.format() >= 2 ? in.string() : null, optionalBlobId(in));
        break;
      default:
        throw in.corrupt("unknown body kind " + kind);
    }
    List<Grant> grants = in.format() >= 4 ? AclFields.readOptional(in) : null;
    in.end();
    return new ObjectRecord(size, etag, modified, metadata, checksum, owner, body, grants);
  }

  ObjectInfo toInfo(String bucket, String key) {
    List<PartSummary> parts = List.of();
    if (body instanceof Parts p) {
      List<PartSummary> list = new ArrayList<>(p.parts().size());
      for (PartRecord part : p.parts()) {
        list.add(part.summary());
      }
      parts = list;
    }
    return new ObjectInfo(bucket, key, size, etag, Instant.ofEpochMilli(lastModifiedMillis), metadata, checksum,
        parts, ownerId, acl());
  }
}
