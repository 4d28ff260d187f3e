package io.tarn.console.webhooks;

import io.tarn.console.ApiException;
import io.tarn.console.Credentials;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.TokenInfo;
import io.tarn.storage.UserInfo;
import java.time.Clock;
import java.util.Optional;

/**
 * Who is calling: the principal of a SigV4-signed request (the S3 front end verified it), else the
 * user of a personal API token in {@code Authorization: Bearer <token>}. Every refusal is a 403
 * AccessDenied, as for a bad signature, so a client handles both alike. Public for the metrics
 * endpoint, which takes the same credentials.
 */
public final class Callers {
  private static final String BEARER = "bearer ";

  private final IdentityStore identity;
  private final Clock clock;

  public Callers(IdentityStore identity, Clock clock) {
    this.identity = identity;
    this.clock = clock;
  }

  /** @throws ApiException AccessDenied when there is no valid credential */
  public Principal authenticate(ApiRequest request) {
    if (request.principal().isPresent()) {
      return request.principal().get();
    }
    Optional<String> authorization = request.header("authorization");
    // The scheme is case-insensitive (RFC 7235 section 2.1).
    if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.denied("signed request or bearer token required");
    }
    return bearer(authorization.get().substring(BEARER.length()).strip());
  }

  private Principal bearer(String token) {
    // Empty too for a token revoked with the key (or token) that created it.
    TokenInfo t = identity.resolveToken(token).orElseThrow(() -> ApiException.denied("invalid token"));
    if (t.expiredAt(clock.instant())) {
      throw ApiException.denied("token expired");
    }
    // Deleting a user deletes its tokens; a miss here is a race with that deletion.
    UserInfo user = identity.user(t.userId()).orElseThrow(() -> ApiException.denied("invalid token"));
    if (!user.enabled()) {
      throw ApiException.denied("user " + user.name() + " is disabled");
    }
    // A token stands where an access key would: its id says which credential acted.
    return Credentials.tokenPrincipal(user.id(), user.name(), t.id(), user.role());
  }
}
