package io.tarn.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code tarn admin backup} under a write load (issue 14): threads PUT, overwrite and DELETE with the
 * AWS SDK while the real CLI takes a backup; a second server started with {@code --data} on the backup
 * serves every object acknowledged before the backup began (or a version written while it ran),
 * byte-exact, objects deleted after the backup, the users and the webhook rules. Refusals: a
 * non-admin, a non-empty directory, a directory inside the data directory.
 */
class BackupTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final int THREADS = 4;
  private static final int KEYS_PER_THREAD = 25;
  @TempDir static Path home;
  @TempDir static Path backups;

  /** One acknowledged operation on a key: a PUT of the body with {@code hash} (null: a DELETE). */
  private record Op(String key, String hash, long startNanos, long ackNanos) {}

  @Test
  void aBackupTakenDuringAWriteLoadRestoresEveryAcknowledgedObject() throws Exception {
    S3Client s3 = TARN.s3();
    String bucket = TestData.bucketName("backup");
    s3.createBucket(r -> r.bucket(bucket));
    // Objects that stay until the backup is done, then are deleted: the backup must still have them.
    Map<String, String> stable = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      byte[] body = TestData.bytes(i % 3 == 0 ? 300_000 + i : 1000 + i * 37, 10_000 + i);
      s3.putObject(r -> r.bucket(bucket).key("stable/" + stableName(body)), RequestBody.fromBytes(body));
      stable.put("stable/" + stableName(body), TestData.sha256Hex(body));
    }
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User carol = admin.createUser("carol-" + bucket, "user");
    String hooked = TestData.bucketName("hooked");
    s3.createBucket(r -> r.bucket(hooked));
    String rule = admin.webhooksApi().expect(201, "POST", "/buckets/" + hooked + "/webhooks", Map.of("url",
        "http://127.0.0.1:9/never", "events", List.of("ObjectCreated:*"))).path("id").asText();

    List<List<Op>> ops = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> load = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      List<Op> mine = Collections.synchronizedList(new ArrayList<>());
      ops.add(mine);
      int thread = t;
      load.add(pool.submit(() -> writeLoad(s3, bucket, thread, mine, stop)));
    }
    Thread.sleep(1500); // a store that changes under the backup from its first moment
    Path dir = backups.resolve("first");
    long began = System.nanoTime();
    Cli.Result backup = tarn(root(), "admin", "backup", dir.toString(), "--verify", "full");
    long ended = System.nanoTime();
    Thread.sleep(500);
    stop.set(true);
    for (Future<?> f : load) {
      f.get();
    }
    pool.shutdown();
    backup.assertSuccess();
    assertTrue(backup.stdout().contains("Problems:") && backup.stdout().contains("hard-linked"), backup.stdout());
    // Polled: which phases are seen depends on timing, but the last one (verify) always is.
    assertTrue(backup.stderr().contains("verifying: "), "progress on stderr: " + backup.stderr());
    assertTrue(Files.isRegularFile(dir.resolve("tarn-backup.txt")), "marked complete");
    latencies(ops, began, ended);

    for (String key : stable.keySet()) {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    TarnServer restored = new TarnServer("BackupTest-restored", dir, TarnServerExtension.targetDir().resolve("it-servers"),
        TARN.server().root());
    restored.start();
    try (S3Client from = S3Clients.pathStyle(restored.port(), TARN.credentials(), new ResponseHeaderAudit())) {
      stable.forEach((key, hash) -> assertEquals(hash, read(from, bucket, key), key + " deleted after the backup"));
      int checked = 0;
      for (List<Op> mine : ops) {
        Map<String, List<Op>> byKey = new HashMap<>();
        for (Op op : mine) {
          byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
          Set<String> allowed = allowed(e.getValue(), began, ended);
          String found = read(from, bucket, e.getKey());
          assertTrue(allowed.contains(found == null ? "absent" : found), e.getKey() + ": the backup holds "
              + (found == null ? "nothing" : found) + ", acceptable: " + allowed + " (ops: " + e.getValue() + ")");
          checked++;
        }
      }
      assertTrue(checked >= THREADS * KEYS_PER_THREAD / 2, "keys checked: " + checked);
      try (S3Client asCarol = S3Clients.pathStyle(restored.port(), S3Clients.credentials(carol.accessKey(),
          carol.secretKey()), new ResponseHeaderAudit())) {
        asCarol.listBuckets(); // her key came along
      }
      AdminClient restoredAdmin = new AdminClient(restored.port(), TARN.accessKey(), TARN.secretKey());
      String rules = restoredAdmin.webhooksApi().expect(200, "GET", "/buckets/" + hooked + "/webhooks", null).toString();
      assertTrue(rules.contains(rule), "the webhook rule came along: " + rules);
    } finally {
      restored.stop();
    }
  }

  @Test
  void refusedForANonAdminANonEmptyDirectoryAndOneInsideTheDataDirectory() throws Exception {
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User dave = admin.createUser("dave-" + TestData.bucketName("u"), "user");
    Cli.Result denied = tarn(Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", dave.accessKey(),
        "TARN_SECRET_KEY", dave.secretKey()), "admin", "backup", backups.resolve("by-dave").toString());
    assertEquals(5, denied.exitCode(), denied.describe());
    assertTrue(denied.stderr().contains("admin"), denied.stderr());
    assertFalse(Files.exists(backups.resolve("by-dave")));

    Path full = Files.createDirectories(backups.resolve("full"));
    Files.writeString(full.resolve("something"), "mine");
    Cli.Result notEmpty = tarn(root(), "admin", "backup", full.toString());
    assertEquals(1, notEmpty.exitCode(), notEmpty.describe());
    assertTrue(notEmpty.stderr().contains("is not empty: a backup goes into a new or empty directory"),
        notEmpty.stderr());
    assertEquals(List.of(full.resolve("something")), list(full), "nothing written into it");

    Path inside = TARN.dataDir().resolve("backup");
    Cli.Result insideData = tarn(root(), "admin", "backup", inside.toString());
    assertEquals(1, insideData.exitCode(), insideData.describe());
    assertTrue(insideData.stderr().contains("is inside the data directory"), insideData.stderr());
    assertFalse(Files.exists(inside));

    Cli.Result relative = tarn(root(), "admin", "backup", "relative/dir");
    assertEquals(2, relative.exitCode(), relative.describe());
    assertTrue(relative.stderr().contains("absolute path on the server's machine"), relative.stderr());
  }

  /** PUTs (new bodies each time, some over a 64 KiB block) and DELETEs on this thread's own keys. */
  private static Void writeLoad(S3Client s3, String bucket, int thread, List<Op> ops, AtomicBoolean stop) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long n = 0;
    while (!stop.get()) {
      String key = "load/" + thread + "/" + random.nextInt(KEYS_PER_THREAD);
      long start = System.nanoTime();
      if (random.nextInt(5) == 0) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
        ops.add(new Op(key, null, start, System.nanoTime()));
      } else {
        byte[] body = TestData.bytes(random.nextInt(4) == 0 ? 70_000 + random.nextInt(100_000) : random.nextInt(8000),
            thread * 1_000_000L + n++);
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
        ops.add(new Op(key, TestData.sha256Hex(body), start, System.nanoTime()));
      }
    }
    return null;
  }

  /**
   * What the backup may hold for a key whose operations ran one after another: the state after the
   * last one acknowledged before the backup began, or after any later one that started before the
   * backup ended (it may have committed before the checkpoint).
   */
  private static Set<String> allowed(List<Op> ops, long began, long ended) {
    Set<String> allowed = new TreeSet<>();
    String before = "absent";
    for (Op op : ops) {
      String state = op.hash() == null ? "absent" : op.hash();
      if (op.ackNanos() < began) {
        before = state;
      } else if (op.startNanos() < ended) {
        allowed.add(state);
      }
    }
    allowed.add(before);
    return allowed;
  }

  /** PUT latencies while the backup ran against those before it: printed, and bounded. */
  private static void latencies(List<List<Op>> ops, long began, long ended) {
    List<Long> during = new ArrayList<>();
    List<Long> before = new ArrayList<>();
    for (List<Op> mine : ops) {
      synchronized (mine) {
        for (Op op : mine) {
          long micros = (op.ackNanos() - op.startNanos()) / 1000;
          if (op.startNanos() >= began && op.ackNanos() <= ended) {
            during.add(micros);
          } else if (op.ackNanos() < began) {
            before.add(micros);
          }
        }
      }
    }
    Collections.sort(during);
    Collections.sort(before);
    System.out.println("[BackupTest] operations before the backup: " + summary(before) + "; while it ran: "
        + summary(during));
    assertTrue(during.size() > 10, "the server kept serving while the backup ran: " + during.size() + " operations");
    assertTrue(during.get(during.size() - 1) < 10_000_000, "no operation waited 10 s: " + summary(during));
  }

  private static String summary(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return "none";
    }
    return sorted.size() + " ops, p50 " + sorted.get(sorted.size() / 2) / 1000 + " ms, p99 "
        + sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)) / 1000 + " ms, max "
        + sorted.get(sorted.size() - 1) / 1000 + " ms";
  }

  private static String read(S3Client s3, String bucket, String key) {
    try {
      return TestData.sha256Hex(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  private static String stableName(byte[] body) {
    return TestData.sha256Hex(body).substring(0, 12);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static Map<String, String> root() {
    return Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey());
  }

  private static Cli.Result tarn(Map<String, String> env, String... args) {
    return Cli.tarn(home, env, TIMEOUT, args);
  }
}
