package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.ResponseOverrides;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.StoredChecksum;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Object metadata in and out of HTTP headers. */
public final class ObjectHeaders {
  /** User metadata limit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html). */
  public static final int MAX_USER_METADATA_BYTES = 2048;

  private static final String META_PREFIX = "x-amz-meta-";

  private ObjectHeaders() {}

  /** Reads the metadata a PUT, copy with REPLACE, or CreateMultipartUpload sets. */
  public static ObjectMetadata fromRequest(HttpHeaders h) {
    Map<String, String> user = new TreeMap<>();
    int bytes = 0;
    for (Map.Entry<String, String> e : h) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
        String k = name.substring(META_PREFIX.length());
        String v = metadataValue(e.getValue());
        String prev = user.get(k);
        v = prev == null ? v : prev + "," + v;
        user.put(k, v);
      }
    }
    for (Map.Entry<String, String> e : user.entrySet()) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_USER_METADATA_BYTES) {
      throw new S3Exception(S3Error.METADATA_TOO_LARGE, S3Error.METADATA_TOO_LARGE.defaultMessage(),
          Map.of("Size", Integer.toString(bytes), "MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES)));
    }
    return new ObjectMetadata(
        h.get("Content-Type"),
        storedContentEncoding(h.get("Content-Encoding")),
        h.get("Content-Disposition"),
        h.get("Content-Language"),
        h.get("Cache-Control"),
        h.get("Expires"),
        new TreeMap<>(user));
  }

  /**
   * A user metadata value as stored. "Values of such headers [with non-US-ASCII characters] are
   * character decoded as per RFC 2047 before storing and encoded as per RFC 2047 to make them
   * mail-safe before returning" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html):
   * the HTTP decoder hands each header byte over as one char, so raw non-ASCII bytes are decoded as
   * the UTF-8 they are (as ISO-8859-1, the HTTP default, when they are not UTF-8) and stored as
   * text; an ASCII value, an encoded-word a client wrote itself included, is stored as sent.
   */
  static String metadataValue(String wire) {
    if (isAscii(wire)) {
      return wire;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(SigV4.wireBytes(wire)))
          .toString();
    } catch (CharacterCodingException e) {
      return wire;
    }
  }

  /** A stored value for a response header: RFC 2047 {@code =?UTF-8?B?...?=} when not US-ASCII. */
  static String mailSafe(String value) {
    if (isAscii(value)) {
      return value;
    }
    return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * Content-Encoding without the {@code aws-chunked} token, which only describes the transfer
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html); the rest is kept exactly as
   * sent ({@code deflate, gzip} stays {@code deflate, gzip}), as S3 does.
   */
  static String storedContentEncoding(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i <= value.length()) {
      int comma = value.indexOf(',', i);
      int end = comma < 0 ? value.length() : comma;
      String token = value.substring(i, end);
      if (!token.isBlank() && !token.strip().equalsIgnoreCase("aws-chunked")) {
        if (out.length() > 0) {
          out.append(',');
        } else {
          token = token.stripLeading();
        }
        out.append(token);
      }
      i = end + 1;
    }
    String kept = out.toString().strip();
    return kept.isEmpty() ? null : kept;
  }

  public static String quote(String etag) {
    return "\"" + etag + "\"";
  }

  /** Removes surrounding quotes (and a weak-tag prefix) from an ETag a client sent. */
  public static String unquote(String etag) {
    String t = etag.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }

  public static String httpDate(Instant t) {
    return io.tarn.s3.http.HttpDates.format(t.getEpochSecond());
  }

  /**
   * Adds the headers GET and HEAD return for an object.
   *
   * @param o the {@code response-*} query parameters
   * @param checksum the checksum of the bytes sent, to show as x-amz-checksum-*, or {@code null}
   */
  public static void addObjectHeaders(S3Response r, ObjectInfo info, ResponseOverrides o, StoredChecksum checksum) {
    ObjectMetadata m = info.metadata();
    r.header("ETag", quote(info.etag()));
    r.header("Last-Modified", httpDate(info.lastModified()));
    r.header("Accept-Ranges", "bytes");
    r.header("Content-Type", or(o.contentType(), m.effectiveContentType()));
    r.header("Content-Encoding", or(o.contentEncoding(), m.contentEncoding()));
    r.header("Content-Disposition", or(o.contentDisposition(), m.contentDisposition()));
    r.header("Content-Language", or(o.contentLanguage(), m.contentLanguage()));
    r.header("Cache-Control", or(o.cacheControl(), m.cacheControl()));
    r.header("Expires", or(o.expires(), m.expires()));
    for (Map.Entry<String, String> e : m.userMetadata().entrySet()) {
      r.header(META_PREFIX + e.getKey(), mailSafe(e.getValue()));
    }
    if (checksum != null) {
      r.header(checksum.algorithm().headerName(), checksum.wireValue());
      // A part's own checksum is plain, but the type names how the object's checksum is made.
      r.header("x-amz-checksum-type", info.checksum() != null ? info.checksum().type() : checksum.type());
    }
  }

  private static String or(String override, String stored) {
    return override != null ? override : stored;
  }
}
