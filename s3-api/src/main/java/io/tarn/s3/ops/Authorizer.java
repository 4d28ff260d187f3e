package io.tarn.s3.ops;

import io.tarn.core.Principal;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.route.S3Operation;
import io.tarn.s3.route.S3Operation.*;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.access.AclPermission;
import java.util.Optional;

/**
 * Who may do what, the one place it is decided for S3 requests. Admins and a bucket's owner may do
 * everything on it, as always. Everyone else, the anonymous caller of an unsigned request included,
 * gets what the ACLs grant, with S3's meanings
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions): the bucket's
 * READ lists it, its WRITE puts and deletes objects, READ_ACP/WRITE_ACP read and write its ACL; an
 * object's READ reads it, READ_ACP/WRITE_ACP its ACL. With the bucket's Object Ownership at
 * BucketOwnerEnforced no ACL grants anything.
 *
 * <p>One Tarn rule on top of S3's: a bucket READ granted to a user by name (what {@code tarn admin bucket
 * grant} gives) also reads the bucket's objects, as Tarn's grants always did. A READ granted to a group
 * (AllUsers, AuthenticatedUsers) stays S3's list-only READ, so a public-read bucket does not make its
 * objects public.
 *
 * <p>A bucket that does not exist is left to the operation, which answers NoSuchBucket as S3 does.
 * Bucket policies and the public access block plug in here, after the ACL step.
 */
public final class Authorizer {
  /** What an operation needs. */
  enum Need {
    /** An authenticated caller (ListBuckets, CreateBucket). */
    SIGNED,
    BUCKET_READ,
    BUCKET_WRITE,
    BUCKET_READ_ACP,
    BUCKET_WRITE_ACP,
    OBJECT_READ,
    OBJECT_READ_ACP,
    OBJECT_WRITE_ACP,
    /** Bucket configuration: owner or admin only. */
    OWNER
  }

  private final IdentityStore identity;
  private final ObjectStore store;

  public Authorizer(IdentityStore identity, ObjectStore store) {
    this.identity = identity;
    this.store = store;
  }

  /**
   * @throws S3Exception AccessDenied when {@code caller} may not run {@code op}
   */
  public void check(S3Operation op, Principal caller) {
    if (caller.isAdmin()) {
      return;
    }
    Need need = op.accept(NEEDS);
    if (need == Need.SIGNED) {
      // ListBuckets and CreateBucket act for an account: S3 refuses them to anonymous callers.
      if (caller.isAnonymous()) {
        throw denied();
      }
      return;
    }
    BucketOperation b = (BucketOperation) op;
    String key = op instanceof ObjectOperation o ? o.key() : null;
    require(b.bucket(), key, need, caller);
    // A copy also reads its source (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
    if (op instanceof CopyObject c) {
      require(c.source().bucket(), c.source().key(), Need.OBJECT_READ, caller);
    } else if (op instanceof UploadPartCopy c) {
      require(c.source().bucket(), c.source().key(), Need.OBJECT_READ, caller);
    }
  }

  /** Whether {@code op} writes objects into its bucket (the operations that commit into an incarnation). */
  public static boolean writesObjects(S3Operation op) {
    return op.accept(NEEDS) == Need.BUCKET_WRITE;
  }

  /**
   * Whether {@code caller} sees {@code bucket} in ListBuckets: it owns it, may read it (an ACL READ), or
   * is an admin.
   */
  public boolean canSee(String bucket, String ownerId, Principal caller) {
    if (caller.isAdmin() || (!caller.isAnonymous() && caller.userId().equals(ownerId))) {
      return true;
    }
    return identity.access(bucket, caller.userId()).map(a -> a.readableBy(caller)).orElse(false);
  }

  private void require(String bucket, String key, Need need, Principal caller) {
    Optional<BucketAccess> found = identity.access(bucket, caller.userId());
    if (found.isEmpty()) {
      return;
    }
    BucketAccess access = found.get();
    if (!caller.isAnonymous() && access.ownerId().equals(caller.userId())) {
      return;
    }
    if (need == Need.OWNER || !access.ownership().aclsEnabled()) {
      throw denied();
    }
    boolean allowed = switch (need) {
      case BUCKET_READ -> access.allows(caller, AclPermission.READ);
      case BUCKET_WRITE -> access.allows(caller, AclPermission.WRITE);
      case BUCKET_READ_ACP -> access.allows(caller, AclPermission.READ_ACP);
      case BUCKET_WRITE_ACP -> access.allows(caller, AclPermission.WRITE_ACP);
      case OBJECT_READ -> readsObjectsByName(access, caller) || objectAllows(access, bucket, key, caller,
          AclPermission.READ);
      case OBJECT_READ_ACP -> objectAllows(access, bucket, key, caller, AclPermission.READ_ACP);
      case OBJECT_WRITE_ACP -> objectAllows(access, bucket, key, caller, AclPermission.WRITE_ACP);
      default -> false;
    };
    if (!allowed) {
      throw denied();
    }
  }

