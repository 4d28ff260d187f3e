package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.Permission;
import io.tarn.storage.UploadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The admin API through {@link io.tarn.console.TarnApi}, endpoint by endpoint, against admin-api.md. */
class AdminApiTest extends AdminTestSupport {

  // ---- authorization matrix

  /**
   * Caller, method, path, body, expected status. {@code {aliceKey}} and {@code {bobKey}} stand for the
   * callers' key ids. Expectations for mutations are checked on fresh fixtures each time.
   */
  static Stream<Arguments> matrix() {
    return Stream.of(
        // admins may do everything
        Arguments.of("root", "GET", "/whoami", null, 200),
        Arguments.of("root", "GET", "/info", null, 200),
        Arguments.of("root", "GET", "/users", null, 200),
        Arguments.of("root", "POST", "/users", "{\"name\":\"carol\"}", 201),
        Arguments.of("root", "GET", "/users/alice", null, 200),
        Arguments.of("root", "PATCH", "/users/alice", "{\"enabled\":false}", 200),
        Arguments.of("root", "DELETE", "/users/alice", null, 204),
        Arguments.of("root", "GET", "/keys", null, 200),
        Arguments.of("root", "GET", "/keys?user=bob", null, 200),
        Arguments.of("root", "POST", "/keys", "{\"user\":\"bob\"}", 201),
        Arguments.of("root", "GET", "/keys/{bobKey}", null, 200),
        Arguments.of("root", "PATCH", "/keys/{bobKey}", "{\"enabled\":false}", 200),
        Arguments.of("root", "DELETE", "/keys/{bobKey}", null, 204),
        Arguments.of("root", "GET", "/buckets", null, 200),
        Arguments.of("root", "GET", "/buckets/shared", null, 200),
        Arguments.of("root", "PATCH", "/buckets/shared", "{\"owner\":\"alice\"}", 200),
        Arguments.of("root", "PUT", "/buckets/shared/grants/alice", "{\"permission\":\"read\"}", 200),
        Arguments.of("root", "DELETE", "/buckets/shared/grants/alice", null, 200),
        Arguments.of("root", "DELETE", "/buckets/shared", null, 204),
        // a user: whoami and its own keys
        Arguments.of("alice", "GET", "/whoami", null, 200),
        Arguments.of("alice", "GET", "/keys", null, 200),
        Arguments.of("alice", "GET", "/keys?user=alice", null, 200),
        Arguments.of("alice", "POST", "/keys", "{}", 201),
        Arguments.of("alice", "POST", "/keys", "{\"user\":\"alice\"}", 201),
        Arguments.of("alice", "GET", "/keys/{aliceKey}", null, 200),
        Arguments.of("alice", "PATCH", "/keys/{aliceKey}", "{\"enabled\":false}", 200),
        Arguments.of("alice", "DELETE", "/keys/{aliceKey}", null, 204),
        // ... but not others' keys: naming another user is refused, another's key id is "not found"
        Arguments.of("alice", "GET", "/keys?user=bob", null, 403),
        Arguments.of("alice", "GET", "/keys?user=nobody", null, 403),
        Arguments.of("alice", "POST", "/keys", "{\"user\":\"bob\"}", 403),
        Arguments.of("alice", "GET", "/keys/{bobKey}", null, 404),
        Arguments.of("alice", "PATCH", "/keys/{bobKey}", "{\"enabled\":false}", 404),
        Arguments.of("alice", "DELETE", "/keys/{bobKey}", null, 404),
        // ... and nothing of the admin endpoints, not even about itself
        Arguments.of("alice", "GET", "/info", null, 403),
        Arguments.of("alice", "GET", "/users", null, 403),
        Arguments.of("alice", "POST", "/users", "{\"name\":\"carol\"}", 403),
        Arguments.of("alice", "GET", "/users/alice", null, 403),
        Arguments.of("alice", "PATCH", "/users/alice", "{\"enabled\":true}", 403),
        Arguments.of("alice", "DELETE", "/users/bob", null, 403),
        Arguments.of("alice", "GET", "/buckets", null, 200),
        Arguments.of("alice", "GET", "/buckets/shared", null, 403),
        // The owner shows its bucket, decides who else may use it and deletes it; chown stays with admins.
        Arguments.of("bob", "GET", "/buckets/shared", null, 200),
        Arguments.of("bob", "PUT", "/buckets/shared/grants/alice", "{\"permission\":\"read\"}", 200),
        Arguments.of("bob", "DELETE", "/buckets/shared/grants/alice", null, 200),
        Arguments.of("bob", "PATCH", "/buckets/shared", "{\"owner\":\"alice\"}", 403),
        Arguments.of("bob", "DELETE", "/buckets/shared", null, 204),
        Arguments.of("bob", "DELETE", "/buckets/shared?force=true", null, 204),
        Arguments.of("alice", "DELETE", "/buckets/shared", null, 403),
        Arguments.of("alice", "PATCH", "/buckets/shared", "{\"owner\":\"alice\"}", 403),
        Arguments.of("alice", "PUT", "/buckets/shared/grants/alice", "{\"permission\":\"read-write\"}", 403),
        Arguments.of("alice", "DELETE", "/buckets/shared/grants/bob", null, 403),
        Arguments.of("alice", "DELETE", "/buckets/shared?force=true", null, 403),
        // unsigned: nothing at all
        Arguments.of("anonymous", "GET", "/whoami", null, 403),
        Arguments.of("anonymous", "GET", "/keys", null, 403),
        Arguments.of("anonymous", "GET", "/users", null, 403),
        Arguments.of("anonymous", "GET", "/no/such/path", null, 403));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {4}")
  @MethodSource("matrix")
  void authorization(String who, String method, String path, String body, int status) {
    bucket("shared", bob);
    Principal caller = switch (who) {
      case "root" -> root;
      case "alice" -> alice;
      case "bob" -> bob;
      default -> null;
    };
    String resolved = path.replace("{aliceKey}", alice.accessKeyId()).replace("{bobKey}", bob.accessKeyId());
    int keysBefore = identity.keys(null).size();
    Resp r = call(caller, method, resolved, body);
    assertEquals(status, r.status(), r.raw());
    if (status == 403) {
      boolean ownerEndpoint = resolved.startsWith("/buckets/shared") && !method.equals("PATCH");
      String expected = caller == null ? "signed request required"
          : ownerEndpoint ? "only the owner of bucket shared or an admin may do this" : "admin role required";
      assertError(r, 403, "AccessDenied", expected);
    }
    if (status == 404) {
      assertError(r, 404, "NotFound", "access key " + bob.accessKeyId() + " not found");
    }
    if (status >= 400) {
      // A refused request changes nothing.
      assertEquals(keysBefore, identity.keys(null).size());
      assertTrue(identity.key(bob.accessKeyId()).orElseThrow().enabled());
      assertEquals(bob.userId(), store.bucket("shared").orElseThrow().ownerId());
      assertTrue(identity.user("bob").isPresent());
    }
  }

  // ---- whoami and info

  @Test
  void whoamiShowsTheCallerAsStoredAndItsKey() {
    Resp r = call(alice, "GET", "/whoami");
    assertEquals(200, r.status());
    assertEquals(List.of("user", "accessKeyId"), fields(r.json()));
    assertEquals(alice.accessKeyId(), r.get("accessKeyId").asText());
    JsonNode u = r.get("user");
    assertEquals(List.of("id", "name", "email", "role", "enabled", "created", "buckets"), fields(u));
    assertEquals(alice.userId(), u.get("id").asText());
    assertEquals("alice", u.get("name").asText());
    assertEquals("user", u.get("role").asText());
    assertTrue(u.get("enabled").asBoolean());
    assertEquals("2026-11-29T18:00:00Z", u.get("created").asText());
    assertEquals(0, u.get("buckets").asLong());

    assertEquals("admin", call(root, "GET", "/whoami").get("user").get("role").asText());
  }

  @Test
  void infoReportsVersionUptimeDiskAndTotals() {
    bucket("aaa", alice);
    bucket("bbb", bob);
    put("aaa", "x", 10);
    put("aaa", "y", 2000);
    put("bbb", "z", 5);
    clock.advance(Duration.ofSeconds(90));
    Resp r = call(root, "GET", "/info");
    assertEquals(200, r.status());
    assertEquals(List.of("version", "uptimeSeconds", "dataDir", "diskFreeBytes", "diskTotalBytes", "buckets",
        "objects", "bytes", "users", "recentErrors"), fields(r.json()));
    assertTrue(r.get("recentErrors").isArray() && r.get("recentErrors").isEmpty(), r.json().toString());
    assertEquals("1.2.3", r.get("version").asText());
    assertEquals(90, r.get("uptimeSeconds").asLong());
    assertEquals(dir.resolve("data").toString(), r.get("dataDir").asText());
    assertTrue(r.get("diskTotalBytes").asLong() > 0);
    assertTrue(r.get("diskFreeBytes").asLong() >= 0);
    assertTrue(r.get("diskFreeBytes").asLong() <= r.get("diskTotalBytes").asLong());
    assertEquals(2, r.get("buckets").asLong());
    assertEquals(3, r.get("objects").asLong());
    assertEquals(2015, r.get("bytes").asLong());
    assertEquals(3, r.get("users").asLong());
  }

  // ---- users

  @Nested
  class Users {
    @Test
    void listIsByNameWithOwnedBucketCounts() {
      bucket("bkt1", bob);
      bucket("bkt2", bob);
      Resp r = call(root, "GET", "/users");
      assertEquals(200, r.status());
      assertEquals(List.of("users"), fields(r.json()));
      List<String> names = new ArrayList<>();
      r.get("users").forEach(u -> names.add(u.get("name").asText()));
      assertEquals(List.of("alice", "bob", "root"), names);
      assertEquals(2, r.get("users").get(1).get("buckets").asLong());
      assertEquals(0, r.get("users").get(0).get("buckets").asLong());
      assertEquals("admin", r.get("users").get(2).get("role").asText());
    }

    @Test
    void createDefaultsToUserRoleAndAnswers201() {
      Resp r = call(root, "POST", "/users", "{\"name\":\"carol\"}");
      assertEquals(201, r.status(), r.raw());
      assertEquals("carol", r.get("name").asText());
      assertEquals("user", r.get("role").asText());
      assertTrue(r.get("enabled").asBoolean());
      assertEquals(0, r.get("buckets").asLong());
      assertEquals(r.get("id").asText(), identity.user("carol").orElseThrow().id());

      Resp admin = call(root, "POST", "/users", "{\"name\":\"dave\",\"role\":\"admin\"}");
      assertEquals(201, admin.status());
      assertEquals(Role.ADMIN, identity.user("dave").orElseThrow().role());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {}                                  | "name" is required
        {"role":"user"}                     | "name" is required
        {"name":"carol","role":"root"}      | "role" must be "admin" or "user"
        {"name":"carol","role":"ADMIN"}     | "role" must be "admin" or "user"
        {"name":"carol","admin":true}       | unknown field "admin"
        {"name":5}                          | "name" must be a string
        {"name":true}                       | "name" must be a string
        {"name":["carol"]}                  | "name" must be a string
        {"name":"carol","role":1}           | "role" must be a string
        []                                  | the request body must be a JSON object
        "carol"                             | the request body must be a JSON object
        """)
    void createValidatesTheBody(String body, String message) {
      assertError(call(root, "POST", "/users", body), 400, "InvalidRequest", message);
      assertTrue(identity.user("carol").isEmpty());
    }

    @Test
    void createRefusesMalformedJsonEmptyBodiesAndDuplicateFields() {
      assertTrue(assertError(call(root, "POST", "/users", "{\"name\":"), 400, "InvalidRequest")
          .startsWith("malformed JSON: "));
      assertTrue(assertError(call(root, "POST", "/users", "{name:carol}"), 400, "InvalidRequest")
          .startsWith("malformed JSON: "));
      assertError(call(root, "POST", "/users", "{\"name\":\"carol\"} {}"), 400, "InvalidRequest",
          "malformed JSON: unexpected data after the JSON value");
      assertTrue(assertError(call(root, "POST", "/users", "{\"name\":\"a\",\"name\":\"b\"}"), 400, "InvalidRequest")
          .contains("Duplicate field 'name'"));
      assertError(call(root, "POST", "/users", ""), 400, "InvalidRequest", "the request body must be a JSON object");
      assertEquals(3, identity.users().size());
    }

    @Test
    void createPassesOnStorageRefusals() {
      // Name rules and uniqueness belong to the identity store; the API maps its failure kinds.
      assertError(call(root, "POST", "/users", "{\"name\":\"no spaces\"}"), 400, "InvalidRequest");
      assertError(call(root, "POST", "/users", "{\"name\":\"alice\"}"), 409, "Conflict");
    }

    @Test
    void showByNameOrId() {
      bucket("bkt1", alice);
      Resp byName = call(root, "GET", "/users/alice");
      Resp byId = call(root, "GET", "/users/" + alice.userId());
      assertEquals(200, byName.status());
      assertEquals(byName.raw(), byId.raw());
      assertEquals(1, byName.get("buckets").asLong());
      assertGolden("user.json", byName);
      assertError(call(root, "GET", "/users/nobody"), 404, "NotFound", "user nobody not found");
    }

    @Test
    void patchEnables() {
      Resp r = call(root, "PATCH", "/users/alice", "{\"enabled\":false}");
      assertEquals(200, r.status());
      assertFalse(r.get("enabled").asBoolean());
      assertFalse(identity.user("alice").orElseThrow().enabled());
      assertTrue(call(root, "PATCH", "/users/alice", "{\"enabled\":true}").get("enabled").asBoolean());
      assertTrue(identity.user("alice").orElseThrow().enabled());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {}                                  | "enabled" or "email" is required
        {"enabled":"false"}                 | "enabled" must be a boolean
        {"enabled":0}                       | "enabled" must be a boolean
        {"enabled":false,"role":"admin"}    | unknown field "role"
        """)
    void patchValidatesTheBody(String body, String message) {
      assertError(call(root, "PATCH", "/users/alice", body), 400, "InvalidRequest", message);
      assertTrue(identity.user("alice").orElseThrow().enabled());
    }

    @Test
    void patchOfAMissingUserIs404() {
      assertError(call(root, "PATCH", "/users/nobody", "{\"enabled\":false}"), 404, "NotFound",
          "user nobody not found");
    }

    @Test
    void deleteRemovesTheUserAndItsKeys() {
      identity.createKey(alice.userId(), null);
      assertEquals(204, call(root, "DELETE", "/users/alice").status());
      assertTrue(identity.user("alice").isEmpty());
      assertTrue(identity.keys(null).stream().noneMatch(k -> k.userId().equals(alice.userId())));
      assertError(call(root, "GET", "/users/alice"), 404, "NotFound");
      assertError(call(root, "DELETE", "/users/alice"), 404, "NotFound", "user alice not found");
    }

    @Test
    void deleteOfAnOwnerNeedsReassignTo() {
      bucket("photos", alice);
      bucket("logs", alice);
      assertError(call(root, "DELETE", "/users/alice"), 409, "Conflict",
          "user alice still owns 2 bucket(s): logs, photos; delete them or pass reassignTo");
      assertTrue(identity.user("alice").isPresent());

      assertError(call(root, "DELETE", "/users/alice?reassignTo=nobody"), 404, "NotFound", "user nobody not found");
      assertError(call(root, "DELETE", "/users/alice?reassignTo=alice"), 400, "InvalidRequest",
          "\"reassignTo\" must name another user than alice");
      assertTrue(identity.user("alice").isPresent());

      assertEquals(204, call(root, "DELETE", "/users/alice?reassignTo=bob").status());
      assertTrue(identity.user("alice").isEmpty());
      assertEquals(bob.userId(), store.bucket("photos").orElseThrow().ownerId());
      assertEquals(bob.userId(), store.bucket("logs").orElseThrow().ownerId());
      assertEquals(2, call(root, "GET", "/users/bob").get("buckets").asLong());
    }
  }

  // ---- keys

  @Nested
  class Keys {
    @Test
    void listAllForAdminAndOwnForUsers() {
      clock.advance(Duration.ofSeconds(1)); // oldest first; keys created in the same instant are in id order
      NewAccessKey second = identity.createKey(alice.userId(), null);
      Resp all = call(root, "GET", "/keys");
      assertEquals(200, all.status());
      assertEquals(List.of("keys"), fields(all.json()));
      assertEquals(4, all.get("keys").size());

      Resp mine = call(alice, "GET", "/keys");
      assertEquals(List.of(alice.accessKeyId(), second.info().accessKeyId()), ids(mine));
      assertEquals(ids(mine), ids(call(root, "GET", "/keys?user=alice")));
      assertEquals(ids(mine), ids(call(root, "GET", "/keys?user=" + alice.userId())));
      assertEquals(ids(mine), ids(call(alice, "GET", "/keys?user=" + alice.userId())));

      JsonNode k = mine.get("keys").get(0);
      assertEquals(List.of("accessKeyId", "user", "userId", "enabled", "created", "expires", "expired", "createdWith"),
          fields(k));
      assertEquals("alice", k.get("user").asText());
      assertEquals(alice.userId(), k.get("userId").asText());
      assertTrue(k.get("expires").isNull());
      assertFalse(k.get("expired").asBoolean());

      assertError(call(root, "GET", "/keys?user=nobody"), 404, "NotFound", "user nobody not found");
    }

    @Test
    void usersRestrictTheirOwnKeysButOnlyAdminsLiftRestrictions() {
      String id = alice.accessKeyId();
      assertEquals(200, call(root, "PATCH", "/keys/" + id, "{\"enabled\":false}").status());
      assertError(call(alice, "PATCH", "/keys/" + id, "{\"enabled\":true}"), 403, "AccessDenied",
          "only an admin may re-enable a disabled key");
      assertEquals(200, call(root, "PATCH", "/keys/" + id, "{\"enabled\":true}").status());

      String soon = clock.instant().plusSeconds(3600).toString();
      String later = clock.instant().plusSeconds(7200).toString();
      assertEquals(200, call(root, "PATCH", "/keys/" + id, "{\"expires\":\"" + soon + "\"}").status());
      assertError(call(alice, "PATCH", "/keys/" + id, "{\"expires\":null}"), 403, "AccessDenied",
          "only an admin may extend or remove a key's expiry");
      assertError(call(alice, "PATCH", "/keys/" + id, "{\"expires\":\"" + later + "\"}"), 403, "AccessDenied",
          "only an admin may extend or remove a key's expiry");
      // Shortening it and disabling it are the user's own business.
      assertEquals(200, call(alice, "PATCH", "/keys/" + id, "{\"expires\":\"" + clock.instant().plusSeconds(60) + "\"}").status());
      assertEquals(200, call(alice, "PATCH", "/keys/" + id, "{\"enabled\":false}").status());
      assertFalse(identity.key(id).orElseThrow().enabled());
    }

    private List<String> ids(Resp r) {
      List<String> out = new ArrayList<>();
      r.get("keys").forEach(k -> out.add(k.get("accessKeyId").asText()));
      return out;
    }

    @Test
    void createForTheCallerByDefault() {
      Resp r = call(alice, "POST", "/keys", "");
      assertEquals(201, r.status(), r.raw());
      assertEquals(List.of("accessKeyId", "user", "userId", "enabled", "created", "expires", "expired",
          "createdWith", "secretAccessKey"), fields(r.json()));
      assertEquals("alice", r.get("user").asText());
      assertEquals(alice.accessKeyId(), r.get("createdWith").asText(), "recorded: the key the request was signed with");
      assertFalse(r.get("secretAccessKey").asText().isEmpty());
      String id = r.get("accessKeyId").asText();
      assertEquals(alice.userId(), identity.key(id).orElseThrow().userId());
      // The secret is in the create response only.
      assertFalse(call(alice, "GET", "/keys/" + id).json().has("secretAccessKey"));
      assertFalse(call(alice, "GET", "/keys").raw().contains("secretAccessKey"));
    }

    @Test
    void createForAnotherUserWithExpiry() {
      Resp r = call(root, "POST", "/keys", "{\"user\":\"bob\",\"expires\":\"2026-12-29T18:00:00Z\"}");
      assertEquals(201, r.status(), r.raw());
      assertGolden("key-new.json", r);
      AccessKeyInfo k = identity.key(r.get("accessKeyId").asText()).orElseThrow();
      assertEquals(bob.userId(), k.userId());
      assertEquals(Instant.parse("2026-12-29T18:00:00Z"), k.expires());
      // Offsets are accepted and normalised to UTC.
      Resp offset = call(root, "POST", "/keys", "{\"expires\":\"2026-12-29T20:00:00+02:00\"}");
      assertEquals("2026-12-29T18:00:00Z", offset.get("expires").asText());
      assertError(call(root, "POST", "/keys", "{\"user\":\"nobody\"}"), 404, "NotFound", "user nobody not found");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"expires":"tomorrow"}              | "expires" must be an ISO-8601 time such as 2026-11-29T18:00:00Z, not "tomorrow"
        {"expires":"2026-12-29T18:00:00"}   | "expires" must be an ISO-8601 time such as 2026-11-29T18:00:00Z, not "2026-12-29T18:00:00"
        {"expires":"2026-11-29T17:59:59Z"}  | "expires" must be in the future
        {"expires":1234}                    | "expires" must be a string
        {"user":"alice","secret":"x"}       | unknown field "secret"
        {"user":{"name":"alice"}}           | "user" must be a string
        """)
    void createValidatesTheBody(String body, String message) {
      int before = identity.keys(null).size();
      assertError(call(root, "POST", "/keys", body), 400, "InvalidRequest", message);
      assertEquals(before, identity.keys(null).size());
    }

    @Test
    void showAndExpiredFlag() {
      identity.setKeyExpiry(alice.accessKeyId(), START.plusSeconds(60));
      Resp r = call(alice, "GET", "/keys/" + alice.accessKeyId());
      assertEquals(200, r.status());
      assertEquals("2026-11-29T18:01:00Z", r.get("expires").asText());
      assertFalse(r.get("expired").asBoolean());
      clock.advance(Duration.ofSeconds(60));
      assertTrue(call(root, "GET", "/keys/" + alice.accessKeyId()).get("expired").asBoolean());
      assertError(call(root, "GET", "/keys/TKNOSUCHKEY"), 404, "NotFound", "access key TKNOSUCHKEY not found");
    }

    @Test
    void patchChangesOnlyTheFieldsGiven() {
      String path = "/keys/" + alice.accessKeyId();
      Resp r = call(alice, "PATCH", path, "{\"expires\":\"2027-01-01T00:00:00Z\"}");
      assertEquals(200, r.status(), r.raw());
      assertEquals("2027-01-01T00:00:00Z", r.get("expires").asText());
      assertTrue(r.get("enabled").asBoolean());

      r = call(alice, "PATCH", path, "{\"enabled\":false}");
      assertFalse(r.get("enabled").asBoolean());
      assertEquals("2027-01-01T00:00:00Z", r.get("expires").asText(), "absent expires is left alone");

      r = call(root, "PATCH", path, "{\"enabled\":true,\"expires\":null}");
      assertTrue(r.get("enabled").asBoolean());
      assertTrue(r.get("expires").isNull(), "null clears the expiry");
      assertNull(identity.key(alice.accessKeyId()).orElseThrow().expires());

      // A time in the past expires the key at once.
      r = call(root, "PATCH", path, "{\"expires\":\"2020-01-01T00:00:00Z\"}");
      assertTrue(r.get("expired").asBoolean());

      assertEquals(200, call(root, "PATCH", path, "{}").status());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"enabled":"no"}                         | "enabled" must be a boolean
        {"enabled":false,"expires":5}            | "expires" must be an ISO-8601 time string or null
        {"enabled":false,"expires":"soon"}       | "expires" must be an ISO-8601 time such as 2026-11-29T18:00:00Z, not "soon"
        {"enabled":false,"user":"bob"}           | unknown field "user"
        """)
    void patchValidatesBeforeChangingAnything(String body, String message) {
      assertError(call(root, "PATCH", "/keys/" + alice.accessKeyId(), body), 400, "InvalidRequest", message);
      assertTrue(identity.key(alice.accessKeyId()).orElseThrow().enabled());
    }

    @Test
    void deleteRemovesTheKey() {
      NewAccessKey k = identity.createKey(alice.userId(), null);
      String path = "/keys/" + k.info().accessKeyId();
      assertEquals(204, call(alice, "DELETE", path).status());
      assertTrue(identity.key(k.info().accessKeyId()).isEmpty());
      assertError(call(alice, "DELETE", path), 404, "NotFound");
      assertError(call(root, "GET", path), 404, "NotFound");
    }
  }

