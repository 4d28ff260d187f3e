package io.tarn.storage;

/** A storage failure of a known kind. The protocol layers translate {@link Kind} once each. */
public final class StorageException extends RuntimeException {
  /** What went wrong. */
  public enum Kind {
    NO_SUCH_BUCKET,
    BUCKET_ALREADY_EXISTS,
    BUCKET_ALREADY_OWNED_BY_YOU,
    BUCKET_NOT_EMPTY,
    NO_SUCH_KEY,
    NO_SUCH_UPLOAD,
    /** A part named in CompleteMultipartUpload is missing or its ETag does not match. */
    INVALID_PART,
    INVALID_PART_ORDER,
    /** A part other than the last is under the minimum part size. */
    ENTITY_TOO_SMALL,
    /** If-Match / If-None-Match on a write did not hold. */
    PRECONDITION_FAILED,
    /** A concurrent write raced a conditional write or an upload's completion. */
    CONDITIONAL_CONFLICT,
    /** No such user or access key. */
    NOT_FOUND,
    /** The request conflicts with what is stored (a name taken, a user that still owns buckets). */
    CONFLICT,
    /** A checksum the request claimed for the data does not match it. */
    BAD_DIGEST,
    /** An argument is malformed or not allowed (a bad user name, a grant to the bucket's owner). */
    INVALID_ARGUMENT,
    /**
     * The bucket's Object Ownership is BucketOwnerEnforced (ACLs disabled) and the request sets an ACL
     * other than the bucket owner's full control.
     */
    ACLS_DISABLED,
    /** BucketOwnerEnforced was asked for a bucket whose ACL grants others (S3's InvalidBucketAclWithObjectOwnership). */
    INVALID_BUCKET_ACL_WITH_OWNERSHIP,
    /**
     * The data directory's file system is full, or below the free-space floor of {@link SpaceLimits}:
     * an object write is refused, or the disk ran out under a blob file or RocksDB (Tarn issue 11).
     */
    STORAGE_FULL,
    /** Unexpected I/O or RocksDB failure. */
    IO,
    /**
     * Stored bytes failed verification (a blob whose checksums, length or trailer do not hold): never
     * served as data.
     */
    CORRUPT,
    /**
     * Only when a store opens: the data directory is in use by another process (a Tarn server, or a
     * tool that opened its metadata store).
     */
    LOCKED,
    /**
     * Only when a store opens: the master key is missing, unreadable, or not the key the data was
     * written with.
     */
    MASTER_KEY,
    /**
     * Only when a store opens: the data directory was written by a newer build (a format or feature this
     * build does not know), so opening it could damage it.
     */
    INCOMPATIBLE
  }

  private final Kind kind;

  public StorageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
