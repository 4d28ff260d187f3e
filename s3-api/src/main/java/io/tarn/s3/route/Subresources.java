package io.tarn.s3.route;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which query parameters select an operation, which are plain parameters, and which name S3
 * features Tarn does not implement (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html).
 */
final class Subresources {
  /** Subresources that select a bucket operation. */
  static final List<String> BUCKET = List.of("location", "acl", "ownershipControls", "notification", "versioning",
      "delete", "uploads", "policy", "policyStatus", "publicAccessBlock");

  /** Subresources that select an object operation. */
  static final List<String> OBJECT = List.of("acl", "attributes", "uploads", "uploadId");

  /**
   * Parameters that only make sense with an object key. On a bucket they are refused rather than
   * ignored: {@code DELETE /bucket?uploadId=...} with a lost key must not become DeleteBucket.
   */
  static final List<String> OBJECT_ONLY = List.of("uploadId", "attributes", "partNumber", "versionId");

  /** Subresources Tarn does not implement: always NotImplemented, never another operation. */
  static final Set<String> UNSUPPORTED = Set.of(
      "abac", "accelerate", "analytics", "cors", "encryption", "intelligent-tiering", "inventory",
      "legal-hold", "lifecycle", "logging", "metadataConfiguration", "metadataInventoryTable",
      "metadataJournalTable", "metadataTable", "metrics", "object-lock",
      "renameObject", "replication", "requestPayment", "restore",
      "retention", "select", "select-type", "session", "tagging", "torrent", "versions",
      "website");

  /** Parameters that do not select an operation. */
  static final Set<String> PARAMETERS = Set.of(
      // GetObject / HeadObject header overrides
      "response-content-type", "response-content-language", "response-expires",
      "response-cache-control", "response-content-disposition", "response-content-encoding",
      // listings
      "prefix", "delimiter", "marker", "max-keys", "encoding-type", "continuation-token", "start-after",
      "fetch-owner", "list-type", "key-marker", "upload-id-marker", "max-uploads", "part-number-marker",
      "max-parts", "max-buckets", "bucket-region",
      // objects and parts
      "partNumber", "versionId",
      // the operation name the AWS SDKs append, and SigV2 presigned URLs (SigV4's are X-Amz-*)
      "x-id", "AWSAccessKeyId", "Signature", "Expires");

  private Subresources() {}

  /**
   * Refuses unsupported subresources ({@code bucket}, or null, names the bucket in messages). A parameter nobody knows is ignored on GET and HEAD (harmless:
   * at worst the client reads something else) but refused on PUT, POST and DELETE, where guessing
   * could overwrite or delete data (e.g. a future {@code PUT ?someFeature} must not become
   * PutObject).
   */
  static void check(Method method, Query query, String bucket) {
    for (String name : query.names()) {
      if (name.equals("notification") && method == Method.PUT) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, putNotificationMessage(bucket));
      }
      if (UNSUPPORTED.contains(name) || name.equals("versioning") && method == Method.PUT) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, "The ?" + name + " subresource is not implemented.");
      }
      boolean known = BUCKET.contains(name) || OBJECT.contains(name) || PARAMETERS.contains(name)
          || name.toLowerCase(Locale.ROOT).startsWith("x-amz-");
      if (!known && !method.isRead()) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, "The query parameter '" + name + "' is not supported.");
      }
    }
  }

  /**
   * PutBucketNotificationConfiguration is not implemented: Tarn's webhooks are not SQS/SNS/Lambda
   * targets, so they are configured through the webhooks API (or {@code tarn webhooks add}), and
   * {@code GET ?notification} reports them.
   */
  static String putNotificationMessage(String bucket) {
    String b = bucket == null || bucket.isEmpty() ? "{bucket}" : bucket;
    return "PutBucketNotificationConfiguration is not implemented: configure webhooks with the Tarn webhooks API,"
        + " POST /_tarn/api/v1/buckets/" + b + "/webhooks (or 'tarn webhooks add " + b + "').";
  }

  /**
   * The one subresource of {@code candidates} present in {@code query}, or {@code null}.
   *
   * @throws S3Exception InvalidRequest when several are present
   */
  static String single(Query query, List<String> candidates) {
    String found = null;
    for (String c : candidates) {
      if (query.has(c)) {
        if (found != null) {
          throw new S3Exception(S3Error.INVALID_REQUEST,
              "Conflicting subresources ?" + found + " and ?" + c + " in one request.");
        }
        found = c;
      }
    }
    return found;
  }

  static S3Exception methodNotAllowed() {
    return new S3Exception(S3Error.METHOD_NOT_ALLOWED);
  }
}