  // ---- buckets

  @Nested
  class Buckets {
    @BeforeEach
    void buckets() {
      bucket("photos", alice);
      bucket("logs", bob);
      put("photos", "a.jpg", 3000);
      put("photos", "b.jpg", 10);
    }

    @Test
    void listAndShowWithCountsAndGrants() {
      identity.grant("photos", bob.userId(), Permission.READ);
      Resp list = call(root, "GET", "/buckets");
      assertEquals(200, list.status());
      assertEquals(List.of("buckets"), fields(list.json()));
      assertEquals(2, list.get("buckets").size());
      assertEquals("logs", list.get("buckets").get(0).get("name").asText());
      assertEquals(0, list.get("buckets").get(0).get("objects").asLong());
      JsonNode photos = list.get("buckets").get(1);
      assertEquals(List.of("name", "owner", "ownerId", "created", "region", "objects", "bytes", "access", "grants"),
          fields(photos));
      assertEquals("admin", photos.get("access").asText());
      assertEquals("alice", photos.get("owner").asText());
      assertEquals(alice.userId(), photos.get("ownerId").asText());
      assertEquals(2, photos.get("objects").asLong());
      assertEquals(3010, photos.get("bytes").asLong());
      assertEquals("us-east-1", photos.get("region").asText());

      Resp show = call(root, "GET", "/buckets/photos");
      assertEquals(200, show.status());
      assertEquals(photos, show.json());
      assertGolden("bucket.json", show);
      assertError(call(root, "GET", "/buckets/nope"), 404, "NotFound", "bucket nope not found");
    }

