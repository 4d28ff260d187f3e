package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events are staged in the mutation's own batch: every committed object mutation has exactly its
 * event, a failed one has none, and sequencers strictly increase, across restarts too.
 */
class EventsTest extends StoreTestSupport {
  @BeforeEach
  void bucket() {
    store.createBucket("bkt", "r", OWNER);
  }

  @Test
  void everyCommittedMutationHasExactlyItsEvent() {
    ObjectInfo v1 = put("bkt", "k", utf8("one"));
    ObjectInfo v2 = put("bkt", "k", bytes(5000, 1));
    ObjectInfo c = store.copy("bkt", "k", "bkt", "k2", i -> {}, null, null, WriteCondition.NONE, CTX);
    UploadInfo u = store.createUpload("bkt", "mp", ObjectMetadata.of("a/b", Map.of()), null, CTX);
    PartSummary p;
    try (BlobUpload b = body(bytes(10, 2), 10)) {
      p = store.putPart("bkt", "mp", u.uploadId(), 1, b, null);
    }
    ObjectInfo mp = store.completeUpload("bkt", "mp", u.uploadId(), List.of(new CompletedPart(1, p.etag(), null)), 5,
        WriteCondition.NONE, CTX);
    assertTrue(store.delete("bkt", "k", CTX));
    assertFalse(store.delete("bkt", "k", CTX));
    UploadInfo aborted = store.createUpload("bkt", "gone", ObjectMetadata.of(null, Map.of()), null, CTX);
    store.abortUpload("bkt", "gone", aborted.uploadId());

    List<String> committed = committedEvents();
    List<String> expected = List.of(
        "ObjectCreated:Put bkt/k size=3 etag=" + v1.etag() + " replaced=false",
        "ObjectCreated:Put bkt/k size=5000 etag=" + v2.etag() + " replaced=true",
        "ObjectCreated:Copy bkt/k2 size=5000 etag=" + c.etag() + " replaced=false",
        "ObjectCreated:CompleteMultipartUpload bkt/mp size=10 etag=" + mp.etag() + " replaced=false",
        "ObjectRemoved:Delete bkt/k size=0 etag=null replaced=true");
    assertEquals(expected.size(), committed.size(), committed.toString());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(committed.get(i).startsWith(expected.get(i) + " seq="), committed.get(i));
    }
    assertEquals(expected.size(), sink.staged.size(), "nothing else was even staged");

