package io.tarn.s3.ops;

import io.tarn.s3.ops.PolicyActions.PolicyTarget;
import io.tarn.s3.route.S3Operation;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.policy.BucketPolicy;
import io.tarn.storage.access.policy.Decision;
import io.tarn.storage.access.policy.PolicyRequest;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a bucket's policy and public access block say about one request: the policy half of
 * {@link Authorizer}, which combines it with ownership, admins and grants. A bucket without a policy
 * costs one cache lookup ({@link ObjectStore#bucketPolicy}); the condition keys are computed only for
 * buckets that have one.
 *
 * <p>The public access block in force on a bucket is the server's ({@code tarn server
 * --public-access-block}) and the bucket's own together: a setting either turns on is on, so a bucket
 * cannot loosen what the server blocks.
 */
public final class PolicyEnforcer {
  private final ObjectStore store;
  private final PublicAccessBlock serverBlock;
  private final Clock clock;

  /**
   * @param serverBlock the server-wide public access block, {@link PublicAccessBlock#NONE} for none
   * @param clock the time of aws:CurrentTime and aws:EpochTime
   */
  public PolicyEnforcer(ObjectStore store, PublicAccessBlock serverBlock, Clock clock) {
    this.store = store;
    this.serverBlock = Objects.requireNonNull(serverBlock, "serverBlock");
    this.clock = clock;
  }

  /** The bucket's policy, if any. */
  Optional<BucketPolicy> policy(String bucket) {
    try {
      return store.bucketPolicy(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
  }

  /** The public access block in force on {@code bucket}: the server's and its own, or-ed. */
  public PublicAccessBlock blockOf(String bucket) {
    Optional<PublicAccessBlock> own;
    try {
      own = store.publicAccessBlock(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return own.map(serverBlock::or).orElse(serverBlock);
  }

  /**
   * The hook for the ACL code: whether a request that sets a public ACL (canned {@code public-read},
   * {@code public-read-write}, {@code authenticated-read}, or grants to AllUsers/AuthenticatedUsers)
   * on {@code bucket} or one of its objects must be refused with AccessDenied (BlockPublicAcls;
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options).
   */
  public boolean refusesPublicAcls(String bucket) {
    return blockOf(bucket).blockPublicAcls();
  }

  /**
   * The hook for the ACL code: whether the public grants of the ACLs of {@code bucket} and its objects
   * are to be ignored when deciding access (IgnorePublicAcls); the ACLs are still stored and shown.
   */
  public boolean ignoresPublicAcls(String bucket) {
    return blockOf(bucket).ignorePublicAcls();
  }

  /**
   * The policy's decision on {@code target}. With RestrictPublicBuckets in force and a public policy,
   * its Allow counts only for {@code knownCaller} (not anonymous, and the owner, an admin or a grantee
   * of the bucket), as AWS lets only "authorized users within the bucket owner's account" through
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options).
   */
  Decision decide(PolicyTarget target, S3Operation op, Call call, BooleanSupplier knownCaller) {
    Optional<BucketPolicy> found = policy(target.bucket());
    if (found.isEmpty()) {
      return Decision.NONE;
    }
    BucketPolicy policy = found.get();
    Decision d = policy.evaluate(PolicyRequest.lazy(target.action(), target.resource(), call.principal(),
        () -> PolicyKeys.of(op, call, clock.instant(), policy.keysUsed())));
    if (d == Decision.ALLOW && policy.isPublic() && blockOf(target.bucket()).restrictPublicBuckets()
        && !knownCaller.getAsBoolean()) {
      return Decision.NONE;
    }
    return d;
  }
}
