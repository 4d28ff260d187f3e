package io.tarn.storage.objects;

import io.tarn.core.BucketNames;
import io.tarn.core.ObjectKeys;
import io.tarn.core.S3Exception;

/** Storage's own checks of bucket names and object keys, behind the protocol layer's. */
public final class Names {
  private Names() {}

  /** Storage's own guard: the protocol layer validates first, so a bad name here is a bug. */
  public static void requireBucketName(String name) {
    if (!BucketNames.isValid(name)) {
      throw new IllegalArgumentException("invalid bucket name: " + name);
    }
  }

  /** {@link ObjectKeys#validate}'s rule (non-empty, at most 1024 UTF-8 bytes, no lone surrogates) as a guard. */
  static void requireObjectKey(String key) {
    try {
      ObjectKeys.validate(key);
    } catch (S3Exception e) {
      throw new IllegalArgumentException("invalid object key: " + e.getMessage(), e);
    }
  }
}
