package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Counter;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.BucketUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-bucket object and byte counters (issues 12 and 14): {@code stats} reads them, and they always
 * equal what a scan of the bucket's records counts, whatever the writes, their concurrency, a restart,
 * a crash, an index of an earlier build or a rebuilt one; fsck finds a wrong one and repairs it.
 */
class BucketUsageTest extends StoreTestSupport {
  private static final List<String> BUCKETS = List.of("one", "two");

  @TempDir Path crashes;

  private BucketStats stats(String bucket) {
    return store.identity().stats(bucket);
  }

  /** What a scan of the records counts, by bucket (the definition the counters keep). */
  private Map<String, BucketStats> scanned() {
    return BucketUsage.countRecords(store.meta());
  }

  /** What a client sees: the listing's objects and sizes. */
  private BucketStats listed(String bucket) {
    long n = 0;
    long bytes = 0;
    String after = null;
    while (true) {
      ListPage page = store.list(bucket, "", null, after, 1000);
      for (ObjectInfo o : page.objects()) {
        n++;
        bytes += o.size();
        after = o.key();
      }
      if (page.objects().size() < 1000) {
        return new BucketStats(bucket, n, bytes);
      }
    }
  }

  private void assertCountersMatchTheRecords() {
    Map<String, BucketStats> scanned = scanned();
    for (String b : BUCKETS) {
      BucketStats want = scanned.getOrDefault(b, new BucketStats(b, 0, 0));
      assertEquals(want, stats(b), "counters of " + b);
      assertEquals(listed(b), stats(b), "listing of " + b);
    }
  }

  /** One random mutation of a few shared keys: put (inline or file, overwrite), delete, copy, multipart. */
  private void randomMutation(Random r) {
    String bucket = BUCKETS.get(r.nextInt(BUCKETS.size()));
    String key = "k" + r.nextInt(5);
    try {
      switch (r.nextInt(6)) {
        case 0, 1 -> put(bucket, key, bytes(r.nextBoolean() ? r.nextInt(THRESHOLD) : THRESHOLD + r.nextInt(4000),
            r.nextLong()));
        case 2 -> store.delete(bucket, key, CTX);
        case 3 -> store.copy(BUCKETS.get(r.nextInt(BUCKETS.size())), "k" + r.nextInt(5), bucket, key, i -> {}, null,
            null, WriteCondition.NONE, CTX);
        case 4 -> {
          UploadInfo u = store.createUpload(bucket, key, ObjectMetadata.of(null, Map.of()), null, CTX);
          List<CompletedPart> parts = new ArrayList<>();
          for (int n = 1; n <= 2; n++) {
            try (BlobUpload b = body(bytes(100 + r.nextInt(3000), r.nextLong()), -1)) {
              parts.add(new CompletedPart(n, store.putPart(bucket, key, u.uploadId(), n, b, null).etag(), null));
            }
          }
          store.completeUpload(bucket, key, u.uploadId(), parts, 0, WriteCondition.NONE, CTX);
        }
        default -> put(bucket, key, bytes(r.nextInt(50), r.nextLong()), new WriteCondition(null, true));
      }
    } catch (StorageException e) {
      // A copy from a key deleted meanwhile, or If-None-Match on a key that exists: nothing committed.
      assertTrue(e.kind() == StorageException.Kind.NO_SUCH_KEY || e.kind() == StorageException.Kind.PRECONDITION_FAILED,
          e.toString());
    }
  }

