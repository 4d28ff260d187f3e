package io.tarn.storage.access;

/**
 * A bucket's Object Ownership setting: who owns a new object and whether ACLs count
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
 */
public enum ObjectOwnership {
  /**
   * ACLs are disabled: the bucket owner owns every object, ACLs grant nothing, and a request setting
   * an ACL other than {@code bucket-owner-full-control} (or an equivalent) is refused with
   * AccessControlListNotSupported.
   */
  BUCKET_OWNER_ENFORCED("BucketOwnerEnforced"),
  /**
   * ACLs count; a new object written with {@code bucket-owner-full-control} is owned by the bucket
   * owner, any other by its writer.
   */
  BUCKET_OWNER_PREFERRED("BucketOwnerPreferred"),
  /** ACLs count; the writer owns the object it writes. */
  OBJECT_WRITER("ObjectWriter");

  private final String s3Name;

  ObjectOwnership(String s3Name) {
    this.s3Name = s3Name;
  }

  /** Its name in {@code OwnershipControls} XML and {@code x-amz-object-ownership}. */
  public String s3Name() {
    return s3Name;
  }

  /** The setting with this S3 name, or null. */
  public static ObjectOwnership fromS3(String name) {
    for (ObjectOwnership o : values()) {
      if (o.s3Name.equals(name)) {
        return o;
      }
    }
    return null;
  }

  /** Whether ACLs grant anything under this setting. */
  public boolean aclsEnabled() {
    return this != BUCKET_OWNER_ENFORCED;
  }

  /**
   * Who owns an object {@code writerId} writes into a bucket of {@code bucketOwnerId} with
   * {@code canned} (null: none, or grant headers). An object written by no user (an anonymous request
   * where the bucket lets everyone write; null or "") is the bucket owner's under every setting, as Ceph
   * RGW decides it: owned by no one, only an admin could read it or change its ACL (AWS leaves it to its
   * anonymous account, which its bucket owners cannot read either).
   */
  public String objectOwner(String writerId, String bucketOwnerId, CannedAcl canned) {
    if (writerId == null || writerId.isEmpty()) {
      return bucketOwnerId;
    }
    return switch (this) {
      case BUCKET_OWNER_ENFORCED -> bucketOwnerId;
      case BUCKET_OWNER_PREFERRED -> canned == CannedAcl.BUCKET_OWNER_FULL_CONTROL ? bucketOwnerId : writerId;
      case OBJECT_WRITER -> writerId;
    };
  }
}