  /** The Tarn rule: a bucket READ granted to this very user reads every object of the bucket. */
  private static boolean readsObjectsByName(BucketAccess access, Principal caller) {
    if (caller.isAnonymous()) {
      return false;
    }
    var p = access.acl().grantedTo(caller.userId());
    return p.contains(AclPermission.READ) || p.contains(AclPermission.FULL_CONTROL);
  }

  /**
   * Whether the object's ACL gives {@code permission}. A missing object is the operation's to answer
   * (NoSuchKey) only to a caller that may list the bucket; anyone else gets AccessDenied, so that it
   * cannot learn which keys exist, as S3 does
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
   */
  private boolean objectAllows(BucketAccess access, String bucket, String key, Principal caller,
      AclPermission permission) {
    Optional<ObjectInfo> object = store.head(bucket, key);
    if (object.isEmpty()) {
      return access.allows(caller, AclPermission.READ);
    }
    return object.get().acl().allows(caller, permission);
  }

  private static S3Exception denied() {
    return new S3Exception(S3Error.ACCESS_DENIED, "Access Denied");
  }

  /** The exhaustive table of what each operation needs. */
  private static final Visitor<Need> NEEDS = new Visitor<>() {
    @Override
    public Need listBuckets(ListBuckets op) {
      return Need.SIGNED;
    }

    @Override
    public Need console(Console op) {
      return Need.SIGNED;
    }

    @Override
    public Need createBucket(CreateBucket op) {
      return Need.SIGNED;
    }

    @Override
    public Need headBucket(HeadBucket op) {
      return Need.BUCKET_READ;
    }

    @Override
    public Need deleteBucket(DeleteBucket op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketLocation(GetBucketLocation op) {
      return Need.BUCKET_READ;
    }

    @Override
    public Need listObjects(ListObjects op) {
      return Need.BUCKET_READ;
    }

    @Override
    public Need listObjectsV2(ListObjectsV2 op) {
      return Need.BUCKET_READ;
    }

    @Override
    public Need listMultipartUploads(ListMultipartUploads op) {
      return Need.BUCKET_READ;
    }

    @Override
    public Need deleteObjects(DeleteObjects op) {
      return Need.BUCKET_WRITE;
    }

    /** Checked again, as the PutObject of the form's key, once the form names its signer and key. */
    @Override
    public Need postObject(PostObject op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need getBucketAcl(GetBucketAcl op) {
      return Need.BUCKET_READ_ACP;
    }

    @Override
    public Need putBucketAcl(PutBucketAcl op) {
      return Need.BUCKET_WRITE_ACP;
    }

    @Override
    public Need getBucketOwnershipControls(GetBucketOwnershipControls op) {
      return Need.OWNER;
    }

    @Override
    public Need putBucketOwnershipControls(PutBucketOwnershipControls op) {
      return Need.OWNER;
    }

    @Override
    public Need deleteBucketOwnershipControls(DeleteBucketOwnershipControls op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketNotification(GetBucketNotification op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketVersioning(GetBucketVersioning op) {
      return Need.BUCKET_READ;
    }

    @Override
    public Need putObject(PutObject op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need copyObject(CopyObject op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need getObject(GetObject op) {
      return Need.OBJECT_READ;
    }

    @Override
    public Need headObject(HeadObject op) {
      return Need.OBJECT_READ;
    }

    @Override
    public Need deleteObject(DeleteObject op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need getObjectAcl(GetObjectAcl op) {
      return Need.OBJECT_READ_ACP;
    }

    @Override
    public Need putObjectAcl(PutObjectAcl op) {
      return Need.OBJECT_WRITE_ACP;
    }

    @Override
    public Need getObjectAttributes(GetObjectAttributes op) {
      return Need.OBJECT_READ;
    }

    @Override
    public Need createMultipartUpload(CreateMultipartUpload op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need uploadPart(UploadPart op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need uploadPartCopy(UploadPartCopy op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need completeMultipartUpload(CompleteMultipartUpload op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need abortMultipartUpload(AbortMultipartUpload op) {
      return Need.BUCKET_WRITE;
    }

    @Override
    public Need listParts(ListParts op) {
      return Need.BUCKET_READ;
    }
  };
}
