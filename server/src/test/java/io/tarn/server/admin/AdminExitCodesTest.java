package io.tarn.server.admin;

import static io.tarn.server.admin.FakeAdminApi.ADMIN;
import static io.tarn.server.admin.FakeAdminApi.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.admin.AdminCli.Result;
import io.tarn.server.admin.FakeAdminApi.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented exit codes, each with the message that goes with it, and never a stack trace. */
final class AdminExitCodesTest {
  @TempDir
  Path home;
  FakeAdminApi fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeAdminApi.start(AdminCli.CLOCK);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Result run(String... args) {
    return run(AdminCli.context(Map.of(), home), args);
  }

  private static Result run(CliContext ctx, String... args) {
    Result r = AdminCli.run(ctx, args);
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), () -> "stack trace leaked: " + r);
    assertEquals("", r.out(), () -> "data printed on failure: " + r);
    return r;
  }

  private String[] as(String accessKey, String secret, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint", fake.endpoint(), "--access-key", accessKey, "--secret-key", secret));
    return all.toArray(String[]::new);
  }

  private static void assertExit(int code, Result r, String... fragments) {
    assertEquals(code, r.exit(), r::toString);
    for (String f : fragments) {
      assertTrue(r.err().contains(f), () -> "missing '" + f + "' in " + r);
    }
  }

  @Test
  void closedPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Result r = run("user", "ls", "--endpoint", "http://127.0.0.1:" + port, "--access-key", "a", "--secret-key", "b");
    assertExit(3, r, "cannot reach http://127.0.0.1:" + port, "connection refused", "--endpoint", "TARN_ENDPOINT");
  }

  @Test
  void unknownHostIsUnreachable() {
    Result r = run("info", "--endpoint", "http://no-such-host.invalid:9000", "--access-key", "a", "--secret-key", "b");
    assertExit(3, r, "unknown host 'no-such-host.invalid'", "--endpoint");
  }

  @Test
  void wrongSecretIsAnAuthenticationFailure() {
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey() + "x", "user", "ls"));
    assertExit(4, r, "authentication failed", "SignatureDoesNotMatch", "tarn admin login");
    assertTrue(fake.requests().isEmpty(), "the fake must have refused the request");
  }

  @Test
  void unknownKeyIsAnAuthenticationFailure() {
    Result r = run(as("TKNOSUCHKEY000000000", "whatever", "user", "ls"));
    assertExit(4, r, "authentication failed", "TKNOSUCHKEY000000000", "InvalidAccessKeyId", "tarn admin login");
  }

  @Test
  void skewedClockIsAnAuthenticationFailure() {
    CliContext late = new CliContext(Map.of(), home, Clock.offset(AdminCli.CLOCK, Duration.ofHours(1)),
        AdminCli.noConsole());
    Result r = run(late, as(ADMIN.accessKeyId(), ADMIN.secretKey(), "whoami"));
    assertExit(4, r, "authentication failed", "clock", "RequestTimeTooSkewed");
  }

  @Test
  void nonAdminKeyIsDenied() {
    Result r = run(as(USER.accessKeyId(), USER.secretKey(), "user", "ls"));
    assertExit(5, r, "permission denied", "admin role required", "needs an admin key");
  }

  @Test
  void missingUserIsNotFound() {
    fake.reply("GET", "/users/ghost", FakeAdminApi.error(404, "NotFound", "no user ghost"));
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "user", "show", "ghost"));
    assertExit(6, r, "no user ghost");
  }

  @Test
  void userOwningBucketsIsAConflict() {
    fake.reply("DELETE", "/users/alice",
        FakeAdminApi.error(409, "Conflict", "user alice still owns 2 bucket(s): logs, photos"));
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "user", "rm", "alice"));
    assertExit(7, r, "user alice still owns 2 bucket(s): logs, photos", "--reassign-to NAME2");
  }

  @Test
  void nonEmptyBucketIsAConflict() {
    fake.reply("DELETE", "/buckets/photos", FakeAdminApi.error(409, "Conflict", "bucket photos is not empty"));
    assertExit(7, run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "bucket", "rm", "photos")), "not empty", "add --force");
  }

  @Test
  void invalidRequestIsOtherError() {
    fake.reply("POST", "/users", FakeAdminApi.error(400, "InvalidRequest", "\"name\" must be 1 to 64 characters"));
    assertExit(1, run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "user", "add", "x".repeat(65))), "\"name\" must be");
  }

  @Test
  void s3XmlErrorIsNotATarnAdminApi() {
    fake.reply("GET", "/users", new Reply(404, "application/xml",
        "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>x</Message></Error>", Map.of()));
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "user", "ls"));
    assertExit(3, r, "does not look like a Tarn admin API", "S3 XML error (HTTP 404, NoSuchBucket)", "--endpoint");
  }

  @Test
  void htmlIsNotATarnAdminApi() {
    fake.reply("GET", "/info", new Reply(200, "text/html", "<html><body>Welcome to nginx</body></html>", Map.of()));
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "info"));
    assertExit(3, r, "does not look like a Tarn admin API", "HTML page (HTTP 200)");
  }

  @Test
  void redirectIsNotFollowed() {
    fake.reply("GET", "/info", new Reply(301, null, "", Map.of("Location", "https://elsewhere.example/")));
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "info"));
    assertExit(3, r, "redirect (HTTP 301) to https://elsewhere.example/");
    assertEquals(1, fake.requests().size());
  }

  @Test
  void jsonWithoutTheErrorShapeIsNotATarnAdminApi() {
    fake.json("GET", "/info", 500, "{\"message\":\"boom\"}");
    assertExit(3, run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "info")), "does not look like a Tarn admin API");
  }

  @Test
  void internalErrorIsOtherErrorWithTheRequestId() {
    fake.reply("GET", "/info", FakeAdminApi.error(500, "InternalError", "disk on fire"));
    assertExit(1, run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "info")), "disk on fire (InternalError)", "REQ1");
  }

  @Test
  void missingCredentialsIsAUsageError() {
    Result r = run("user", "ls", "--endpoint", fake.endpoint());
    assertExit(2, r, "no credentials", "--access-key", "TARN_ACCESS_KEY", "tarn admin login");
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void badEndpointIsAUsageError() {
    assertExit(2, run("info", "--endpoint", "ftp://x", "--access-key", "a", "--secret-key", "b"), "http:// or https://");
    assertExit(2, run("info", "--endpoint", "http://x:9000/path", "--access-key", "a", "--secret-key", "b"),
        "scheme://host[:port]");
  }

  @Test
  void picocliUsageErrorsAreTwo() {
    AdminCli.Result unknownOption = AdminCli.run(AdminCli.context(Map.of(), home), "user", "ls", "--bogus");
    assertEquals(2, unknownOption.exit(), unknownOption::toString);
    AdminCli.Result badRole = AdminCli.run(AdminCli.context(Map.of(), home), "user", "add", "x", "--role", "root");
    assertEquals(2, badRole.exit(), badRole::toString);
    assertTrue(badRole.err().contains("the role must be admin or user"), badRole::toString);
    AdminCli.Result badDuration = AdminCli.run(AdminCli.context(Map.of(), home), "key", "expire", "TK1", "soon");
    assertEquals(2, badDuration.exit(), badDuration::toString);
    AdminCli.Result noCommand = AdminCli.run(AdminCli.context(Map.of(), home), "bucket");
    assertEquals(2, noCommand.exit(), noCommand::toString);
    assertTrue(noCommand.err().contains("Missing command"), noCommand::toString);
  }

  @Test
  void emptyNameIsAUsageErrorNotAnotherResource() {
    Result r = run(as(ADMIN.accessKeyId(), ADMIN.secretKey(), "user", "show", ""));
    assertExit(2, r, "must not be empty");
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void helpDocumentsTheExitCodes() {
    AdminCli.Result help = AdminCli.run(AdminCli.context(Map.of(), home), "key", "create", "--help");
    assertEquals(0, help.exit());
    for (String line : List.of("Exit codes:", "  0   ok", "  3   cannot reach the endpoint", "  4   authentication failed",
        "  5   permission denied", "  6   not found", "  7   conflict")) {
      assertTrue(help.out().contains(line), () -> "missing '" + line + "' in\n" + help.out());
    }
  }
}
