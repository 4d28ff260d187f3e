package io.tarn.console.session;

import io.tarn.console.ApiException;
import io.tarn.console.Credentials;
import io.tarn.console.Json;
import io.tarn.console.admin.Times;
import io.tarn.core.ObjectKeys;
import io.tarn.core.Principal;
import io.tarn.core.S3Exception;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.core.api.Presigner;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /_tarn/api/v1/presign} (console-contract.md): a same-origin, path-style URL for one
 * S3 request, SigV4 query-presigned with the caller's access key, so that object bytes go between
 * the browser and the S3 API directly and the S3 API authorizes them like any request. The URL
 * outlives the session (a share link must), never the key: the S3 API checks the key at each use.
 */
final class PresignApi {
  static final long DEFAULT_EXPIRES = 900;
  /** Seven days, S3's limit for SigV4 presigned URLs (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). */
  static final long MAX_EXPIRES = 604_800;
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE");
  /** Query parameters the signature itself uses: the caller may not pre-set them (nor SigV2's). */
  private static final Set<String> AUTH_PARAMETERS = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
      "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token", "awsaccesskeyid",
      "signature", "expires");
  /** Headers the URL cannot sign: host is always signed, the others would change how S3 authenticates. */
  private static final Set<String> UNSIGNABLE = Set.of("host", "authorization", "x-amz-date", "x-amz-security-token");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]+");
  private static final int MAX_PARAMETERS = 50;

  private final Presigner presigner;
  private final Clock clock;
  private final SessionOptions options;

  PresignApi(Presigner presigner, Clock clock, SessionOptions options) {
    this.presigner = presigner;
    this.clock = clock;
    this.options = options;
  }

  record Body(String method, String bucket, String key, Map<String, String> query, Map<String, String> headers,
      Long expiresSeconds) {}

  record Presigned(String url, String method, String expires) {}

  ApiResponse presign(ConsoleGate.Admitted a) {
    ApiRequest request = a.request();
    if (!request.method().equals("POST")) {
      throw SessionApi.notAllowed(request.method(), "/presign", "POST");
    }
    if (request.principal().isEmpty()) {
      if (request.header("authorization").isPresent()) {
        throw ApiException.invalid("an API token has no secret to sign a URL with: sign in, or sign the request"
            + " with an access key");
      }
      throw ConsoleGate.notSignedIn(options.secureCookies(request.tls()));
    }
    Principal caller = request.principal().get();
    if (caller.accessKeyId().startsWith(Credentials.TOKEN_PREFIX)) {
      throw ApiException.invalid("an API token has no secret to sign a URL with: sign in, or sign the request with an access key");
    }
    Body b = Json.read(request.body(), Body.class);
    String method = b.method() == null ? "" : b.method();
    if (!METHODS.contains(method)) {
      throw ApiException.invalid("\"method\" must be one of GET, HEAD, PUT, POST, DELETE");
    }
    if (b.bucket() != null && (b.bucket().isEmpty() || b.bucket().contains("/") || b.bucket().startsWith("_"))) {
      throw ApiException.invalid("\"bucket\" is not a bucket name");
    }
    if (b.key() != null) {
      if (b.bucket() == null) {
        throw ApiException.invalid("\"key\" needs a \"bucket\"");
      }
      try {
        ObjectKeys.validate(b.key());
      } catch (S3Exception e) {
        throw ApiException.invalid("\"key\": " + e.getMessage());
      }
      if (hasDotSegment(b.key())) {
        throw ApiException.invalid("\"key\" has a \".\" or \"..\" path segment: web browsers and most HTTP"
            + " libraries remove such segments from a URL before sending it, so the URL would address another"
            + " path (another object or the bucket). Use an S3 client that sends the key as it is");
      }
    }
    long expires = b.expiresSeconds() == null ? DEFAULT_EXPIRES : b.expiresSeconds();
    if (expires < 1 || expires > MAX_EXPIRES) {
      throw ApiException.invalid("\"expiresSeconds\" must be from 1 to " + MAX_EXPIRES + " (7 days)");
    }
    Map<String, String> query = query(b.query());
    Map<String, String> headers = headers(b.headers());
    String host = request.header("host").filter(h -> !h.isBlank())
        .orElseThrow(() -> ApiException.invalid("the request has no Host header to sign the URL for"));
    Instant now = clock.instant();
    String url = presigner.presign(new Presigner.Request(caller.accessKeyId(), method, host.strip(), b.bucket(), b.key(),
        query, headers, now, expires)).orElseThrow(() -> ConsoleGate.notSignedIn(options.secureCookies(request.tls())));
    return Json.response(200, new Presigned(url, method, Times.format(now.plusSeconds(expires))))
        .withHeaders(Map.of("Cache-Control", "no-store"));
  }

  /**
   * Whether key has a segment (between slashes) that is exactly {@code .} or {@code ..}. The presigner
   * keeps the key's slashes and dots as they are, so those segments are the URL's, which a browser
   * resolves away (https://url.spec.whatwg.org/#single-dot-path-segment). The console's check is
   * {@code hasDotSegment} in s3.js; the two must agree.
   */
  static boolean hasDotSegment(String key) {
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> query(Map<String, String> in) {
    if (in == null) {
      return Map.of();
    }
    if (in.size() > MAX_PARAMETERS) {
      throw ApiException.invalid("\"query\" has more than " + MAX_PARAMETERS + " parameters");
    }
    for (Map.Entry<String, String> q : in.entrySet()) {
      if (q.getKey().isEmpty() || q.getValue() == null) {
        throw ApiException.invalid("\"query\" names must not be empty and values must be strings ('' for a bare name)");
      }
      if (AUTH_PARAMETERS.contains(q.getKey().toLowerCase(Locale.ROOT))) {
        throw ApiException.invalid("\"query\" must not set the signature's own parameter " + q.getKey());
      }
    }
    return in;
  }

  private static Map<String, String> headers(Map<String, String> in) {
    if (in == null) {
      return Map.of();
    }
    if (in.size() > MAX_PARAMETERS) {
      throw ApiException.invalid("\"headers\" has more than " + MAX_PARAMETERS + " headers");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : in.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(name).matches() || UNSIGNABLE.contains(name)) {
        throw ApiException.invalid("\"headers\": " + h.getKey() + " cannot be signed into a URL");
      }
      String value = h.getValue();
      if (value == null || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        throw ApiException.invalid("\"headers\": the value of " + h.getKey() + " must be a string without control characters");
      }
      if (out.put(name, value) != null) {
        throw ApiException.invalid("\"headers\": " + h.getKey() + " is given twice");
      }
    }
    return out;
  }
}
