package io.tarn.server.admin;

import static io.tarn.server.admin.FakeAdminApi.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.admin.AdminCli.Result;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each connection setting comes from: flag, then environment, then profile, then default. */
final class AdminClientOptionsTest {
  @TempDir
  Path dir;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private void profileFile(String text) throws Exception {
    Files.createDirectories(dir.resolve("xdg/tarn"));
    Files.writeString(dir.resolve("xdg/tarn/config"), text);
  }

  private ClientConfig resolve(ClientOptions flags, Map<String, String> env) {
    return flags.resolve(new CliContext(env, dir.resolve("home"), AdminCli.CLOCK, AdminCli.noConsole()));
  }

  private static final String PROFILES = """
      # comment
      [default]
      endpoint = http://profile:1000
      access_key = PROFILEKEY
      secret_key = profile-secret
      region = eu-profile-1
      ca_bundle = /profile/ca.pem

      ; another comment
      [staging]
      endpoint = https://staging:443
      access_key = STAGINGKEY
      secret_key = staging = secret with equals
      """;

  @Test
  void flagBeatsEnvBeatsProfile() throws Exception {
    profileFile(PROFILES);
    Map<String, String> env = env("TARN_ENDPOINT", "http://env:2000", "TARN_ACCESS_KEY", "ENVKEY",
        "TARN_SECRET_KEY", "env-secret", "TARN_REGION", "eu-env-1", "TARN_CA_BUNDLE", "/env/ca.pem");
    ClientOptions none = new ClientOptions();
    ClientConfig fromEnv = resolve(none, env);
    assertEquals(new ClientConfig(URI.create("http://env:2000"), "ENVKEY", "env-secret", "eu-env-1",
        Path.of("/env/ca.pem"), "default"), fromEnv);

    ClientOptions flags = new ClientOptions();
    flags.endpoint = "http://flag:3000/";
    flags.accessKey = "FLAGKEY";
    flags.secretKey = "flag-secret";
    flags.region = "eu-flag-1";
    flags.caBundle = Path.of("/flag/ca.pem");
    assertEquals(new ClientConfig(URI.create("http://flag:3000"), "FLAGKEY", "flag-secret", "eu-flag-1",
        Path.of("/flag/ca.pem"), "default"), resolve(flags, env));

    assertEquals(new ClientConfig(URI.create("http://profile:1000"), "PROFILEKEY", "profile-secret", "eu-profile-1",
        Path.of("/profile/ca.pem"), "default"), resolve(none, env()));
  }

  @Test
  void eachSettingFallsBackIndependently() throws Exception {
    profileFile(PROFILES);
    ClientOptions flags = new ClientOptions();
    flags.secretKey = "flag-secret";
    ClientConfig c = resolve(flags, env("TARN_ACCESS_KEY", "ENVKEY", "TARN_ENDPOINT", "  "));
    assertEquals(URI.create("http://profile:1000"), c.endpoint(), "a blank variable counts as unset");
    assertEquals("ENVKEY", c.accessKey());
    assertEquals("flag-secret", c.secretKey());
    assertEquals("eu-profile-1", c.region());
  }

  @Test
  void defaultsWithoutAProfileFile() {
    ClientOptions flags = new ClientOptions();
    flags.accessKey = "K";
    flags.secretKey = "S";
    ClientConfig c = resolve(flags, env());
    assertEquals(URI.create(ClientConfig.DEFAULT_ENDPOINT), c.endpoint());
    assertEquals("us-east-1", c.region());
    assertNull(c.caBundle());
    assertEquals("default", c.profile());
  }

  @Test
  void profileIsChosenByFlagThenEnv() throws Exception {
    profileFile(PROFILES);
    ClientConfig byEnv = resolve(new ClientOptions(), env("TARN_PROFILE", "staging"));
    assertEquals("staging", byEnv.profile());
    assertEquals(URI.create("https://staging:443"), byEnv.endpoint());
    assertEquals("staging = secret with equals", byEnv.secretKey());
    assertEquals("us-east-1", byEnv.region(), "a profile without region gets the default, not another profile's");
    assertNull(byEnv.caBundle());

    ClientOptions flags = new ClientOptions();
    flags.profile = "default";
    assertEquals("PROFILEKEY", resolve(flags, env("TARN_PROFILE", "staging")).accessKey());
  }

