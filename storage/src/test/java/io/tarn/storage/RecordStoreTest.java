package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The notifications module's tables: ordered scans, atomic batches, records staged with a mutation. */
class RecordStoreTest extends StoreTestSupport {
  @Test
  void scansArePrefixBoundPagedAndOrdered() {
    store.records().write(b -> {
      for (String k : List.of("a/3", "a/1", "b/1", "a/2", "a")) {
        b.put(RecordTable.DELIVERIES, utf8(k), utf8("v" + k));
      }
    });
    assertEquals(List.of("a/1", "a/2", "a/3"), keys(store.records().scan(RecordTable.DELIVERIES, utf8("a/"), null, 10)));
    assertEquals(List.of("a/1", "a/2"), keys(store.records().scan(RecordTable.DELIVERIES, utf8("a/"), null, 2)));
    assertEquals(List.of("a/3"), keys(store.records().scan(RecordTable.DELIVERIES, utf8("a/"), utf8("a/2"), 10)));
    assertEquals(List.of("a", "a/1", "a/2", "a/3", "b/1"), keys(store.records().scan(RecordTable.DELIVERIES, new byte[0], null, 10)));
    assertArrayEquals(utf8("vb/1"), store.records().get(RecordTable.DELIVERIES, utf8("b/1")));
    assertNull(store.records().get(RecordTable.DUE, utf8("b/1")), "tables are separate");

    store.records().write(b -> b.delete(RecordTable.DELIVERIES, utf8("a/2")));
    reopen();
    assertEquals(List.of("a/1", "a/3"), keys(store.records().scan(RecordTable.DELIVERIES, utf8("a/"), null, 10)));
  }

  @Test
  void recordsStagedByTheSinkCommitWithTheMutationAndTheSinkIsToldAfterwards() {
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger seenAtCommit = new AtomicInteger(-1);
    EventSink staging = batch -> new EventSink.Staging() {
      @Override
      public void stage(MutationEvent event) {
        batch.put(RecordTable.DUE, utf8(event.sequencer()), utf8(event.key()));
      }

      @Override
      public void committed() {
        committed.incrementAndGet();
        seenAtCommit.set(store.records().scan(RecordTable.DUE, new byte[0], null, 100).size());
      }
    };
    store.close();
    store = TarnStore.open(options(), staging, clock);
    store.createBucket("bkt", "us-east-1", OWNER);
    try (BlobUpload u = store.openUpload(3, Set.of())) {
      u.write(ByteBuffer.wrap(utf8("abc")));
      u.finish();
      store.putObject("bkt", "k", u, ObjectMetadata.of(null, java.util.Map.of()), null, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, CTX);
    }
    assertEquals(1, committed.get());
    assertEquals(1, seenAtCommit.get(), "the staged record is visible when the sink is told");
    assertEquals(List.of("k"), store.records().scan(RecordTable.DUE, new byte[0], null, 10).stream()
        .map(e -> new String(e.value(), java.nio.charset.StandardCharsets.UTF_8)).collect(Collectors.toList()));

    // A mutation that fails (no such bucket) stages nothing durable and tells nothing.
    try (BlobUpload u = store.openUpload(1, Set.of())) {
      u.write(ByteBuffer.wrap(utf8("x")));
      u.finish();
      org.junit.jupiter.api.Assertions.assertThrows(StorageException.class, () -> store.putObject("nobkt", "k", u,
          ObjectMetadata.of(null, java.util.Map.of()), null, WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, CTX));
    }
    assertEquals(1, committed.get());
    assertEquals(1, store.records().scan(RecordTable.DUE, new byte[0], null, 10).size());
  }

  private static List<String> keys(List<RecordStore.Entry> entries) {
    return entries.stream().map(e -> new String(e.key(), java.nio.charset.StandardCharsets.UTF_8)).collect(Collectors.toList());
  }
}
