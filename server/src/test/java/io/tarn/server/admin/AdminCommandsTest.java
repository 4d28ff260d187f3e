package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCli.with;
import static io.tarn.server.admin.FakeAdminApi.ADMIN;
import static io.tarn.server.admin.FakeAdminApi.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.core.AccessKey;
import io.tarn.server.admin.AdminCli.Result;
import io.tarn.server.admin.FakeAdminApi.Recorded;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code tarn admin} command: the request it sends, and its table and JSON output. */
final class AdminCommandsTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ALICE = "{\"id\":\"" + "a".repeat(64) + "\",\"name\":\"alice\",\"role\":\"user\","
      + "\"enabled\":true,\"created\":\"2026-11-01T10:00:00Z\",\"buckets\":2}";
  static final String ROOT = "{\"id\":\"" + "0".repeat(63) + "1\",\"name\":\"root\",\"role\":\"admin\","
      + "\"enabled\":true,\"created\":\"2026-10-01T09:00:00Z\",\"buckets\":12}";
  static final String ALICE_DISABLED = ALICE.replace("\"enabled\":true", "\"enabled\":false");
  static final String ALICE_MAIL = ALICE.replace("\"role\"", "\"email\":\"alice@example.com\",\"role\"");
  static final String KEY = "{\"accessKeyId\":\"TKALICE0000000000001\",\"user\":\"alice\",\"userId\":\""
      + "a".repeat(64) + "\",\"enabled\":true,\"created\":\"2026-11-02T10:00:00Z\",\"expires\":null,\"expired\":false}";
  static final String OLD_KEY = "{\"accessKeyId\":\"TKALICE0000000000002\",\"user\":\"alice\",\"userId\":\""
      + "a".repeat(64) + "\",\"enabled\":true,\"created\":\"2026-01-02T10:00:00Z\",\"expires\":\"2026-02-01T10:00:00Z\","
      + "\"expired\":true}";
  static final String NEW_KEY = KEY.replace("}", ",\"secretAccessKey\":\"s3cr3t-only-once\"}");
  static final String PHOTOS = "{\"name\":\"photos\",\"owner\":\"alice\",\"ownerId\":\"" + "a".repeat(64) + "\","
      + "\"created\":\"2026-11-03T10:00:00Z\",\"region\":\"us-east-1\",\"objects\":1234,\"bytes\":1288490189,"
      + "\"grants\":[{\"user\":\"bob\",\"permission\":\"read\"}]}";
  static final String LOGS = "{\"name\":\"logs\",\"owner\":\"root\",\"ownerId\":\"" + "0".repeat(63) + "1\","
      + "\"created\":\"2026-11-04T10:00:00Z\",\"region\":\"us-east-1\",\"objects\":0,\"bytes\":0,\"grants\":[]}";

  @TempDir
  Path home;
  FakeAdminApi fake;
  CliContext ctx;

  @BeforeEach
  void start() throws Exception {
    fake = FakeAdminApi.start(AdminCli.CLOCK);
    ctx = AdminCli.context(Map.of(), home);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Result admin(String... args) {
    return run(ADMIN, args);
  }

  private Result run(AccessKey key, String... args) {
    Result r = AdminCli.run(ctx, with(fake, key, args));
    assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), () -> "stack trace leaked: " + r);
    return r;
  }

  static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  private void assertRequest(String method, String path, String query, String body) {
    Recorded r = fake.only();
    assertEquals(method, r.method());
    assertEquals(ApiClient.ADMIN_PREFIX + path, r.rawPath());
    assertEquals(query, r.rawQuery());
    if (body == null) {
      assertEquals("", r.body());
      assertNull(r.contentType());
    } else {
      assertEquals(json(body), json(r.body()));
      assertEquals("application/json", r.contentType());
    }
  }

  private static void assertOk(Result r) {
    assertEquals(0, r.exit(), r::toString);
  }

  // ---- users

  @Test
  void userAddPostsNameAndRoleAndPrintsTheUser() {
    fake.json("POST", "/users", 201, ALICE);
    Result r = admin("user", "add", "alice");
    assertOk(r);
    assertRequest("POST", "/users", null, "{\"name\":\"alice\",\"role\":\"user\"}");
    assertTrue(r.out().contains("Name:     alice\n"), r::toString);
    assertTrue(r.out().contains("ID:       " + "a".repeat(64) + "\n"), r::toString);
    assertTrue(r.err().contains("Created user alice."), r::toString);
  }

  @Test
  void userAddWithAdminRoleInAnyCase() {
    fake.json("POST", "/users", 201, ROOT);
    assertOk(admin("user", "add", "ops", "--role", "ADMIN"));
    assertRequest("POST", "/users", null, "{\"name\":\"ops\",\"role\":\"admin\"}");
  }

  @Test
  void userLsPrintsAnAlignedTable() {
    fake.json("GET", "/users", 200, "{\"users\":[" + ROOT.replace("\"role\"", "\"email\":null,\"role\"") + ","
        + ALICE_MAIL.replace("\"enabled\":true", "\"enabled\":false") + "]}");
    Result r = admin("user", "ls");
    assertOk(r);
    assertRequest("GET", "/users", null, null);
    assertEquals("""
        NAME   EMAIL              ROLE   STATUS    BUCKETS  CREATED
        root   -                  admin  enabled        12  2026-10-01T09:00:00Z
        alice  alice@example.com  user   disabled        2  2026-11-01T10:00:00Z
        """, r.out());
    assertEquals("", r.err());
  }

  @Test
  void userLsJsonPrintsTheServersJsonPretty() {
    String body = "{\"users\":[" + ROOT + "," + ALICE + "]}";
    fake.json("GET", "/users", 200, body);
    Result r = admin("user", "ls", "--json");
    assertOk(r);
    assertEquals(json(body), json(r.out()));
    assertTrue(r.out().startsWith("{\n  \"users\": [\n    {\n      \"id\": "), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void userShowEncodesTheNameInThePathAndTheSignatureStillVerifies() {
    fake.json("GET", "/users/j%C3%B6rg%20a%2Fb%2Bc", 200, ALICE);
    Result r = admin("user", "show", "jörg a/b+c");
    assertOk(r);
    assertRequest("GET", "/users/j%C3%B6rg%20a%2Fb%2Bc", null, null);
    assertTrue(r.out().contains("Status:   enabled\n") && r.out().contains("Buckets:  2\n"), r::toString);
  }

  @Test
  void userAddWithAnEmailAddress() {
    fake.json("POST", "/users", 201, ALICE_MAIL);
    Result r = admin("user", "add", "alice", "--email", "alice@example.com");
    assertOk(r);
    assertRequest("POST", "/users", null, "{\"name\":\"alice\",\"role\":\"user\",\"email\":\"alice@example.com\"}");
    assertTrue(r.out().contains("E-mail:   alice@example.com\n"), r::toString);
  }

  @Test
  void userSetPatchesOrRemovesTheEmailAddress() {
    fake.json("PATCH", "/users/alice", 200, ALICE_MAIL);
    Result r = admin("user", "set", "alice", "--email", "alice@example.com");
    assertOk(r);
    assertRequest("PATCH", "/users/alice", null, "{\"email\":\"alice@example.com\"}");
    assertTrue(r.err().contains("Set the e-mail address of user alice to alice@example.com."), r::toString);
    assertTrue(r.out().contains("E-mail:   alice@example.com\n"), r::toString);

    fake.json("PATCH", "/users/alice", 200, ALICE);
    Result cleared = admin("user", "set", "alice", "--no-email");
    assertOk(cleared);
    Recorded clear = fake.requests().get(1);
    assertEquals(json("{\"email\":null}"), json(clear.body()));
    assertTrue(cleared.err().contains("Removed the e-mail address of user alice."), cleared::toString);
    assertTrue(cleared.out().contains("E-mail:   -\n"), cleared::toString);
  }

  @Test
  void userSetNeedsExactlyOneOfEmailAndNoEmail() {
    for (String[] args : new String[][] {{"user", "set", "alice"},
        {"user", "set", "alice", "--email", "a@b", "--no-email"}}) {
      Result r = admin(args);
      assertEquals(Exit.USAGE.code(), r.exit(), r::toString);
      assertTrue(r.err().contains("give either --email ADDR or --no-email"), r::toString);
    }
    assertEquals(0, fake.requests().size(), "nothing sent");
  }

  @Test
  void userDisableAndEnablePatchEnabled() {
    fake.json("PATCH", "/users/alice", 200, ALICE_DISABLED);
    Result r = admin("user", "disable", "alice");
    assertOk(r);
    assertRequest("PATCH", "/users/alice", null, "{\"enabled\":false}");
    assertEquals("", r.out());
    assertTrue(r.err().contains("Disabled user alice."), r::toString);

    fake.json("PATCH", "/users/alice", 200, ALICE);
    Result e = admin("user", "enable", "alice", "--json");
    assertOk(e);
    Recorded enable = fake.requests().get(1);
    assertEquals("PATCH", enable.method());
    assertEquals(json("{\"enabled\":true}"), json(enable.body()));
    assertEquals(json(ALICE), json(e.out()));
  }

  @Test
  void userRmDeletesAndPassesReassignTo() {
    fake.json("DELETE", "/users/alice", 204, "");
    Result r = admin("user", "rm", "alice", "--reassign-to", "bob smith");
    assertOk(r);
    assertRequest("DELETE", "/users/alice", "reassignTo=bob%20smith", null);
    assertEquals("", r.out());
    assertTrue(r.err().contains("Deleted user alice; its buckets now belong to bob smith."), r::toString);
  }

  @Test
  void userRmWithoutReassignSendsNoQuery() {
    fake.json("DELETE", "/users/alice", 204, "");
    assertOk(admin("user", "rm", "alice", "--json"));
    assertRequest("DELETE", "/users/alice", null, null);
  }

  // ---- keys

  @Test
  void keyCreatePrintsIdAndSecretWithAWarning() {
    fake.json("POST", "/keys", 201, NEW_KEY);
    Result r = admin("key", "create", "alice", "--expires", "30d");
    assertOk(r);
    assertRequest("POST", "/keys", null, "{\"user\":\"alice\",\"expires\":\"2026-12-29T18:00:00Z\"}");
    assertTrue(r.out().contains("Access key id:      TKALICE0000000000001\n"), r::toString);
    assertTrue(r.out().contains("Secret access key:  s3cr3t-only-once\n"), r::toString);
    assertTrue(r.out().contains("Expires:            never\n"), r::toString);
    assertTrue(r.err().contains("shown only this once"), r::toString);
  }

  @Test
  void keyCreateForTheCallerWithJson() {
    fake.json("POST", "/keys", 201, NEW_KEY);
    Result r = admin("key", "create", "--json");
    assertOk(r);
    assertRequest("POST", "/keys", null, "{}");
    JsonNode out = json(r.out());
    assertEquals("TKALICE0000000000001", out.get("accessKeyId").asText());
    assertEquals("s3cr3t-only-once", out.get("secretAccessKey").asText());
  }

  @Test
  void keyCreateAcceptsIsoDurations() {
    fake.json("POST", "/keys", 201, NEW_KEY);
    assertOk(admin("key", "create", "--expires", "PT12H"));
    assertRequest("POST", "/keys", null, "{\"expires\":\"2026-11-30T06:00:00Z\"}");
  }

  @Test
  void keyLsAllAndOfAUser() {
    fake.json("GET", "/keys", 200, "{\"keys\":[" + KEY + "," + OLD_KEY + "]}");
    Result r = admin("key", "ls", "alice");
    assertOk(r);
    assertRequest("GET", "/keys", "user=alice", null);
    assertEquals("""
        ACCESS KEY ID         USER   STATUS   CREATED               EXPIRES
        TKALICE0000000000001  alice  enabled  2026-11-02T10:00:00Z  never
        TKALICE0000000000002  alice  expired  2026-01-02T10:00:00Z  2026-02-01T10:00:00Z
        """, r.out());
  }

  @Test
  void keyLsAsANonAdminUserListsItsOwn() {
    fake.json("GET", "/keys", 200, "{\"keys\":[" + KEY + "]}");
    Result r = run(USER, "key", "ls");
    assertOk(r);
    assertRequest("GET", "/keys", null, null);
    assertEquals(USER.accessKeyId(), fake.only().accessKeyId());
  }

  @Test
  void keyDisableEnableRm() {
    fake.json("PATCH", "/keys/TKALICE0000000000001", 200, KEY);
    assertOk(admin("key", "disable", "TKALICE0000000000001"));
    assertOk(admin("key", "enable", "TKALICE0000000000001"));
    fake.json("DELETE", "/keys/TKALICE0000000000001", 204, "");
    Result rm = admin("key", "rm", "TKALICE0000000000001");
    assertOk(rm);
    assertTrue(rm.err().contains("Deleted key TKALICE0000000000001."), rm::toString);
    var requests = fake.requests();
    assertEquals(3, requests.size());
    assertEquals(json("{\"enabled\":false}"), json(requests.get(0).body()));
    assertEquals(json("{\"enabled\":true}"), json(requests.get(1).body()));
    assertEquals("DELETE", requests.get(2).method());
  }

  // ---- tokens

  static final String TOKEN = "{\"id\":\"0123456789abcdef\",\"name\":\"ci deploy\",\"user\":\"alice\",\"userId\":\""
      + "a".repeat(64) + "\",\"created\":\"2026-11-02T10:00:00Z\",\"expires\":\"2026-12-02T10:00:00Z\","
      + "\"expired\":false,\"createdWith\":\"TKALICE0000000000001\"}";

  @Test
  void tokenLsOfAUserShowsItsTokensWithoutValues() {
    fake.json("GET", "/tokens", 200, "{\"tokens\":[" + TOKEN + "]}");
    Result r = admin("token", "ls", "alice");
    assertOk(r);
    assertRequest("GET", "/tokens", "user=alice", null);
    assertEquals("""
        TOKEN ID          NAME       USER   STATUS  CREATED               EXPIRES               CREATED WITH
        0123456789abcdef  ci deploy  alice  active  2026-11-02T10:00:00Z  2026-12-02T10:00:00Z  TKALICE0000000000001
        """, r.out());
  }

  @Test
  void tokenLsAndRevokeAsANonAdminUserActOnItsOwn() {
    fake.json("GET", "/tokens", 200, "{\"tokens\":[" + TOKEN + "]}");
    assertOk(run(USER, "token", "ls"));
    fake.json("DELETE", "/tokens/0123456789abcdef", 204, "");
    Result rm = run(USER, "token", "revoke", "0123456789abcdef");
    assertOk(rm);
    assertTrue(rm.err().contains("Revoked token 0123456789abcdef."), rm::toString);
    var requests = fake.requests();
    assertEquals("GET", requests.get(0).method());
    assertEquals(null, requests.get(0).rawQuery());
    assertEquals("DELETE", requests.get(1).method());
    assertEquals(null, requests.get(1).rawQuery());
    assertEquals(USER.accessKeyId(), requests.get(1).accessKeyId());
  }

  @Test
  void tokenRevokeOfAnotherUsersTokenNamesTheUser() {
    fake.json("DELETE", "/tokens/0123456789abcdef", 204, "");
    assertOk(admin("token", "revoke", "0123456789abcdef", "--user", "alice"));
    assertRequest("DELETE", "/tokens/0123456789abcdef", "user=alice", null);
  }

  @Test
  void keyExpireSetsAnInstantOrNull() {
    fake.json("PATCH", "/keys/TK1", 200, KEY);
    Result r = admin("key", "expire", "TK1", "1w");
    assertOk(r);
    assertTrue(r.err().contains("Key TK1 expires at 2026-12-06T18:00:00Z."), r::toString);
    assertOk(admin("key", "expire", "TK1", "never"));
    var requests = fake.requests();
    assertEquals(json("{\"expires\":\"2026-12-06T18:00:00Z\"}"), json(requests.get(0).body()));
    JsonNode never = json(requests.get(1).body());
    assertTrue(never.has("expires") && never.get("expires").isNull(), never::toString);
  }

  // ---- buckets

  @Test
  void bucketLsHumanisesSizes() {
    fake.json("GET", "/buckets", 200, "{\"buckets\":[" + PHOTOS + "," + LOGS + "]}");
    Result r = admin("bucket", "ls");
    assertOk(r);
    assertRequest("GET", "/buckets", null, null);
    assertEquals("""
        NAME    OWNER  OBJECTS     SIZE  CREATED               GRANTS
        photos  alice     1234  1.2 GiB  2026-11-03T10:00:00Z  bob:read
        logs    root         0      0 B  2026-11-04T10:00:00Z  -
        """, r.out());
  }

  @Test
  void bucketLsJsonKeepsExactBytes() {
    fake.json("GET", "/buckets", 200, "{\"buckets\":[" + PHOTOS + "]}");
    Result r = admin("bucket", "ls", "--json");
    assertOk(r);
    assertEquals(1288490189L, json(r.out()).get("buckets").get(0).get("bytes").asLong());
  }

  @Test
  void bucketShow() {
    fake.json("GET", "/buckets/photos", 200, PHOTOS);
    Result r = admin("bucket", "show", "photos");
    assertOk(r);
    assertRequest("GET", "/buckets/photos", null, null);
    assertTrue(r.out().contains("Size:     1.2 GiB (1288490189 bytes)\n"), r::toString);
    assertTrue(r.out().contains("Grants:   bob:read\n"), r::toString);
  }

  @Test
  void bucketChownPatchesOwner() {
    fake.json("PATCH", "/buckets/photos", 200, PHOTOS.replace("\"owner\":\"alice\"", "\"owner\":\"bob\""));
    Result r = admin("bucket", "chown", "photos", "bob");
    assertOk(r);
    assertRequest("PATCH", "/buckets/photos", null, "{\"owner\":\"bob\"}");
    assertTrue(r.err().contains("Bucket photos now belongs to bob."), r::toString);
  }

  @Test
  void bucketGrantPutsPermission() {
    fake.json("PUT", "/buckets/photos/grants/bob", 200, PHOTOS);
    Result r = admin("bucket", "grant", "photos", "bob", "read-write", "--json");
    assertOk(r);
    assertRequest("PUT", "/buckets/photos/grants/bob", null, "{\"permission\":\"read-write\"}");
    assertEquals(json(PHOTOS), json(r.out()));
  }

  @Test
  void bucketRevokeDeletesTheGrant() {
    fake.json("DELETE", "/buckets/photos/grants/bob", 200, PHOTOS);
    assertOk(admin("bucket", "revoke", "photos", "bob"));
    assertRequest("DELETE", "/buckets/photos/grants/bob", null, null);
  }

  @Test
  void bucketRmWithAndWithoutForce() {
    fake.json("DELETE", "/buckets/photos", 204, "");
    Result r = admin("bucket", "rm", "photos", "--force");
    assertOk(r);
    assertRequest("DELETE", "/buckets/photos", "force=true", null);
    assertTrue(r.err().contains("Deleted bucket photos and everything in it."), r::toString);
    assertOk(admin("bucket", "rm", "photos"));
    assertNull(fake.requests().get(1).rawQuery());
  }

  // ---- info, whoami

  @Test
  void infoPrintsFields() {
    fake.json("GET", "/info", 200, "{\"version\":\"0.1.0\",\"uptimeSeconds\":273900,\"dataDir\":\"/var/lib/tarn\","
        + "\"diskFreeBytes\":53687091200,\"diskTotalBytes\":107374182400,\"buckets\":3,\"objects\":1234,"
        + "\"bytes\":1288490189,\"users\":2}");
    Result r = admin("info");
    assertOk(r);
    assertRequest("GET", "/info", null, null);
    assertEquals("""
        Version:         0.1.0
        Uptime:          3d 4h 5m
        Data directory:  /var/lib/tarn
        Disk:            50 GiB free of 100 GiB
        Users:           2
        Buckets:         3
        Objects:         1234
        Stored:          1.2 GiB (1288490189 bytes)
        """, r.out());
  }

  @Test
  void infoSaysWhenTheServerHadNoRecentErrors() {
    fake.json("GET", "/info", 200, "{\"version\":\"0.1.0\",\"uptimeSeconds\":60,\"dataDir\":\"/d\","
        + "\"diskFreeBytes\":1,\"diskTotalBytes\":2,\"buckets\":0,\"objects\":0,\"bytes\":0,\"users\":1,"
        + "\"recentErrors\":[]}");
    Result r = admin("info");
    assertOk(r);
    assertTrue(r.out().endsWith("\nRecent errors: none since the server started.\n"), r::toString);
  }

  @Test
  void whoamiWorksForANonAdmin() {
    fake.json("GET", "/whoami", 200, "{\"user\":" + ALICE + ",\"accessKeyId\":\"" + USER.accessKeyId() + "\"}");
    Result r = run(USER, "whoami");
    assertOk(r);
    assertTrue(r.out().startsWith("User:           alice\nRole:           user\n"), r::toString);
    assertTrue(r.out().contains("Access key id:  " + USER.accessKeyId() + "\n"), r::toString);
  }
}
