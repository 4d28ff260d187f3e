package io.tarn.storage;

import java.time.Instant;

/**
 * A personal API token without its secret value (which is stored only as a SHA-256 hash).
 *
 * @param id the public id, used to list and revoke it (16 hex characters)
 * @param userId the owning user's id
 * @param name what the user called it (e.g. {@code ci-deploy})
 * @param created creation time
 * @param expires when it stops working, or {@code null} for never
 */
public record TokenInfo(String id, String userId, String name, Instant created, Instant expires) {
  /** Whether the token has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
