package io.tarn.notifications.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.RuleSpec;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import io.tarn.storage.SecretSealer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleStore#forget} runs in a bucket delete's commit with the bucket's lock held: it must not
 * wait for another thread's (synced) write of a rule record.
 */
class RuleStoreForgetTest {
  /** Records that are never read back; a write blocks while {@link #hold} is set, until released. */
  private static final class SlowRecords implements RecordStore {
    volatile boolean hold;
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public byte[] get(RecordTable table, byte[] key) {
      return null;
    }

    @Override
    public List<Entry> scan(RecordTable table, byte[] prefix, byte[] startAfter, int limit) {
      return List.of();
    }

    @Override
    public void write(Consumer<Batch> writes) {
      if (hold) {
        writing.countDown();
        try {
          assertTrue(release.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  private static final SecretSealer PLAIN = new SecretSealer() {
    @Override
    public byte[] seal(byte[] plain, byte[] context) {
      return plain;
    }

    @Override
    public byte[] open(byte[] sealed, byte[] context) {
      return sealed;
    }
  };

  private static Rule rule(String bucket) {
    return RuleValidator.create(bucket, new RuleSpec("https://hooks.example.com/", List.of("ObjectCreated:*"), null,
        null, null, null, null, null, null), UUID.randomUUID(), Instant.parse("2026-12-01T00:00:00Z"), null, true);
  }

  @Test
  void forgettingARuleDoesNotWaitForAnotherRulesWrite() throws Exception {
    SlowRecords records = new SlowRecords();
    RuleStore rules = new RuleStore();
    rules.load(records, PLAIN);
    Rule doomed = rule("gone");
    rules.add(new io.tarn.storage.BucketRef("gone", "test"), doomed);
    records.hold = true;
    Rule other = rule("other");
    Thread adding = new Thread(() -> rules.add(new io.tarn.storage.BucketRef("other", "test"), other), "adding");
    adding.start();
    assertTrue(records.writing.await(5, TimeUnit.SECONDS));
    // The add holds the store's lock while its record is written; the delete's commit forgets at once.
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> rules.forget(doomed));
    assertEquals(List.of(), rules.forBucket("gone"));
    records.release.countDown();
    adding.join(10_000);
    assertFalse(adding.isAlive());
    assertEquals(List.of(other), rules.forBucket("other"));
    assertEquals(List.of(), rules.forBucket("gone"), "the add's index swap kept the forget");
  }
}
