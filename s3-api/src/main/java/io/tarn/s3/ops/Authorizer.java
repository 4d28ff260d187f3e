package io.tarn.s3.ops;

import io.tarn.core.Principal;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.route.S3Operation;
import io.tarn.s3.route.S3Operation.*;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.Permission;
import io.tarn.storage.access.policy.Decision;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what on a bucket. The bucket's policy first ({@link PolicyEnforcer}): an explicit Deny
 * refuses everyone, admins and the owner included; an Allow admits the caller even where Tarn's
 * grants alone would not (anonymous callers included). Without either, Tarn's rules: its owner and
 * admins everything, users granted {@code READ} the reading operations, users granted
 * {@code READ_WRITE} also the writing ones, everyone else nothing ({@code AccessDenied})
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 *
 * <p>The way out of a policy that denies everything: the owner and admins may always get, put and
 * delete the bucket's policy, as AWS lets the account's root user
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html). A bucket that does
 * not exist is left to the operation, which answers {@code NoSuchBucket} as S3 does.
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

  /** The operations the owner and admins keep under any Deny: the way out of a lock-out. */
  private static final Set<Class<?>> WAY_OUT =
      Set.of(GetBucketPolicy.class, PutBucketPolicy.class, DeleteBucketPolicy.class);

  private final IdentityStore identity;
  private final PolicyEnforcer policies;

  /** Without bucket policies (tests of Tarn's own rules). */
  public Authorizer(IdentityStore identity) {
    this(identity, null);
  }

  /** @param policies the buckets' policies and public access blocks, or null to ignore them */
  public Authorizer(IdentityStore identity, PolicyEnforcer policies) {
    this.identity = identity;
    this.policies = policies;
  }

  /**
   * @throws S3Exception AccessDenied when the caller of {@code call} may not run {@code op}
   */
  public void check(S3Operation op, Call call) {
    Principal caller = call.principal();
    Need need = op.accept(NEEDS);
    if (need == Need.ANY) {
      if (caller.isAnonymous()) {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html needs a signed request.
        throw denied();
      }
      return;
    }
    String bucket = ((BucketOperation) op).bucket();
    if (WAY_OUT.contains(op.getClass()) && !caller.isAnonymous() && (caller.isAdmin() || owns(bucket, caller))) {
      return;
    }
    if (op instanceof DeleteObjects) {
      if (!hasPolicy(bucket) && !caller.isAdmin()) {
        require(bucket, need, caller); // else the policy may allow or deny each key: checkDeleteKey decides
      }
      return;
    }
    decide(PolicyActions.of(op), op, call, need);
    // A copy also reads its source (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
    if (op instanceof CopyObject c) {
      decide(PolicyActions.read(c.source().bucket(), c.source().key()), op, call, Need.READ);
    } else if (op instanceof UploadPartCopy c) {
      decide(PolicyActions.read(c.source().bucket(), c.source().key()), op, call, Need.READ);
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
      decide(PolicyActions.delete(op.bucket(), key), op, call, Need.WRITE);
    } // else the whole request passed Tarn's rules up front
  }

  private boolean hasPolicy(String bucket) {
    return policies != null && policies.policy(bucket).isPresent();
  }

  private void decide(PolicyActions.PolicyTarget target, S3Operation op, Call call, Need need) {
    Principal caller = call.principal();
    Decision d = policies == null ? Decision.NONE
        : policies.decide(target, op, call, () -> knownTo(target.bucket(), caller));
    if (d == Decision.DENY) {
      throw denied();
    }
    if (d == Decision.ALLOW || caller.isAdmin()) {
      return;
    }
    require(target.bucket(), need, caller);
  }

  /** Whether {@code caller} is one of the bucket's own: not anonymous, and an admin, its owner or a grantee. */
  private boolean knownTo(String bucket, Principal caller) {
    if (caller.isAnonymous()) {
      return false;
    }
    return caller.isAdmin() || identity.access(bucket, caller.userId())
        .map(a -> a.ownerId().equals(caller.userId()) || a.granted() != null).orElse(false);
  }

  private boolean owns(String bucket, Principal caller) {
    return identity.access(bucket, caller.userId()).map(a -> a.ownerId().equals(caller.userId())).orElse(false);
  }

  private static S3Exception denied() {
    return new S3Exception(S3Error.ACCESS_DENIED, "Access Denied");
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
    throw denied();
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
