package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.TokenInfo;
import java.util.List;

/**
 * The {@code /tokens} endpoints: personal API tokens, listed and revoked (they are created through
 * the webhooks API's {@code /tokens}, by their own user). Admins act on any user's ({@code ?user=});
 * a user only on its own, and naming anyone else is refused as for keys. Token ids are unique per
 * user only, so a revocation names the user too (default: the caller). A token's value is never
 * shown here.
 */
final class TokensHandler {
  private final IdentityStore identity;
  private final Directory directory;

  TokensHandler(IdentityStore identity, Directory directory) {
    this.identity = identity;
    this.directory = directory;
  }

  ApiResponse list(Call c) {
    String userId = subject(c);
    var names = directory.nameLookup();
    List<Views.Token> tokens = identity.tokens(userId).stream().map(t -> directory.tokenView(t, names)).toList();
    return Json.response(200, new Views.Tokens(tokens));
  }

  /** Revokes the token and the tokens created with it (IdentityStore#revokeToken). */
  ApiResponse delete(Call c) {
    String userId = subject(c);
    String id = c.param("token");
    if (identity.tokens(userId).stream().map(TokenInfo::id).noneMatch(id::equals)) {
      throw ApiException.notFound("token " + id + " not found");
    }
    identity.revokeToken(userId, id);
    return ApiResponse.noContent();
  }

  private String subject(Call c) {
    return c.query("user").map(u -> directory.subject(c, u)).orElse(c.caller().userId());
  }
}