    @Test
    void chown() {
      identity.grant("photos", bob.userId(), Permission.READ_WRITE);
      Resp r = call(root, "PATCH", "/buckets/photos", "{\"owner\":\"bob\"}");
      assertEquals(200, r.status(), r.raw());
      assertEquals("bob", r.get("owner").asText());
      assertEquals(bob.userId(), r.get("ownerId").asText());
      assertEquals(0, r.get("grants").size(), "the new owner's grant is dropped");
      assertEquals(bob.userId(), store.bucket("photos").orElseThrow().ownerId());

      assertError(call(root, "PATCH", "/buckets/photos", "{\"owner\":\"nobody\"}"), 404, "NotFound",
          "user nobody not found");
      assertError(call(root, "PATCH", "/buckets/nope", "{\"owner\":\"bob\"}"), 404, "NotFound",
          "bucket nope not found");
      assertError(call(root, "PATCH", "/buckets/photos", "{}"), 400, "InvalidRequest", "\"owner\" is required");
      assertError(call(root, "PATCH", "/buckets/photos", "{\"owner\":\"bob\",\"region\":\"x\"}"), 400,
          "InvalidRequest", "unknown field \"region\"");
    }

    @Test
    void grantAndRevoke() {
      Resp r = call(root, "PUT", "/buckets/photos/grants/bob", "{\"permission\":\"read\"}");
      assertEquals(200, r.status(), r.raw());
      assertEquals(1, r.get("grants").size());
      assertEquals(List.of("user", "permission"), fields(r.get("grants").get(0)));
      assertEquals("bob", r.get("grants").get(0).get("user").asText());
      assertEquals("read", r.get("grants").get(0).get("permission").asText());

      r = call(root, "PUT", "/buckets/photos/grants/" + bob.userId(), "{\"permission\":\"read-write\"}");
      assertEquals("read-write", r.get("grants").get(0).get("permission").asText());
      assertEquals(Permission.READ_WRITE, identity.access("photos", bob.userId()).orElseThrow().granted());

      r = call(root, "DELETE", "/buckets/photos/grants/bob");
      assertEquals(200, r.status());
      assertEquals(0, r.get("grants").size());
      assertNull(identity.access("photos", bob.userId()).orElseThrow().granted());
      assertEquals(200, call(root, "DELETE", "/buckets/photos/grants/bob").status(), "revoking nothing is fine");
    }

