package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Boto3;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A few cycles of each crash loop of {@code bench/kill-loop.sh} (issue 11), the same script that runs
 * the long loops by hand, so the suite and the benchmark check one thing one way: a mixed load (PUT 0 B
 * to 8 MiB+1, multipart, overwrites, deletes) with two webhook rules, the server killed with SIGKILL
 * each cycle; afterwards every key holds what its acknowledged operations imply (or the outcome of
 * the one operation in flight at the kill), the listing agrees, and every acknowledged mutation's
 * event reached its rule. The script starts its own servers (it must, to rebuild the data directory
 * between them), from this module's classpath, like {@link TarnServer}.
 */
class CrashLoopsTest {
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) acknowledged operations .*; (\\d+) lost or wrong; "
      + "events: (\\d+) owed, (\\d+) missing, (\\d+) unexpected");

  @Test
  void killLoopUnderMixedLoadLosesNoAcknowledgedWriteOrEvent() throws IOException {
    assertLoopPasses(List.of("3"));
  }

  /**
   * The power-loss loop: the server runs under {@code bench/power-cut-shim.c}, and after each SIGKILL
   * the data directory is rebuilt from what had been forced to disk only (bench/README.md explains the
   * model), then the next cycle starts on it.
   */
  @Test
  void powerLossLoopKeepsEveryAcknowledgedWriteAndEvent() throws IOException {
    Cli.require("gcc", "apt-get install gcc", Path.of("/usr/bin/gcc"));
    String out = assertLoopPasses(List.of("3", "--power-loss"));
    assertTrue(out.matches("(?s).*syncs seen by the shim: .*rocksdb fdatasync \\d+.*tarn fsync \\d+.*"),
        "the shim saw RocksDB's and Tarn's syncs:\n" + out);
  }

  private static String assertLoopPasses(List<String> args) throws IOException {
    Path root = TarnServerExtension.targetDir().getParent().getParent();
    Path work = Files.createDirectories(TarnServerExtension.targetDir().resolve("it-data"));
    Map<String, String> boto3 = Boto3.environment(Boto3.Generation.CURRENT, Files.createTempDirectory(work, "crash-"));
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("bench/kill-loop.sh").toString()));
    cmd.addAll(args);
    Cli.Result r = Cli.run(cmd, Map.of(
        "PYTHON", "/usr/bin/python3", // the python Boto3.environment checked
        "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "TARN_CLASSPATH", System.getProperty("tarn.it.server.classpath", System.getProperty("java.class.path")),
        "TARN_JAVA_OPTS", String.join(" ", TarnServer.JVM_OPTIONS),
        "TARN_IT_CURRENT_BOTO3", boto3.get("PYTHONPATH"),
        "TMPDIR", work.toString(),
        "KILL_MIN", "2", "KILL_MAX", "3.5",
        "EVENTS_WAIT", "60",
        "CLEAN_ON_PASS", "1"), root, Duration.ofMinutes(8));
    String out = r.stdout();
    System.out.println("CrashLoopsTest " + args + ":\n" + out);
    Matcher m = SUMMARY.matcher(out);
    assertTrue(m.find(), "no summary:\n" + r.describe());
    assertTrue(Integer.parseInt(m.group(1)) >= 3, "every cycle acknowledged something:\n" + out);
    assertTrue(r.exitCode() == 0 && out.contains("PASSED"), r.describe());
    return out;
  }
}