  private void runConcurrently(int threads, int opsEach, long seed) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random r = new Random(seed + t);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < opsEach; i++) {
            randomMutation(r);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void statsAreTheCountersNotAScan() {
    store.createBucket("one", "r", OWNER);
    put("one", "a", bytes(10, 1));
    assertEquals(new BucketStats("one", 1, 10), stats("one"));
    // Add to the counters behind the records' back: stats shows it, so it read them and did not scan.
    try (MetaStore.Batch b = store.meta().batch()) {
      b.add(ColumnFamily.USAGE, BucketUsage.objectsKey("one"), 5);
      store.meta().commit(b, "test");
    }
    assertEquals(new BucketStats("one", 6, 10), stats("one"));
  }

  @Test
  void anOverwriteChangesOnlyTheBytesAndADeleteSubtracts() {
    store.createBucket("one", "r", OWNER);
    store.createBucket("two", "r", OWNER);
    put("one", "k", bytes(10, 1));
    put("one", "big", bytes(5000, 2));
    assertEquals(new BucketStats("one", 2, 5010), stats("one"));
    put("one", "k", bytes(7, 3)); // -3 bytes, 0 objects
    assertEquals(new BucketStats("one", 2, 5007), stats("one"));
    put("one", "big", bytes(0, 4)); // a file body replaced by an empty inline one
    assertEquals(new BucketStats("one", 2, 7), stats("one"));
    store.copy("one", "k", "two", "c", i -> {}, null, null, WriteCondition.NONE, CTX);
    assertEquals(new BucketStats("two", 1, 7), stats("two"));
    store.delete("one", "k", CTX);
    store.delete("one", "big", CTX);
    assertFalse(store.delete("one", "big", CTX), "a delete of nothing changes nothing");
    assertEquals(new BucketStats("one", 0, 0), stats("one"));
    assertEquals(new BucketStats("two", 1, 7), stats("two"));
    assertCountersMatchTheRecords();
  }

  @Test
  void countersEqualTheScanAfterRandomConcurrentMixedOperationsAndAfterReopen() throws Exception {
    for (String b : BUCKETS) {
      store.createBucket(b, "r", OWNER);
    }
    runConcurrently(4, 60, 1000);
    assertCountersMatchTheRecords();
    assertTrue(scanned().values().stream().mapToLong(BucketStats::objects).sum() > 0, "something is left");
    reopen();
    assertCountersMatchTheRecords();
    store.close();
    FsckReport fsck = IndexRepair.fsck(dir);
    store = open();
    assertTrue(fsck.findings().stream().noneMatch(f -> f.kind() == FsckReport.Kind.USAGE_MISMATCH), fsck.toString());
  }

  @Test
  void aCrashImageTakenWhileWritersRunHasCountersEqualToItsRecords() throws Exception {
    for (String b : BUCKETS) {
      store.createBucket(b, "r", OWNER);
    }
    runConcurrently(2, 20, 7); // some content first
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    Path image = crashes.resolve("data");
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Random r = new Random(50 + t);
        writers.add(pool.submit(() -> {
          while (!stop.get()) {
            randomMutation(r);
          }
          return null;
        }));
      }
      Thread.sleep(200);
      copyWhileRunning(dir, image); // what a kill -9 leaves: the WAL as far as the OS has it, maybe torn
      stop.set(true);
      for (Future<?> f : writers) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    store.close();
    store = TarnStore.open(new StorageOptions(image, THRESHOLD, false), sink, clock);
    assertCountersMatchTheRecords();
  }

  @Test
  void anIndexOfAnEarlierBuildIsCountedOnceAtOpenAndFsckRepairsATamperedCounter() {
    store.createBucket("one", "r", OWNER);
    store.createBucket("two", "r", OWNER);
    put("one", "a", bytes(10, 1));
    put("one", "b", bytes(5000, 2));
    put("two", "c", bytes(3, 3));
    store.close();
    store = null;
    // What an earlier build's meta/ is: no counters and no marker (the column family is created empty).
    try (MetaStore meta = MetaStore.open(dir.resolve("meta"), false); MetaStore.Batch b = meta.batch()) {
      meta.scan(ColumnFamily.USAGE, new byte[0], (k, v) -> b.delete(ColumnFamily.USAGE, k));
      b.delete(ColumnFamily.SYS, "usage.format".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      meta.commit(b, "test: as an earlier build");
      assertEquals(new BucketStats("one", 0, 0), new io.tarn.storage.objects.ObjectTables(meta).stats("one"));
    }
    FsckReport beforeCount = IndexRepair.fsck(dir);
    assertTrue(beforeCount.clean(), "no counters yet is not a finding: the next start counts " + beforeCount);

    store = open();
    assertEquals(new BucketStats("one", 2, 5010), stats("one"));
    assertEquals(new BucketStats("two", 1, 3), stats("two"));

    // Counted once: a counter made wrong now stays wrong across a restart (no recount at every open)...
    try (MetaStore.Batch b = store.meta().batch()) {
      b.put(ColumnFamily.USAGE, BucketUsage.bytesKey("one"), Counter.encode(1));
      b.put(ColumnFamily.USAGE, BucketUsage.objectsKey("gone"), Counter.encode(4)); // of no bucket
      store.meta().commit(b, "test: tamper");
    }
    reopen();
    assertEquals(new BucketStats("one", 2, 1), stats("one"));
    store.close();
    store = null;

    // ...and fsck finds it, and --repair sets it from the records.
    FsckReport found = IndexRepair.fsck(dir);
    assertEquals(List.of(FsckReport.Kind.USAGE_MISMATCH, FsckReport.Kind.USAGE_MISMATCH),
        found.findings().stream().map(FsckReport.Finding::kind).toList(), found.toString());
    assertTrue(found.findings().get(1).detail().startsWith("bucket one: its counters say 2 objects, 1 bytes, its"
        + " records 2 objects, 5010 bytes"), found.toString());
    FsckReport repaired = IndexRepair.fsck(dir, true);
    assertEquals(2, repaired.findings().size());
    assertTrue(repaired.findings().get(0).detail().endsWith("(repaired: counters set from the records)"));
    assertTrue(IndexRepair.fsck(dir).clean());
    store = open();
    assertEquals(new BucketStats("one", 2, 5010), stats("one"));
  }

  @Test
  void aCorruptCounterIsAnErrorAndAFindingNeverASilentZero() {
    store.createBucket("one", "r", OWNER);
    put("one", "a", bytes(10, 1));
    try (MetaStore.Batch b = store.meta().batch()) {
      b.put(ColumnFamily.USAGE, BucketUsage.objectsKey("one"), new byte[] {1, 2, 3});
      store.meta().commit(b, "test: damage");
    }
    StorageException e = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class, () -> stats("one"));
    assertEquals(StorageException.Kind.IO, e.kind());
    store.close();
    FsckReport r = IndexRepair.fsck(dir);
    store = open();
    assertEquals(1, r.findings().size(), r.toString());
    assertEquals(FsckReport.Kind.USAGE_MISMATCH, r.findings().get(0).kind());
  }

  @Test
  void aDeletedBucketTakesItsCountersAndARebuiltIndexIsCounted() {
    store.createBucket("one", "r", OWNER);
    put("one", "a", bytes(10, 1));
    store.delete("one", "a", CTX);
    store.deleteBucket("one");
    store.meta().scan(ColumnFamily.USAGE, new byte[0], (k, v) -> org.junit.jupiter.api.Assertions.fail(
        "counter left: " + new String(k, java.nio.charset.StandardCharsets.UTF_8)));
    store.createBucket("one", "r", OWNER);
    assertEquals(new BucketStats("one", 0, 0), stats("one"));

    store.createBucket("two", "r", OWNER);
    put("one", "a", bytes(5000, 2));
    put("one", "b", bytes(6000, 3));
    put("two", "c", bytes(7000, 4));
    put("two", "c", bytes(7001, 5));
    store.close();
    RebuildReport rebuilt = IndexRepair.rebuild(dir, false, DataMode.PRIVATE, clock);
    assertEquals(3, rebuilt.objects());
    try (MetaStore meta = MetaStore.open(dir.resolve("meta"), false)) {
      io.tarn.storage.objects.ObjectTables tables = new io.tarn.storage.objects.ObjectTables(meta);
      assertTrue(tables.usage().counted(), "the rebuild wrote the counters, not the next start");
      assertEquals(new BucketStats("two", 1, 7001), tables.stats("two"));
    }
    assertTrue(IndexRepair.fsck(dir).clean(), "a rebuilt index has its counters, right");
    store = open();
    assertEquals(new BucketStats("one", 2, 11000), stats("one"));
    assertEquals(new BucketStats("two", 1, 7001), stats("two"));
  }

  /** Copies a data directory while the store in it runs; files deleted meanwhile are skipped. */
  private static void copyWhileRunning(Path from, Path to) throws IOException {
    // meta/ last: blob files are installed before the commits that name them, as on disk after a crash.
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = new ArrayList<>(s.toList());
    }
    all.sort((a, b) -> Boolean.compare(a.startsWith(from.resolve("meta")), b.startsWith(from.resolve("meta"))));
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      try {
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      } catch (NoSuchFileException gone) {
        // deleted since the walk (a replaced blob, an obsolete RocksDB file): a crash would not have it either
      }
    }
  }
}
