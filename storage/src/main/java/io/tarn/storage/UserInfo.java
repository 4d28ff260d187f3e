package io.tarn.storage;

import io.tarn.core.Role;
import java.time.Instant;

/**
 * A user.
 *
 * @param id canonical id (64 lower-case hex characters, as S3 canonical user ids)
 * @param name unique name, 1..64 characters of {@code [A-Za-z0-9._@+-]}
 * @param role admin or user
 * @param enabled a disabled user's keys are refused
 * @param created creation time
 * @param email the user's e-mail address as it was given (S3 ACL grants by e-mail resolve to the user
 *     with it; {@link EmailAddress}), or null for none
 */
public record UserInfo(String id, String name, Role role, boolean enabled, Instant created, String email) {
  /** A user without an e-mail address. */
  public UserInfo(String id, String name, Role role, boolean enabled, Instant created) {
    this(id, name, role, enabled, created, null);
  }
}