    MutationEvent put = sink.staged.get(0);
    assertNull(put.versionId());
    assertEquals("text/plain", put.contentType());
    assertEquals("REQ1", put.requestId());
    assertEquals(OWNER, put.principalId());
    assertEquals("127.0.0.1", put.sourceIp());
    assertEquals(clock.instant().toEpochMilli(), put.time().toEpochMilli());
    assertEquals("a/b", sink.staged.get(3).contentType());
    assertNull(sink.staged.get(4).contentType());
  }

  @Test
  void failedMutationsCommitNoEvent() {
    put("bkt", "k", utf8("one"));
    assertThrows(StorageException.class, () -> put("bkt", "k", utf8("two"), new WriteCondition(null, true)));
    assertThrows(StorageException.class, () -> put("bkt", "k", bytes(5000, 1), new WriteCondition("0".repeat(32), false)));
    assertThrows(StorageException.class, () -> store.copy("bkt", "k", "bkt", "k", i -> {}, null, null,
        new WriteCondition(null, true), CTX));
    assertEquals(1, committedEvents().size());
    assertEquals(1, sink.staged.size(), "conditions are checked before the event is built");
  }

  @Test
  void aFailingSinkFailsTheMutation() {
    put("bkt", "k", utf8("one"));
    RuntimeException boom = new IllegalStateException("sink refused");
    sink.failWith = boom;
    assertSame(boom, assertThrows(IllegalStateException.class, () -> put("bkt", "k", bytes(5000, 1))));
    assertSame(boom, assertThrows(IllegalStateException.class, () -> store.delete("bkt", "k", CTX)));
    sink.failWith = null;
    assertEquals("one", new String(read("bkt", "k"), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(), blobFiles(), "the uncommitted body's file is deleted");
    assertEquals(1, committedEvents().size());
    assertEquals(2, sink.aborted.get(), "each failed mutation's batch tells its own staging it did not commit");
  }

  @Test
  void sequencersStrictlyIncreaseAcrossRestarts() {
    List<String> seqs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      put("bkt", "k" + i, utf8("x"));
    }
    reopen();
    // Counting restarts at the persisted reservation (a block of Sequencer.BLOCK = 100,000 numbers).
    long reservedBefore = store.records().nextEventSequencer();
    assertTrue(reservedBefore >= 100_000, "a reservation was persisted: " + reservedBefore);
    put("bkt", "after-restart", utf8("x"));
    store.delete("bkt", "k0", CTX);
    sink.staged.forEach(e -> seqs.add(e.sequencer()));
    assertEquals(5, seqs.size());
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i - 1).compareTo(seqs.get(i)) < 0, seqs.toString());
      assertEquals(16, seqs.get(i).length());
    }
    // Numbers restart above the persisted reservation, never below it.
    assertEquals(MutationEvent.sequencer(reservedBefore), seqs.get(3));
    // Committed event keys (the test sink keys by sequencer) are in commit order.
    assertEquals(5, committedEvents().size());
    assertTrue(committedEvents().get(3).contains("after-restart"));
  }

  @Test
  void bucketOperationsAreNotObjectEvents() {
    store.createBucket("another", "r", OWNER);
    store.deleteBucket("another");
    assertEquals(List.of(), committedEvents());
    put("bkt", "k", utf8("x"));
    assertEquals(1, committedEvents().size());
    assertEquals(EventName.OBJECT_CREATED_PUT, sink.staged.get(0).eventName());
  }

  @Test
  void putAcceptsOnlyCreationEvents() {
    try (BlobUpload b = body(utf8("x"), 1)) {
      assertThrows(IllegalArgumentException.class, () -> store.putObject("bkt", "k", b,
          ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE, EventName.OBJECT_REMOVED_DELETE, CTX));
    }
    assertEquals(List.of(), committedEvents());
  }

  @Test
  void anEventsSequencerStaysOpenUntilItsBatchCommitsOrFails() {
    // Staging sees its own event still open; once the batch has committed (or failed) it is not.
    List<Long> openWhileStaging = new ArrayList<>();
    RecordStore records = store.records();
    sink.onStage = e -> openWhileStaging.add(records.eventsSettledBelow());
    ObjectInfo ok = put("bkt", "k", utf8("x"));
    long okSeq = Long.parseLong(sink.staged.get(0).sequencer(), 16);
    assertEquals(List.of(okSeq), openWhileStaging);
    assertEquals(okSeq + 1, records.eventsSettledBelow());
    assertTrue(ok.size() == 1);

    sink.failWith = new IllegalStateException("refused");
    assertThrows(IllegalStateException.class, () -> put("bkt", "k2", utf8("x")));
    long failedSeq = Long.parseLong(sink.staged.get(1).sequencer(), 16);
    assertEquals(failedSeq + 1, records.eventsSettledBelow(), "a failed batch does not hold readers back");
  }

  @Test
  void theSinkIsToldOfACommitBeforeItsSequencerSettles() {
    // A reader that passes the settled bound may rely on the sink having seen the events below it.
    RecordStore records = store.records();
    List<Long> settledWhenTold = new ArrayList<>();
    sink.onCommitted = () -> settledWhenTold.add(records.eventsSettledBelow());
    put("bkt", "k", utf8("x"));
    long seq = Long.parseLong(sink.staged.get(0).sequencer(), 16);
    assertEquals(List.of(seq), settledWhenTold, "still open while the sink is told");
    assertEquals(seq + 1, records.eventsSettledBelow());
  }

  @Test
  void eachBatchIsToldOfItsOwnCommitOnly() throws Exception {
    // A batch still being built on one thread is not reported by another thread's commit: the sink's
    // staging belongs to its batch, not to whichever commit comes next.
    store.createBucket("bkt2", "r", OWNER);
    java.util.concurrent.CountDownLatch staging = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    sink.onStage = e -> {
      if (e.key().equals("slow")) {
        staging.countDown();
        try {
          assertTrue(release.await(10, java.util.concurrent.TimeUnit.SECONDS));
        } catch (InterruptedException x) {
          throw new AssertionError(x);
        }
      }
    };
    Thread slow = new Thread(() -> put("bkt", "slow", utf8("x")));
    slow.start();
    assertTrue(staging.await(5, java.util.concurrent.TimeUnit.SECONDS));
    put("bkt2", "fast", utf8("y"));
    assertEquals(List.of("fast"), sink.told);
    release.countDown();
    slow.join(10_000);
    assertFalse(slow.isAlive());
    assertEquals(List.of("fast", "slow"), sink.told);
    assertEquals(0, sink.aborted.get());
  }
}
