package io.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void theLimitsDefaultToTheDocumentedValues() {
    ServerCommand c = new ServerCommand();
    new picocli.CommandLine(c).parseArgs("--data", dir.toString());
    assertEquals(256, c.webhookConcurrency);
    assertEquals(64, c.webhookPerHost);
    assertTrue(c.webhookBacklogCap > 0);
  }
}
