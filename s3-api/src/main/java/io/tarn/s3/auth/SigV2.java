package io.tarn.s3.auth;

import io.tarn.s3.auth.SigV4.QueryParam;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 2 for S3: the StringToSign, the HMAC-SHA1 signature, and signing helpers for
 * tests and clients (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html).
 *
 * <pre>
 * StringToSign = HTTP-Verb \n Content-MD5 \n Content-Type \n Date-or-Expires \n
 *                CanonicalizedAmzHeaders CanonicalizedResource
 * </pre>
 *
 * <p>The StringToSign is built as bytes: what comes from the wire (the path as sent, header values)
 * is taken byte for byte (the HTTP decoder hands each byte over as one char), while sub-resource
 * values, which the page says are signed decoded, are their UTF-8 bytes. Thread-safe.
 */
public final class SigV2 {
  /** The scheme of the header form, {@code Authorization: AWS AKID:signature}. */
  public static final String SCHEME = "AWS";

  /**
   * The query parameters that are part of the CanonicalizedResource: the page's list of
   * sub-resources and response-header overrides, plus those that AWS's own SDKs (botocore's
   * HmacV1Auth) and s3cmd sign for the sub-resources added since (cors, delete, tagging...).
   */
  static final Set<String> SUBRESOURCES = Set.of("accelerate", "acl", "analytics", "cors", "delete",
      "inventory", "legal-hold", "lifecycle", "location", "logging", "metrics", "notification",
      "object-lock", "partNumber", "policy", "replication", "requestPayment", "response-cache-control",
      "response-content-disposition", "response-content-encoding", "response-content-language",
      "response-content-type", "response-expires", "restore", "retention", "select", "select-type",
      "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning",
      "versions", "website");

  private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(SigV2::newHmacSha1);

  private SigV2() {}

  /**
   * The StringToSign of a request.
   *
   * @param request the request as received
   * @param query the request's decoded query parameters
   * @param dateOrExpires the Date line: the Date header, empty when x-amz-date is sent (it is then
   *     signed among the x-amz-* headers), or the Expires parameter of a presigned URL
   * @param hostBucket the bucket named by a virtual-hosted Host, or null for path-style
   * @param presigned whether the signature is in the query: Content-Type, Content-MD5 and x-amz-*
   *     values may then come from query parameters of those names, as AWS's SDKs put them there
   */
  public static byte[] stringToSign(SignedRequest request, List<QueryParam> query, String dateOrExpires,
      String hostBucket, boolean presigned) {
    Map<String, String> fromQuery = presigned ? headerParams(query) : Map.of();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    wire(out, request.method()).write('\n');
    wire(out, positional(request, "content-md5", fromQuery)).write('\n');
    wire(out, positional(request, "content-type", fromQuery)).write('\n');
    wire(out, dateOrExpires).write('\n');
    amzHeaders(out, request, fromQuery);
    resource(out, request.rawPath(), query, hostBucket);
    return out.toByteArray();
  }

