package io.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tarn.s3.http.S3Server;
import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.SpaceLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarn server} refuses webhook limits that cannot work, naming the flag, before touching the data. */
class ServerOptionsTest {
  @TempDir Path dir;

  @Test
  void aWebhookLimitBelowOneIsRefusedWithItsFlag() {
    for (String flag : List.of("--webhook-per-host", "--webhook-concurrency", "--webhook-backlog-cap",
        "--webhook-max-attempts")) {
      Path data = dir.resolve("data");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      int exit;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        exit = Main.commandLine().execute("server", "--data", data.toString(), "--address", "127.0.0.1:0", flag, "0");
      } finally {
        System.setErr(saved);
      }
      String said = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, exit, said);
      assertEquals(flag + " must be at least 1, not 0", said.strip());
      assertFalse(Files.exists(data), "nothing is created");
    }
  }

  @Test
  void aNetworkLimitThatCannotWorkIsRefusedWithItsFlag() {
    Map<List<String>, String> cases = Map.of(
        List.of("--worker-queue", "0"), "--worker-queue must be at least 1, not 0",
        List.of("--max-connections", "many"), "--max-connections must be a number or auto, not 'many'",
        List.of("--max-connections", "0"), "--max-connections must be at least 1 or auto, not 0",
        List.of("--max-connections-per-address", "-1"), "--max-connections-per-address must be 0 or more, not -1",
        List.of("--console-idle-timeout", "0"), "--console-idle-timeout must be longer than 0",
        List.of("--console-session-lifetime", "0"), "--console-session-lifetime must be longer than 0");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      Path data = dir.resolve("data");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      int exit;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        exit = Main.commandLine().execute("server", "--data", data.toString(), "--address", "127.0.0.1:0",
            c.getKey().get(0), c.getKey().get(1));
      } finally {
        System.setErr(saved);
      }
      String said = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, exit, said);
      assertEquals(c.getValue(), said.strip());
      assertFalse(Files.exists(data), "nothing is created");
    }
  }

  @Test
  void theSpaceLimitsDefaultToTheDocumentedValuesAndTheTestCapacityIsHidden() {
    ServerCommand c = new ServerCommand();
    new picocli.CommandLine(c).parseArgs("--data", dir.toString());
    assertEquals(new SpaceLimits(256L << 20, 32L << 20, 0), c.spaceLimits());
    assertEquals(SpaceLimits.DEFAULTS, c.spaceLimits(), "the server's defaults are the store's");
    ServerCommand set = new ServerCommand();
    new picocli.CommandLine(set).parseArgs("--data", dir.toString(), "--min-free-space", "1GiB", "--space-reserve", "0",
        "--test-disk-capacity", "24MiB");
    assertEquals(new SpaceLimits(1L << 30, 0, 24L << 20), set.spaceLimits());
    String help = new picocli.CommandLine(new ServerCommand()).getUsageMessage();
    assertTrue(help.contains("--min-free-space") && help.contains("--space-reserve"), help);
    assertFalse(help.contains("--test-disk-capacity"), "a test hook, not an option to document");
  }

  @Test
  void thePublicAccessBlockIsNoneByDefaultAllOrTheNamedSettings() {
    ServerCommand c = new ServerCommand();
    new picocli.CommandLine(c).parseArgs("--data", dir.toString());
    assertEquals(PublicAccessBlock.NONE, c.publicAccessBlock);
    ServerCommand all = new ServerCommand();
    new picocli.CommandLine(all).parseArgs("--data", dir.toString(), "--public-access-block", "all");
    assertEquals(PublicAccessBlock.ALL, all.publicAccessBlock);
    ServerCommand some = new ServerCommand();
    new picocli.CommandLine(some).parseArgs("--data", dir.toString(), "--public-access-block",
        "BlockPublicPolicy,RestrictPublicBuckets");
    assertEquals(new PublicAccessBlock(false, false, true, true), some.publicAccessBlock);

    Path data = dir.resolve("data");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = Main.commandLine().execute("server", "--data", data.toString(), "--address", "127.0.0.1:0",
          "--public-access-block", "BlockPublicPolicy,Everything");
    } finally {
      System.setErr(saved);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, exit, said);
    assertTrue(said.contains("'Everything' is not a public access block setting"), said);
    assertFalse(Files.exists(data), "nothing is created");
  }

  @Test
  void theNetworkLimitsDefaultToTheDocumentedValues() {
    ServerCommand c = new ServerCommand();
    new picocli.CommandLine(c).parseArgs("--data", dir.toString());
    S3Server.Limits l = c.limits();
    assertEquals(Duration.ofSeconds(30), l.headTimeout());
    assertEquals(Duration.ofSeconds(60), l.idleTimeout());
    assertEquals(Duration.ofSeconds(60), l.writeTimeout());
    assertEquals(1024, l.minUploadRate());
    assertEquals(Duration.ofSeconds(60), l.uploadRateWindow());
    assertEquals(Duration.ofSeconds(10), l.uploadRateGrace());
    assertEquals(512, l.maxConnectionsPerAddress());
    assertEquals(1024, c.workerQueue);
    long fds = ((com.sun.management.UnixOperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
    assertEquals(fds / 4 * 3, l.maxConnections(), "auto: three quarters of the open-file limit");
    new picocli.CommandLine(c).parseArgs("--data", dir.toString(), "--max-connections", "77", "--min-upload-rate", "0");
    assertEquals(77, c.limits().maxConnections());
    assertEquals(0, c.limits().minUploadRate());
  }

  @Test
  void theLimitsDefaultToTheDocumentedValues() {
    ServerCommand c = new ServerCommand();
    new picocli.CommandLine(c).parseArgs("--data", dir.toString());
    assertEquals(256, c.webhookConcurrency);
    assertEquals(64, c.webhookPerHost);
    assertTrue(c.webhookBacklogCap > 0);
  }

  @Test
  void theConsoleSessionTimeoutsDefaultToTheDocumentedValues() {
    ServerCommand c = new ServerCommand();
    new picocli.CommandLine(c).parseArgs("--data", dir.toString());
    assertEquals(Duration.ofMinutes(30), c.consoleIdleTimeout);
    assertEquals(Duration.ofHours(12), c.consoleSessionLifetime);
    new picocli.CommandLine(c).parseArgs("--data", dir.toString(), "--console-idle-timeout", "1h30m",
        "--console-session-lifetime", "90s");
    assertEquals(Duration.ofMinutes(90), c.consoleIdleTimeout);
    assertEquals(Duration.ofSeconds(90), c.consoleSessionLifetime);
  }
}
