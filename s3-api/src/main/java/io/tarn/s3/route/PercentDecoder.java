package io.tarn.s3.route;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-decoding to UTF-8: {@code %XX} becomes the byte XX and {@code '+'} stays a plus
 * (it only means a space in HTML form bodies, and the AWS SDKs send a space as {@code %20}).
 *
 * <p>Input is a request line or header value as the HTTP decoder hands it over: one char per wire
 * byte (Netty maps bytes to chars 0x00-0xFF), so unencoded non-ASCII bytes are taken as the bytes
 * they were. A char above 0xFF cannot come from the wire and is rejected. The resulting bytes must
 * be well-formed UTF-8 (the JDK decoder rejects overlong forms and encoded surrogates).
 */
final class PercentDecoder {
  private PercentDecoder() {}

  /**
   * Decodes {@code s[from, to)}.
   *
   * @param error the error to throw for a bad escape or ill-formed UTF-8
   * @param what what is being decoded, for the error message
   */
  static String decode(String s, int from, int to, S3Error error, String what) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      plain = s.charAt(i) < 0x80 && s.charAt(i) != '%';
    }
    if (plain) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new S3Exception(error, "Invalid percent-encoding in " + what + ".");
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else if (c <= 0xFF) {
        bytes.write(c);
      } else {
        throw new S3Exception(error, "Invalid character in " + what + ".");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new S3Exception(error, "The " + what + " is not valid UTF-8.");
    }
  }

  static String decode(String s, S3Error error, String what) {
    return decode(s, 0, s.length(), error, what);
  }
}
