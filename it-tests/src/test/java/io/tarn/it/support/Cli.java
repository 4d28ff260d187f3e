package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Finding and running the real S3 command-line clients, with a clean environment and a timeout. */
public final class Cli {
  /** Environment variables that could point a client at the user's own config or credentials. */
  private static final List<String> SCRUBBED_PREFIXES = List.of("AWS_", "BOTO_", "RCLONE_", "S3CMD", "TARN_");

  private Cli() {}

  /**
   * The first executable among {@code candidates}; otherwise a clear message, which fails the test
   * when {@code CI=true} (CI must run every client) and skips it elsewhere.
   */
  public static Path require(String tool, String installHint, Path... candidates) {
    Optional<Path> found = find(candidates);
    if (found.isPresent()) {
      return found.get();
    }
    throw missing(tool + " not found (looked for " + List.of(candidates) + "); install it with: " + installHint);
  }

  /** Fails the test with {@code message} when {@code CI=true}, otherwise skips it. */
  public static AssertionError missing(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + " (CI=true: every client must be present)");
    }
    Assumptions.abort(message);
    return new AssertionError("unreachable");
  }

  public static Optional<Path> find(Path... candidates) {
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code name} looked up on PATH, or empty. */
  public static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Optional<Path> p = find(Path.of(dir, name));
        if (p.isPresent()) {
          return p;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code command} in {@code workDir} with the inherited environment minus anything that
   * configures S3 clients, plus {@code env}; stdin is closed. Fails the test on timeout, killing
   * the process tree.
   */
  public static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
    try {
      Path out = Files.createTempFile("cli-", ".out");
      Path err = Files.createTempFile("cli-", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> SCRUBBED_PREFIXES.stream()
            .anyMatch(p -> k.toUpperCase(Locale.ROOT).startsWith(p)));
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
          fail("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
              + "\nstdout:\n" + clip(read(out)) + "\nstderr:\n" + clip(read(err)));
        }
        return new Result(command, process.exitValue(), read(out), read(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /**
   * Runs {@code tarn ARGS} through the launcher script {@code mvn package} builds
   * ({@link TarnServer#launcherCommand}) in {@code home}, with {@code env} added to an environment
   * whose config, cache and home are {@code home}.
   */
  public static Result tarn(Path home, Map<String, String> env, Duration timeout, String... args) {
    List<String> cmd = TarnServer.launcherCommand(args);
    Map<String, String> e = new HashMap<>(Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(),
        "XDG_CACHE_HOME", home.resolve("cache").toString(), "HOME", home.toString()));
    e.putAll(TarnServer.launcherEnvironment());
    e.putAll(env);
    return run(cmd, e, home, timeout);
  }

  /** Convenience for building argument lists. */
  public static List<String> args(Object... parts) {
    List<String> out = new ArrayList<>();
    for (Object p : parts) {
      out.add(String.valueOf(p));
    }
    return out;
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private static String clip(String s) {
    return s.length() <= 8000 ? s : s.substring(0, 2000) + "\n[...]\n" + s.substring(s.length() - 6000);
  }

  /** Exit code and output of one client call. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Asserts exit code 0. */
    public Result assertSuccess() {
      assertEquals(0, exitCode, () -> "command failed: " + describe());
      return this;
    }

    /** Asserts a non-zero exit code. */
    public Result assertFailure() {
      assertNotEquals(0, exitCode, () -> "command should have failed: " + describe());
      return this;
    }

    /** Non-empty stdout lines, without trailing blanks (some clients pad over progress output). */
    public List<String> lines() {
      return stdout.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    public String describe() {
      return String.join(" ", command) + "\nexit code: " + exitCode + "\nstdout:\n" + clip(stdout) + "\nstderr:\n"
          + clip(stderr);
    }
  }
}
