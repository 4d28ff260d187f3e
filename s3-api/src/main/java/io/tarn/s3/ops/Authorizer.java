package io.tarn.s3.ops;

import io.tarn.core.Principal;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.route.S3Operation;
import io.tarn.s3.route.S3Operation.*;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.Permission;
import java.util.Optional;

/**
 * Who may do what on a bucket: its owner and admins everything, users granted {@code READ} the
 * reading operations, users granted {@code READ_WRITE} also the writing ones, everyone else nothing
 * ({@code AccessDenied}). A bucket that does not exist is left to the operation, which answers
 * {@code NoSuchBucket} as S3 does.
 */
public final class Authorizer {
  /** What an operation needs on its bucket. */
  enum Need {
    /** Any authenticated user (ListBuckets, CreateBucket). */
    ANY,
    READ,
    WRITE,
    /** Bucket configuration: owner or admin only. */
    OWNER
  }

  private final IdentityStore identity;

  public Authorizer(IdentityStore identity) {
    this.identity = identity;
  }

  /**
   * @throws S3Exception AccessDenied when {@code caller} may not run {@code op}
   */
  public void check(S3Operation op, Principal caller) {
    if (caller.isAdmin()) {
      return;
    }
    Need need = op.accept(NEEDS);
    if (need == Need.ANY) {
      return;
    }
    require(((BucketOperation) op).bucket(), need, caller);
    // A copy also reads its source (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
    if (op instanceof CopyObject) {
      require(((CopyObject) op).source().bucket(), Need.READ, caller);
    } else if (op instanceof UploadPartCopy) {
      require(((UploadPartCopy) op).source().bucket(), Need.READ, caller);
    }
  }

  /** Whether {@code op} writes objects into its bucket (the operations that commit into an incarnation). */
  public static boolean writesObjects(S3Operation op) {
    return op.accept(NEEDS) == Need.WRITE;
  }

  /** Whether {@code caller} sees {@code bucket} in ListBuckets: it owns it, was granted it, or is an admin. */
  public boolean canSee(String bucket, String ownerId, Principal caller) {
    if (caller.isAdmin() || caller.userId().equals(ownerId)) {
      return true;
    }
    return identity.access(bucket, caller.userId()).map(a -> a.readableBy(caller)).orElse(false);
  }

  private void require(String bucket, Need need, Principal caller) {
    Optional<BucketAccess> found = identity.access(bucket, caller.userId());
    if (found.isEmpty()) {
      return;
    }
    BucketAccess access = found.get();
    if (access.ownerId().equals(caller.userId()) || allows(access.granted(), need)) {
      return;
    }
    throw new S3Exception(S3Error.ACCESS_DENIED, "Access Denied");
  }

  private static boolean allows(Permission granted, Need need) {
    if (granted == null) {
      return false;
    }
    switch (need) {
      case READ:
        return true;
      case WRITE:
        return granted == Permission.READ_WRITE;
      default:
        return false;
    }
  }

  /** The exhaustive table of what each operation needs. */
  private static final Visitor<Need> NEEDS = new Visitor<>() {
    @Override
    public Need listBuckets(ListBuckets op) {
      return Need.ANY;
    }

    @Override
    public Need console(Console op) {
      return Need.ANY;
    }

    @Override
    public Need createBucket(CreateBucket op) {
      return Need.ANY;
    }

    @Override
    public Need headBucket(HeadBucket op) {
      return Need.READ;
    }

    @Override
    public Need deleteBucket(DeleteBucket op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketLocation(GetBucketLocation op) {
      return Need.READ;
    }

    @Override
    public Need listObjects(ListObjects op) {
      return Need.READ;
    }

    @Override
    public Need listObjectsV2(ListObjectsV2 op) {
      return Need.READ;
    }

    @Override
    public Need listMultipartUploads(ListMultipartUploads op) {
      return Need.READ;
    }

    @Override
    public Need deleteObjects(DeleteObjects op) {
      return Need.WRITE;
    }

    /** Checked again, as the PutObject of the form's key, once the form names its signer and key. */
    @Override
    public Need postObject(PostObject op) {
      return Need.WRITE;
    }

    @Override
    public Need getBucketAcl(GetBucketAcl op) {
      return Need.READ;
    }

    @Override
    public Need putBucketAcl(PutBucketAcl op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketNotification(GetBucketNotification op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketVersioning(GetBucketVersioning op) {
      return Need.READ;
    }

    @Override
    public Need putObject(PutObject op) {
      return Need.WRITE;
    }

    @Override
    public Need copyObject(CopyObject op) {
      return Need.WRITE;
    }

    @Override
    public Need getObject(GetObject op) {
      return Need.READ;
    }

    @Override
    public Need headObject(HeadObject op) {
      return Need.READ;
    }

    @Override
    public Need deleteObject(DeleteObject op) {
      return Need.WRITE;
    }

    @Override
    public Need getObjectAcl(GetObjectAcl op) {
      return Need.READ;
    }

    @Override
    public Need putObjectAcl(PutObjectAcl op) {
      return Need.WRITE;
    }

    @Override
    public Need getObjectAttributes(GetObjectAttributes op) {
      return Need.READ;
    }

    @Override
    public Need createMultipartUpload(CreateMultipartUpload op) {
      return Need.WRITE;
    }

    @Override
    public Need uploadPart(UploadPart op) {
      return Need.WRITE;
    }

    @Override
    public Need uploadPartCopy(UploadPartCopy op) {
      return Need.WRITE;
    }

    @Override
    public Need completeMultipartUpload(CompleteMultipartUpload op) {
      return Need.WRITE;
    }

    @Override
    public Need abortMultipartUpload(AbortMultipartUpload op) {
      return Need.WRITE;
    }

    @Override
    public Need listParts(ListParts op) {
      return Need.READ;
    }
  };
}
