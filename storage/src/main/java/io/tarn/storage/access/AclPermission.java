package io.tarn.storage.access;

/**
 * The permissions of an S3 ACL grant, with their S3 meanings
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions): each means
 * one thing on a bucket and another on an object.
 */
public enum AclPermission {
  /** Bucket: list its objects (and its uploads). Object: read its data and metadata. */
  READ,
  /** Bucket: create, overwrite and delete any of its objects. Object: not applicable. */
  WRITE,
  /** Bucket or object: read its ACL. */
  READ_ACP,
  /** Bucket or object: write its ACL. */
  WRITE_ACP,
  /** READ, WRITE, READ_ACP and WRITE_ACP (on an object WRITE still means nothing). */
  FULL_CONTROL;

  /** Whether a grant of this permission gives {@code needed}: itself, or anything for FULL_CONTROL. */
  public boolean implies(AclPermission needed) {
    return this == needed || this == FULL_CONTROL;
  }

  /**
   * The permission named as in S3's XML and {@code x-amz-grant-*} headers ({@code READ},
   * {@code FULL_CONTROL}...), or null when it is none of them.
   */
  public static AclPermission fromS3(String name) {
    for (AclPermission p : values()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }
}
