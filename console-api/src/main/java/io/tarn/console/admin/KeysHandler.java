package io.tarn.console.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.console.ApiException;
import io.tarn.console.Credentials;
import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.IdentityStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code /keys} endpoints. Admins may act on any key; a user only on its own, and a key of
 * someone else looks exactly like a missing one (404), so ids cannot be probed.
 */
final class KeysHandler {
  private final IdentityStore identity;
  private final Directory directory;
  private final Clock clock;

  KeysHandler(IdentityStore identity, Directory directory, Clock clock) {
    this.identity = identity;
    this.directory = directory;
    this.clock = clock;
  }

  record CreateKey(String user, String expires) {}

  /** {@code expires} is a tree so that JSON null (clear the expiry) differs from absent (keep it). */
  record PatchKey(Boolean enabled, JsonNode expires) {}

  ApiResponse list(Call c) {
    Optional<String> named = c.query("user");
    String userId = named.isPresent() ? directory.subject(c, named.get()) : c.isAdmin() ? null : c.caller().userId();
    var names = userId == null ? directory.allNames() : directory.nameLookup();
    List<Views.Key> keys = new ArrayList<>();
    for (AccessKeyInfo k : identity.keys(userId)) {
      keys.add(directory.keyView(k, names));
    }
    return Json.response(200, new Views.Keys(keys));
  }

  ApiResponse create(Call c) {
    CreateKey body = Json.readOptional(c.body(), CreateKey.class);
    String userId = body.user() == null ? c.caller().userId() : directory.subject(c, body.user());
    Instant expires = null;
    if (body.expires() != null) {
      expires = Times.parse("expires", body.expires());
      if (!expires.isAfter(clock.instant())) {
        throw ApiException.invalid("\"expires\" must be in the future");
      }
    }
    // Capped by the caller's own key, also for another user's key (IdentityStore#createKey).
    return Json.response(201, directory.newKeyView(identity.createKey(userId, expires, Credentials.of(c.caller()))));
  }

  ApiResponse get(Call c) {
    return Json.response(200, directory.keyView(ownKey(c), directory.nameLookup()));
  }

  /** Validates the whole body before changing anything, so a bad field leaves the key untouched. */
  ApiResponse patch(Call c) {
    PatchKey body = Json.readOptional(c.body(), PatchKey.class);
    boolean changeExpiry = body.expires() != null;
    Instant expires = null;
    if (changeExpiry && !body.expires().isNull()) {
      if (!body.expires().isTextual()) {
        throw ApiException.invalid("\"expires\" must be an ISO-8601 time string or null");
      }
      // A past time is accepted here: it is how an admin expires a key at once.
      expires = Times.parse("expires", body.expires().textValue());
    }
    AccessKeyInfo key = ownKey(c);
    if (!c.isAdmin()) {
      // Users may restrict their own keys, never lift a restriction (an admin's, perhaps).
      if (Boolean.TRUE.equals(body.enabled()) && !key.enabled()) {
        throw ApiException.denied("only an admin may re-enable a disabled key");
      }
      if (changeExpiry && key.expires() != null && (expires == null || expires.isAfter(key.expires()))) {
        throw ApiException.denied("only an admin may extend or remove a key's expiry");
      }
    }
    if (changeExpiry) {
      // As for a created key: no one sets an expiry beyond that of the key the request is signed
      // with, or an admin whose key expires could make itself one that never does.
      Instant limit = identity.key(c.caller().accessKeyId()).map(AccessKeyInfo::expires).orElse(null);
      if (limit != null && (expires == null || expires.isAfter(limit))) {
        throw ApiException.invalid("expiry " + (expires == null ? "never" : Times.format(expires)) + " is after "
            + Times.format(limit) + ", when the access key " + c.caller().accessKeyId()
            + " this request was made with expires: a key cannot be given a longer life than the caller's");
      }
    }
    if (body.enabled() != null) {
      key = identity.setKeyEnabled(key.accessKeyId(), body.enabled());
    }
    if (changeExpiry) {
      key = identity.setKeyExpiry(key.accessKeyId(), expires);
    }
    return Json.response(200, directory.keyView(key, directory.nameLookup()));
  }

  ApiResponse delete(Call c) {
    identity.deleteKey(ownKey(c).accessKeyId());
    return ApiResponse.noContent();
  }

  private AccessKeyInfo ownKey(Call c) {
    String id = c.param("key");
    return identity.key(id)
        .filter(k -> c.isAdmin() || k.userId().equals(c.caller().userId()))
        .orElseThrow(() -> ApiException.notFound("access key " + id + " not found"));
  }
}
