package io.tarn.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tarn} launcher script (server/src/main/dist/tarn, built to server/target/tarn): found
 * through symlinks, refuses a missing or old Java in one line, sets JVM flags per command that
 * TARN_JAVA_OPTS overrides, shares a class archive between CLI calls, and becomes the server's JVM.
 */
class LauncherTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  @TempDir static Path home;
  private static Path launcher;

  @BeforeAll
  static void findLauncher() {
    List<String> cmd = TarnServer.launcherCommand("--version");
    launcher = Path.of(cmd.get(0));
    if (!launcher.getFileName().toString().equals("tarn")) {
      throw Cli.missing("the launcher server/target/tarn is not built: run 'mvn verify' (or package first)");
    }
  }

  private static Cli.Result run(Path script, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    Map<String, String> e = new HashMap<>(Map.of("HOME", home.toString(), "XDG_CACHE_HOME",
        home.resolve("cache").toString()));
    e.putAll(TarnServer.launcherEnvironment());
    e.putAll(env);
    return Cli.run(cmd, e, home, TIMEOUT);
  }

  @Test
  void runsThroughAChainOfSymlinksAsInstalledOnPath() throws IOException {
    // /usr/local/bin/tarn -> /opt/tarn/tarn, here with a relative link in between.
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path opt = Files.createDirectories(home.resolve("opt"));
    Files.createSymbolicLink(opt.resolve("tarn"), launcher);
    Files.createSymbolicLink(bin.resolve("tarn"), Path.of("../opt/tarn"));
    Cli.Result version = run(bin.resolve("tarn"), Map.of(), "--version").assertSuccess();
    // The version is the jar manifest's, not "dev".
    assertTrue(version.stdout().matches("tarn \\d+\\.\\d+\\.\\d+.*\\R"), version.describe());
  }

  @Test
  void aMissingJavaIsOneClearLine() {
    Cli.Result noHome = run(launcher, Map.of("JAVA_HOME", home.resolve("no-such-java").toString()), "--version");
    assertEquals(1, noHome.exitCode(), noHome.describe());
    assertTrue(noHome.stderr().startsWith("tarn: JAVA_HOME is '" + home.resolve("no-such-java") + "'"),
        noHome.describe());
    assertEquals(1, noHome.stderr().lines().count(), noHome.describe());

    Cli.Result noPath = run(launcher, Map.of("JAVA_HOME", "", "PATH", home.resolve("empty").toString()), "--version");
    assertEquals(1, noPath.exitCode(), noPath.describe());
    assertTrue(noPath.stderr().startsWith("tarn: no Java found: install a Java 17 or newer"), noPath.describe());
  }

  @Test
  void aJavaOlderThan17IsRefusedBeforeItRuns() throws IOException {
    Path old = Files.createDirectories(home.resolve("jdk-11/bin"));
    Files.writeString(home.resolve("jdk-11/release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"11.0.22\"\n");
    Path java = Files.writeString(old.resolve("java"), "#!/bin/sh\necho old java ran\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Cli.Result r = run(launcher, Map.of("JAVA_HOME", home.resolve("jdk-11").toString()), "admin", "info");
    assertEquals(1, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("is Java 11.0.22; Tarn needs Java 17 or newer"), r.describe());
    assertFalse(r.stdout().contains("old java ran"), r.describe());
  }

  @Test
  void jvmFlagsDependOnTheCommandAndTarnJavaOptsWins() {
    Map<String, String> print = Map.of("TARN_JAVA_OPTS", "-XX:+PrintCommandLineFlags", "TARN_CDS", "off");
    String server = run(launcher, print, "server", "--help").assertSuccess().stdout();
    assertTrue(server.contains("-XX:+ExitOnOutOfMemoryError") && server.contains("-XX:MaxHeapSize=536870912"), server);
    assertFalse(server.contains("TieredStopAtLevel"), server);

    String admin = run(launcher, print, "admin", "--help").assertSuccess().stdout();
    assertTrue(admin.contains("-XX:TieredStopAtLevel=1") && admin.contains("-XX:+UseSerialGC"), admin);
    String fsck = run(launcher, print, "admin", "fsck", "--help").assertSuccess().stdout();
    assertFalse(fsck.contains("TieredStopAtLevel"), "fsck reads every blob: full JIT\n" + fsck);

    String overridden = run(launcher, Map.of("JAVA_OPTS", "-Xmx384m", "TARN_JAVA_OPTS",
        "-XX:+PrintCommandLineFlags -Xmx256m"), "server", "--help").assertSuccess().stdout();
    assertTrue(overridden.contains("-XX:MaxHeapSize=268435456"), overridden);
  }

  @Test
  void cliCallsShareAClassArchiveSilently() throws IOException {
    Path cache = home.resolve("cds-cache");
    Map<String, String> env = Map.of("TARN_CACHE_DIR", cache.toString());
    Cli.Result first = run(launcher, env, "admin", "--help").assertSuccess();
    List<Path> archives;
    try (Stream<Path> files = Files.list(cache)) {
      archives = files.toList();
    }
    assertEquals(1, archives.size(), archives.toString());
    assertTrue(archives.get(0).getFileName().toString().matches("cli-\\d+-\\d+\\.jsa"), archives.toString());

    Cli.Result second = run(launcher, env, "admin", "--help").assertSuccess();
    assertEquals(first.stdout(), second.stdout());
    assertEquals("", first.stderr() + second.stderr(), "no CDS message reaches the user");
    // Tarn's own classes now come from the archive.
    String loads = run(launcher, Map.of("TARN_CACHE_DIR", cache.toString(), "TARN_JAVA_OPTS",
        "-Xlog:class+load=info"), "admin", "--help").assertSuccess().stdout();
    assertTrue(loads.lines().anyMatch(l -> l.contains(" io.tarn.server.") && l.contains("source: shared objects file")),
        loads.lines().filter(l -> l.contains("io.tarn.")).limit(20).toList().toString());

    // A damaged archive is ignored, silently.
    Files.delete(archives.get(0)); // the JVM writes it read-only
    Files.write(archives.get(0), new byte[] {1, 2, 3});
    Cli.Result damaged = run(launcher, env, "admin", "--help").assertSuccess();
    assertEquals(first.stdout(), damaged.stdout());
    assertEquals("", damaged.stderr());
  }

  @Test
  void theServerIsTheLaunchersOwnProcessSoSigtermReachesIt() throws IOException {
    try (TarnServer server = new TarnServer("launcher", home.resolve("data"), Path.of("target/it-servers"),
        TarnServer.Credentials.random()).viaLauncher()) {
      server.start();
      // exec: the process started as the script is the JVM, so a supervisor's SIGTERM is the JVM's.
      String command = server.processHandle().info().command().orElse("");
      assertTrue(command.endsWith("/java"), command);
      assertTrue(server.processHandle().children().findAny().isEmpty(), "no shell left in between");
      server.stop();
      assertFalse(server.isRunning());
    }
  }
}