    @Test
    void grantErrors() {
      assertError(call(root, "PUT", "/buckets/photos/grants/bob", "{\"permission\":\"write\"}"), 400,
          "InvalidRequest", "\"permission\" must be \"read\" or \"read-write\"");
      assertError(call(root, "PUT", "/buckets/photos/grants/bob", "{}"), 400, "InvalidRequest",
          "\"permission\" is required");
      assertError(call(root, "PUT", "/buckets/photos/grants/nobody", "{\"permission\":\"read\"}"), 404, "NotFound",
          "user nobody not found");
      assertError(call(root, "PUT", "/buckets/nope/grants/bob", "{\"permission\":\"read\"}"), 404, "NotFound",
          "bucket nope not found");
      assertError(call(root, "DELETE", "/buckets/nope/grants/bob"), 404, "NotFound", "bucket nope not found");
      // The identity store refuses a grant to the owner; the API passes that on as a bad request.
      assertError(call(root, "PUT", "/buckets/photos/grants/alice", "{\"permission\":\"read\"}"), 400,
          "InvalidRequest");
      assertTrue(identity.grants("photos").isEmpty());
    }

    @Test
    void aUserListsTheBucketsItOwnsOrWasGrantedWithItsAccess() {
      bucket("music", root);
      bucket("notes", bob);
      identity.grant("logs", alice.userId(), Permission.READ);
      identity.grant("notes", alice.userId(), Permission.READ_WRITE);

      Resp list = call(alice, "GET", "/buckets");
      assertEquals(200, list.status(), list.raw());
      Map<String, JsonNode> byName = new java.util.TreeMap<>();
      list.get("buckets").forEach(b -> byName.put(b.get("name").asText(), b));
      assertEquals(List.of("logs", "notes", "photos"), List.copyOf(byName.keySet()), "not root's music");
      assertEquals("owner", byName.get("photos").get("access").asText());
      assertEquals("read", byName.get("logs").get("access").asText());
      assertEquals("read-write", byName.get("notes").get("access").asText());
      assertEquals("bob", byName.get("logs").get("owner").asText());
      assertEquals(2, byName.get("photos").get("objects").asLong());
      assertEquals(3010, byName.get("photos").get("bytes").asLong());
      // The owner sees who it granted; a granted user does not learn who else was.
      assertEquals(0, byName.get("photos").get("grants").size());
      assertFalse(byName.get("logs").has("grants"), byName.get("logs").toString());

      Resp asBob = call(bob, "GET", "/buckets");
      List<String> bobs = new ArrayList<>();
      asBob.get("buckets").forEach(b -> bobs.add(b.get("name").asText()));
      assertEquals(List.of("logs", "notes"), bobs);
      assertEquals("alice", asBob.get("buckets").get(0).get("grants").get(0).get("user").asText());

      Resp all = call(root, "GET", "/buckets");
      assertEquals(4, all.get("buckets").size());
      assertEquals("owner", all.get("buckets").get(1).get("access").asText(), "root's own music");
    }

