package io.tarn.s3.xml;

import java.nio.charset.StandardCharsets;

/**
 * The {@code encoding-type=url} encoding of key-bearing response fields
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_RequestSyntax).
 *
 * <p>S3 percent-encodes the UTF-8 bytes of everything except RFC 3986 unreserved characters and
 * '/': a space is {@code %20} (not '+'), '+' is {@code %2B}, '(' is {@code %28}, and '/' stays
 * (the s3-tests suite checks {@code "quux ab/"} -> {@code "quux%20ab/"} and {@code "foo+1/"} ->
 * {@code "foo%2B1/"}). This decodes correctly with both RFC 3986 decoders and the form decoders
 * some SDKs use (Python's {@code unquote_plus}, Java's {@code URLDecoder}), since no literal '+'
 * is ever emitted.
 */
public final class UrlEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlEncoding() {}

  public static String encode(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  /** {@code encode(s)} when {@code enabled}, else {@code s}. */
  static String encodeIf(boolean enabled, String s) {
    return enabled ? encode(s) : s;
  }
}
