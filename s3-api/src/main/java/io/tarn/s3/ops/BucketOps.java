package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.S3Operation.ListBuckets;
import io.tarn.s3.xml.ListAllMyBucketsResult;
import io.tarn.s3.xml.LocationConstraint;
import io.tarn.s3.xml.NotificationConfiguration;
import io.tarn.s3.xml.Owner;
import io.tarn.s3.xml.XmlBodyParser;
import io.tarn.s3.xml.XmlWriter;
import io.tarn.notifications.RuleView;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.ObjectOwnership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Bucket operations: list, create, head, delete, location, notification configuration. */
public final class BucketOps {
  private static final XmlBodyParser XML = new XmlBodyParser();

  private final ObjectStore store;
  private final Acls acls;
  private final ObjectOwnership defaultOwnership;
  private final Owners owners;
  private final Authorizer authorizer;
  private final String region;
  private final Function<String, List<RuleView>> webhookRules;

  /**
   * @param webhookRules a bucket's webhook rules ({@code WebhookService::rules}), for
   *     {@code GET ?notification}
   */
  public BucketOps(ObjectStore store, Owners owners, Authorizer authorizer, String region,
      Function<String, List<RuleView>> webhookRules, Acls acls, ObjectOwnership defaultOwnership) {
    this.acls = acls;
    this.defaultOwnership = defaultOwnership;
    this.store = store;
    this.owners = owners;
    this.authorizer = authorizer;
    this.region = region;
    this.webhookRules = webhookRules;
  }

  /**
   * ListBuckets (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html): the buckets
   * the caller owns or was granted; admins see all.
   */
  public S3Response list(Call call, ListBuckets op) {
    String after = op.continuationToken() == null ? null : ListOps.decodeToken(op.continuationToken());
    List<ListAllMyBucketsResult.Bucket> out = new ArrayList<>();
    String next = null;
    for (BucketInfo b : store.listBuckets()) {
      if (!authorizer.canSee(b.name(), b.ownerId(), call.principal())) {
        continue;
      }
      if (op.prefix() != null && !b.name().startsWith(op.prefix())) {
        continue;
      }
      if (after != null && b.name().compareTo(after) <= 0) {
        continue;
      }
      if (op.bucketRegion() != null && !op.bucketRegion().equals(b.region())) {
        continue;
      }
      if (op.maxBuckets() > 0 && out.size() == op.maxBuckets()) {
        next = ListOps.encodeToken(out.get(out.size() - 1).name());
        break;
      }
      out.add(new ListAllMyBucketsResult.Bucket(b.name(), b.created(), b.region()));
    }
    return S3Response.xml(new ListAllMyBucketsResult(owner(call.principal().userId()), out, next, op.prefix()));
  }

  /**
   * CreateBucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html): the
   * location constraint, if given, must name this server's region. The bucket gets the ACL of
   * {@code x-amz-acl} or {@code x-amz-grant-*} and the Object Ownership of {@code x-amz-object-ownership},
   * else the server's default (docs/access/acls.md); BucketOwnerEnforced with an ACL granting others is
   * refused with InvalidBucketAclWithObjectOwnership, as AWS does.
   */
  public S3Response create(Call call, String bucket, byte[] body) {
    String location = body.length == 0 ? null : XML.createBucketConfiguration(body).locationConstraint();
    if (location != null && !location.isEmpty() && !location.equals(region)) {
      throw new S3Exception(S3Error.ILLEGAL_LOCATION_CONSTRAINT_EXCEPTION,
          "The " + location + " location constraint is incompatible for the region specific endpoint this request was sent to.");
    }
    AclRequest acl = acls.fromHeaders(bucket, call.headers());
    ObjectOwnership ownership = AclOps.requestedOwnership(call, defaultOwnership);
    try {
      store.createBucket(bucket, region, call.principal().userId(), ownership, acl);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.ok().header("Location", "/" + bucket);
  }

  public S3Response head(Call call, String bucket) {
    BucketInfo b = bucket(bucket);
    return S3Response.ok().header("x-amz-bucket-region", b.region());
  }

  public S3Response delete(Call call, String bucket) {
    try {
      store.deleteBucket(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.noContent();
  }

  /** GetBucketLocation: an empty constraint means us-east-1. */
  public S3Response location(Call call, String bucket) {
    BucketInfo b = bucket(bucket);
    return S3Response.xml(new LocationConstraint("us-east-1".equals(b.region()) ? null : b.region()));
  }

  /**
   * GetBucketNotificationConfiguration: the bucket's webhook rules, each a QueueConfiguration with
   * the webhook's ARN as its queue. Only the owner (or an admin) gets here (Authorizer), as on S3
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html).
   * Configuring goes through the webhooks API: {@code PUT ?notification} is refused by the router.
   *
   * <p>It shows what is delivered, never more: a disabled rule sends nothing and is left out, and
   * each rule's events are {@link RuleView#s3Events()} (aliases as the exact S3 names they can
   * deliver, names the server never emits dropped). A rule left with no S3 event (only
   * {@code s3:TestEvent}) is left out too: S3 requires at least one {@code Event} per configuration.
   */
  public S3Response notification(Call call, String bucket) {
    bucket(bucket);
    List<NotificationConfiguration.QueueConfiguration> queues = new ArrayList<>();
    for (RuleView r : webhookRules.apply(bucket)) {
      if (r.enabled() && !r.s3Events().isEmpty()) {
        queues.add(new NotificationConfiguration.QueueConfiguration(r.id(), r.s3Events(), r.prefix(), r.suffix()));
      }
    }
    return S3Response.xml(new NotificationConfiguration(queues));
  }

  /**
   * GetBucketVersioning: Tarn has no versioning yet, so every bucket answers as one on which
   * versioning was never enabled, an empty configuration
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html).
   */
  public S3Response versioning(Call call, String bucket) {
    bucket(bucket);
    return S3Response.xml(200, XmlWriter.s3Document("VersioningConfiguration").toBytes());
  }

  private BucketInfo bucket(String name) {
    return store.bucket(name).orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_BUCKET,
        S3Error.NO_SUCH_BUCKET.defaultMessage(), Map.of("BucketName", name)));
  }

  private Owner owner(String userId) {
    return new Owner(userId, owners.displayName(userId));
  }
}
