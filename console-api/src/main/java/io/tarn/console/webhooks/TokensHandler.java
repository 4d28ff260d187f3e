package io.tarn.console.webhooks;

import io.tarn.console.ApiException;
import io.tarn.console.Credentials;
import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.StorageException;
import io.tarn.storage.TokenInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The {@code /tokens} endpoints: a caller's own personal API tokens, admins included (an admin
 * lists and revokes other users' tokens through the admin API's {@code /tokens}). A token is
 * recorded as created with the request's credential, and cannot outlive it.
 */
final class TokensHandler {
  private static final Set<String> CREATE_FIELDS = Set.of("name", "expires");

  private final IdentityStore identity;
  private final Clock clock;

  TokensHandler(IdentityStore identity, Clock clock) {
    this.identity = identity;
    this.clock = clock;
  }

  ApiResponse list(Call c) {
    Instant now = clock.instant();
    List<WebhookViews.Token> tokens =
        identity.tokens(c.caller().userId()).stream().map(t -> WebhookViews.token(t, now)).toList();
    return Json.response(200, new WebhookViews.Tokens(tokens));
  }

  /** 201 with the token's value, shown this once: only its hash is kept. */
  ApiResponse create(Call c) {
    Fields f = Fields.read(c.body(), false, CREATE_FIELDS);
    String name = f.requiredText("name");
    Instant expires = expires(f.text("expires"));
    try {
      return Json.response(201, WebhookViews.newToken(identity.createToken(c.caller().userId(), name, expires,
          Credentials.of(c.caller())), clock.instant()));
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.INVALID_ARGUMENT) {
        // The store's other argument checks are on the expiry: beyond the representable range, or
        // after the creating credential's (the message names that limit).
        throw Fields.invalid(e.getMessage().startsWith("invalid token name") ? "name" : "expires", e.getMessage());
      }
      throw e;
    }
  }

  /** Another user's token id is answered as a missing one: ids cannot be probed. */
  ApiResponse delete(Call c) {
    String id = c.param("token");
    boolean own = identity.tokens(c.caller().userId()).stream().map(TokenInfo::id).anyMatch(id::equals);
    if (!own) {
      throw ApiException.notFound("token " + id + " not found");
    }
    identity.revokeToken(c.caller().userId(), id);
    return ApiResponse.noContent();
  }

  private Instant expires(String text) {
    if (text == null) {
      return null;
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw Fields.invalid("expires", "\"expires\" must be an ISO-8601 time such as 2026-11-29T18:00:00Z, not \""
          + text + "\"");
    }
    if (!t.isAfter(clock.instant())) {
      throw Fields.invalid("expires", "\"expires\" must be in the future");
    }
    return t;
  }
}
