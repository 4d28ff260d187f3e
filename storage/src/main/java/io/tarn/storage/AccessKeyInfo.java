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
 * @param createdWith the credential that created it, or {@code null} (created before this was
 *     recorded, or by the server itself: the root key)
 */
public record AccessKeyInfo(String accessKeyId, String userId, boolean enabled, Instant created, Instant expires,
    Credential createdWith) {
  /** A key without a recorded creator. */
  public AccessKeyInfo(String accessKeyId, String userId, boolean enabled, Instant created, Instant expires) {
    this(accessKeyId, userId, enabled, created, expires, null);
  }

  /** Whether the key has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
