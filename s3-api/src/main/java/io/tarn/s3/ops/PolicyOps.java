package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.xml.XmlBodyParser;
import io.tarn.s3.xml.XmlWriter;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.policy.BucketPolicy;
import io.tarn.storage.access.policy.MalformedPolicyException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The bucket policy and public access block subresources: {@code ?policy} (PUT, GET, DELETE),
 * {@code ?policyStatus} (GET) and {@code ?publicAccessBlock} (PUT, GET, DELETE). Who may call them is
 * the {@link Authorizer}'s; docs/access/policies.md is the user's side.
 */
public final class PolicyOps {
  private static final XmlBodyParser XML = new XmlBodyParser();

  private final ObjectStore store;
  private final IdentityStore identity;
  private final PolicyEnforcer enforcer;

  public PolicyOps(ObjectStore store, IdentityStore identity, PolicyEnforcer enforcer) {
    this.store = store;
    this.identity = identity;
    this.enforcer = enforcer;
  }

  /**
   * PutBucketPolicy (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html): the
   * body is the policy; stored as sent once it parses, names only existing users, and is not public
   * under BlockPublicPolicy. 204 No Content, as S3.
   */
  public S3Response put(Call call, String bucket, byte[] body) {
    requireBucket(bucket);
    BucketPolicy policy;
    try {
      policy = BucketPolicy.parse(new String(body, StandardCharsets.UTF_8), bucket);
    } catch (MalformedPolicyException e) {
      throw new S3Exception(S3Error.MALFORMED_POLICY, e.getMessage());
    }
    // S3 refuses a principal that does not exist with the same message as a malformed one.
    for (String name : policy.userNames()) {
      if (identity.user(name).filter(u -> u.name().equals(name)).isEmpty()) {
        throw new S3Exception(S3Error.MALFORMED_POLICY, "Invalid principal in policy");
      }
    }
    for (String id : policy.canonicalIds()) {
      if (identity.user(id).filter(u -> u.id().equals(id)).isEmpty()) {
        throw new S3Exception(S3Error.MALFORMED_POLICY, "Invalid principal in policy");
      }
    }
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options
    if (policy.isPublic() && enforcer.blockOf(bucket).blockPublicPolicy()) {
      throw new S3Exception(S3Error.ACCESS_DENIED,
          "Access Denied: public policies are blocked by the BlockPublicPolicy block public access setting.");
    }
    try {
      store.putBucketPolicy(bucket, policy);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.noContent();
  }

  /** GetBucketPolicy: the document exactly as it was put, as JSON. */
  public S3Response get(Call call, String bucket) {
    requireBucket(bucket);
    BucketPolicy policy = stored(bucket).orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_BUCKET_POLICY,
        S3Error.NO_SUCH_BUCKET_POLICY.defaultMessage(), Map.of("BucketName", bucket)));
    S3Response r = S3Response.status(200);
    r.headers().set("Content-Type", "application/json");
    return r.body(new S3Response.Bytes(policy.text().getBytes(StandardCharsets.UTF_8)));
  }

  /** DeleteBucketPolicy: 204, also when the bucket had none (as S3). */
  public S3Response delete(Call call, String bucket) {
    requireBucket(bucket);
    try {
      store.deleteBucketPolicy(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.noContent();
  }

  /**
   * GetBucketPolicyStatus (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html):
   * {@code IsPublic} is whether the policy is public in S3's sense
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status),
   * or whether the bucket's ACL grants AllUsers or AuthenticatedUsers while ACLs count (Object Ownership
   * not BucketOwnerEnforced, IgnorePublicAcls off), as the S3 conformance tests expect of a public-read
   * bucket. A bucket with neither is not public.
   */
  public S3Response status(Call call, String bucket) {
    requireBucket(bucket);
    boolean isPublic = stored(bucket).map(BucketPolicy::isPublic).orElse(false)
        || (!enforcer.ignoresPublicAcls(bucket) && identity.access(bucket, "")
            .map(a -> a.ownership().aclsEnabled() && a.acl().isPublic()).orElse(false));
    return S3Response.xml(200, XmlWriter.s3Document("PolicyStatus").element("IsPublic", isPublic).toBytes());
  }

  /** PutPublicAccessBlock: replaces the bucket's configuration; 200 with no body, as S3. */
  public S3Response putBlock(Call call, String bucket, byte[] body) {
    requireBucket(bucket);
    PublicAccessBlock block = XML.publicAccessBlock(body);
    try {
      store.putPublicAccessBlock(bucket, block);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.ok();
  }

  /** GetPublicAccessBlock: the bucket's own configuration (not the server's default). */
  public S3Response getBlock(Call call, String bucket) {
    requireBucket(bucket);
    Optional<PublicAccessBlock> found;
    try {
      found = store.publicAccessBlock(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    PublicAccessBlock b = found.orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION,
        S3Error.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION.defaultMessage(), Map.of("BucketName", bucket)));
    return S3Response.xml(200, XmlWriter.s3Document("PublicAccessBlockConfiguration")
        .element("BlockPublicAcls", b.blockPublicAcls())
        .element("IgnorePublicAcls", b.ignorePublicAcls())
        .element("BlockPublicPolicy", b.blockPublicPolicy())
        .element("RestrictPublicBuckets", b.restrictPublicBuckets()).toBytes());
  }

  /** DeletePublicAccessBlock: 204, also when the bucket had none. */
  public S3Response deleteBlock(Call call, String bucket) {
    requireBucket(bucket);
    try {
      store.deletePublicAccessBlock(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.noContent();
  }

  private Optional<BucketPolicy> stored(String bucket) {
    try {
      return store.bucketPolicy(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
  }

  private void requireBucket(String name) {
    if (store.bucket(name).isEmpty()) {
      throw new S3Exception(S3Error.NO_SUCH_BUCKET, S3Error.NO_SUCH_BUCKET.defaultMessage(), Map.of("BucketName", name));
    }
  }
}
