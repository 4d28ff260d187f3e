package io.tarn.server.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tarn server --public-url} / {@code TARN_PUBLIC_URL}: an origin or a start refused with exit 2
 * and one line before anything is created; when set, the ready line names the console at it.
 */
class PublicUrlOptionsTest {
  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private Run server(String... extra) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      List<String> args = new java.util.ArrayList<>(List.of("server", "--data", dir.resolve("data").toString(),
          "--address", "127.0.0.1:0"));
      args.addAll(List.of(extra));
      exit = Main.commandLine().execute(args.toArray(String[]::new));
    } finally {
      System.setErr(saved);
    }
    return new Run(exit, err.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void aValueThatIsNotAnOriginIsRefusedWithItsFlagBeforeAnythingIsCreated() {
    Map<String, String> cases = Map.of(
        "https://s3.example.com/tarn", "'https://s3.example.com/tarn' has a path (/tarn): Tarn is served at the root of"
            + " its URL",
        "s3.example.com", "'s3.example.com' is not an absolute URL like https://s3.example.com",
        "ftp://s3.example.com", "'ftp://s3.example.com' must start with http:// or https://",
        "https://s3.example.com/?a=b", "'https://s3.example.com/?a=b' must not have a query (?a=b)",
        "https://u@s3.example.com", "'https://u@s3.example.com' must not carry user info (user@)",
        "https://s3.example.com:99999", "'https://s3.example.com:99999' has a port out of range 1-65535");
    cases.forEach((value, problem) -> {
      Run r = server("--public-url", value);
      assertEquals(2, r.exit(), r.err());
      assertEquals("--public-url " + problem + "; give http(s)://HOST[:PORT] (check TARN_PUBLIC_URL)", r.err());
      assertFalse(Files.exists(dir.resolve("data")), "nothing is created");
    });
  }

  @Test
  void theOptionIsDocumentedInTheHelpWithItsVariable() {
    String help = Main.commandLine().getSubcommands().get("server").getUsageMessage();
    assertTrue(help.contains("--public-url=URL"), help);
    assertTrue(help.contains("TARN_PUBLIC_URL"), help);
  }

  @Test
  void theVariableIsReadAndTheReadyLineNamesTheConsoleAtThePublicUrl() throws Exception {
    // The environment of a process is fixed: a server of its own, on this test's classpath.
    Process bad = start(Map.of("TARN_PUBLIC_URL", "https://s3.example.com/tarn"));
    String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bad.waitFor(60, TimeUnit.SECONDS), badOut);
    assertEquals(2, bad.exitValue(), badOut);
    assertTrue(badOut.contains("--public-url 'https://s3.example.com/tarn' has a path"), badOut);
    assertFalse(Files.exists(dir.resolve("data")), "nothing is created");

    Process good = start(Map.of("TARN_PUBLIC_URL", "HTTPS://S3.example.com:443/"));
    try (BufferedReader out = new BufferedReader(new InputStreamReader(good.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      String ready = null;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
        if (line.startsWith("Tarn ready: ")) {
          ready = line;
          break;
        }
      }
      assertTrue(ready != null, seen.toString());
      assertTrue(ready.matches("Tarn ready: S3 API on http://127\\.0\\.0\\.1:\\d+ \\(region us-east-1, data .*, public"
          + " URL https://s3\\.example\\.com\\), console: https://s3\\.example\\.com/_tarn/console/"), ready);
      assertTrue(seen.toString().contains(" aws --endpoint-url https://s3.example.com --region us-east-1 s3 ls"),
          seen.toString());
    } finally {
      good.destroy(); // SIGTERM: the graceful stop
      if (!good.waitFor(60, TimeUnit.SECONDS)) {
        good.destroyForcibly().waitFor();
      }
    }
  }

  private Process start(Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "server", "--data", dir.resolve("data").toString(), "--address", "127.0.0.1:0").redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TARN_"));
    pb.environment().putAll(env);
    return pb.start();
  }
}
