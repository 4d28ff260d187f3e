package io.tarn.console.session;

import java.time.Instant;

/**
 * A live console session as the server keeps it: never its id, only the id's SHA-256 (a copy of the
 * table, a heap dump or a log line cannot be replayed as a cookie).
 *
 * @param idHash hex SHA-256 of the cookie's random bytes
 * @param userId the user signed in
 * @param accessKeyId the key signed in with: the session acts as it, and ends with it
 * @param csrfToken the per-session token every cookie-authenticated write must echo
 * @param created sign-in time
 * @param expires the absolute end
 * @param lastSeen the last use (the idle timeout counts from it)
 */
public record Session(String idHash, String userId, String accessKeyId, String csrfToken, Instant created, Instant expires,
    Instant lastSeen) {
  public Session seenAt(Instant now) {
    return new Session(idHash, userId, accessKeyId, csrfToken, created, expires, now);
  }

  @Override
  public String toString() {
    return "Session[user " + userId + ", key " + accessKeyId + ", expires " + expires + "]";
  }
}
