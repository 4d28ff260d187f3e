package io.tarn.storage.objects;

import io.tarn.storage.meta.Codec;
import java.util.Objects;

/**
 * What a blob file is, written into its {@link io.tarn.storage.blobs.BlobTrailer} when it is
 * installed, so that {@code tarn admin fsck} can check the index against the files and
 * {@code tarn admin rebuild-index} can rebuild the index from the files alone:
 *
 * <ul>
 *   <li>{@link Kind#OBJECT}: a PutObject body; {@link #object()} is its record (body: this file).
 *   <li>{@link Kind#PART}: a multipart upload's part; {@link #part()} is its record (blob: this file).
 *   <li>{@link Kind#MANIFEST}: a 0-byte file naming an object made of other files (a completed upload,
 *       or a copy whose data files are links to the source's files, which still describe the
 *       source); {@link #object()} is its record, whose body lists those files and this one as its
 *       manifest.
 * </ul>
 *
 * Each names the bucket by name and full {@link BucketRecord} (incarnation, owner, region, creation
 * time), so the bucket can be recreated too. {@link #stamp()} orders the versions of one key: the
 * event sequencer's next number when the file was installed (persisted and monotonic, so a write
 * installed after another was committed has a greater stamp, whatever the clock does). The commit's own
 * sequencer is taken later, under the key's lock, and cannot be in the file.
 *
 * <p>Encoding (format 1): format byte, kind byte, bucket name, the bucket record's bytes, key, stamp
 * (i64), then the object record's bytes (OBJECT, MANIFEST) or the upload id and the part record's bytes
 * (PART). The nested records carry their own format bytes.
 *
 * @param object the object's record as of the install (OBJECT, MANIFEST), else null
 * @param uploadId the part's upload (PART), else null
 * @param part the part's record (PART), else null
 */
record BlobDescription(Kind kind, String bucket, BucketRecord bucketRecord, String key, long stamp, ObjectRecord object,
    String uploadId, PartRecord part) {
  static final int FORMAT = 1;

  /** What the blob is; the codes are persisted. */
  enum Kind {
    OBJECT(1), PART(2), MANIFEST(3);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code, Codec.In in) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw in.corrupt("unknown blob kind " + code);
    }
  }

  BlobDescription {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(bucketRecord, "bucketRecord");
    Objects.requireNonNull(key, "key");
    if (kind == Kind.PART ? part == null || uploadId == null : object == null) {
      throw new IllegalArgumentException(kind + " description without its record");
    }
  }

  static BlobDescription object(String bucket, BucketRecord b, String key, long stamp, ObjectRecord object) {
    return new BlobDescription(Kind.OBJECT, bucket, b, key, stamp, object, null, null);
  }

  static BlobDescription manifest(String bucket, BucketRecord b, String key, long stamp, ObjectRecord object) {
    return new BlobDescription(Kind.MANIFEST, bucket, b, key, stamp, object, null, null);
  }

  static BlobDescription part(String bucket, BucketRecord b, String key, long stamp, String uploadId, PartRecord part) {
    return new BlobDescription(Kind.PART, bucket, b, key, stamp, null, uploadId, part);
  }

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).u8(kind.code).string(bucket).bytes(bucketRecord.encode()).string(key)
        .i64(stamp);
    if (kind == Kind.PART) {
      out.string(uploadId).bytes(part.encode());
    } else {
      out.bytes(object.encode());
    }
    return out.toBytes();
  }

  /**
   * @return the description, or null for an empty one (a blob written before descriptions existed)
   * @throws io.tarn.storage.StorageException IO if it cannot be decoded
   */
  static BlobDescription decode(byte[] value) {
    if (value.length == 0) {
      return null;
    }
    Codec.In in = new Codec.In(value, "blob description", FORMAT);
    Kind kind = Kind.of(in.u8(), in);
    String bucket = in.requiredString();
    BucketRecord b = BucketRecord.decode(in.bytes());
    String key = in.requiredString();
    long stamp = in.i64();
    BlobDescription d;
    if (kind == Kind.PART) {
      String uploadId = in.requiredString();
      d = part(bucket, b, key, stamp, uploadId, PartRecord.decode(in.bytes()));
    } else {
      d = new BlobDescription(kind, bucket, b, key, stamp, ObjectRecord.decode(in.bytes()), null, null);
    }
    in.end();
    return d;
  }
}
