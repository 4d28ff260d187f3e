package io.tarn.storage.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counters added to by merges with RocksDB's own {@code UInt64AddOperator} (a real database): the
 * operator adds unsigned 64-bit values, so negative deltas must come back as the signed sum.
 */
class CounterTest {
  @TempDir Path dir;

  private static final byte[] K = "bkt\0o".getBytes(StandardCharsets.UTF_8);

  private static void add(MetaStore meta, long... deltas) {
    try (MetaStore.Batch b = meta.batch()) {
      for (long d : deltas) {
        b.add(ColumnFamily.USAGE, K, d);
      }
      meta.commit(b, "test add");
    }
  }

  private static long value(MetaStore meta) {
    byte[] v = meta.get(ColumnFamily.USAGE, K);
    return v == null ? 0 : Counter.decode(v, "test");
  }

  @Test
  void theEncodingIsUInt64AddOperatorsLittleEndianFixed64() {
    assertArrayEquals(new byte[] {1, 2, 0, 0, 0, 0, 0, 0}, Counter.encode(0x0201));
    assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, Counter.encode(-1));
    for (long v : new long[] {0, 1, -1, 10, -3, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40}) {
      assertEquals(v, Counter.decode(Counter.encode(v), "round trip"));
    }
    StorageException e = assertThrows(StorageException.class, () -> Counter.decode(new byte[3], "of bucket b"));
    assertEquals(StorageException.Kind.IO, e.kind());
  }

  @Test
  void negativeDeltasSubtractThroughTheUnsignedAddAlsoAcrossZeroAndAfterReopen() {
    try (MetaStore meta = MetaStore.open(dir, false)) {
      assertEquals(0, value(meta), "absent is 0");
      add(meta, 10);
      add(meta, -3); // an overwrite of 10 bytes by 7
      assertEquals(7, value(meta));
      add(meta, -7, -5); // below zero: two's complement wraps mod 2^64 and back
      assertEquals(-5, value(meta));
      add(meta, 5, 1L << 40);
      assertEquals(1L << 40, value(meta));
      add(meta, Long.MAX_VALUE, Long.MAX_VALUE, 2); // wraps all the way round: (2^63 - 1) * 2 + 2 = 2^64
      assertEquals(1L << 40, value(meta));
      add(meta, -(1L << 40));
    }
    try (MetaStore meta = MetaStore.open(dir, false)) {
      assertEquals(0, value(meta), "the merge operands are replayed from the WAL with the operator");
      try (MetaStore.Batch b = meta.batch()) {
        b.put(ColumnFamily.USAGE, K, Counter.encode(42)); // an absolute value, as a recount writes
        b.add(ColumnFamily.USAGE, K, -2);
        meta.commit(b, "test put then add");
      }
      assertEquals(40, value(meta));
    }
    try (MetaStore meta = MetaStore.open(dir, false)) {
      assertEquals(40, value(meta));
    }
  }

  /**
   * The counters' options that RocksJava has no setter for, given by name: RocksDB's OPTIONS file
   * shows what it took (without them, a read summed every operand since the last flush).
   */
  @Test
  void theCountersColumnFamilySumsItsOperandsOnWriteAlsoOverSstFiles() throws Exception {
    try (MetaStore meta = MetaStore.open(dir, false)) {
      add(meta, 1);
    }
    Path options;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      options = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo).orElseThrow();
    }
    String text = java.nio.file.Files.readString(options);
    String usage = text.substring(text.indexOf("[CFOptions \"usage\"]"));
    usage = usage.substring(0, usage.indexOf("[TableOptions"));
    org.junit.jupiter.api.Assertions.assertTrue(usage.contains("merge_operator=UInt64AddOperator"), usage);
    org.junit.jupiter.api.Assertions.assertTrue(usage.contains("\n  max_successive_merges="
        + RocksTuning.MAX_SUCCESSIVE_MERGES + "\n"), usage);
    org.junit.jupiter.api.Assertions.assertTrue(usage.contains("strict_max_successive_merges=true"), usage);
  }

  /**
   * Concurrent commits (RocksDB's concurrent memtable writes, pipelined) adding to one counter, many
   * times over the operands' sum on write: nothing lost, nothing counted twice, also after a reopen.
   */
  @Test
  void concurrentAddsFarBeyondTheSuccessiveMergeLimitSumExactly() throws Exception {
    int threads = 4;
    int adds = 2_000;
    long want = 0;
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < adds; i++) {
        want += delta(t, i);
      }
    }
    try (MetaStore meta = MetaStore.open(dir, false)) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < adds; i++) {
              add(meta, delta(thread, i));
            }
          }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(want, value(meta));
    }
    try (MetaStore meta = MetaStore.open(dir, false)) {
      assertEquals(want, value(meta), "replayed from the WAL");
    }
  }

  /** Mostly small positive and negative deltas, and a few that cross zero by far. */
  private static long delta(int thread, int i) {
    return i % 97 == 0 ? -(1L << 40) * (thread + 1) : (i % 3 == 0 ? -7 : 11) + thread;
  }

  @Test
  void onlyCounterColumnFamiliesTakeAdds() {
    try (MetaStore meta = MetaStore.open(dir, false); MetaStore.Batch b = meta.batch()) {
      assertThrows(IllegalArgumentException.class, () -> b.add(ColumnFamily.OBJECTS, K, 1));
    }
  }
}
