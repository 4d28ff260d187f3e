package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.storage.NewAccessKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, through both JSON APIs over the real identity store: nothing a credential creates
 * outlives it, disabling a key revokes its tokens, and tokens are listed and revoked through the
 * admin API (admins: anyone's; users: their own).
 */
class CredentialLimitsTest extends WebhooksTestSupport {
  private static final Instant LIMIT = START.plus(Duration.ofDays(1));

  /** {@code user}'s principal signing with a new key that expires at {@code expires}. */
  private Principal withKey(Principal user, Instant expires) {
    NewAccessKey k = identity.createKey(user.userId(), expires);
    return new Principal(user.userId(), user.displayName(), k.info().accessKeyId(), user.role());
  }

  private Resp admin(Principal caller, String method, String pathAndQuery, String body) {
    return send(Optional.of(caller), Map.of(), method, "/admin/v1" + pathAndQuery, body);
  }

  @Test
  void aKeyWithAnExpiryCreatesKeysAndTokensThatExpireWithIt() {
    Principal expiring = withKey(alice, LIMIT);
    Resp key = admin(expiring, "POST", "/keys", "{}");
    assertEquals(201, key.status(), key.raw());
    assertEquals("2026-11-30T18:00:00Z", key.get("expires").asText(), "no expiry asked: the creator's");
    assertEquals(expiring.accessKeyId(), key.get("createdWith").asText());

    String message = assertError(admin(expiring, "POST", "/keys", "{\"expires\":\"2026-12-01T00:00:00Z\"}"), 400,
        "InvalidRequest");
    assertTrue(message.contains("2026-11-30T18:00:00Z") && message.contains(expiring.accessKeyId()), message);

    Resp token = call(expiring, "POST", "/tokens", "{\"name\":\"ci\"}");
    assertEquals(201, token.status(), token.raw());
    assertEquals("2026-11-30T18:00:00Z", token.get("expires").asText());
    assertError(call(expiring, "POST", "/tokens", "{\"name\":\"ci\",\"expires\":\"2027-01-01T00:00:00Z\"}"), 400,
        "InvalidRequest");
  }

  @Test
  void anAdminKeyCapsTheKeysItCreatesForOthersOnlyWhenItExpires() {
    Resp forever = admin(root, "POST", "/keys", "{\"user\":\"bob\"}");
    assertEquals(201, forever.status(), forever.raw());
    assertTrue(forever.get("expires").isNull(), forever.raw());
    Resp capped = admin(withKey(root, LIMIT), "POST", "/keys", "{\"user\":\"bob\"}");
    assertEquals(201, capped.status(), capped.raw());
    assertEquals("2026-11-30T18:00:00Z", capped.get("expires").asText());
  }

  @Test
  void anAdminWhoseKeyExpiresCannotLiftAnotherKeysExpiryBeyondIt() {
    Principal expiring = withKey(root, LIMIT);
    String mine = admin(expiring, "POST", "/keys", "{}").get("accessKeyId").asText();
    String message = assertError(admin(expiring, "PATCH", "/keys/" + mine, "{\"expires\":null}"), 400,
        "InvalidRequest");
    assertTrue(message.contains("2026-11-30T18:00:00Z"), message);
    assertError(admin(expiring, "PATCH", "/keys/" + bob.accessKeyId(), "{\"expires\":\"2027-01-01T00:00:00Z\"}"),
        400, "InvalidRequest");
    assertEquals(200, admin(expiring, "PATCH", "/keys/" + mine, "{\"expires\":\"2026-11-30T12:00:00Z\"}").status());
    assertEquals(200, admin(root, "PATCH", "/keys/" + mine, "{\"expires\":null}").status(), "an unexpiring admin may");
  }

  @Test
  void anExpiringTokenMintsOnlyTokensThatExpireWithIt() {
    String parent = call(alice, "POST", "/tokens", "{\"name\":\"p\",\"expires\":\"2026-11-30T18:00:00Z\"}")
        .get("token").asText();
    Resp child = bearer(parent, "POST", "/tokens", "{\"name\":\"child\"}");
    assertEquals(201, child.status(), child.raw());
    assertEquals("2026-11-30T18:00:00Z", child.get("expires").asText());
    String message = assertError(bearer(parent, "POST", "/tokens", "{\"name\":\"c\",\"expires\":\"2026-12-30T00:00:00Z\"}"),
        400, "InvalidRequest");
    assertTrue(message.contains("2026-11-30T18:00:00Z") && message.contains("API token"), message);

    clock.advance(Duration.ofDays(1));
    assertError(bearer(child.get("token").asText(), "GET", "/tokens", null), 403, "AccessDenied", "token expired");
  }

  @Test
  void disablingAKeyRevokesItsTokensAtTheNextRequestAndEnablingItDoesNotRestoreThem() {
    Principal k = withKey(alice, null);
    String token = call(k, "POST", "/tokens", "{\"name\":\"ci\"}").get("token").asText();
    String minted = bearer(token, "POST", "/tokens", "{\"name\":\"minted\"}").get("token").asText();
    assertEquals(201, bearer(token, "POST", "/buckets/photos/webhooks", RULE).status());

    Resp disabled = admin(root, "PATCH", "/keys/" + k.accessKeyId(), "{\"enabled\":false}");
    assertEquals(200, disabled.status(), disabled.raw());
    assertError(bearer(token, "POST", "/buckets/photos/webhooks", RULE), 403, "AccessDenied", "invalid token");
    assertError(bearer(minted, "POST", "/buckets/photos/webhooks", RULE), 403, "AccessDenied", "invalid token");

    assertEquals(200, admin(root, "PATCH", "/keys/" + k.accessKeyId(), "{\"enabled\":true}").status());
    assertError(bearer(token, "GET", "/tokens", null), 403, "AccessDenied", "invalid token");

    String again = call(k, "POST", "/tokens", "{\"name\":\"again\"}").get("token").asText();
    assertEquals(204, admin(alice, "DELETE", "/keys/" + k.accessKeyId(), null).status());
    assertError(bearer(again, "GET", "/tokens", null), 403, "AccessDenied", "invalid token");
  }

  @Test
  void adminsListAndRevokeAnyonesTokensUsersTheirOwn() {
    Resp created = call(alice, "POST", "/tokens", "{\"name\":\"ci\"}");
    String id = created.get("id").asText();
    String token = created.get("token").asText();

    Resp listed = admin(root, "GET", "/tokens?user=alice", null);
    assertEquals(200, listed.status(), listed.raw());
    JsonNode t = listed.get("tokens").get(0);
    assertEquals(List.of("id", "name", "user", "userId", "created", "expires", "expired", "createdWith"), fields(t));
    assertEquals(id, t.get("id").asText());
    assertEquals("alice", t.get("user").asText());
    assertEquals(alice.accessKeyId(), t.get("createdWith").asText());
    assertFalse(listed.raw().contains(token), "never the value");
    assertEquals(List.of(id), ids(admin(alice, "GET", "/tokens", null)), "a user's own, by default");
    assertEquals(List.of(), ids(admin(root, "GET", "/tokens", null)), "an admin's own, by default");

    // Another user's tokens: refused as for keys, existing or not.
    assertError(admin(bob, "GET", "/tokens?user=alice", null), 403, "AccessDenied");
    assertError(admin(bob, "DELETE", "/tokens/" + id + "?user=alice", null), 403, "AccessDenied");
    assertError(admin(bob, "DELETE", "/tokens/" + id, null), 404, "NotFound", "token " + id + " not found");

    assertEquals(204, admin(root, "DELETE", "/tokens/" + id + "?user=alice", null).status());
    assertError(bearer(token, "GET", "/tokens", null), 403, "AccessDenied", "invalid token");
    assertError(admin(root, "DELETE", "/tokens/" + id + "?user=alice", null), 404, "NotFound");

    String own = call(alice, "POST", "/tokens", "{\"name\":\"own\"}").get("id").asText();
    assertEquals(204, admin(alice, "DELETE", "/tokens/" + own, null).status());
    assertEquals(List.of(), ids(admin(alice, "GET", "/tokens", null)));
  }

  private static List<String> ids(Resp r) {
    assertEquals(200, r.status(), r.raw());
    List<String> out = new ArrayList<>();
    r.get("tokens").forEach(t -> out.add(t.get("id").asText()));
    return out;
  }
}
