package io.tarn.notifications.queue;

import io.tarn.core.MutationEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.notifications.rules.Format;
import io.tarn.storage.EventSink;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Backlog slots are reserved when a delivery is staged and released if its batch never commits;
 * figures count only committed batches.
 */
class StagingReservationTest {
  private static final UUID RULE = UUID.fromString("3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f");

  /** Batches that only collect their writes (a mutation's batch that may or may not commit). */
  private static final class Collecting implements EventSink.EventBatch {
    final List<String> puts = new ArrayList<>();

    @Override
    public void put(RecordTable table, byte[] key, byte[] value) {
      puts.add(table.name());
    }

    @Override
    public void delete(RecordTable table, byte[] key) {
      puts.add("-" + table.name());
    }
  }

  /** Ordered tables in memory. */
  static final class MemoryRecords implements RecordStore {
    private final Map<RecordTable, TreeMap<byte[], byte[]>> tables = new EnumMap<>(RecordTable.class);

    private TreeMap<byte[], byte[]> t(RecordTable table) {
      return tables.computeIfAbsent(table, x -> new TreeMap<>(Arrays::compareUnsigned));
    }

    @Override
    public synchronized byte[] get(RecordTable table, byte[] key) {
      return t(table).get(key);
    }

    @Override
    public synchronized List<Entry> scan(RecordTable table, byte[] prefix, byte[] startAfter, int limit) {
      List<Entry> out = new ArrayList<>();
      var tail = startAfter == null ? t(table).tailMap(prefix, true) : t(table).tailMap(startAfter, false);
      for (var e : tail.entrySet()) {
        if (out.size() >= limit || !QueueKeys.startsWith(e.getKey(), prefix)) {
          break;
        }
        out.add(new Entry(e.getKey(), e.getValue()));
      }
      return out;
    }

    @Override
    public synchronized void write(Consumer<Batch> writes) {
      writes.accept(new Batch() {
        @Override
        public void put(RecordTable table, byte[] key, byte[] value) {
          t(table).put(key, value);
        }

        @Override
        public void delete(RecordTable table, byte[] key) {
          t(table).remove(key);
        }
      });
    }
  }

  private static EventPayload delivery(int seq) {
    return new EventPayload(MutationEvent.sequencer(seq), "b", "ObjectCreated:Put", "k", 1, 1, null,
        new byte[] {'{', '}'}, List.of(RULE), List.of(Format.COMPACT), java.util.Set.of());
  }

  @Test
  void aBatchThatNeverCommitsGivesItsSlotBack() {
    DeliveryQueue q = new DeliveryQueue(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
        DeliveryOptions.defaults().withBacklogCap(1), id -> true);
    q.load(new MemoryRecords());

    Collecting failed = new Collecting();
    StagedEvents failedStage = q.open(failed);
    q.stage(failedStage, delivery(1));
    assertEquals(List.of("EVENT_PAYLOADS"), failed.puts, "one log entry, nothing per rule");
    assertEquals(1, q.backlog(), "reserved while the batch is being committed");
    // The commit failed: the store reports that batch aborted. The next mutation finds the slot free.
    failedStage.release();
    failedStage.release(); // told once, counted once
    Collecting next = new Collecting();
    StagedEvents nextStage = q.open(next);
    q.stage(nextStage, delivery(2));
    assertEquals(List.of("EVENT_PAYLOADS"), next.puts, "not queue_full: the failed batch's slot was released");
    q.committed(nextStage);
    nextStage.release(); // after its commit, a close gives nothing back
    assertEquals(1, q.backlog());

    Collecting full = new Collecting();
    StagedEvents fullStage = q.open(full);
    q.stage(fullStage, delivery(3));
    assertEquals(List.of("EVENT_PAYLOADS"), full.puts, "the letter is a mark in the event's one log entry");
    assertEquals(0, q.stats(RULE).queueFull(), "counted only when the batch commits");
    q.committed(fullStage);
    assertEquals(1, q.stats(RULE).queueFull());
    assertEquals(1, q.stats(RULE).deadLettered());
    assertEquals(1, q.backlog());

    // Two deliveries staged into one batch (two rules, or one mutation with several events) both count.
    DeliveryQueue roomy = new DeliveryQueue(Clock.systemUTC(), DeliveryOptions.defaults(), id -> true);
    roomy.load(new MemoryRecords());
    StagedEvents twice = roomy.open(new Collecting());
    roomy.stage(twice, delivery(4));
    roomy.stage(twice, delivery(5));
    // Another batch, still being built (on another thread, say), is neither counted nor released by
    // this one's commit: each batch's staging is its own.
    StagedEvents open = roomy.open(new Collecting());
    roomy.stage(open, delivery(6));
    roomy.committed(twice);
    assertEquals(3, roomy.backlog());
    open.release();
    assertEquals(2, roomy.backlog());
  }
}
