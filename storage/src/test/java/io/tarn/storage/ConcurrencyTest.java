package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import io.tarn.core.MutationEvent;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent writers, readers and deleters on shared keys leave a consistent store. */
class ConcurrencyTest extends StoreTestSupport {
  private static final int THREADS = 4;
  private static final int OPS = 40;

  @Test
  void concurrentWritesReadsAndDeletesStayConsistent() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    AtomicInteger mutations = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < OPS; i++) {
            String key = "k" + (i % 3); // shared by all threads
            // Alternate inline and file bodies so replacements cross kinds.
            byte[] data = bytes(i % 2 == 0 ? 100 : 3000, thread * 1000L + i);
            put("bkt", key, data);
            mutations.incrementAndGet();
            if (i % 5 == 4 && store.delete("bkt", key, CTX)) {
              mutations.incrementAndGet();
            }
            try (ObjectContent c = store.open("bkt", key)) {
              // Whatever version is read is whole and is the one described: its ETag matches its bytes.
              byte[] got = readRange(c, 0, c.info().size());
              assertEquals(c.info().etag(), Hex.encode(ChecksumAlgorithm.MD5.digest(got)));
              assertTrue(got.length == 100 || got.length == 3000);
            } catch (StorageException e) {
              assertEquals(StorageException.Kind.NO_SUCH_KEY, e.kind()); // deleted meanwhile
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // Exactly one committed event per successful mutation, with distinct, increasing sequencers.
    assertEquals(mutations.get(), committedEvents().size());
    Set<String> seqs = new HashSet<>();
    for (MutationEvent e : sink.staged) {
      seqs.add(e.sequencer());
    }
    assertEquals(mutations.get(), seqs.size());

    // Every remaining blob file belongs to a current object: nothing leaked, nothing dangling.
    Set<String> live = new HashSet<>();
    for (ObjectInfo o : store.list("bkt", "", null, null, 1000).objects()) {
      byte[] data = read("bkt", o.key());
      assertEquals(Hex.encode(ChecksumAlgorithm.MD5.digest(data)), o.etag());
      if (data.length > THRESHOLD) {
        live.add(o.key());
      }
    }
    assertEquals(live.size(), blobFiles().size());
  }
}
