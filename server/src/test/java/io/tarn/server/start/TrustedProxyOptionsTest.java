package io.tarn.server.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tarn server --trusted-proxies} / {@code TARN_TRUSTED_PROXIES}: CIDR blocks, or a start refused
 * with exit 2 and one line before anything is created. (What the proxies change: it-tests ops/TrustedProxyTest.)
 */
class TrustedProxyOptionsTest {
  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private Run server(String... extra) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      List<String> args = new ArrayList<>(List.of("server", "--data", dir.resolve("data").toString(),
          "--address", "127.0.0.1:0"));
      args.addAll(List.of(extra));
      exit = Main.commandLine().execute(args.toArray(String[]::new));
    } finally {
      System.setErr(saved);
    }
    return new Run(exit, err.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void aValueThatIsNotABlockIsRefusedWithItsFlagBeforeAnythingIsCreated() {
    String hint = "; give CIDR blocks like 10.0.0.0/8,2001:db8::/32 (check TARN_TRUSTED_PROXIES)";
    Map<String, String> cases = Map.of(
        "10.0.0.0/33", "'10.0.0.0/33' is not an IPv4 or IPv6 address or CIDR block",
        "10.0.0.0/8,proxy.example.com", "'proxy.example.com' is not an IPv4 or IPv6 address or CIDR block",
        "2001:db8::/129", "'2001:db8::/129' is not an IPv4 or IPv6 address or CIDR block",
        "10.0.0.0/8,,192.0.2.1", "has an empty entry in '10.0.0.0/8,,192.0.2.1'",
        "[::1]", "'[::1]' is not an IPv4 or IPv6 address or CIDR block");
    cases.forEach((value, problem) -> {
      Run r = server("--trusted-proxies", value);
      assertEquals(2, r.exit(), r.err());
      assertEquals("--trusted-proxies " + problem + hint, r.err());
      assertFalse(Files.exists(dir.resolve("data")), "nothing is created");
    });
  }

  @Test
  void theOptionIsDocumentedInTheHelpWithItsVariable() {
    String help = Main.commandLine().getSubcommands().get("server").getUsageMessage();
    assertTrue(help.contains("--trusted-proxies=CIDR[,CIDR...]"), help);
    assertTrue(help.contains("TARN_TRUSTED_PROXIES"), help);
  }

  @Test
  void theVariableIsRead() throws Exception {
    // The environment of a process is fixed: a server of its own, on this test's classpath.
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "server", "--data", dir.resolve("data").toString(), "--address", "127.0.0.1:0").redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TARN_"));
    pb.environment().put("TARN_TRUSTED_PROXIES", "10.0.0.0/8,nope");
    Process bad = pb.start();
    String out = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bad.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(2, bad.exitValue(), out);
    assertEquals("--trusted-proxies 'nope' is not an IPv4 or IPv6 address or CIDR block; give CIDR blocks like"
        + " 10.0.0.0/8,2001:db8::/32 (check TARN_TRUSTED_PROXIES)", out.strip());
    assertFalse(Files.exists(dir.resolve("data")), "nothing is created");
  }
}