    @Test
    void theOwnerForceDeletesItsBucketButAGranteeCannot() {
      identity.grant("photos", bob.userId(), Permission.READ_WRITE);
      assertError(call(bob, "DELETE", "/buckets/photos?force=true"), 403, "AccessDenied",
          "only the owner of bucket photos or an admin may do this");
      assertEquals(2, identity.stats("photos").objects());
      assertError(call(alice, "DELETE", "/buckets/photos"), 409, "Conflict", "bucket photos is not empty");
      assertEquals(204, call(alice, "DELETE", "/buckets/photos?force=true").status());
      assertTrue(store.bucket("photos").isEmpty());
    }

    @Test
    void deleteEmptyAndNotEmpty() {
      assertEquals(204, call(root, "DELETE", "/buckets/logs").status());
      assertTrue(store.bucket("logs").isEmpty());
      assertError(call(root, "DELETE", "/buckets/logs"), 404, "NotFound", "bucket logs not found");

      assertError(call(root, "DELETE", "/buckets/photos"), 409, "Conflict", "bucket photos is not empty");
      assertError(call(root, "DELETE", "/buckets/photos?force=false"), 409, "Conflict", "bucket photos is not empty");
      assertError(call(root, "DELETE", "/buckets/photos?force=yes"), 400, "InvalidRequest",
          "\"force\" must be true or false");
      assertEquals(2, identity.stats("photos").objects());
    }

