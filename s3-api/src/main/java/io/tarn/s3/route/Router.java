package io.tarn.s3.route;

import io.tarn.core.BucketNames;
import io.tarn.core.ObjectKeys;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a request line, Host and headers into an {@link S3Operation}, or throws an
 * {@link S3Exception}. Pure and thread-safe: no I/O, no storage lookups.
 *
 * <p>Addressing (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html): a Host
 * (port and trailing dot stripped, compared case-insensitively) of the form
 * {@code <bucket>.<domain>} for a configured domain is virtual-hosted; anything else (a bare domain,
 * an IP address, an unknown name) is path-style, {@code /<bucket>/<key>}. The key is the rest of
 * the path after the bucket's '/', percent-decoded and otherwise kept literally ({@code a//b},
 * {@code ../x}, a trailing '/').
 *
 * <p>Dispatch is by method and subresource ({@link Subresources}). A subresource Tarn does not
 * implement is always {@code NotImplemented}, never another operation.
 */
public final class Router {
  /** First path segment reserved for the console API; not a valid bucket name. */
  public static final String CONSOLE_SEGMENT = "_tarn";
  /** Path prefix of Tarn's own APIs. */
  public static final String CONSOLE_PREFIX = "/" + CONSOLE_SEGMENT;

  private final List<String> domains;

  /** @param domains the virtual-host domains, e.g. {@code ["s3.example.com", "localhost"]} */
  public Router(List<String> domains) {
    List<String> normalized = new ArrayList<>();
    for (String d : domains) {
      String n = stripTrailingDot(d.trim().toLowerCase(Locale.ROOT));
      if (n.isEmpty()) {
        throw new IllegalArgumentException("empty virtual-host domain");
      }
      normalized.add(n);
    }
    // Longest first, so that "s3.example.com" wins over "example.com" for "b.s3.example.com".
    normalized.sort(Comparator.comparingInt(String::length).reversed());
    this.domains = List.copyOf(normalized);
  }

  /**
   * Parses a request.
   *
   * @param method the HTTP method, case-sensitive
   * @param host the Host header, or {@code null}
   * @param rawUri the request-target as received (origin-form, or absolute-form whose authority
   *     then replaces {@code host}, RFC 9112 3.2.2)
   * @param headers the request headers
   * @throws S3Exception for anything that is not a well-formed supported request
   */
  public S3Operation route(String method, String host, String rawUri, RequestHeaders headers) {
    if (rawUri == null || rawUri.isEmpty()) {
      throw new S3Exception(S3Error.INVALID_URI);
    }
    String target = rawUri;
    String scheme = schemePrefix(target);
    if (scheme != null) {
      int slash = target.indexOf('/', scheme.length());
      int question = target.indexOf('?', scheme.length());
      int end = slash >= 0 ? slash : question >= 0 ? question : target.length();
      host = target.substring(scheme.length(), end);
      target = end == target.length() || target.charAt(end) == '?' ? "/" + target.substring(end) : target.substring(end);
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? "" : target.substring(q + 1);
    if (!path.startsWith("/")) {
      throw new S3Exception(S3Error.INVALID_URI);
    }

    String bucket = virtualHostBucket(host);
    String key;
    if (bucket != null) {
      key = PercentDecoder.decode(path, 1, path.length(), S3Error.INVALID_URI, "object key");
    } else if (path.length() > 1) {
      int slash = path.indexOf('/', 1);
      int bucketEnd = slash < 0 ? path.length() : slash;
      bucket = PercentDecoder.decode(path, 1, bucketEnd, S3Error.INVALID_URI, "bucket name");
      if (bucket.equals(CONSOLE_SEGMENT)) {
        return new S3Operation.Console(rawUri);
      }
      if (bucket.isEmpty()) {
        throw new S3Exception(S3Error.INVALID_BUCKET_NAME, "The specified bucket is not valid.",
            Map.of("BucketName", ""));
      }
      key = slash < 0 ? "" : PercentDecoder.decode(path, slash + 1, path.length(), S3Error.INVALID_URI, "object key");
    } else {
      key = "";
    }

    Method m = Method.of(method);
    Query query = Query.parse(rawQuery);
    Subresources.check(m, query, bucket);
    RequestHeaders h = headers == null ? RequestHeaders.NONE : headers;
    if (bucket == null) {
      return BucketRoutes.service(m, query);
    }
    if (key.isEmpty()) {
      return BucketRoutes.route(m, bucket, query, h);
    }
    ObjectKeys.validate(key);
    return ObjectRoutes.route(m, bucket, key, query, h);
  }

  /** The bucket named by a virtual-hosted Host, or {@code null} for path-style. */
  public String virtualHostBucket(String host) {
    if (host == null || host.isEmpty() || host.startsWith("[")) {
      return null; // absent, or an IPv6 literal
    }
    String name = host;
    int colon = name.lastIndexOf(':');
    if (colon >= 0) {
      name = name.substring(0, colon);
    }
    name = stripTrailingDot(name.toLowerCase(Locale.ROOT));
    for (String d : domains) {
      if (name.length() > d.length() + 1 && name.endsWith(d) && name.charAt(name.length() - d.length() - 1) == '.') {
        return name.substring(0, name.length() - d.length() - 1);
      }
    }
    return null;
  }

  private static String stripTrailingDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String schemePrefix(String target) {
    String lower = target.length() > 8 ? target.substring(0, 8).toLowerCase(Locale.ROOT) : target.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      return target.substring(0, 7);
    }
    if (lower.startsWith("https://")) {
      return target.substring(0, 8);
    }
    return null;
  }

  /** Validates a bucket name for CreateBucket (the only place a name is validated: see class doc). */
  static String validBucketName(String bucket) {
    BucketNames.validate(bucket);
    return bucket;
  }
}