  /** Base64 of HMAC-SHA1(secret, stringToSign). */
  public static String signature(String secretKey, byte[] stringToSign) {
    Mac mac = HMAC_SHA1.get();
    try {
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 rejected a key", e);
    }
    return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign));
  }

  /** Compares two base64 signatures in constant time (base64 is case-sensitive). */
  static boolean signaturesEqual(String expected, String provided) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.ISO_8859_1),
        provided.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The bytes as S3 shows them in {@code StringToSignBytes}: two hex digits each, space-separated. */
  static String hexBytes(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  // ---- client helpers

  /** The {@code Authorization} header value for a request signed as it is (Date or x-amz-date set). */
  public static String authorization(SignedRequest request, String hostBucket, String accessKeyId,
      String secretKey) {
    String date = request.first("x-amz-date") != null ? "" : nullToEmpty(request.first("date"));
    byte[] sts = stringToSign(request, SigV4.decodeQuery(request.rawQuery()), date, hostBucket, false);
    return SCHEME + ' ' + accessKeyId + ':' + signature(secretKey, sts);
  }

  /**
   * Presigns a request (no headers signed) valid until {@code expiresEpochSecond}.
   *
   * @param rawQuery the request's own raw query (already encoded), or null
   * @return the complete raw query string to send
   */
  public static String presignQuery(String method, String rawPath, String rawQuery, String hostBucket,
      String accessKeyId, String secretKey, long expiresEpochSecond) {
    SignedRequest bare = SignedRequest.builder(method, rawPath, rawQuery).build();
    byte[] sts = stringToSign(bare, SigV4.decodeQuery(rawQuery), Long.toString(expiresEpochSecond),
        hostBucket, true);
    String auth = "AWSAccessKeyId=" + SigV4.uriEncode(accessKeyId, false) + "&Expires=" + expiresEpochSecond
        + "&Signature=" + SigV4.uriEncode(signature(secretKey, sts), false);
    return rawQuery == null || rawQuery.isEmpty() ? auth : rawQuery + '&' + auth;
  }

  // ---- parts

  private static String positional(SignedRequest request, String name, Map<String, String> fromQuery) {
    String value = request.first(name);
    if (value == null) {
      value = fromQuery.get(name);
    }
    return value == null ? "" : value.strip();
  }

  /**
   * CanonicalizedAmzHeaders: names lower-cased and sorted, repeated values joined by ',' without
   * spaces, each value trimmed and unfolded, one {@code name:value\n} per header.
   */
  private static void amzHeaders(ByteArrayOutputStream out, SignedRequest request, Map<String, String> fromQuery) {
    TreeMap<String, List<String>> amz = new TreeMap<>();
    for (String name : request.headerNames()) {
      if (name.regionMatches(true, 0, "x-amz-", 0, 6)) {
        amz.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(request.all(name));
      }
    }
    fromQuery.forEach((name, value) -> {
      if (name.startsWith("x-amz-")) {
        amz.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    });
    for (Map.Entry<String, List<String>> h : amz.entrySet()) {
      wire(out, h.getKey()).write(':');
      List<String> values = h.getValue();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        wire(out, unfold(values.get(i).strip()));
      }
      out.write('\n');
    }
  }

  /** RFC 2616 4.2 folding: a line break and the whitespace around it become one space. */
  private static String unfold(String value) {
    return value.indexOf('\n') < 0 && value.indexOf('\r') < 0 ? value
        : value.replaceAll("[ \\t]*\\r?\\n[ \\t]*", " ");
  }

  /**
   * CanonicalizedResource: {@code /bucket} when the Host names it, the path exactly as sent (still
   * encoded), then the sub-resources sorted by name, each {@code name} or {@code name=value} with
   * the value decoded.
   */
  private static void resource(ByteArrayOutputStream out, String rawPath, List<QueryParam> query,
      String hostBucket) {
    if (hostBucket != null) {
      wire(out, "/" + hostBucket);
    }
    wire(out, rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
    List<QueryParam> sub = new ArrayList<>();
    for (QueryParam q : query) {
      if (SUBRESOURCES.contains(q.name())) {
        sub.add(q);
      }
    }
    // A stable sort by name: repeated names keep the order they were sent in, as botocore does.
    sub.sort((a, b) -> a.name().compareTo(b.name()));
    char sep = '?';
    for (QueryParam q : sub) {
      out.write(sep);
      sep = '&';
      out.writeBytes(q.name().getBytes(StandardCharsets.UTF_8));
      if (!q.value().isEmpty()) {
        out.write('=');
        out.writeBytes(q.value().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The x-amz-*, content-type and content-md5 parameters of a presigned query, by lower-case name. */
  private static Map<String, String> headerParams(List<QueryParam> query) {
    Map<String, String> out = new TreeMap<>();
    for (QueryParam q : query) {
      String name = q.name().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-amz-") || name.equals("content-type") || name.equals("content-md5")) {
        out.putIfAbsent(name, q.value());
      }
    }
    return out;
  }

  private static ByteArrayOutputStream wire(ByteArrayOutputStream out, String s) {
    out.writeBytes(SigV4.wireBytes(s));
    return out;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Mac newHmacSha1() {
    try {
      return Mac.getInstance("HmacSHA1");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
    }
  }
}