    @Test
    void forceDeleteEmptiesObjectsAndUploadsFirst() {
      // More than one listing page, and a multipart upload in progress with a part.
      for (int i = 0; i < 1005; i++) {
        put("logs", "log/" + i, 1);
      }
      UploadInfo upload = store.createUpload("logs", "big", ObjectMetadata.of("text/plain", Map.of()), null, WRITER);
      try (var part = store.openUpload(2000, java.util.Set.of())) {
        part.write(java.nio.ByteBuffer.wrap(new byte[2000]));
        part.finish();
        store.putPart("logs", "big", upload.uploadId(), 1, part, null);
      }
      identity.grant("logs", alice.userId(), Permission.READ);

      Resp r = call(root, "DELETE", "/buckets/logs?force=true");
      assertEquals(204, r.status(), r.raw());
      assertTrue(r.raw().isEmpty());
      assertTrue(store.bucket("logs").isEmpty());
      assertTrue(store.listBuckets().stream().map(BucketInfo::name).noneMatch("logs"::equals));
      // A bucket of the same name starts empty: nothing was left behind.
      bucket("logs", bob);
      assertTrue(identity.grants("logs").isEmpty());
      assertEquals(0, store.list("logs", "", null, null, 1000).objects().size());
      assertEquals(0, store.listUploads("logs", "", null, null, null, 1000).uploads().size());
    }
  }
}
