package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.RawHttp;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code tarn admin} end to end against a running server: create a user and a key, use the key with
 * aws-cli, disable it and see aws-cli refused; exit codes scripts rely on; the login profile.
 */
class AdminCliTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path home;
  private static Path aws;

  @BeforeAll
  static void findAws() {
    aws = Cli.require("aws-cli", "apt-get install awscli", Path.of("/usr/bin/aws"));
  }

  /** Runs {@code tarn ARGS} (the server's own main class) with the root key in the environment. */
  private static Cli.Result tarn(Map<String, String> env, String... args) {
    return Cli.tarn(home, env, TIMEOUT, args);
  }

  private static Map<String, String> root() {
    return Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey());
  }

  private static Cli.Result aws(String accessKey, String secretKey, String... args) {
    List<String> cmd = new ArrayList<>(List.of(aws.toString(), "--endpoint-url", TARN.endpoint().toString(),
        "--region", TarnServer.REGION));
    cmd.addAll(List.of(args));
    return Cli.run(cmd, Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey,
        "AWS_CONFIG_FILE", home.resolve("no-aws-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-aws-credentials").toString(),
        "HOME", home.toString(), "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", "", "AWS_MAX_ATTEMPTS", "1"),
        home, TIMEOUT);
  }

  @Test
  void createAUserAndKeyUseItWithAwsCliThenDisableIt() throws IOException {
    String user = "cli-" + Long.toString(System.nanoTime() & 0xfffff, 36);
    tarn(root(), "admin", "user", "add", user).assertSuccess();
    Cli.Result listed = tarn(root(), "admin", "user", "ls").assertSuccess();
    assertTrue(listed.stdout().contains(user), listed.describe());

    JsonNode key = JSON.readTree(tarn(root(), "admin", "key", "create", user, "--json").assertSuccess().stdout());
    String id = key.path("accessKeyId").asText();
    String secret = key.path("secretAccessKey").asText();
    assertFalse(id.isEmpty() || secret.isEmpty(), key.toString());

    String bucket = bucketName("cli");
    aws(id, secret, "s3", "mb", "s3://" + bucket).assertSuccess();
    assertTrue(aws(id, secret, "s3", "ls").assertSuccess().stdout().contains(bucket));

    Cli.Result keys = tarn(root(), "admin", "key", "ls", user).assertSuccess();
    assertTrue(keys.stdout().contains(id), keys.describe());
    tarn(root(), "admin", "key", "disable", id).assertSuccess();
    Cli.Result refused = aws(id, secret, "s3", "ls").assertFailure();
    assertTrue(refused.stderr().contains("InvalidAccessKeyId"), refused.describe());

    JsonNode buckets = JSON.readTree(tarn(root(), "admin", "bucket", "ls", "--json").assertSuccess().stdout());
    assertTrue(buckets.toString().contains("\"" + bucket + "\""), buckets.toString());
    tarn(root(), "admin", "bucket", "rm", bucket, "--force").assertSuccess();
  }

  private static Map<String, String> as(JsonNode key) {
    return Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", key.path("accessKeyId").asText(),
        "TARN_SECRET_KEY", key.path("secretAccessKey").asText());
  }

  private static AdminClient api(JsonNode key) {
    return new AdminClient(TARN.port(), key.path("accessKeyId").asText(), key.path("secretAccessKey").asText());
  }

  private static RawHttp.RawResponse bearer(String token, String method, String path, Object body) throws IOException {
    return TARN.raw().anonymous(method, "/_tarn/api/v1" + path, Map.of("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), body == null ? null : JSON.writeValueAsBytes(body));
  }

  private static String tokenOf(RawHttp.RawResponse created) throws IOException {
    assertEquals(201, created.status(), created.text());
    return JSON.readTree(created.text()).path("token").asText();
  }

  /**
   * Issue 11: nothing a credential creates outlives it. A key with an expiry creates keys and
   * tokens capped to it (a longer request is refused naming the limit); an expiring token mints
   * only capped tokens; disabling the key revokes its tokens at the next request.
   */
  @Test
  void whatAnExpiringKeyCreatesExpiresWithItAndDiesWithIt() throws IOException {
    String user = "creds-" + Long.toString(System.nanoTime() & 0xfffff, 36);
    // An admin: only admins may point a rule at a loopback URL, and nothing is delivered here anyway.
    tarn(root(), "admin", "user", "add", user, "--role", "admin").assertSuccess();
    JsonNode key = JSON.readTree(tarn(root(), "admin", "key", "create", user, "--expires", "1d", "--json")
        .assertSuccess().stdout());
    String limit = key.path("expires").asText();
    assertFalse(key.path("expires").isNull(), key.toString());

    JsonNode minted = JSON.readTree(tarn(as(key), "admin", "key", "create", "--json").assertSuccess().stdout());
    assertEquals(limit, minted.path("expires").asText(), "no expiry asked: the creating key's");
    assertEquals(key.path("accessKeyId").asText(), minted.path("createdWith").asText());
    Cli.Result longer = tarn(as(key), "admin", "key", "create", "--expires", "30d");
    assertEquals(1, longer.exitCode(), longer.describe());
    assertTrue(longer.stderr().contains(limit), "names the limit: " + longer.describe());

    AdminClient.Response token = api(key).webhooksApi().call("POST", "/tokens", Map.of("name", "ci"));
    assertEquals(201, token.status(), token.text());
    assertEquals(limit, token.json().path("expires").asText());
    String value = token.json().path("token").asText();
    RawHttp.RawResponse child = bearer(value, "POST", "/tokens", Map.of("name", "child"));
    String childValue = tokenOf(child);
    assertEquals(limit, JSON.readTree(child.text()).path("expires").asText(), "a token mints no longer-lived one");
    assertEquals(400, bearer(value, "POST", "/tokens", Map.of("name", "x", "expires", "2999-01-01T00:00:00Z"))
        .status());

    String bucket = bucketName("creds");
    TARN.s3With(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.path("accessKeyId").asText(),
        key.path("secretAccessKey").asText()))).createBucket(r -> r.bucket(bucket));
    Map<String, Object> rule = Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("ObjectCreated:*"));
    RawHttp.RawResponse ruled = bearer(value, "POST", "/buckets/" + bucket + "/webhooks", rule);
    assertEquals(201, ruled.status(), ruled.text());

    tarn(root(), "admin", "key", "disable", key.path("accessKeyId").asText()).assertSuccess();
    assertEquals(403, bearer(value, "POST", "/buckets/" + bucket + "/webhooks", rule).status());
    assertEquals(403, bearer(childValue, "POST", "/buckets/" + bucket + "/webhooks", rule).status());
    tarn(root(), "admin", "key", "enable", key.path("accessKeyId").asText()).assertSuccess();
    assertEquals(403, bearer(value, "GET", "/tokens", null).status(), "re-enabling the key does not revive them");
    tarn(root(), "admin", "bucket", "rm", bucket, "--force").assertSuccess();
  }

  /** Issue 11: admins list and revoke any user's API tokens, users their own, with {@code tarn admin token}. */
  @Test
  void tokensAreListedAndRevokedByAdminsAndTheirOwners() throws IOException {
    String user = "tokens-" + Long.toString(System.nanoTime() & 0xfffff, 36);
    tarn(root(), "admin", "user", "add", user).assertSuccess();
    JsonNode key = JSON.readTree(tarn(root(), "admin", "key", "create", user, "--json").assertSuccess().stdout());
    JsonNode first = api(key).webhooksApi().expect(201, "POST", "/tokens", Map.of("name", "first"));
    JsonNode second = api(key).webhooksApi().expect(201, "POST", "/tokens", Map.of("name", "second"));

    Cli.Result listed = tarn(root(), "admin", "token", "ls", user).assertSuccess();
    assertTrue(listed.stdout().contains(first.path("id").asText()) && listed.stdout().contains("second"),
        listed.describe());
    assertFalse(listed.stdout().contains(first.path("token").asText()), "never a token's value");
    tarn(root(), "admin", "token", "revoke", first.path("id").asText(), "--user", user).assertSuccess();
    assertEquals(403, bearer(first.path("token").asText(), "GET", "/tokens", null).status());

    Cli.Result own = tarn(as(key), "admin", "token", "ls", "--json").assertSuccess();
    JsonNode tokens = JSON.readTree(own.stdout()).path("tokens");
    assertEquals(1, tokens.size(), own.describe());
    assertEquals(second.path("id").asText(), tokens.get(0).path("id").asText());
    Cli.Result others = tarn(as(key), "admin", "token", "ls", "root");
    assertEquals(5, others.exitCode(), others.describe());
    tarn(as(key), "admin", "token", "revoke", second.path("id").asText()).assertSuccess();
    assertEquals(403, bearer(second.path("token").asText(), "GET", "/tokens", null).status());
    assertEquals(0, JSON.readTree(tarn(as(key), "admin", "token", "ls", "--json").assertSuccess().stdout())
        .path("tokens").size());
  }

  @Test
  void exitCodesTellScriptsWhatWentWrong() throws IOException {
    Map<String, String> badSecret = new HashMap<>(root());
    badSecret.put("TARN_SECRET_KEY", "not-the-secret");
    Cli.Result auth = tarn(badSecret, "admin", "info");
    assertEquals(4, auth.exitCode(), auth.describe());

    String user = "plain-" + Long.toString(System.nanoTime() & 0xfffff, 36);
    tarn(root(), "admin", "user", "add", user).assertSuccess();
    JsonNode key = JSON.readTree(tarn(root(), "admin", "key", "create", user, "--json").assertSuccess().stdout());
    Map<String, String> asUser = Map.of("TARN_ENDPOINT", TARN.endpoint().toString(),
        "TARN_ACCESS_KEY", key.path("accessKeyId").asText(), "TARN_SECRET_KEY", key.path("secretAccessKey").asText());
    Cli.Result denied = tarn(asUser, "admin", "user", "ls");
    assertEquals(5, denied.exitCode(), denied.describe());
    // ...but a user manages its own keys.
    tarn(asUser, "admin", "key", "ls").assertSuccess();

    Cli.Result missing = tarn(root(), "admin", "user", "show", "nobody-at-all");
    assertEquals(6, missing.exitCode(), missing.describe());
    Cli.Result taken = tarn(root(), "admin", "user", "add", user);
    assertEquals(7, taken.exitCode(), taken.describe());

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Map<String, String> nowhere = new HashMap<>(root());
    nowhere.put("TARN_ENDPOINT", "http://127.0.0.1:" + closed);
    Cli.Result unreachable = tarn(nowhere, "admin", "info");
    assertEquals(3, unreachable.exitCode(), unreachable.describe());
    assertFalse(unreachable.stderr().contains("Exception"), "no stack trace: " + unreachable.describe());
  }

  @Test
  void loginWritesAPrivateProfileThatLaterCommandsUse() throws IOException {
    tarn(Map.of(), "admin", "login", "--endpoint", TARN.endpoint().toString(), "--access-key", TARN.accessKey(),
        "--secret-key", TARN.secretKey()).assertSuccess();
    Path profile = home.resolve("config/tarn/config");
    assertTrue(Files.exists(profile), "profile at " + profile);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profile)));
    Cli.Result who = tarn(Map.of(), "admin", "whoami").assertSuccess();
    assertTrue(who.stdout().contains("root"), who.describe());
    JsonNode info = JSON.readTree(tarn(Map.of(), "admin", "info", "--json").assertSuccess().stdout());
    assertTrue(info.path("buckets").isNumber(), info.toString());
    assertTrue(info.path("notificationBacklog").isNumber(), "the webhook backlog is part of info: " + info);
  }

  private static Map<String, String> as(AdminClient.User user) {
    return Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", user.accessKey(),
        "TARN_SECRET_KEY", user.secretKey());
  }

  @Test
  void aUserListsTheBucketsItOwnsOrWasGrantedAndForceDeletesItsOwn() throws IOException {
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User owner = admin.createUser("cli-" + bucketName("owner"), "user");
    AdminClient.User reader = admin.createUser("cli-" + bucketName("reader"), "user");
    String granted = bucketName("granted");
    String unseen = bucketName("unseen");
    String readers = bucketName("readers");
    var asOwner = TARN.s3With(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(owner.accessKey(), owner.secretKey())));
    asOwner.createBucket(b -> b.bucket(granted));
    asOwner.createBucket(b -> b.bucket(unseen));
    asOwner.putObject(b -> b.bucket(unseen).key("x"), RequestBody.fromString("x"));
    TARN.s3With(StaticCredentialsProvider.create(AwsBasicCredentials.create(reader.accessKey(), reader.secretKey())))
        .createBucket(b -> b.bucket(readers));
    tarn(as(owner), "admin", "bucket", "grant", granted, reader.name(), "read").assertSuccess();

    JsonNode list = JSON.readTree(tarn(as(reader), "admin", "bucket", "ls", "--json").assertSuccess().stdout());
    Map<String, String> access = new HashMap<>();
    list.path("buckets").forEach(b -> access.put(b.path("name").asText(), b.path("access").asText()));
    assertEquals(Map.of(granted, "read", readers, "owner"), access, list.toString());
    Cli.Result table = tarn(as(reader), "admin", "bucket", "ls").assertSuccess();
    assertTrue(table.stdout().contains(granted) && !table.stdout().contains(unseen), table.describe());

    // Deleting a bucket is its owner's, forced or not; a grant does not allow it.
    Cli.Result refused = tarn(as(reader), "admin", "bucket", "rm", granted, "--force").assertFailure();
    assertTrue(refused.stderr().contains("only the owner of bucket " + granted), refused.describe());
    tarn(as(owner), "admin", "bucket", "rm", unseen, "--force").assertSuccess();
    assertTrue(asOwner.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(unseen)));
  }
}
