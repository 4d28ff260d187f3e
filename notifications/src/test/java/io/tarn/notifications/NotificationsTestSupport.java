package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tarn.core.EventName;
import io.tarn.core.ManualClock;
import io.tarn.core.MutationEvent;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import io.tarn.notifications.delivery.UrlGuard;
import io.tarn.notifications.queue.DeliveryOptions;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.EventSink;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.WriteCondition;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A real store in a temp directory with {@link Notifications} as its sink, a fake sender and a manual clock. */
abstract class NotificationsTestSupport {

  /**
   * Passes everything to the real sink, but holds chosen calls of a batch's staging until
   * {@link #release} opens: the staging of an event {@code holdBeforeStaging} accepts (before it is
   * staged), and, with {@code holdAfterBucketDeleted}, a bucket delete once it is staged.
   * {@link #reached} opens when a call is held.
   */
  static final class HoldingSink implements EventSink {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final EventSink sink;
    private final Predicate<MutationEvent> holdBeforeStaging;
    private final boolean holdAfterBucketDeleted;

    HoldingSink(EventSink sink, Predicate<MutationEvent> holdBeforeStaging, boolean holdAfterBucketDeleted) {
      this.sink = sink;
      this.holdBeforeStaging = holdBeforeStaging;
      this.holdAfterBucketDeleted = holdAfterBucketDeleted;
    }

    /** Whether it was released within 10 s. */
    private boolean hold() {
      reached.countDown();
      try {
        return release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public Staging open(EventBatch batch) {
      Staging real = sink.open(batch);
      return new Staging() {
        @Override
        public void stage(MutationEvent event) {
          if (holdBeforeStaging.test(event)) {
            hold();
          }
          real.stage(event);
        }

        @Override
        public void bucketDeleted(String bucket) {
          real.bucketDeleted(bucket);
          if (holdAfterBucketDeleted) {
            assertTrue(hold());
          }
        }

        @Override
        public void committed() {
          real.committed();
        }

        @Override
        public void aborted() {
          real.aborted();
        }
      };
    }
  }
  static final String OWNER = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final Principal ADMIN = new Principal("a".repeat(64), "root", "AKADMIN", Role.ADMIN);
  static final Principal USER = new Principal(OWNER, "alice", "AKALICE", Role.USER);
  static final RequestContext CTX = new RequestContext("4442587FB7D0A2F9", USER, "203.0.113.7");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T18:00:00.123Z"));
  final List<String> guardCalls = new CopyOnWriteArrayList<>();
  /** Refuses hosts ending in ".internal" for non-admins, as the SSRF guard would. */
  final UrlGuard guard = (URI url, boolean allowPrivate) -> {
    guardCalls.add(url + " " + allowPrivate);
    if (!allowPrivate && url.getHost().endsWith(".internal")) {
      throw new WebhookException(WebhookException.Kind.FORBIDDEN, "url", url.getHost() + " resolves to 10.0.0.5 (private)");
    }
  };
  /** Defaults, but close does not wait long for attempts a test left hanging. */
  DeliveryOptions options = DeliveryOptions.defaults().withWaits(Duration.ofSeconds(1), Duration.ofMillis(200));
  /** Whether the next opened sender holds its answers until the test completes them. */
  boolean holdSends;
  FakeSender sender;
  /** What the store gets as its event sink: {@link #n}, or a test's wrapper around it. */
  java.util.function.UnaryOperator<io.tarn.storage.EventSink> sinkOf = sink -> sink;
  Notifications n;
  TarnStore store;

  void open() {
    sender = new FakeSender(clock);
    sender.hold = holdSends;
    n = new Notifications(clock, "us-east-1", "tarn-node-1", options, sender, guard);
    store = TarnStore.open(new StorageOptions(dir, 1024, false), sinkOf.apply(n), clock);
    n.start(store.records(), store.sealer());
  }

  void reopen() {
    closeAll();
    open();
  }

  @AfterEach
  void closeAll() {
    if (n != null) {
      n.close();
    }
    if (store != null) {
      store.close();
    }
  }

  static RuleSpec spec(String url, String... events) {
    return new RuleSpec(url, List.of(events), null, null, null, null, null, null, null);
  }

  RuleView rule(String bucket, RuleSpec spec) {
    return n.createRule(store.ref(bucket), spec, ADMIN);
  }

  ObjectInfo put(String bucket, String key, String data) {
    return put(bucket, key, data, WriteCondition.NONE);
  }

  ObjectInfo put(String bucket, String key, String data, WriteCondition condition) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    try (BlobUpload u = store.openUpload(bytes.length, Set.of())) {
      u.write(ByteBuffer.wrap(bytes));
      u.finish();
      return store.putObject(bucket, key, u, ObjectMetadata.of("text/plain", Map.of()), null, condition,
          EventName.OBJECT_CREATED_PUT, CTX);
    }
  }

  void advance(Duration d) {
    clock.advance(d);
    n.wake();
  }

  List<RecordStore.Entry> table(RecordTable t) {
    return store.records().scan(t, new byte[0], null, 100_000);
  }

  /** Due times of a rule's pending deliveries (DUE key: rule id, 0x00, 8-byte due, delivery id). */
  List<Long> dueTimes(String ruleId) {
    byte[] prefix = (ruleId + "\0").getBytes(StandardCharsets.UTF_8);
    return store.records().scan(RecordTable.DUE, prefix, null, 1000).stream()
        .map(e -> ByteBuffer.wrap(e.key(), prefix.length, 8).getLong()).toList();
  }

  /** The rule's attempt log, newest first. */
  List<DeliveryView> log(String bucket, String ruleId) {
    return n.deliveries(bucket, ruleId, null, 1000).items();
  }

  /**
   * Waits until the rule's log holds {@code recorded} attempts, moves the clock to the next due time
   * and returns the attempt made then.
   */
  FakeSender.Call retry(String bucket, String ruleId, int recorded) {
    await("attempt " + recorded + " recorded", () -> log(bucket, ruleId).size() >= recorded);
    long due = dueTimes(ruleId).get(0);
    clock.set(Instant.ofEpochMilli(due));
    n.wake();
    return sender.take();
  }

  /** Waits up to 5 s for {@code condition} (the dispatcher records outcomes on its own thread). */
  static void await(String what, BooleanSupplier condition) {
    awaitFor(Duration.ofSeconds(5), what, condition);
  }

  /** Waits up to {@code limit} for {@code condition}. */
  static void awaitFor(Duration limit, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
