package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Nothing is deleted on inference (issue 11): a start on a lost {@code meta/} or a corrupt metadata WAL
 * is refused with one line saying what to do, and no blob file is deleted; {@code --accept-wal-loss}
 * serves what survived and quarantines the blobs of the writes lost; an ordinary kill -9 still restarts.
 */
class SafeStartTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  /** Above the 128 KiB inline threshold: these bodies are blob files. */
  private static final int BLOB_SIZE = 200 * 1024;

  /** Each test stops and starts the class's server: one that failed half-way may have left it stopped. */
  @BeforeEach
  void serverRuns() {
    if (!TARN.server().isRunning()) {
      TARN.start();
    }
  }

  @Test
  void aDeletedMetaDirectoryIsRefusedAndEveryBlobFileKept() throws Exception {
    String bucket = bucketName("lostmeta");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Map<String, byte[]> objects = new TreeMap<>();
    for (int i = 0; i < 4; i++) {
      byte[] body = TestData.bytes(BLOB_SIZE + i * 100_000, 100 + i);
      put(bucket, "big/" + i, body);
      objects.put("big/" + i, body);
    }
    put(bucket, "small", TestData.bytes(10, 9)); // inline: lives in meta/ only
    TARN.stop();
    Path data = TARN.dataDir();
    Map<String, String> blobs = digests(data.resolve("blobs"));
    Map<String, String> quarantined = digests(data.resolve("quarantine")); // other tests' (one server per class)
    assertTrue(blobs.size() >= 4, "the big objects are blob files: " + blobs.keySet());
    Path backup = Files.createTempDirectory(TarnServerExtension.targetDir(), "meta-backup-");
    Files.move(data.resolve("meta"), backup.resolve("meta"));

    TarnServerExtension.Refusal refusal = TARN.startExpectingRefusal();

    assertEquals(7, refusal.exitCode(), refusal.output()); // a store refused as it is (docs/ops/startup.md)
    assertTrue(refusal.output().contains("meta/ is missing or empty but blobs/ holds " + blobs.size() + " blob files"),
        refusal.output());
    assertTrue(refusal.output().contains("`tarn admin rebuild-index --data " + data + "`"), refusal.output());
    assertNoStackTrace(refusal.output());
    assertEquals(blobs, digests(data.resolve("blobs")), "every blob file is still there, byte for byte");
    assertEquals(quarantined, digests(data.resolve("quarantine")), "nothing quarantined either");

    assertFalse(Files.exists(data.resolve("meta")), "no empty database created in its place");

    // The first way out the message names: restore meta/ from a backup. Everything is back.
    Files.move(backup.resolve("meta"), data.resolve("meta"));
    TARN.start();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      assertArrayEquals(e.getValue(), TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(e.getKey())).asByteArray());
    }
  }

  @Test
  void aCorruptWalAfterKillIsRefusedAndAcceptedLossQuarantinesTheLostWritesBlobs() throws Exception {
    String bucket = bucketName("walrot");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    TARN.stop(); // the bucket reaches an SST file at the next start: the damage below spares it
    TARN.start();
    int n = 12;
    for (int i = 0; i < n; i++) {
      put(bucket, "k" + i, TestData.bytes(BLOB_SIZE + i, 200 + i));
    }
    TARN.kill();
    Path data = TARN.dataDir();
    Path wal = lastWal(data);
    byte[] log = Files.readAllBytes(wal);
    for (int i = 0; i < 8; i++) {
      log[log.length / 2 + i] ^= (byte) 0x5A;
    }
    Files.write(wal, log);
    Map<String, String> blobs = digests(data.resolve("blobs"));

    TarnServerExtension.Refusal refusal = TARN.startExpectingRefusal();

    assertEquals(7, refusal.exitCode(), refusal.output());
    assertTrue(refusal.output().contains("has a corrupt write-ahead log record"), refusal.output());
    assertTrue(refusal.output().contains("`tarn server --accept-wal-loss`"), refusal.output());
    assertNoStackTrace(refusal.output());
    assertEquals(blobs, digests(data.resolve("blobs")), "no blob file deleted or moved");

    TARN.start("--accept-wal-loss");

    int kept = 0;
    for (int i = 0; i < n; i++) {
      String key = "k" + i;
      try {
        byte[] got = TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        assertArrayEquals(TestData.bytes(BLOB_SIZE + i, 200 + i), got, key);
        kept++;
      } catch (NoSuchKeyException lost) {
        // among the writes after the damage
      }
    }
    assertTrue(kept < n, "the damage dropped acknowledged writes");
    Map<String, String> quarantined = digests(data.resolve("quarantine"));
    assertEquals(n - kept, quarantined.size(), "one quarantined blob per lost object: " + quarantined.keySet());
    Map<String, String> everywhere = new TreeMap<>(digests(data.resolve("blobs")));
    everywhere.putAll(quarantined);
    assertEquals(blobs, everywhere, "every blob file is in blobs/ or quarantine/, none deleted");
    assertTrue(Files.readString(TARN.server().logFile()).contains("quarantined " + (n - kept) + " blob files"));
  }

  @Test
  void aKillDuringWritesStillRestartsAlsoWithATornLastWalRecord() throws Exception {
    String bucket = bucketName("torn");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    for (int cycle = 0; cycle < 2; cycle++) {
      Map<String, byte[]> acknowledged = writeUntilKilled(bucket, "c" + cycle + "/");
      if (cycle == 1) {
        // What a kill in the middle of writing a record leaves (here made certain): the log ends
        // inside a record whose write never completed, so never acknowledged.
        appendTornRecord(lastWal(TARN.dataDir()));
      }
      TARN.start(); // fails the test if the server refuses
      for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
        assertArrayEquals(e.getValue(), TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(e.getKey())).asByteArray(),
            e.getKey());
      }
    }
  }

  /** Four writers PUT small and blob-sized objects until the server is killed 1.5 s in. */
  private static Map<String, byte[]> writeUntilKilled(String bucket, String prefix) throws Exception {
    Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        writers.add(pool.submit(() -> {
          for (int i = 0; !stop.get(); i++) {
            String key = prefix + thread + "/" + i;
            byte[] body = TestData.bytes(i % 2 == 0 ? 1000 : BLOB_SIZE, thread * 100_000L + i);
            try {
              TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
            } catch (RuntimeException killed) {
              return null; // the server went away mid-request: not acknowledged
            }
            acknowledged.put(key, body);
          }
          return null;
        }));
      }
      Thread.sleep(1500);
      TARN.server().kill();
      stop.set(true);
      for (Future<?> f : writers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    TARN.kill(); // closes the clients; the server is already gone
    return acknowledged;
  }

  /**
   * Appends the first half of a record that claims more bytes than follow: RocksDB's log format
   * (32 KiB blocks; a 7-byte header: masked CRC32C, little-endian 16-bit length, type 1 = full
   * record) read to its end finds a record cut short, as after a write() that never completed.
   */
  private static void appendTornRecord(Path wal) throws IOException {
    int block = 32 * 1024;
    long size = Files.size(wal);
    int left = (int) (block - size % block);
    ByteBuffer tail = ByteBuffer.allocate(block + 64).order(ByteOrder.LITTLE_ENDIAN);
    if (left < 7 + 40) {
      tail.put(new byte[left]); // the writer pads a block's last bytes with zeros
      left = block;
    }
    int length = Math.min(200, left - 7);
    tail.putInt(0x12345678).putShort((short) length).put((byte) 1);
    tail.put(TestData.bytes(length / 2, 5));
    byte[] bytes = java.util.Arrays.copyOf(tail.array(), tail.position());
    Files.write(wal, bytes, java.nio.file.StandardOpenOption.APPEND);
  }

  private static void put(String bucket, String key, byte[] body) {
    TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
  }

  private static void assertNoStackTrace(String output) {
    assertFalse(output.contains("\tat ") || output.contains("Exception in thread"), "a stack trace:\n" + output);
  }

  /** The live write-ahead log of {@code meta/}: the highest-numbered {@code *.log}. */
  private static Path lastWal(Path data) throws IOException {
    try (Stream<Path> files = Files.list(data.resolve("meta"))) {
      return files.filter(p -> p.getFileName().toString().matches("\\d+\\.log")).max(Path::compareTo).orElseThrow();
    }
  }

  /** File name to SHA-256 of its bytes, for every regular file under {@code root} (none if it does not exist). */
  private static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).forEach(p -> out.put(p.getFileName().toString(), TestData.sha256Hex(p)));
    }
    return out;
  }
}
