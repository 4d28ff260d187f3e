package io.tarn.core.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Makes SigV4 query-presigned URLs (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
 * with a stored access key, so that the console API can hand a browser a URL for the S3 API without
 * the browser ever holding a secret. Implemented by the S3 front end, which owns the one SigV4
 * implementation and knows the region it verifies against; the console API only describes the request.
 */
@FunctionalInterface
public interface Presigner {
  /**
   * A request to presign, path-style.
   *
   * @param accessKeyId the key to sign with (its secret is looked up by the implementation)
   * @param method HTTP method, upper case
   * @param host the {@code Host} the URL will be sent to (signed)
   * @param bucket the bucket, or null for the service (ListBuckets)
   * @param key the object key, or null for a bucket or the service
   * @param query the request's own query parameters, decoded, in order ({@code ""} for a bare name)
   * @param headers further headers the client will send and that must be signed (lower-case names)
   * @param time the signing time
   * @param expiresSeconds how long the URL is valid (1..604800)
   */
  record Request(String accessKeyId, String method, String host, String bucket, String key,
      Map<String, String> query, Map<String, String> headers, Instant time, long expiresSeconds) {}

  /**
   * @return the request target (path and query, starting with {@code /}), or empty when the key is
   *     unknown, disabled or expired
   */
  Optional<String> presign(Request request);
}
