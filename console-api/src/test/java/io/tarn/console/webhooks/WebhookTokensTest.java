package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Personal API tokens: created and revoked through the API, then used as bearer credentials. */
class WebhookTokensTest extends WebhooksTestSupport {

  @Test
  void aTokenIsShownOnceThenWorksAsABearerUntilRevoked() {
    Resp created = call(alice, "POST", "/tokens", "{\"name\":\"ci deploy\",\"expires\":\"2026-12-29T18:00:00Z\"}");
    assertEquals(201, created.status(), created.raw());
    assertEquals(List.of("id", "name", "created", "expires", "expired", "token"), fields(created.json()));
    assertEquals("ci deploy", created.get("name").asText());
    assertEquals("2026-11-29T18:00:00Z", created.get("created").asText());
    assertEquals("2026-12-29T18:00:00Z", created.get("expires").asText());
    assertFalse(created.get("expired").asBoolean());
    String token = created.get("token").asText();
    assertTrue(token.matches("tarn_[A-Za-z0-9_-]{43}"), token);
    String id = created.get("id").asText();

    Resp listed = bearer(token, "GET", "/tokens", null);
    assertEquals(200, listed.status(), listed.raw());
    assertEquals(1, listed.get("tokens").size());
    JsonNode shown = listed.get("tokens").get(0);
    assertEquals(List.of("id", "name", "created", "expires", "expired"), fields(shown));
    assertEquals(id, shown.get("id").asText());
    assertFalse(listed.raw().contains(token), "the value is never shown again");

    // The bearer acts as alice: her bucket, not bob's.
    assertEquals(201, bearer(token, "POST", "/buckets/photos/webhooks", RULE).status());
    assertEquals(403, bearer(token, "GET", "/buckets/logs/webhooks", null).status());
    assertEquals(alice.userId(), bearer(token, "GET", "/buckets/photos/webhooks", null)
        .get("webhooks").get(0).get("createdBy").asText());

    Resp revoked = bearer(token, "DELETE", "/tokens/" + id, null);
    assertEquals(204, revoked.status(), revoked.raw());
    assertError(bearer(token, "GET", "/tokens", null), 403, "AccessDenied", "invalid token");
    assertEquals("{\"tokens\":[]}", call(alice, "GET", "/tokens").raw());
  }

  @Test
  void tokensAreOwnOnlyForEveryoneAdminsIncluded() {
    String aliceId = call(alice, "POST", "/tokens", "{\"name\":\"a\"}").get("id").asText();
    String rootId = call(root, "POST", "/tokens", "{\"name\":\"r\"}").get("id").asText();
    assertEquals(List.of(aliceId), ids(call(alice, "GET", "/tokens")));
    assertEquals(List.of(rootId), ids(call(root, "GET", "/tokens")));
    assertError(call(root, "DELETE", "/tokens/" + aliceId), 404, "NotFound", "token " + aliceId + " not found");
    assertError(call(bob, "DELETE", "/tokens/" + aliceId), 404, "NotFound", "token " + aliceId + " not found");
    assertError(call(alice, "DELETE", "/tokens/0000000000000000"), 404, "NotFound",
        "token 0000000000000000 not found");
    assertEquals(List.of(aliceId), ids(call(alice, "GET", "/tokens")));
  }

  @Test
  void aBearerMayManageItsUsersTokens() {
    String token = token(alice);
    Resp created = bearer(token, "POST", "/tokens", "{\"name\":\"second\"}");
    assertEquals(201, created.status(), created.raw());
    assertTrue(created.get("expires").isNull());
    assertEquals(2, bearer(token, "GET", "/tokens", null).get("tokens").size());
  }

  @Test
  void anExpiredTokenIsRefusedAsExpired() {
    String token = call(alice, "POST", "/tokens", "{\"name\":\"short\",\"expires\":\"2026-11-29T18:01:00Z\"}")
        .get("token").asText();
    assertEquals(200, bearer(token, "GET", "/tokens", null).status());
    clock.advance(Duration.ofSeconds(60));
    assertError(bearer(token, "GET", "/tokens", null), 403, "AccessDenied", "token expired");
    assertTrue(call(alice, "GET", "/tokens").get("tokens").get(0).get("expired").asBoolean());
  }

  @Test
  void unknownAndMalformedBearersAreRefused() {
    String token = token(alice);
    for (String wrong : List.of("tarn_nope", token + "x", token.toUpperCase(java.util.Locale.ROOT), "", "x y")) {
      assertError(bearer(wrong, "GET", "/tokens", null), 403, "AccessDenied", "invalid token");
    }
    // The scheme is case-insensitive and surrounding blanks do not matter.
    Resp lower = send(Optional.empty(), Map.of("authorization", "bearer  " + token + " "), "GET", "/api/v1/tokens", null);
    assertEquals(200, lower.status(), lower.raw());
  }

  @Test
  void aDisabledUsersTokensStopWorking() {
    String token = token(alice);
    identity.setUserEnabled(alice.userId(), false);
    assertError(bearer(token, "GET", "/tokens", null), 403, "AccessDenied", "user alice is disabled");
    identity.setUserEnabled(alice.userId(), true);
    assertEquals(200, bearer(token, "GET", "/tokens", null).status());
  }

  @Test
  void aSignedRequestWinsOverABearerHeader() {
    // The S3 front end verified the signature; a stray bearer header (here: bob's) changes nothing.
    Resp r = send(Optional.of(alice), Map.of("authorization", "Bearer " + token(bob)), "GET", "/api/v1/tokens", null);
    assertEquals(200, r.status(), r.raw());
    assertEquals(0, r.get("tokens").size(), "alice's tokens, not bob's");
  }

  @Test
  void createValidatesItsFieldsByName() {
    assertEquals("\"name\" is required", assertInvalid(call(alice, "POST", "/tokens", "{}"), "name"));
    assertEquals("\"name\" must be a string", assertInvalid(call(alice, "POST", "/tokens", "{\"name\":1}"), "name"));
    assertTrue(assertInvalid(call(alice, "POST", "/tokens", "{\"name\":\"" + "x".repeat(65) + "\"}"), "name")
        .startsWith("invalid token name"));
    assertEquals("\"expires\" must be an ISO-8601 time such as 2026-11-29T18:00:00Z, not \"tomorrow\"",
        assertInvalid(call(alice, "POST", "/tokens", "{\"name\":\"a\",\"expires\":\"tomorrow\"}"), "expires"));
    assertEquals("\"expires\" must be in the future", assertInvalid(call(alice, "POST", "/tokens",
        "{\"name\":\"a\",\"expires\":\"2026-11-29T18:00:00Z\"}"), "expires"));
    assertEquals("unknown field \"user\"", assertInvalid(call(alice, "POST", "/tokens",
        "{\"name\":\"a\",\"user\":\"bob\"}"), "user"));
    assertEquals("{\"tokens\":[]}", call(alice, "GET", "/tokens").raw());
  }

  private static List<String> ids(Resp r) {
    List<String> out = new ArrayList<>();
    r.get("tokens").forEach(t -> out.add(t.get("id").asText()));
    return out;
  }
}
