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
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.policy.Decision;
import java.util.Optional;
import java.util.Set;

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
 * <p>The bucket's policy comes first ({@link PolicyEnforcer}), as in AWS's evaluation
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an
 * explicit Deny refuses everyone, admins and the owner included; an Allow admits the caller even where
 * the rules above would not (anonymous callers included); without either, the rules above decide. The
 * way out of a policy that denies everything: the owner and admins may always get, put and delete the
 * bucket's policy, as AWS lets the account's root user
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html).
 *
 * <p>A bucket that does not exist is left to the operation, which answers NoSuchBucket as S3 does.
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

  /** The operations the owner and admins keep under any Deny: the way out of a lock-out. */
  private static final Set<Class<?>> WAY_OUT =
      Set.of(GetBucketPolicy.class, PutBucketPolicy.class, DeleteBucketPolicy.class);

  private final IdentityStore identity;
  private final ObjectStore store;
  private final PolicyEnforcer policies;

  /** Without bucket policies (tests of the ACL rules alone). */
  public Authorizer(IdentityStore identity, ObjectStore store) {
    this(identity, store, null);
  }

  /** @param policies the buckets' policies and public access blocks, or null to ignore them */
  public Authorizer(IdentityStore identity, ObjectStore store, PolicyEnforcer policies) {
    this.identity = identity;
    this.store = store;
    this.policies = policies;
  }

  /**
   * @throws S3Exception AccessDenied when the caller of {@code call} may not run {@code op}
   */
  public void check(S3Operation op, Call call) {
    Principal caller = call.principal();
    Need need = op.accept(NEEDS);
    if (need == Need.SIGNED) {
      // ListBuckets and CreateBucket act for an account: S3 refuses them to anonymous callers.
      if (caller.isAnonymous()) {
        throw denied();
      }
      return;
    }
    BucketOperation b = (BucketOperation) op;
    if (WAY_OUT.contains(op.getClass()) && !caller.isAnonymous() && (caller.isAdmin() || owns(b.bucket(), caller))) {
      return;
    }
    if (op instanceof DeleteObjects) {
      if (!hasPolicy(b.bucket()) && !caller.isAdmin()) {
        require(b.bucket(), null, need, caller); // else the policy may allow or deny each key: checkDeleteKey
      }
      return;
    }
    String key = op instanceof ObjectOperation o ? o.key() : null;
    decide(PolicyActions.of(op), op, call, key, need);
    // A copy also reads its source (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
    if (op instanceof CopyObject c) {
      decide(PolicyActions.read(c.source().bucket(), c.source().key()), op, call, c.source().key(), Need.OBJECT_READ);
    } else if (op instanceof UploadPartCopy c) {
      decide(PolicyActions.read(c.source().bucket(), c.source().key()), op, call, c.source().key(), Need.OBJECT_READ);
    }
  }

  /**
   * One key of a DeleteObjects request, whose policy check is s3:DeleteObject on each key
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html).
   *
   * @throws S3Exception AccessDenied, reported for that key alone
   */
  public void checkDeleteKey(DeleteObjects op, String key, Call call) {
    if (hasPolicy(op.bucket())) {
      decide(PolicyActions.delete(op.bucket(), key), op, call, key, Need.BUCKET_WRITE);
    } // else the whole request passed the rules up front
  }

  private boolean hasPolicy(String bucket) {
    return policies != null && policies.policy(bucket).isPresent();
  }

  /** The policy's decision on {@code target}; without Deny or Allow, the rules of ownership and ACLs. */
  private void decide(PolicyActions.PolicyTarget target, S3Operation op, Call call, String key, Need need) {
    Principal caller = call.principal();
    if (target == null) { // no policy decides the operation as a whole (PostObject: its key is checked later)
      if (!caller.isAdmin()) {
        require(((BucketOperation) op).bucket(), key, need, caller);
      }
      return;
    }
    Decision d = policies == null ? Decision.NONE
        : policies.decide(target, op, call, () -> knownTo(target.bucket(), caller));
    if (d == Decision.DENY) {
      throw denied();
    }
    if (d == Decision.ALLOW || caller.isAdmin()) {
      return;
    }
    require(target.bucket(), key, need, caller);
  }

  /**
   * Whether {@code caller} is one of the bucket's own (what RestrictPublicBuckets lets through): not
   * anonymous, and an admin, its owner, or a user the bucket's ACL names.
   */
  private boolean knownTo(String bucket, Principal caller) {
    if (caller.isAnonymous()) {
      return false;
    }
    return caller.isAdmin() || identity.access(bucket, caller.userId()).map(a -> a.ownerId().equals(caller.userId())
        || a.granted() != null || !a.acl().grantedTo(caller.userId()).isEmpty()).orElse(false);
  }

  private boolean owns(String bucket, Principal caller) {
    return identity.access(bucket, caller.userId()).map(a -> a.ownerId().equals(caller.userId())).orElse(false);
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
    // IgnorePublicAcls: the bucket's and its objects' grants to AllUsers and AuthenticatedUsers grant
    // nothing (they are still stored and shown).
    boolean ignorePublic = policies != null && policies.ignoresPublicAcls(bucket);
    Acl bucketAcl = ignorePublic ? access.acl().withoutPublicGrants() : access.acl();
    boolean allowed = switch (need) {
      case BUCKET_READ -> bucketAcl.allows(caller, AclPermission.READ);
      case BUCKET_WRITE -> bucketAcl.allows(caller, AclPermission.WRITE);
      case BUCKET_READ_ACP -> bucketAcl.allows(caller, AclPermission.READ_ACP);
      case BUCKET_WRITE_ACP -> bucketAcl.allows(caller, AclPermission.WRITE_ACP);
      case OBJECT_READ -> readsObjectsByName(access, caller) || objectAllows(bucketAcl, bucket, key, caller,
          AclPermission.READ, ignorePublic);
      case OBJECT_READ_ACP -> objectAllows(bucketAcl, bucket, key, caller, AclPermission.READ_ACP, ignorePublic);
      case OBJECT_WRITE_ACP -> objectAllows(bucketAcl, bucket, key, caller, AclPermission.WRITE_ACP, ignorePublic);
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
  private boolean objectAllows(Acl bucketAcl, String bucket, String key, Principal caller,
      AclPermission permission, boolean ignorePublic) {
    Optional<ObjectInfo> object = store.head(bucket, key);
    if (object.isEmpty()) {
      return bucketAcl.allows(caller, AclPermission.READ);
    }
    Acl acl = object.get().acl();
    return (ignorePublic ? acl.withoutPublicGrants() : acl).allows(caller, permission);
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

    // The policy and public access block configuration: the owner's (AWS: the account's), or whoever
    // the policy grants the action to.

    @Override
    public Need getBucketPolicy(GetBucketPolicy op) {
      return Need.OWNER;
    }

    @Override
    public Need putBucketPolicy(PutBucketPolicy op) {
      return Need.OWNER;
    }

    @Override
    public Need deleteBucketPolicy(DeleteBucketPolicy op) {
      return Need.OWNER;
    }

    @Override
    public Need getBucketPolicyStatus(GetBucketPolicyStatus op) {
      return Need.OWNER;
    }

    @Override
    public Need getPublicAccessBlock(GetPublicAccessBlock op) {
      return Need.OWNER;
    }

    @Override
    public Need putPublicAccessBlock(PutPublicAccessBlock op) {
      return Need.OWNER;
    }

    @Override
    public Need deletePublicAccessBlock(DeletePublicAccessBlock op) {
      return Need.OWNER;
    }
  };
}
