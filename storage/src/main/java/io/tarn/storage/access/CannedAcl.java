package io.tarn.storage.access;

import java.util.ArrayList;
import java.util.List;

/**
 * S3's canned ACLs ({@code x-amz-acl}) and their expansion, AWS's table
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl).
 */
public enum CannedAcl {
  /** Owner FULL_CONTROL; nobody else anything (the default). */
  PRIVATE("private"),
  /** Owner FULL_CONTROL; AllUsers READ. */
  PUBLIC_READ("public-read"),
  /** Owner FULL_CONTROL; AllUsers READ and WRITE. */
  PUBLIC_READ_WRITE("public-read-write"),
  /**
   * Owner FULL_CONTROL; on AWS, EC2 gets READ to fetch AMI bundles. Tarn has no EC2, so it is
   * {@link #PRIVATE}.
   */
  AWS_EXEC_READ("aws-exec-read"),
  /** Owner FULL_CONTROL; AuthenticatedUsers READ. */
  AUTHENTICATED_READ("authenticated-read"),
  /** Object owner FULL_CONTROL, bucket owner READ. S3 ignores it on a bucket (it is private there). */
  BUCKET_OWNER_READ("bucket-owner-read"),
  /** Object owner and bucket owner FULL_CONTROL. S3 ignores it on a bucket (it is private there). */
  BUCKET_OWNER_FULL_CONTROL("bucket-owner-full-control"),
  /** Owner FULL_CONTROL; LogDelivery WRITE and READ_ACP (for a bucket receiving access logs). */
  LOG_DELIVERY_WRITE("log-delivery-write");

  private final String header;

  CannedAcl(String header) {
    this.header = header;
  }

  /** Its {@code x-amz-acl} value. */
  public String header() {
    return header;
  }

  /** The canned ACL with this {@code x-amz-acl} value, or null (S3 answers InvalidArgument). */
  public static CannedAcl fromHeader(String value) {
    for (CannedAcl c : values()) {
      if (c.header.equals(value)) {
        return c;
      }
    }
    return null;
  }

  /** Its expansion on a bucket owned by {@code ownerId}. */
  public Acl forBucket(String ownerId) {
    return expand(ownerId, null);
  }

  /**
   * Its expansion on an object owned by {@code ownerId} in a bucket owned by {@code bucketOwnerId}.
   * When both are the same user the bucket owner's grant is the owner's (AWS lists it once).
   */
  public Acl forObject(String ownerId, String bucketOwnerId) {
    return expand(ownerId, bucketOwnerId);
  }

  private Acl expand(String ownerId, String bucketOwnerId) {
    List<Grant> g = new ArrayList<>();
    g.add(new Grant(new Grantee.User(ownerId), AclPermission.FULL_CONTROL));
    switch (this) {
      case PUBLIC_READ -> g.add(new Grant(Grantee.Group.ALL_USERS, AclPermission.READ));
      case PUBLIC_READ_WRITE -> {
        g.add(new Grant(Grantee.Group.ALL_USERS, AclPermission.READ));
        g.add(new Grant(Grantee.Group.ALL_USERS, AclPermission.WRITE));
      }
      case AUTHENTICATED_READ -> g.add(new Grant(Grantee.Group.AUTHENTICATED_USERS, AclPermission.READ));
      case BUCKET_OWNER_READ -> {
        if (bucketOwnerId != null && !bucketOwnerId.equals(ownerId)) {
          g.add(new Grant(new Grantee.User(bucketOwnerId), AclPermission.READ));
        }
      }
      case BUCKET_OWNER_FULL_CONTROL -> {
        if (bucketOwnerId != null && !bucketOwnerId.equals(ownerId)) {
          g.add(new Grant(new Grantee.User(bucketOwnerId), AclPermission.FULL_CONTROL));
        }
      }
      case LOG_DELIVERY_WRITE -> {
        g.add(new Grant(Grantee.Group.LOG_DELIVERY, AclPermission.WRITE));
        g.add(new Grant(Grantee.Group.LOG_DELIVERY, AclPermission.READ_ACP));
      }
      default -> {
        // PRIVATE and AWS_EXEC_READ: the owner's grant alone.
      }
    }
    return new Acl(ownerId, g);
  }
}
