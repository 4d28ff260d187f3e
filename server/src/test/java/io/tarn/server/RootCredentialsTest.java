package io.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCredentialsTest {
  @TempDir Path dir;

  @Test
  void generatedCredentialsStayUnshownUntilMarkedShown() throws Exception {
    RootCredentials.Loaded first = RootCredentials.load(dir, null, null);
    assertTrue(first.unshown());
    assertFalse(first.fromEnvironment());

    RootCredentials.Loaded again = RootCredentials.load(dir, null, null); // the first start failed before ready
    assertTrue(again.unshown(), "shown by the next start");
    assertEquals(first.key().secretKey(), again.key().secretKey());

    RootCredentials.markShown(dir);
    RootCredentials.Loaded later = RootCredentials.load(dir, null, null);
    assertFalse(later.unshown(), "never again after a start showed them");
    assertEquals(first.key().secretKey(), later.key().secretKey());
    assertEquals("Root credentials: in " + dir.resolve("root-credentials") + " (access key "
        + first.key().accessKeyId() + ")", later.whereLine());
  }

  @Test
  void anEarlierVersionsFileIsNotShownAgainAndEnvironmentKeysNeverAre() throws Exception {
    Files.writeString(dir.resolve("root-credentials"), "userId=abc\naccessKey=TARNOLD\nsecretKey=s3cr3t\n");
    assertFalse(RootCredentials.load(dir, null, null).unshown(), "an earlier version showed it at its first start");

    Path other = Files.createDirectory(dir.resolve("env"));
    RootCredentials.Loaded env = RootCredentials.load(other, "ENVKEY", "envsecret");
    assertFalse(env.unshown());
    assertTrue(env.fromEnvironment());
    assertTrue(env.whereLine().startsWith("Root credentials: from TARN_ROOT_ACCESS_KEY and TARN_ROOT_SECRET_KEY"
        + " (access key ENVKEY)"), env.whereLine());
  }
}
