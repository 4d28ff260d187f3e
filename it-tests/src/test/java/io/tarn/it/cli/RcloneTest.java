package io.tarn.it.cli;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** rclone with an S3 remote defined only through RCLONE_CONFIG_TARN_* variables and an empty config file. */
class RcloneTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void copyCheckDeleteAndPurgeATree(@TempDir Path work) throws IOException {
    Path rclone = Cli.require("rclone", "apt-get install rclone", Path.of("/usr/bin/rclone"));
    Map<String, String> env = Map.of(
        "HOME", work.toString(),
        "RCLONE_CONFIG", Files.createFile(work.resolve("rclone.conf")).toString(),
        "RCLONE_CONFIG_TARN_TYPE", "s3",
        "RCLONE_CONFIG_TARN_PROVIDER", "Other",
        "RCLONE_CONFIG_TARN_ACCESS_KEY_ID", TARN.accessKey(),
        "RCLONE_CONFIG_TARN_SECRET_ACCESS_KEY", TARN.secretKey(),
        "RCLONE_CONFIG_TARN_ENDPOINT", TARN.endpoint().toString(),
        "RCLONE_CONFIG_TARN_REGION", "us-east-1",
        "RCLONE_CONFIG_TARN_FORCE_PATH_STYLE", "true");
    String bucket = bucketName("rclone");
    String remote = "tarn:" + bucket;

    Path src = work.resolve("src");
    Files.createDirectories(src.resolve("docs/nested"));
    Files.writeString(src.resolve("readme.txt"), "read me");
    Files.writeString(src.resolve("docs/a b.txt"), "spaces in the name");
    Files.writeString(src.resolve("docs/nested/\u00fcml\u00e4ut.txt"), "unicode");
    Files.write(src.resolve("docs/nested/blob.bin"), TestData.bytes(300_000, 8));
    // Over the 5 MiB cutoff set below: a multipart upload.
    TestData.writeFile(src.resolve("large.bin"), 12L * MIB + 7, 9);

    rclone(rclone, env, work, "mkdir", remote).assertSuccess();
    assertTrue(rclone(rclone, env, work, "lsd", "tarn:").assertSuccess().lines().stream()
        .anyMatch(l -> l.endsWith(" " + bucket)));
    rclone(rclone, env, work, "copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", "src", remote + "/tree")
        .assertSuccess();

    assertEquals(sizes(src), parseLs(rclone(rclone, env, work, "ls", remote + "/tree").assertSuccess().lines()));
    Cli.Result check = rclone(rclone, env, work, "check", "src", remote + "/tree").assertSuccess();
    assertTrue(check.stderr().contains("0 differences found"), check::describe);

    rclone(rclone, env, work, "copy", remote + "/tree", "back").assertSuccess();
    assertEquals(AwsCliTest.tree(src), AwsCliTest.tree(work.resolve("back")));

    rclone(rclone, env, work, "delete", remote + "/tree/docs/a b.txt").assertSuccess();
    Map<String, Long> remaining = sizes(src);
    remaining.remove("docs/a b.txt");
    assertEquals(remaining, parseLs(rclone(rclone, env, work, "ls", remote + "/tree").assertSuccess().lines()));
    Cli.Result differs = rclone(rclone, env, work, "check", "src", remote + "/tree").assertFailure();
    assertTrue(differs.stderr().contains("1 differences found"), differs::describe);

    rclone(rclone, env, work, "purge", remote).assertSuccess();
    assertTrue(rclone(rclone, env, work, "lsd", "tarn:").assertSuccess().lines().stream()
        .noneMatch(l -> l.endsWith(" " + bucket)));
  }

  /** Relative path -> size of every file under {@code root}. */
  private static Map<String, Long> sizes(Path root) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (var files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p).toString(), Files.size(p));
      }
    }
    return out;
  }

  /** Parses {@code rclone ls} lines: right-aligned size, a space, the path. */
  private static Map<String, Long> parseLs(List<String> lines) {
    Map<String, Long> out = new TreeMap<>();
    for (String line : lines) {
      String trimmed = line.stripLeading();
      int space = trimmed.indexOf(' ');
      out.put(trimmed.substring(space + 1), Long.parseLong(trimmed.substring(0, space)));
    }
    return out;
  }

  private static Cli.Result rclone(Path rclone, Map<String, String> env, Path work, String... args) {
    List<String> command = new ArrayList<>(List.of(rclone.toString(), "--retries", "1", "--low-level-retries", "1"));
    command.addAll(List.of(args));
    return Cli.run(command, env, work, TIMEOUT);
  }
}
