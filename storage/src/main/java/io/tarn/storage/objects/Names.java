package io.tarn.storage.objects;

import io.tarn.core.BucketNames;
import io.tarn.core.ObjectKeys;
import java.nio.charset.StandardCharsets;

/** Storage's own checks of bucket names and object keys, behind the protocol layer's. */
public final class Names {
  private Names() {}

  /** Storage's own guard: the protocol layer validates first, so a bad name here is a bug. */
  public static void requireBucketName(String name) {
    if (!BucketNames.isValid(name)) {
      throw new IllegalArgumentException("invalid bucket name: " + name);
    }
  }

  /** Non-empty, at most 1024 UTF-8 bytes, no lone surrogates (they have no UTF-8 form). */
  static void requireObjectKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be empty");
    }
    byte[] b = key.getBytes(StandardCharsets.UTF_8);
    if (b.length > ObjectKeys.MAX_KEY_BYTES || !new String(b, StandardCharsets.UTF_8).equals(key)) {
      throw new IllegalArgumentException("invalid object key (too long or not valid UTF-8)");
    }
  }
}
