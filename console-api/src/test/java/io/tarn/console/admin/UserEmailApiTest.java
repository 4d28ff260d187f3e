package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.IdentityStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Users' e-mail addresses in the admin API ({@code "email"} on {@code POST /users}, {@code PATCH
 * /users/{user}} and every user view), against the real identity store: a malformed address or one
 * another user has is a 400 whose message names the field, and a refused request changes nothing.
 */
class UserEmailApiTest extends AdminTestSupport {
  @Override
  IdentityStore identity(OwnerOverlayStore overlay) {
    return real.identity();
  }

  @Test
  void createShowsAndListsTheAddress() {
    Resp r = call(root, "POST", "/users", "{\"name\":\"carol\",\"email\":\"Carol@Example.com\"}");
    assertEquals(201, r.status(), r.raw());
    assertEquals("Carol@Example.com", r.get("email").asText());
    assertEquals("Carol@Example.com", identity.user("carol").orElseThrow().email());
    assertEquals("carol", identity.userByEmail("carol@example.com").orElseThrow().name());
    assertEquals("Carol@Example.com", call(root, "GET", "/users/carol").get("email").asText());
    Resp list = call(root, "GET", "/users");
    assertEquals("Carol@Example.com", list.get("users").get(2).get("email").asText(), list.raw());
    assertTrue(list.get("users").get(0).get("email").isNull(), "alice has none: " + list.raw());

    Resp none = call(root, "POST", "/users", "{\"name\":\"dave\",\"email\":\"\"}");
    assertEquals(201, none.status(), none.raw());
    assertTrue(none.get("email").isNull(), none.raw());
  }

  @Test
  void patchSetsChangesAndClearsTheAddress() {
    Resp r = call(root, "PATCH", "/users/alice", "{\"email\":\"alice@example.com\"}");
    assertEquals(200, r.status(), r.raw());
    assertEquals("alice@example.com", r.get("email").asText());
    assertTrue(r.get("enabled").asBoolean(), "enabled untouched");
    r = call(root, "PATCH", "/users/alice", "{\"enabled\":false,\"email\":\"ALICE@example.com\"}");
    assertEquals("ALICE@example.com", r.get("email").asText(), "its own address in another case");
    assertEquals(false, r.get("enabled").asBoolean());
    r = call(root, "PATCH", "/users/alice", "{\"enabled\":true}");
    assertEquals("ALICE@example.com", r.get("email").asText(), "an absent email leaves it");
    r = call(root, "PATCH", "/users/alice", "{\"email\":null}");
    assertTrue(r.get("email").isNull(), r.raw());
    assertNull(identity.user("alice").orElseThrow().email());
    call(root, "PATCH", "/users/alice", "{\"email\":\"alice@example.com\"}");
    assertTrue(call(root, "PATCH", "/users/alice", "{\"email\":\"\"}").get("email").isNull(), "\"\" clears too");
    assertTrue(identity.userByEmail("alice@example.com").isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"name":"carol","email":"carol"}                 | "email" must contain exactly one @
      {"name":"carol","email":"carol@@example.com"}    | "email" must contain exactly one @
      {"name":"carol","email":"@example.com"}          | "email" needs a name before the @ and a domain after it
      {"name":"carol","email":"carol @example.com"}    | "email" must not contain spaces or control characters
      {"name":"carol","email":"BOB@example.com"}       | "email" must be an address no other user has: BOB@example.com is user bob's
      {"name":"carol","email":5}                       | "email" must be a string
      """)
  void createRefusesABadOrTakenAddress(String body, String message) {
    identity.setUserEmail(bob.userId(), "bob@example.com");
    assertError(call(root, "POST", "/users", body), 400, "InvalidRequest", message);
    assertTrue(identity.user("carol").isEmpty(), "nothing created");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"enabled":false,"email":"Bob@Example.com"}    | "email" must be an address no other user has: Bob@Example.com is user bob's
      {"enabled":false,"email":"alice"}              | "email" must contain exactly one @
      {"enabled":false,"email":5}                    | "email" must be a string or null
      {"enabled":false,"email":"x@y","name":"a"}     | unknown field "name"
      """)
  void patchRefusesABadOrTakenAddressAndChangesNothing(String body, String message) {
    identity.setUserEmail(bob.userId(), "bob@example.com");
    identity.setUserEmail(alice.userId(), "alice@example.com");
    assertError(call(root, "PATCH", "/users/alice", body), 400, "InvalidRequest", message);
    assertEquals("alice@example.com", identity.user("alice").orElseThrow().email());
    assertTrue(identity.user("alice").orElseThrow().enabled(), "the whole body is checked first");
  }

  @Test
  void aTooLongAddressIsRefusedWithoutEchoingIt() {
    String address = "x".repeat(300) + "@example.com";
    assertError(call(root, "POST", "/users", "{\"name\":\"carol\",\"email\":\"" + address + "\"}"), 400,
        "InvalidRequest", "\"email\" must be at most 254 characters");
  }
}
