package io.tarn.console;

import io.tarn.core.Principal;
import io.tarn.storage.Credential;

/**
 * The credential a request came with, from its principal: an API token stands where an access key
 * would, as {@code token:<id>} in {@link Principal#accessKeyId()} (so an event or a log names which
 * credential acted). Whatever a request creates is recorded as created with it, and cannot outlive it.
 */
public final class Credentials {
  /** The prefix of a token's id in {@link Principal#accessKeyId()}. */
  public static final String TOKEN_PREFIX = "token:";

  private Credentials() {}

  /** The principal a bearer token authenticates. */
  public static Principal tokenPrincipal(String userId, String userName, String tokenId, io.tarn.core.Role role) {
    return new Principal(userId, userName, TOKEN_PREFIX + tokenId, role);
  }

  public static Credential of(Principal p) {
    String id = p.accessKeyId();
    return id.startsWith(TOKEN_PREFIX)
        ? Credential.token(id.substring(TOKEN_PREFIX.length()), p.userId())
        : Credential.accessKey(id, p.userId());
  }

  /** How the API shows a {@code createdWith}: an access key id, or {@code token:<id>}; null for none. */
  public static String show(Credential c) {
    if (c == null) {
      return null;
    }
    return c.type() == Credential.Type.TOKEN ? TOKEN_PREFIX + c.id() : c.id();
  }
}
