package io.tarn.server.admin;

import static io.tarn.server.admin.FakeAdminApi.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.admin.AdminCli.Result;
import io.tarn.server.admin.AdminCli.ScriptedPrompter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarn admin login}: verify with GET /whoami, then save the profile 0600, atomically. */
final class AdminLoginTest {
  @TempDir
  Path dir;
  FakeAdminApi fake;
  Path file;

  @BeforeEach
  void start() throws Exception {
    fake = FakeAdminApi.start(AdminCli.CLOCK);
    fake.json("GET", "/whoami", 200, "{\"user\":" + AdminCommandsTest.ROOT + ",\"accessKeyId\":\"" + ADMIN.accessKeyId() + "\"}");
    file = dir.resolve("xdg/tarn/config");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private CliContext ctx(CliContext.Prompter prompter) {
    return new CliContext(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), dir, AdminCli.CLOCK, prompter);
  }

  @Test
  void loginWithFlagsVerifiesThenWritesAPrivateProfile() throws Exception {
    Result r = AdminCli.run(ctx(AdminCli.noConsole()), AdminCli.with(fake, ADMIN, "login"));
    assertEquals(0, r.exit(), r::toString);
    assertEquals("Logged in to " + fake.endpoint() + " as root (admin).\n", r.out());
    assertTrue(r.err().contains("Saved profile 'default' in " + file), r::toString);
    assertEquals("GET", fake.only().method());
    assertEquals(ApiClient.ADMIN_PREFIX + "/whoami", fake.only().rawPath());

    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(file.getParent()));
    assertFalse(Files.exists(file.resolveSibling("config.tmp")), "no temp file left behind");
    Map<String, String> saved = ProfileFile.read(file).get("default");
    assertEquals(Map.of("endpoint", fake.endpoint(), "access_key", ADMIN.accessKeyId(),
        "secret_key", ADMIN.secretKey(), "region", "us-east-1"), saved);

    // The saved profile is what later commands use, with no flags and no environment.
    Result who = AdminCli.run(ctx(AdminCli.noConsole()), "whoami");
    assertEquals(0, who.exit(), who::toString);
    assertTrue(who.out().contains("User:           root"), who::toString);
  }

  @Test
  void loginKeepsOtherProfilesAndWritesTheNamedOne() throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "[default]\nendpoint = http://old:1\naccess_key = OLD\nsecret_key = old\ncustom = kept\n");
    Result r = AdminCli.run(ctx(AdminCli.noConsole()), AdminCli.with(fake, ADMIN, "login", "--profile", "staging"));
    assertEquals(0, r.exit(), r::toString);
    Map<String, Map<String, String>> profiles = ProfileFile.read(file);
    assertEquals(List.of("default", "staging"), List.copyOf(profiles.keySet()));
    assertEquals("OLD", profiles.get("default").get("access_key"));
    assertEquals("kept", profiles.get("default").get("custom"));
    assertEquals(ADMIN.accessKeyId(), profiles.get("staging").get("access_key"));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
  }

  @Test
  void loginPromptsForMissingValuesOnAConsole() throws Exception {
    ScriptedPrompter console = new ScriptedPrompter(true, List.of(fake.endpoint(), ADMIN.accessKeyId(), ADMIN.secretKey()));
    Result r = AdminCli.run(ctx(console), "login", "--ca-bundle", "relative/ca.pem", "--region", FakeAdminApi.REGION);
    // The CA bundle is only used for https; this endpoint is http, so the login works and the path is saved.
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("Endpoint [" + ClientConfig.DEFAULT_ENDPOINT + "]: ", "Access key id: ", "Secret access key: "),
        console.prompts);
    Map<String, String> saved = ProfileFile.read(file).get("default");
    assertEquals(ADMIN.secretKey(), saved.get("secret_key"));
    assertEquals(Path.of("relative/ca.pem").toAbsolutePath().normalize().toString(), saved.get("ca_bundle"));
  }

  @Test
  void withoutAConsoleMissingKeysFailClearly() {
    Result r = AdminCli.run(ctx(AdminCli.noConsole()), "login", "--endpoint", fake.endpoint());
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("no terminal to prompt on: pass --access-key or set TARN_ACCESS_KEY"), r::toString);
    assertFalse(Files.exists(file));
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void rejectedCredentialsAreNotSaved() {
    Result r = AdminCli.run(ctx(AdminCli.noConsole()), "login", "--endpoint", fake.endpoint(),
        "--access-key", ADMIN.accessKeyId(), "--secret-key", "wrong");
    assertEquals(4, r.exit(), r::toString);
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(file.getParent()), "not even the directory");
  }

  @Test
  void loginJsonPrintsWhoami() {
    Result r = AdminCli.run(ctx(AdminCli.noConsole()), AdminCli.with(fake, ADMIN, "login", "--json"));
    assertEquals(0, r.exit(), r::toString);
    assertEquals(ADMIN.accessKeyId(), AdminCommandsTest.json(r.out()).get("accessKeyId").asText());
  }
}
