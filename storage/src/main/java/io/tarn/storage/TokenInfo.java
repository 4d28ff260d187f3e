package io.tarn.storage;

import java.time.Instant;

/**
 * A personal API token without its secret value (which is stored only as a SHA-256 hash).
 *
 * @param id the public id, used to list and revoke it (16 hex characters)
 * @param userId the owning user's id
 * @param name what the user called it (e.g. {@code ci-deploy})
 * @param created creation time
 * @param expires when it stops working, or {@code null} for never; from {@link
 *     IdentityStore#resolveToken}, the earliest expiry of it and the credentials it was created with
 * @param createdWith the credential that created it, or {@code null} (created before this was
 *     recorded, or by the server itself)
 */
public record TokenInfo(String id, String userId, String name, Instant created, Instant expires,
    Credential createdWith) {
  /** A token without a recorded creator. */
  public TokenInfo(String id, String userId, String name, Instant created, Instant expires) {
    this(id, userId, name, created, expires, null);
  }

  /** Whether the token has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
