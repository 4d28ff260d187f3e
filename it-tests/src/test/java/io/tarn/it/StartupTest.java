package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, start-up: every failure to start is one line naming the thing, with an exit code per class
 * (docs/ops/startup.md) and no stack trace unless {@code --debug}; generated root credentials are shown
 * until a start succeeds; {@code --data} has a fixed default; the data directory carries its format.
 * Each refused start runs {@code tarn server} as a process of its own and reads its stdout and stderr.
 */
class StartupTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern STACK_FRAME = Pattern.compile("\\bat (io|java|jdk|sun|org|picocli)\\.");

  @TempDir Path home;
  private ServerSocket taken;
  private final List<Path> immutable = new ArrayList<>();
  private final List<TarnServer> servers = new ArrayList<>();

  @BeforeEach
  void takeAPort() throws IOException {
    taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void release() throws Exception {
    taken.close();
    servers.forEach(TarnServer::kill);
    for (Path p : immutable) {
      chattr("-i", p);
    }
  }

  /** {@code 127.0.0.1:P} where something already listens: a start that gets that far exits 3. */
  private String takenAddress() {
    return "127.0.0.1:" + taken.getLocalPort();
  }

  private Cli.Result tarn(Map<String, String> env, String... args) {
    return Cli.tarn(home, env, TIMEOUT, args);
  }

  private Cli.Result tarn(String... args) {
    return tarn(Map.of(), args);
  }

  private TarnServer server(Path data, TarnServer.Credentials root) {
    TarnServer s = new TarnServer("StartupTest", data, TarnServerExtension.targetDir().resolve("it-servers"), root);
    servers.add(s);
    return s;
  }

  /** The exit code, {@code line} as one whole line of stderr, and no Java stack frame anywhere. */
  private static void assertRefused(Cli.Result r, int code, String line) {
    assertEquals(code, r.exitCode(), r.describe());
    assertTrue(r.stderr().lines().anyMatch(l -> l.equals(line)), "expected the line\n" + line + "\n" + r.describe());
    assertNoStackTrace(r);
  }

  private static void assertNoStackTrace(Cli.Result r) {
    String all = r.stdout() + r.stderr();
    assertFalse(STACK_FRAME.matcher(all).find() || all.contains("Exception in thread"), "a stack trace:\n" + r.describe());
  }

  @Test
  void aPortInUseIsNamedWithExitCode3AndDebugAddsTheTrace() {
    Path data = home.resolve("data");

    Cli.Result r = tarn("server", "--data", data.toString(), "--address", takenAddress());

    assertRefused(r, 3, "cannot listen on " + takenAddress() + ": address already in use");

    Cli.Result debug = tarn("server", "--data", data.toString(), "--address", takenAddress(), "--debug");
    assertEquals(3, debug.exitCode(), debug.describe());
    List<String> lines = debug.stderr().lines().toList();
    int at = lines.indexOf("cannot listen on " + takenAddress() + ": address already in use");
    assertTrue(at >= 0, debug.describe());
    assertTrue(lines.subList(at + 1, lines.size()).stream().anyMatch(l -> l.startsWith("\tat ")),
        "the trace follows the line with --debug:\n" + debug.describe());
  }

  @Test
  void aBadOptionValueIsOneLineWithExitCode2() {
    Cli.Result r = tarn("server", "--data", home.resolve("data").toString(), "--address", "127.0.0.1:99999");

    assertRefused(r, 2, "--address port out of range: 99999");
  }

  @Test
  void aDataDirectoryThatIsAFileOrHasNoParentOrCannotBeWrittenIsExitCode4() throws Exception {
    Path file = Files.writeString(home.resolve("afile"), "not a directory");
    assertRefused(tarn("server", "--data", file.toString(), "--address", takenAddress()), 4,
        "data directory " + file + " is not a directory");

    Path orphan = home.resolve("no").resolve("such").resolve("data");
    assertRefused(tarn("server", "--data", orphan.toString(), "--address", takenAddress()), 4,
        "data directory " + orphan + " does not exist, nor does its parent " + orphan.getParent()
            + ": create it first (mkdir -p " + orphan + ") or correct --data / TARN_DATA");
    assertFalse(Files.exists(home.resolve("no")), "no directory tree made for a typo");

    Path locked = Files.createDirectory(home.resolve("readonly"));
    String mode = unwritable(locked);
    Cli.Result r = tarn("server", "--data", locked.toString(), "--address", takenAddress());
    assertRefused(r, 4, "data directory " + locked + ": user " + System.getProperty("user.name")
        + " has no write permission on it (mode " + mode + ", owner " + Files.getOwner(locked).getName() + ")");
  }

  /**
   * Makes {@code dir} unwritable for this user: mode r-x, or for root (whom modes do not stop) the
   * immutable attribute, which even root cannot write through. Returns the mode it then has.
   */
  private String unwritable(Path dir) throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      chattr("+i", dir);
      immutable.add(dir);
    } else {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    }
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
  }

  private static void chattr(String flag, Path p) throws Exception {
    Process chattr = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
    String out = new String(chattr.getInputStream().readAllBytes());
    assertEquals(0, chattr.waitFor(), "chattr " + flag + " " + p + ": " + out);
  }

  @Test
  void aSecondServerOnTheSameDataIsToldThePidOfTheFirstWithExitCode5() throws Exception {
    Path data = home.resolve("data");
    TarnServer first = server(data, TarnServer.Credentials.random());
    first.start();
    String credentials = Files.readString(data.resolve("root-credentials"));

    Cli.Result r = tarn("server", "--data", data.toString(), "--address", "127.0.0.1:0");

    assertRefused(r, 5, "another Tarn is running on this data directory (pid " + first.processHandle().pid() + "): " + data);
    assertEquals(credentials, Files.readString(data.resolve("root-credentials")), "the refused start wrote nothing");
    assertTrue(first.isRunning());
  }

  @Test
  void rocksDbsOwnLockIsNeverShownRaw() throws Exception {
    Path data = home.resolve("data");
    TarnServer first = server(data, TarnServer.Credentials.random());
    first.start();
    first.stop();
    // What an older Tarn or another tool holding the metadata store looks like: RocksDB's lock, not ours.
    try (FileChannel ch = FileChannel.open(data.resolve("meta").resolve("LOCK"), StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      Cli.Result r = tarn("server", "--data", data.toString(), "--address", takenAddress());

      assertRefused(r, 5, data.resolve("meta") + " is open in another process (RocksDB's lock file "
          + data.resolve("meta").resolve("LOCK") + " is held): a Tarn server or `tarn admin` tool is using this"
          + " data directory");
      assertFalse(r.stderr().contains("While lock file"), r.describe());
    }
  }

  @Test
  void aWrongOrMalformedMasterKeyIsExitCode6() throws Exception {
    Path data = home.resolve("data");
    TarnServer first = server(data, TarnServer.Credentials.random());
    first.start();
    first.stop();
    String other = "00".repeat(32); // a well-formed key, not the one master.key holds

    Cli.Result wrong = tarn(Map.of("TARN_MASTER_KEY", other), "server", "--data", data.toString(),
        "--address", takenAddress());
    assertRefused(wrong, 6,
        "the master key does not match the one this data directory was created with (TARN_MASTER_KEY?)");

    Cli.Result malformed = tarn(Map.of("TARN_MASTER_KEY", "not-a-key"), "server", "--data", data.toString(),
        "--address", takenAddress());
    assertRefused(malformed, 6, "TARN_MASTER_KEY must be 32 bytes written as base64 (standard or"
        + " URL-safe) or as 64 hex characters (got 9 characters that are neither)");
  }

  @Test
  void theFormatFileIsWrittenAndANewerFormatIsRefusedUntouchedWithExitCode7() throws Exception {
    Path data = home.resolve("data");
    TarnServer first = server(data, TarnServer.Credentials.random());
    first.start();
    first.stop();
    Properties format = properties(data.resolve("tarn-format"));
    assertEquals("1", format.getProperty("format"));
    assertEquals("acls,usage-counters", format.getProperty("features"));
    assertTrue(format.getProperty("written-by").startsWith("tarn "), format.toString());

    // A data directory from before the file is the version-1 layout: stamped at its next start.
    Files.delete(data.resolve("tarn-format"));
    first.start();
    first.stop();
    assertEquals(format, properties(data.resolve("tarn-format")));

    String newer = "format=99\nfeatures=usage-counters\nwritten-by=tarn 99.0\n";
    Files.writeString(data.resolve("tarn-format"), newer);
    long metaModified = Files.getLastModifiedTime(data.resolve("meta").resolve("CURRENT")).toMillis();
    Cli.Result r = tarn("server", "--data", data.toString(), "--address", takenAddress());
    assertRefused(r, 7, "data directory format 99 is newer than this build supports (1): upgrade Tarn ("
        + data + " was written by tarn 99.0)");
    assertEquals(newer, Files.readString(data.resolve("tarn-format")), "the newer build's file is left as it was");
    assertEquals(metaModified, Files.getLastModifiedTime(data.resolve("meta").resolve("CURRENT")).toMillis());

    Files.writeString(data.resolve("tarn-format"), "format=1\nfeatures=usage-counters,tiering\nwritten-by=tarn 1.9\n");
    assertRefused(tarn("server", "--data", data.toString(), "--address", takenAddress()), 7,
        "data directory " + data + " uses tiering, which this build does not know (written by tarn 1.9): upgrade Tarn");
  }

  private static Properties properties(Path file) throws IOException {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }

  @Test
  void generatedCredentialsAreShownUntilAStartSucceedsThenOnlyWhereTheyAre() throws Exception {
    Path data = home.resolve("data");
    // This start generates the root credentials, then cannot listen.
    Cli.Result failed = tarn("server", "--data", data.toString(), "--address", takenAddress());
    assertEquals(3, failed.exitCode(), failed.describe());
    Properties stored = properties(data.resolve("root-credentials"));
    String secret = stored.getProperty("secretKey");
    assertTrue(secret != null && !secret.isEmpty(), stored.toString());

    TarnServer server = server(data, null);
    server.start();
    server.stop();
    String shown = Files.readString(server.logFile());
    assertTrue(shown.contains("Generated root credentials (kept in " + data.resolve("root-credentials")),
        "the next start that works shows them:\n" + shown);
    assertTrue(shown.contains("  Secret key: " + secret), shown);

    server.start();
    server.stop();
    String later = Files.readString(server.logFile());
    assertFalse(later.contains(secret), "shown once a start succeeded, never again:\n" + later);
    assertTrue(later.contains("Root credentials: in " + data.resolve("root-credentials") + " (access key "
        + stored.getProperty("accessKey") + ")"), later);

    Cli.Result fromEnv = tarn(Map.of("TARN_ROOT_ACCESS_KEY", "ENVKEY1234567890", "TARN_ROOT_SECRET_KEY", "s".repeat(40)),
        "server", "--data", data.toString(), "--address", takenAddress());
    assertTrue(fromEnv.stdout().contains("Root credentials: from TARN_ROOT_ACCESS_KEY and TARN_ROOT_SECRET_KEY"
        + " (access key ENVKEY1234567890); the root user's id is kept in " + data.resolve("root-credentials")),
        fromEnv.describe());
    assertFalse((fromEnv.stdout() + fromEnv.stderr()).contains(secret), fromEnv.describe());
  }

  @Test
  void withoutDataTheDefaultIsTheXdgDataHomeAndAnExistingDataDirectoryHereIsUsed() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("XDG_DATA_HOME", home.resolve("xdg").toString()));
    Path xdgData = home.resolve("xdg").resolve("tarn");

    Cli.Result fresh = tarn(env, "server", "--address", takenAddress());
    assertEquals(3, fresh.exitCode(), fresh.describe());
    assertTrue(fresh.stdout().contains("data directory: " + xdgData + " (the default; choose another with --data or"
        + " TARN_DATA)"), fresh.describe());
    assertTrue(Files.exists(xdgData.resolve("meta").resolve("CURRENT")), "the store is in the XDG data home");

    env.put("XDG_DATA_HOME", "");
    Cli.Result home2 = tarn(env, "server", "--address", takenAddress());
    assertTrue(home2.stdout().contains("data directory: " + home.resolve(".local/share/tarn")), home2.describe());

    // A directory named data that is not Tarn's is left alone...
    Files.createDirectory(home.resolve("data"));
    env.put("XDG_DATA_HOME", home.resolve("xdg").toString());
    Cli.Result notOurs = tarn(env, "server", "--address", takenAddress());
    assertTrue(notOurs.stdout().contains("./data is not a Tarn data directory: not used"), notOurs.describe());
    assertTrue(notOurs.stdout().contains("data directory: " + xdgData), notOurs.describe());

    // ...and one that is (an earlier version's default) is used, and said so.
    Files.delete(home.resolve("data"));
    assertEquals(3, tarn("server", "--data", home.resolve("data").toString(), "--address", takenAddress()).exitCode());
    Cli.Result legacy = tarn(env, "server", "--address", takenAddress());
    assertTrue(legacy.stdout().contains("using ./data (found in the current directory): " + home.resolve("data")),
        legacy.describe());
    assertEquals(3, legacy.exitCode(), legacy.describe());
    assertNoStackTrace(legacy);

    Cli.Result fromEnv = tarn(Map.of("TARN_DATA", home.resolve("envdata").toString()), "server",
        "--address", takenAddress());
    assertEquals(3, fromEnv.exitCode(), fromEnv.describe());
    assertTrue(Files.exists(home.resolve("envdata").resolve("meta").resolve("CURRENT")), fromEnv.describe());
    assertFalse(fromEnv.stdout().contains("data directory: "), "TARN_DATA is a choice, not a default:\n"
        + fromEnv.describe());
  }
}
