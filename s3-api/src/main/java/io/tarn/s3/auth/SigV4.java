package io.tarn.s3.auth;

import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 primitives for S3, usable for signing and for verifying
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 *
 * <p>Thread-safe. Canonicalisation follows S3, which differs from other services: the path is
 * encoded once and never normalised ({@code .}, {@code ..} and {@code //} are kept).
 */
public final class SigV4 {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String SERVICE = "s3";
  public static final String TERMINATOR = "aws4_request";
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  /** SHA-256 of the empty string, the payload hash of a request without a body. */
  public static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final int KEY_CACHE_LIMIT = 4096;

  // A memo of a pure function (not shared state): deriving a key costs four HMACs, and every
  // request of a client on a given day needs the same one.
  private static final Map<KeyScope, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(SigV4::newSha256);
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(SigV4::newHmac);

  private record KeyScope(String secret, String date, String region, String service) {}

  /** A decoded query parameter; the value is empty (never null) for a bare name. */
  public record QueryParam(String name, String value) {}

  private SigV4() {}

  // ---- encoding

  /**
   * URI-encodes per SigV4: unreserved characters ({@code A-Za-z0-9-_.~}) are kept, every other
   * UTF-8 byte becomes {@code %XX} in upper case; {@code '/'} is kept when {@code keepSlash}.
   */
  public static String uriEncode(String s, boolean keepSlash) {
    return uriEncode(s.getBytes(StandardCharsets.UTF_8), keepSlash);
  }

  static String uriEncode(byte[] bytes, boolean keepSlash) {
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        sb.append((char) c);
      } else {
        sb.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '~';
  }

  /**
   * Decodes {@code %XX} escapes to bytes. {@code '+'} is a literal plus (RFC 3986), as the router
   * decodes it, so what is signed is what is executed. Other chars are taken as the HTTP decoder
   * hands them over, one char per wire byte: a char up to 0xFF is that byte (again as the router
   * does); a char above 0xFF cannot come from the wire and is taken as its UTF-8 bytes, for callers
   * that sign a Java string.
   *
   * @throws S3Exception {@code InvalidURI} on a truncated or non-hex escape
   */
  static byte[] percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        boolean complete = i + 2 < s.length();
        int hi = complete ? Hex.digit(s.charAt(i + 1)) : -1;
        int lo = complete ? Hex.digit(s.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          throw new S3Exception(S3Error.INVALID_URI, "Couldn't parse the specified URI: bad escape.");
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c <= 0xFF) {
        out.write(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return out.toByteArray();
  }

  /**
   * The bytes a string from the wire stands for. The HTTP decoder hands each byte of the request
   * line and of a header value over as one char (ISO-8859-1), so a client that signs raw UTF-8
   * bytes (a {@code café} metadata value) is verified over those bytes, not over a UTF-8 encoding
   * of their chars. A char above 0xFF cannot come from the wire and is taken as its UTF-8 bytes,
   * for callers that sign a Java string.
   */
  public static byte[] wireBytes(String s) {
    int n = s.length();
    boolean narrow = true;
    for (int i = 0; i < n && narrow; i++) {
      narrow = s.charAt(i) <= 0xFF;
    }
    if (narrow) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(n + 16);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c <= 0xFF) {
        out.write(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < n ? i + 2 : i + 1;
        out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return out.toByteArray();
  }

  /** Decodes a percent-encoded UTF-8 string. @throws S3Exception {@code InvalidURI} */
  public static String percentDecodeUtf8(String s) {
    byte[] bytes = percentDecode(s);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new S3Exception(S3Error.INVALID_URI, "Couldn't parse the specified URI: not UTF-8.");
    }
  }

  // ---- canonical request parts

  /**
   * The canonical URI of a raw request path (as on the request line, without the query): the
   * path's escapes are decoded, then every byte is encoded once, keeping {@code '/'}. Segments are
   * not normalised.
   */
  public static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    return uriEncode(percentDecode(rawPath), true);
  }

  /**
   * Splits a raw query string into decoded parameters, in order. A bare name gets an empty value.
   *
   * @throws S3Exception {@code InvalidURI} on a bad escape or invalid UTF-8
   */
  public static List<QueryParam> decodeQuery(String rawQuery) {
    List<QueryParam> params = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      params.add(new QueryParam(percentDecodeUtf8(name), percentDecodeUtf8(value)));
    }
    return params;
  }

  /**
   * The canonical query string: names and values decoded then encoded, sorted by name then value
   * (byte order), joined as {@code name=value&...}.
   *
   * @param excludeSignature leave out {@code X-Amz-Signature} (presigned URLs)
   */
  public static String canonicalQuery(String rawQuery, boolean excludeSignature) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = uriEncode(percentDecode(eq < 0 ? part : part.substring(0, eq)), false);
      if (excludeSignature && name.equals("X-Amz-Signature")) {
        continue;
      }
      String value = eq < 0 ? "" : uriEncode(percentDecode(part.substring(eq + 1)), false);
      pairs.add(new String[] {name, value});
    }
    // Encoded strings are ASCII, so String order is byte order.
    pairs.sort((a, b) -> {
      int c = a[0].compareTo(b[0]);
      return c != 0 ? c : a[1].compareTo(b[1]);
    });
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /**
   * Canonical headers for the signed names, in the given order: {@code name:value\n} with values
   * trimmed, inner runs of spaces and tabs collapsed to one space, repeated headers joined by
   * {@code ','}. A signed header absent from the request gets an empty value.
   */
  public static String canonicalHeaders(List<String> signedHeaders, SignedRequest request) {
    StringBuilder sb = new StringBuilder(256);
    for (String name : signedHeaders) {
      sb.append(name).append(':');
      List<String> values = request.all(name);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendTrimmed(sb, values.get(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void appendTrimmed(StringBuilder sb, String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isBlank(value.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(value.charAt(end - 1))) {
      end--;
    }
    boolean inBlank = false;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (isBlank(c)) {
        inBlank = true;
      } else {
        if (inBlank) {
          sb.append(' ');
          inBlank = false;
        }
        sb.append(c);
      }
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** The canonical request: six lines joined by {@code \n}. */
  public static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
      String canonicalHeaders, String signedHeadersLine, String payloadHash) {
    return method + '\n' + canonicalUri + '\n' + canonicalQuery + '\n' + canonicalHeaders + '\n'
        + signedHeadersLine + '\n' + payloadHash;
  }

  /** {@code date/region/s3/aws4_request}. */
  public static String scope(String date, String region) {
    return date + '/' + region + '/' + SERVICE + '/' + TERMINATOR;
  }

  public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
    // Header values in the canonical request are wire strings: hash the bytes they stand for.
    return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(wireBytes(canonicalRequest));
  }

  /**
   * The string to sign of one aws-chunked chunk
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
   */
  public static String chunkStringToSign(String amzDate, String scope, String previousSignature,
      String chunkSha256Hex) {
    return "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + '\n' + scope + '\n' + previousSignature + '\n'
        + EMPTY_SHA256 + '\n' + chunkSha256Hex;
  }

  /**
   * The string to sign of the trailing headers
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html); the hash is of
   * the canonical trailers, {@code name:value\n} each.
   */
  public static String trailerStringToSign(String amzDate, String scope, String previousSignature,
      String canonicalTrailersSha256Hex) {
    return "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + '\n' + scope + '\n' + previousSignature + '\n'
        + canonicalTrailersSha256Hex;
  }

  // ---- keys and signatures

  /** The derived signing key, cached per (secret, date, region, service). Do not modify it. */
  public static byte[] signingKey(String secretKey, String date, String region, String service) {
    KeyScope k = new KeyScope(secretKey, date, region, service);
    byte[] key = SIGNING_KEYS.get(k);
    if (key == null) {
      byte[] kDate = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
      key = hmac(hmac(hmac(kDate, region), service), TERMINATOR);
      if (SIGNING_KEYS.size() >= KEY_CACHE_LIMIT) {
        SIGNING_KEYS.clear(); // bounded: keys roll over daily, so stale entries pile up otherwise
      }
      SIGNING_KEYS.put(k, key);
    }
    return key;
  }

  /** Lower-case hex HMAC-SHA256 of the string to sign. */
  public static String signature(byte[] signingKey, String stringToSign) {
    return Hex.encode(hmac(signingKey, stringToSign));
  }

  public static byte[] hmac(byte[] key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected a key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(String s) {
    return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    return Hex.encode(md.digest(data));
  }

  /** Compares two hex signatures in constant time (case-insensitively). */
  public static boolean signaturesEqual(String expected, String provided) {
    // Constant time in the secret-derived content; the provided signature is folded to lower case
    // (branching on it reveals nothing: the client chose it). No copies of either string.
    if (expected.length() != provided.length()) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < expected.length(); i++) {
      int a = expected.charAt(i);
      int b = provided.charAt(i);
      if (b >= 'A' && b <= 'Z') {
        b |= 0x20;
      }
      if (a >= 'A' && a <= 'Z') {
        a |= 0x20;
      }
      diff |= a ^ b;
    }
    return diff == 0;
  }


  // ---- time

  /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
  public static String formatAmzDate(Instant t) {
    return AMZ_DATE.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  /** Parses {@code yyyyMMdd'T'HHmmss'Z'}. @throws DateTimeParseException if malformed */
  public static Instant parseAmzDate(String s) {
    // Every signed request carries one: a hand parse of the fixed form yyyyMMdd'T'HHmmss'Z' spares
    // the formatter's general machinery; anything else goes to the formatter for its exact error.
    if (s.length() == 16 && s.charAt(8) == 'T' && s.charAt(15) == 'Z') {
      int year = digits(s, 0, 4);
      int month = digits(s, 4, 6);
      int day = digits(s, 6, 8);
      int hour = digits(s, 9, 11);
      int minute = digits(s, 11, 13);
      int second = digits(s, 13, 15);
      if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour <= 23 && minute >= 0
          && minute <= 59 && second >= 0 && second <= 59 && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
        return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
      }
    }
    return LocalDateTime.parse(s, AMZ_DATE).toInstant(ZoneOffset.UTC);
  }

  /** The decimal number in {@code s[from, to)}, or -1 if it is not all ASCII digits. */
  static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // ---- client helpers

  /**
   * Signs a request for the {@code Authorization} header, signing every header of {@code request}
   * (so give it exactly the headers to sign: at least {@code host}, {@code x-amz-date} and
   * {@code x-amz-content-sha256}, whose values set the timestamp and the payload hash).
   *
   * @return the {@code Authorization} header value
   * @throws IllegalArgumentException if {@code x-amz-date} or {@code x-amz-content-sha256} is missing
   */
  public static String authorization(SignedRequest request, String accessKeyId, String secretKey,
      String region) {
    String amzDate = request.first("x-amz-date");
    String payloadHash = request.first("x-amz-content-sha256");
    if (amzDate == null || payloadHash == null) {
      throw new IllegalArgumentException("x-amz-date and x-amz-content-sha256 must be set");
    }
    TreeMap<String, String> names = new TreeMap<>();
    for (String n : request.headerNames()) {
      names.put(n.toLowerCase(Locale.ROOT), n);
    }
    List<String> signed = new ArrayList<>(names.keySet());
    String signedLine = String.join(";", signed);
    String canonical = canonicalRequest(request.method(), canonicalUri(request.rawPath()),
        canonicalQuery(request.rawQuery(), false), canonicalHeaders(signed, request), signedLine,
        payloadHash);
    String date = amzDate.substring(0, 8);
    String scope = scope(date, region);
    String sig = signature(signingKey(secretKey, date, region, SERVICE),
        stringToSign(amzDate, scope, canonical));
    return ALGORITHM + " Credential=" + accessKeyId + '/' + scope + ",SignedHeaders=" + signedLine
        + ",Signature=" + sig;
  }

  /**
   * Presigns a request that signs only {@code host}
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
   *
   * @param rawQuery the request's own raw query (already encoded), or null
   * @return the complete raw query string to send, ending with {@code X-Amz-Signature}
   */
  public static String presignQuery(String method, String rawPath, String rawQuery, String host,
      String accessKeyId, String secretKey, String region, Instant time, long expiresSeconds) {
    return presignQuery(method, rawPath, rawQuery, host, Map.of(), accessKeyId, secretKey, region, time,
        expiresSeconds);
  }

  /**
   * Presigns a request that signs {@code host} and {@code headers}: the client must then send exactly
   * those header values (the verifier also demands that every {@code x-amz-*} header it sends is
   * signed). An {@code x-amz-content-sha256} among them is the payload line, as the verifier reads it;
   * without one the payload is {@code UNSIGNED-PAYLOAD}.
   *
   * @param headers lower-case header names (not {@code host}) and the values the client will send
   */
  public static String presignQuery(String method, String rawPath, String rawQuery, String host,
      Map<String, String> headers, String accessKeyId, String secretKey, String region, Instant time,
      long expiresSeconds) {
    String amzDate = formatAmzDate(time);
    String date = amzDate.substring(0, 8);
    String scope = scope(date, region);
    TreeMap<String, String> signed = new TreeMap<>(headers);
    signed.put("host", host);
    String signedLine = String.join(";", signed.keySet());
    String auth = "X-Amz-Algorithm=" + ALGORITHM
        + "&X-Amz-Credential=" + uriEncode(accessKeyId + '/' + scope, false)
        + "&X-Amz-Date=" + amzDate
        + "&X-Amz-Expires=" + expiresSeconds
        + "&X-Amz-SignedHeaders=" + uriEncode(signedLine, false);
    String query = rawQuery == null || rawQuery.isEmpty() ? auth : rawQuery + '&' + auth;
    SignedRequest.Builder b = SignedRequest.builder(method, rawPath, query);
    signed.forEach(b::header);
    String payloadHash = headers.getOrDefault("x-amz-content-sha256", UNSIGNED_PAYLOAD).strip();
    String canonical = canonicalRequest(method, canonicalUri(rawPath), canonicalQuery(query, true),
        canonicalHeaders(List.copyOf(signed.keySet()), b.build()), signedLine, payloadHash);
    String sig = signature(signingKey(secretKey, date, region, SERVICE),
        stringToSign(amzDate, scope, canonical));
    return query + "&X-Amz-Signature=" + sig;
  }

  // ---- JDK plumbing

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static Mac newHmac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }
}