  @Test
  void unknownNamedProfileIsAUsageError() throws Exception {
    profileFile(PROFILES);
    ClientOptions flags = new ClientOptions();
    flags.profile = "prod";
    CliException e = assertThrows(CliException.class, () -> resolve(flags, env()));
    assertEquals(Exit.USAGE, e.exit());
    assertTrue(e.getMessage().contains("no profile 'prod'"), e.getMessage());
  }

  @Test
  void malformedProfileFileNamesTheLine() throws Exception {
    profileFile("[default]\nendpoint = http://x\nthis is not a setting\n");
    CliException e = assertThrows(CliException.class, () -> resolve(new ClientOptions(), env()));
    assertEquals(Exit.ERROR, e.exit());
    assertTrue(e.getMessage().endsWith("config:3: expected '[profile]' or 'key = value'"), e.getMessage());
  }

  @Test
  void configDirectoryFollowsXdgThenHome() {
    Path home = dir.resolve("home");
    assertEquals(dir.resolve("xdg/tarn"), new CliContext(env(), home, AdminCli.CLOCK, AdminCli.noConsole()).configDir());
    assertEquals(home.resolve(".config/tarn"),
        new CliContext(Map.of("XDG_CONFIG_HOME", "relative/ignored"), home, AdminCli.CLOCK, AdminCli.noConsole()).configDir());
    String before = System.getProperty(CliContext.CONFIG_DIR_PROPERTY);
    System.setProperty(CliContext.CONFIG_DIR_PROPERTY, dir.resolve("prop").toString());
    try {
      assertEquals(dir.resolve("prop"), new CliContext(env(), home, AdminCli.CLOCK, AdminCli.noConsole()).configDir());
    } finally {
      if (before == null) {
        System.clearProperty(CliContext.CONFIG_DIR_PROPERTY);
      } else {
        System.setProperty(CliContext.CONFIG_DIR_PROPERTY, before);
      }
    }
  }

  @Test
  void secretNeverInToString() {
    ClientConfig c = new ClientConfig(URI.create("http://x"), "KEY", "very-secret", "r", null, "default");
    assertTrue(!c.toString().contains("very-secret") && c.toString().contains("KEY"), c::toString);
  }

  /** End to end: the signature is made with the keys the precedence picked, and the server accepts it. */
  @Test
  void precedenceDecidesWhatTheServerSees() throws Exception {
    try (FakeAdminApi fake = FakeAdminApi.start(AdminCli.CLOCK)) {
      fake.json("GET", "/whoami", 200, "{\"user\":" + AdminCommandsTest.ROOT + ",\"accessKeyId\":\"" + ADMIN.accessKeyId() + "\"}");
      // The profile is wrong in every way; the environment is right.
      profileFile("[default]\nendpoint = http://127.0.0.1:1\naccess_key = NOPE\nsecret_key = nope\nregion = eu-west-9\n");
      Map<String, String> env = env("TARN_ENDPOINT", fake.endpoint(), "TARN_ACCESS_KEY", ADMIN.accessKeyId(),
          "TARN_SECRET_KEY", ADMIN.secretKey(), "TARN_REGION", FakeAdminApi.REGION);
      CliContext ctx = new CliContext(env, dir, AdminCli.CLOCK, AdminCli.noConsole());
      Result fromEnv = AdminCli.run(ctx, "whoami");
      assertEquals(0, fromEnv.exit(), fromEnv::toString);

      // A wrong flag beats the right environment: the server sees the flag's secret.
      Result wrongFlag = AdminCli.run(ctx, "whoami", "--secret-key", "wrong");
      assertEquals(4, wrongFlag.exit(), wrongFlag::toString);

      // The profile's region is used when nothing overrides it: the server rejects the scope.
      Map<String, String> noRegion = new HashMap<>(env);
      noRegion.remove("TARN_REGION");
      Result profileRegion = AdminCli.run(new CliContext(noRegion, dir, AdminCli.CLOCK, AdminCli.noConsole()), "whoami");
      assertEquals(4, profileRegion.exit(), profileRegion::toString);
      assertTrue(profileRegion.err().contains("--region (eu-west-9)"), profileRegion::toString);
      assertEquals(List.of(ADMIN.accessKeyId()), fake.requests().stream().map(FakeAdminApi.Recorded::accessKeyId).toList());
    }
  }
}
