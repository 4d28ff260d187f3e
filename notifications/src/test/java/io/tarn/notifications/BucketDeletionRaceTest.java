package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.RecordTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bucket delete's follow-up (forgetting the bucket's rules, dropping their queues) belongs to the
 * delete's own batch: another thread's commit, landing between the delete's staging and its commit,
 * must neither run it nor lose it.
 */
class BucketDeletionRaceTest extends NotificationsTestSupport {

  private HoldingSink holding;

  private void openHolding() {
    sinkOf = sink -> holding = new HoldingSink(sink, event -> false, true);
    open();
  }

  @Test
  void anotherCommitDuringABucketDeleteNeitherRunsNorLosesItsFollowUp() throws Exception {
    openHolding();
    store.createBucket("gone", "us-east-1", OWNER);
    store.createBucket("other", "us-east-1", OWNER);
    RuleView doomed = rule("gone", spec("http://hooks.example.com/gone", "ObjectCreated:*"));
    RuleView kept = rule("other", spec("http://hooks.example.com/other", "ObjectCreated:*"));
    // The doomed rule gets an attempt log and figures: its bucket's delete must drop them.
    put("gone", "before", "v");
    assertEquals("http://hooks.example.com/gone", sender.take().request().url().toString());
    await("delivered", () -> n.stats("gone", doomed.id()).delivered() == 1);
    store.delete("gone", "before", CTX);
    reopen(); // persists the figures
    assertTrue(hasQueueRecords(doomed.id()));

    Thread deleting = new Thread(() -> store.deleteBucket("gone"), "deleting");
    deleting.start();
    assertTrue(holding.reached.await(5, TimeUnit.SECONDS));
    // The delete has staged its rules' removal and not committed; an upload to another bucket
    // commits now, on this thread.
    put("other", "k", "v");
    holding.release.countDown();
    deleting.join(10_000);
    assertTrue(!deleting.isAlive());

    // The delete committed: its rule is gone from memory and disk, and a bucket created again under
    // the same name starts without it.
    store.createBucket("gone", "us-east-1", OWNER);
    assertEquals(List.of(), n.rules("gone"));
    assertEquals(List.of(kept.id()), table(RecordTable.NOTIFICATION_RULES).stream()
        .map(e -> new String(e.key(), StandardCharsets.UTF_8))
        .map(k -> k.substring(k.lastIndexOf('\0') + 1)).toList());
    put("gone", "k2", "v");
    assertEquals("http://hooks.example.com/other", sender.take().request().url().toString());
    sender.assertNoCall(100);
    // Its attempt log and figures are dropped too, after the commit, off the committing threads.
    await("the deleted rule's queue dropped", () -> !hasQueueRecords(doomed.id()));
  }

  @Test
  void aRuleAuthorizedAgainstADeletedBucketNeverLandsInTheOneCreatedAgain() {
    open();
    store.createBucket("shared", "us-east-1", OWNER);
    io.tarn.storage.BucketRef alices = store.ref("shared"); // the caller was authorized against this one
    store.deleteBucket("shared");
    store.createBucket("shared", "us-east-1", "b".repeat(64)); // someone else's, same name
    io.tarn.storage.StorageException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.tarn.storage.StorageException.class,
        () -> n.createRule(alices, spec("http://hooks.example.com/alice", "ObjectCreated:*"), ADMIN));
    assertEquals(io.tarn.storage.StorageException.Kind.NO_SUCH_BUCKET, e.kind());
    assertEquals(List.of(), n.rules("shared"));
    assertEquals(List.of(), table(RecordTable.NOTIFICATION_RULES));

    // An update authorized against the old incarnation cannot write either (the rule of the new one
    // is left as it is).
    io.tarn.storage.BucketRef bobs = store.ref("shared");
    RuleView bobsRule = n.createRule(bobs, spec("http://hooks.example.com/bob", "ObjectCreated:*"), ADMIN);
    RuleSpec patch = new RuleSpec("http://hooks.example.com/alice", null, null, null, null, null, null, null, null);
    e = org.junit.jupiter.api.Assertions.assertThrows(io.tarn.storage.StorageException.class,
        () -> n.updateRule(alices, bobsRule.id(), patch, ADMIN));
    assertEquals(io.tarn.storage.StorageException.Kind.NO_SUCH_BUCKET, e.kind());
    assertEquals("http://hooks.example.com/bob", n.rule("shared", bobsRule.id()).url());
  }

  @Test
  void ruleWritesRacingTheirBucketsDeletionLeaveNoOrphanRecord() throws Exception {
    open();
    for (int round = 0; round < 20; round++) {
      store.createBucket("racy", "us-east-1", OWNER);
      io.tarn.storage.BucketRef ref = store.ref("racy");
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      Thread creating = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < 20; i++) {
            n.createRule(ref, spec("http://hooks.example.com/" + i, "ObjectCreated:*"), ADMIN);
          }
        } catch (io.tarn.storage.StorageException | InterruptedException expected) {
          // the bucket went away: nothing may have been written after that
        }
      }, "creating");
      creating.start();
      go.countDown();
      store.deleteBucket("racy");
      creating.join(10_000);
      assertTrue(!creating.isAlive());
      assertEquals(List.of(), n.rules("racy"), "round " + round);
      assertEquals(List.of(), table(RecordTable.NOTIFICATION_RULES), "round " + round);
    }
  }

  /** Whether the rule has an attempt log or figures on disk (keys start with its id). */
  private boolean hasQueueRecords(String ruleId) {
    return java.util.stream.Stream.of(RecordTable.ATTEMPTS, RecordTable.RULE_STATS).flatMap(t -> table(t).stream())
        .anyMatch(e -> new String(e.key(), StandardCharsets.UTF_8).startsWith(ruleId + "\0"));
  }
}
