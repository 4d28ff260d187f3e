package io.tarn.server.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tarn.s3.http.ExchangeRecord;
import io.tarn.s3.xml.UrlEncoding;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How an access log line looks. Both formats hold the same fields and nothing else: the record
 * carries no header, query string or body, so no secret, signature or presigned query can get in.
 *
 * <p>{@code text}, space-separated, {@code -} for an absent field, in the spirit of S3's own server
 * access log (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html), which also
 * percent-encodes the key and prints {@code -} for what does not apply:
 * <pre>
 * time request-id remote-ip access-key-id user-id operation bucket key status error-code bytes-in bytes-out duration-ms [cut]
 * 2026-12-06T12:35:44.123Z 18A2F0C3D1E4B5A6 10.0.0.7 AKIAEXAMPLE 4f2e…c1 GetObject photos 2026/a%20b.jpg 200 - 0 4096 1.234
 * </pre>
 * The key is percent-encoded (RFC 3986 unreserved characters and '/' stay) so that a key holding a
 * space or a newline keeps the line one line with a fixed number of fields; a trailing {@code cut}
 * marks a connection that closed before the response was whole.
 *
 * <p>{@code json}: one object per line, the same fields by name, the key as it is (JSON escapes it),
 * absent fields {@code null}, {@code durationMs} a number, {@code cut} a boolean.
 */
public enum AccessLogFormat {
  TEXT {
    @Override
    void append(ExchangeRecord r, StringBuilder out) {
      appendTime(out, r.startEpochMillis());
      out.append(' ');
      field(out, r.requestId());
      field(out, r.remoteAddress());
      field(out, r.accessKeyId());
      field(out, r.userId());
      field(out, r.operation());
      field(out, r.bucket());
      field(out, r.key() == null ? null : UrlEncoding.encode(r.key()));
      out.append(r.status()).append(' ');
      field(out, r.errorCode());
      out.append(r.bytesIn()).append(' ').append(r.bytesOut()).append(' ');
      millis(out, r.durationNanos());
      if (r.cut()) {
        out.append(" cut");
      }
    }

    /** A field and its separator; the fields other than the key never hold spaces, but are made safe anyway. */
    private void field(StringBuilder out, String value) {
      if (value == null || value.isEmpty()) {
        out.append('-');
      } else {
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          out.append(c <= ' ' || c == 0x7f ? '_' : c);
        }
      }
      out.append(' ');
    }
  },

  JSON {
    @Override
    void append(ExchangeRecord r, StringBuilder out) {
      out.append("{\"time\":\"");
      appendTime(out, r.startEpochMillis());
      out.append('"');
      string(out, "requestId", r.requestId());
      string(out, "remoteAddress", r.remoteAddress());
      string(out, "accessKeyId", r.accessKeyId());
      string(out, "userId", r.userId());
      string(out, "operation", r.operation());
      string(out, "bucket", r.bucket());
      string(out, "key", r.key());
      out.append(",\"status\":").append(r.status());
      string(out, "errorCode", r.errorCode());
      out.append(",\"bytesIn\":").append(r.bytesIn());
      out.append(",\"bytesOut\":").append(r.bytesOut());
      out.append(",\"durationMs\":");
      millis(out, r.durationNanos());
      out.append(",\"cut\":").append(r.cut()).append('}');
    }

    private void string(StringBuilder out, String name, String value) {
      out.append(",\"").append(name).append("\":");
      if (value == null) {
        out.append("null");
      } else {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        out.append('"');
      }
    }
  };

  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Appends {@code r} as one line, without its newline. */
  abstract void append(ExchangeRecord r, StringBuilder out);

  /** The option value: {@code text} or {@code json}. */
  public static AccessLogFormat parse(String s) {
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("must be text or json, not '" + s + "'");
    };
  }

  static String time(ExchangeRecord r) {
    StringBuilder out = new StringBuilder(24);
    appendTime(out, r.startEpochMillis());
    return out.toString();
  }

  /** {@code {epoch second, "yyyy-MM-ddTHH:mm:ss."}}: a second's lines format the date once (writer thread). */
  private static volatile Object[] second = {Long.MIN_VALUE, ""};

  static void appendTime(StringBuilder out, long epochMillis) {
    long s = Math.floorDiv(epochMillis, 1000);
    Object[] c = second;
    if ((Long) c[0] != s) {
      c = new Object[] {s, SECOND.format(Instant.ofEpochSecond(s))};
      second = c;
    }
    int millis = Math.floorMod(epochMillis, 1000);
    out.append((String) c[1]).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10)).append('Z');
  }

  /** Milliseconds with three decimals (microsecond resolution), e.g. {@code 1.234}. */
  static void millis(StringBuilder out, long nanos) {
    long micros = Math.max(0, nanos) / 1000;
    out.append(micros / 1000).append('.');
    long frac = micros % 1000;
    if (frac < 100) {
      out.append('0');
    }
    if (frac < 10) {
      out.append('0');
    }
    out.append(frac);
  }
}
