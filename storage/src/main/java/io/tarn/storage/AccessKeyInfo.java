package io.tarn.storage;

import java.time.Instant;

/**
 * An access key without its secret.
 *
 * @param accessKeyId the public id (20 characters)
 * @param userId the owning user's id
 * @param enabled a disabled key is refused
 * @param created creation time
 * @param expires when the key stops working, or {@code null} for never
 */
public record AccessKeyInfo(String accessKeyId, String userId, boolean enabled, Instant created, Instant expires) {
  /** Whether the key has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
