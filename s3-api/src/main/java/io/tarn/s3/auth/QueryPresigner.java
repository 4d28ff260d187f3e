package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.AccessKeyLookup;
import io.tarn.core.S3Exception;
import io.tarn.core.api.Presigner;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The console's presigned URLs, made by this module's one SigV4 implementation with a stored key, for
 * the region the {@link Authenticator} verifies against: a URL made here is verified by the same code
 * as any client's (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 * Path-style, since the console and the S3 API share one origin. Thread-safe.
 */
public final class QueryPresigner implements Presigner {
  private final AccessKeyLookup keys;
  private final String region;

  /**
   * @param keys the same lookup the verifier uses (disabled and expired keys are refused by it)
   * @param region the region clients sign for
   */
  public QueryPresigner(AccessKeyLookup keys, String region) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.region = Objects.requireNonNull(region, "region");
  }

  @Override
  public Optional<String> presign(Request r) {
    AccessKey key;
    try {
      Optional<AccessKey> found = keys.find(r.accessKeyId());
      if (found.isEmpty()) {
        return Optional.empty();
      }
      key = found.get();
    } catch (S3Exception disabledOrExpired) {
      return Optional.empty();
    }
    String path = rawPath(r.bucket(), r.key());
    String query = rawQuery(r.query());
    return Optional.of(path + '?' + SigV4.presignQuery(r.method(), path, query, r.host(), r.headers(),
        key.accessKeyId(), key.secretKey(), region, r.time(), r.expiresSeconds()));
  }

  /**
   * {@code /bucket/key}, each byte outside the unreserved set escaped; the key's slashes are kept
   * (as SDK presigners keep them: the URL stays readable when shared).
   */
  static String rawPath(String bucket, String key) {
    if (bucket == null) {
      return "/";
    }
    String path = "/" + SigV4.uriEncode(bucket, false);
    return key == null ? path : path + "/" + SigV4.uriEncode(key, true);
  }

  /** The query as {@code name=value&...} in the given order; a bare name (empty value) stays bare. */
  static String rawQuery(Map<String, String> query) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> q : query.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(SigV4.uriEncode(q.getKey(), false));
      if (!q.getValue().isEmpty()) {
        sb.append('=').append(SigV4.uriEncode(q.getValue(), false));
      }
    }
    return sb.toString();
  }
}
