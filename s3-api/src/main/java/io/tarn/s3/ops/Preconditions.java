package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Read preconditions: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since on GET/HEAD
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html) and their
 * {@code x-amz-copy-source-if-*} forms on copies
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). As S3 does: when If-Match
 * holds, If-Unmodified-Since is ignored; when If-None-Match fails, If-Modified-Since is ignored.
 */
public final class Preconditions {
  private Preconditions() {}

  /** For GET and HEAD: 412 PreconditionFailed or 304 NotModified. */
  public static void checkRead(HttpHeaders h, String etag, Instant lastModified) {
    check(h.get("If-Match"), h.get("If-None-Match"), h.get("If-Modified-Since"), h.get("If-Unmodified-Since"),
        etag, lastModified, false);
  }

  /** For a copy source: every failure is 412 PreconditionFailed. */
  public static void checkCopySource(HttpHeaders h, String etag, Instant lastModified) {
    check(h.get("x-amz-copy-source-if-match"), h.get("x-amz-copy-source-if-none-match"),
        h.get("x-amz-copy-source-if-modified-since"), h.get("x-amz-copy-source-if-unmodified-since"),
        etag, lastModified, true);
  }

  private static void check(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
      String etag, Instant lastModified, boolean copy) {
    long modified = lastModified.getEpochSecond();
    if (ifMatch != null) {
      if (!matches(ifMatch, etag)) {
        throw failed("If-Match");
      }
    } else if (ifUnmodifiedSince != null) {
      Instant t = parseDate(ifUnmodifiedSince);
      if (t != null && modified > t.getEpochSecond()) {
        throw failed("If-Unmodified-Since");
      }
    }
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, etag)) {
        throw copy ? failed("x-amz-copy-source-if-none-match") : notModified();
      }
    } else if (ifModifiedSince != null) {
      Instant t = parseDate(ifModifiedSince);
      if (t != null && modified <= t.getEpochSecond()) {
        throw copy ? failed("x-amz-copy-source-if-modified-since") : notModified();
      }
    }
  }

  /** Whether an If-Match / If-None-Match list names {@code etag} (or is {@code *}). */
  static boolean matches(String header, String etag) {
    for (String t : header.split(",")) {
      String v = t.trim();
      if (v.equals("*") || ObjectHeaders.unquote(v).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** Parses an HTTP date (RFC 1123; also ISO-8601, which some clients send); null if unparsable. */
  public static Instant parseDate(String s) {
    try {
      return ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s.trim());
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static S3Exception failed(String condition) {
    return new S3Exception(S3Error.PRECONDITION_FAILED, S3Error.PRECONDITION_FAILED.defaultMessage(),
        Map.of("Condition", condition));
  }

  private static S3Exception notModified() {
    return new S3Exception(S3Error.NOT_MODIFIED);
  }
}
