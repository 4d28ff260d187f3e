package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.Cli;
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
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("tarn.it.server.classpath", System.getProperty("java.class.path")), TarnServer.MAIN_CLASS));
    cmd.addAll(List.of(args));
    Map<String, String> e = new HashMap<>(Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "HOME", home.toString()));
    e.putAll(env);
    return Cli.run(cmd, e, home, TIMEOUT);
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
}
