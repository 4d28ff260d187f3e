package io.tarn.core;

import java.nio.charset.StandardCharsets;

/** Object key rules: any non-empty UTF-8 string of at most 1024 bytes, stored literally. */
public final class ObjectKeys {
  public static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {}

  /** @throws S3Exception {@code KeyTooLongError} or {@code InvalidArgument} for an empty or ill-formed key. */
  public static void validate(String key) {
    if (key == null || key.isEmpty()) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Object key must not be empty.");
    }
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_KEY_BYTES) {
      throw new S3Exception(S3Error.KEY_TOO_LONG);
    }
    // Lone surrogates cannot be represented in UTF-8; they come back as '?' after encoding.
    if (!new String(utf8, StandardCharsets.UTF_8).equals(key)) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Object key is not valid UTF-8.");
    }
  }
}
