package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.notifications.queue.DeliveryRecord;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.CompletedPart;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.PartSummary;
import io.tarn.storage.RecordTable;
import io.tarn.storage.StorageException;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.WriteCondition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries are staged in the mutation's own batch, one per matching enabled rule, with the rendered body. */
class StagingTest extends NotificationsTestSupport {
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() {
    open();
    store.createBucket("media", "us-east-1", OWNER);
    store.createBucket("plain", "us-east-1", OWNER);
  }

  private List<DeliveryRecord> pending() {
    return n.pending();
  }

  @Test
  void stagesOneDeliveryPerMatchingEnabledRuleWithTheMutation() throws IOException {
    sender.hold = true;
    RuleView images = rule("media", new RuleSpec("https://hooks.example.com/img", List.of("s3:ObjectCreated:*"), "img/",
        null, null, null, null, null, null));
    rule("media", spec("https://hooks.example.com/del", "object:deleted"));
    rule("media", new RuleSpec("https://hooks.example.com/off", List.of("ObjectCreated:*"), null, null, null, false, null,
        null, null));
    RuleView compact = rule("media", new RuleSpec("https://other.example.com/c", List.of("object:created"), null, null,
        null, null, "compact", null, null));

    ObjectInfo info = put("media", "img/a b.jpg", "hello");
    // Durable when the put returns: the records committed with it, before any sending.
    List<DeliveryRecord> staged = pending();
    assertEquals(Set.of(images.id(), compact.id()),
        staged.stream().map(d -> d.ruleId().toString()).collect(Collectors.toSet()));
    assertTrue(table(RecordTable.DUE).isEmpty(), "first attempts are read from the bucket's event log");
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size(), "one log entry for both rules");
    assertTrue(table(RecordTable.DELIVERIES).isEmpty(), "first attempts have no record of their own");
    String sequencer = staged.get(0).sequencer();
    for (DeliveryRecord d : staged) {
      assertEquals(sequencer + "-" + d.ruleId(), d.id());
      // Each rule's name for the event is one it subscribed to.
      assertEquals(d.ruleId().toString().equals(compact.id()) ? "object:created" : "ObjectCreated:Put", d.eventName());
      assertEquals(0, d.attempts());
    }

    Map<String, FakeSender.Call> calls = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      FakeSender.Call c = sender.take();
      calls.put(c.request().url().getPath(), c);
    }
    JsonNode s3 = json.readTree(calls.get("/img").request().body()).get("Records").get(0);
    assertEquals(images.id(), s3.at("/s3/configurationId").asText());
    assertEquals("img/a+b.jpg", s3.at("/s3/object/key").asText());
    assertEquals(5, s3.at("/s3/object/size").asLong());
    assertEquals(info.etag(), s3.at("/s3/object/eTag").asText());
    assertEquals(sequencer, s3.at("/s3/object/sequencer").asText());
    assertEquals(OWNER, s3.at("/s3/bucket/ownerIdentity/principalId").asText());
    assertEquals(USER.userId(), s3.at("/userIdentity/principalId").asText());
    assertEquals("203.0.113.7", s3.at("/requestParameters/sourceIPAddress").asText());
    assertEquals("4442587FB7D0A2F9", s3.at("/responseElements/x-amz-request-id").asText());
    assertEquals("tarn-node-1", s3.at("/responseElements/x-amz-id-2").asText());
    assertEquals("us-east-1", s3.get("awsRegion").asText());
    assertEquals("2026-11-29T18:00:00.123Z", s3.get("eventTime").asText());
    assertEquals("ObjectCreated:Put", calls.get("/img").header("X-Tarn-Event"));
    assertEquals(sequencer + "-" + images.id(), calls.get("/img").header("X-Tarn-Delivery"));
    JsonNode c = json.readTree(calls.get("/c").request().body());
    assertEquals("object:created", c.get("event").asText());
    assertEquals("text/plain", c.at("/object/contentType").asText());
    assertEquals("img/a b.jpg", c.at("/object/key").asText());
    for (FakeSender.Call call : calls.values()) {
      sender.complete(call, FakeSender.OK);
    }
    await("deliveries done", () -> pending().isEmpty() && n.backlog() == 0);
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty(), "deleted when the last of its rules is done with it");

    // A bucket without rules: nothing written at all.
    put("plain", "x", "y");
    assertTrue(pending().isEmpty());
    assertTrue(table(RecordTable.DEAD_LETTERS).isEmpty());

    // Replacing: object:created no longer matches; ObjectCreated:* does.
    put("media", "img/a b.jpg", "again");
    assertEquals(List.of(images.id()), pending().stream().map(d -> d.ruleId().toString()).toList());
    sender.complete(sender.take(), FakeSender.OK);
    await("delivered", () -> pending().isEmpty());

    // Neither filter nor event matches: nothing.
    put("media", "doc/readme", "x");
    assertEquals(1, pending().size(), "only the compact rule (no prefix) wants a new doc/ object");
  }

  @Test
  void aFailedMutationStagesNothing() {
    sender.hold = true;
    rule("media", spec("https://hooks.example.com/", "ObjectCreated:*", "ObjectRemoved:*"));
    put("media", "k", "v");
    assertEquals(1, pending().size());
    sender.take();
    assertThrows(StorageException.class, () -> put("media", "k", "w", new WriteCondition(null, true)),
        "If-None-Match: * on an existing key");
    assertThrows(StorageException.class, () -> put("media", "k", "w", new WriteCondition("nope", false)));
    assertFalse(store.delete("media", "missing", CTX), "deleting nothing emits no event");
    assertEquals(1, pending().size());
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size());
    sender.assertNoCall(50);
  }

  @Test
  void aSinkThatIsNotStartedFailsTheMutationRatherThanLoseItsEvents() {
    n.close();
    store.close();
    Notifications unstarted = new Notifications(clock, "us-east-1", "h", options, new FakeSender(clock), guard);
    store = TarnStore.open(new StorageOptions(dir, 1024, false), unstarted, clock);
    n = null;
    assertThrows(IllegalStateException.class, () -> put("media", "k", "v"));
    assertTrue(store.head("media", "k").isEmpty(), "the object was not committed either");
    unstarted.close();
  }

  /**
   * One log entry per event whatever the number of rules, and one body per distinct (format, name):
   * rules that give a multipart completion different names get different compact bodies, rules that
   * give it the same name share one, and S3 rules share the one S3 body.
   */
  @Test
  void eachDistinctBodyIsRenderedAndStoredOnce() throws IOException {
    sender.hold = true;
    List<RuleView> created = List.of(
        rule("media", new RuleSpec("https://a.example.com/", List.of("object:created"), null, null, null, null, "compact", null, null)),
        rule("media", new RuleSpec("https://b.example.com/", List.of("object:created"), null, null, null, null, "compact", null, null)));
    rule("media", new RuleSpec("https://c.example.com/", List.of("multipart:completed", "object:created"),
        null, null, null, null, "compact", null, null));
    rule("media", spec("https://d.example.com/", "object:created"));
    rule("media", spec("https://e.example.com/", "s3:ObjectCreated:*"));
    UploadInfo up = store.createUpload("media", "big", ObjectMetadata.of("video/mp4", Map.of()), null, CTX);
    PartSummary part;
    try (BlobUpload b = store.openUpload(3, Set.of())) {
      b.write(ByteBuffer.wrap("abc".getBytes()));
      b.finish();
      part = store.putPart("media", "big", up.uploadId(), 1, b, null);
    }
    store.completeUpload("media", "big", up.uploadId(), List.of(new CompletedPart(1, part.etag(), null)), 0,
        WriteCondition.NONE, CTX);

    List<io.tarn.storage.RecordStore.Entry> log = table(RecordTable.EVENT_PAYLOADS);
    assertEquals(1, log.size(), "one log entry for the five rules");
    io.tarn.notifications.queue.EventPayload p = io.tarn.notifications.queue.EventPayload.decode(log.get(0).value());
    assertEquals(Set.of("object:created", "multipart:completed", "ObjectCreated:CompleteMultipartUpload"),
        Set.copyOf(p.names()));
    assertEquals(3, p.names().size(), "each name once");
    assertEquals(2, p.compacts().stream().filter(java.util.Objects::nonNull).count(), "one compact body per name");
    assertTrue(p.compacts().get(p.names().indexOf("ObjectCreated:CompleteMultipartUpload")) == null,
        "no compact rule gives it its S3 name");
    assertTrue(p.s3() != null, "one S3 body for both S3 rules");
    byte[] shared = p.body(java.util.UUID.fromString(created.get(0).id()), io.tarn.notifications.rules.Format.COMPACT);
    assertTrue(shared == p.body(java.util.UUID.fromString(created.get(1).id()), io.tarn.notifications.rules.Format.COMPACT),
        "the rules with the same name share the stored body");
    Map<String, String> events = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      FakeSender.Call c = sender.take();
      String body = new String(c.request().body(), java.nio.charset.StandardCharsets.UTF_8);
      events.put(c.request().url().getHost(), c.header("X-Tarn-Event") + (body.startsWith("{\"event\":")
          ? " " + json.readTree(c.request().body()).get("event").asText() : ""));
    }
    assertEquals(Map.of("a.example.com", "object:created object:created", "b.example.com", "object:created object:created",
        "c.example.com", "multipart:completed multipart:completed", "d.example.com", "object:created",
        "e.example.com", "ObjectCreated:CompleteMultipartUpload"), events);
  }

  @Test
  void everyEventKindThroughTheStore() throws IOException {
    RuleView all = rule("media", new RuleSpec("https://hooks.example.com/", List.of("object:created", "object:updated",
        "object:deleted", "multipart:completed"), null, null, null, null, "compact", null, null));
    RuleView s3 = rule("media", spec("https://s3.example.com/", "multipart:completed", "s3:ObjectCreated:Copy"));
    put("media", "src", "data");
    store.copy("media", "src", "media", "dst", info -> { }, null, null, WriteCondition.NONE, CTX);
    store.copy("media", "src", "media", "dst", info -> { }, null, null, WriteCondition.NONE, CTX);
    UploadInfo up = store.createUpload("media", "big", ObjectMetadata.of("video/mp4", Map.of()), null, CTX);
    PartSummary part;
    try (BlobUpload b = store.openUpload(3, Set.of())) {
      b.write(ByteBuffer.wrap("abc".getBytes()));
      b.finish();
      part = store.putPart("media", "big", up.uploadId(), 1, b, null);
    }
    store.completeUpload("media", "big", up.uploadId(), List.of(new CompletedPart(1, part.etag(), null)), 0,
        WriteCondition.NONE, CTX);
    store.delete("media", "src", CTX);

    List<String> compact = new java.util.ArrayList<>();
    List<String> s3Names = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      FakeSender.Call c = sender.take();
      if (c.request().url().getHost().startsWith("hooks")) {
        compact.add(json.readTree(c.request().body()).get("event").asText() + " " + c.header("X-Tarn-Event"));
      } else {
        JsonNode rec = json.readTree(c.request().body()).get("Records").get(0);
        s3Names.add(rec.get("eventName").asText() + " " + rec.at("/s3/object/key").asText() + " " + c.header("X-Tarn-Event"));
        assertEquals(s3.id(), rec.at("/s3/configurationId").asText());
      }
    }
    sender.assertNoCall(50);
    // The body's event and X-Tarn-Event are the same name, one the rule subscribed to.
    assertEquals(List.of("multipart:completed multipart:completed", "object:created object:created",
        "object:created object:created", "object:deleted object:deleted", "object:updated object:updated"),
        compact.stream().sorted().toList());
    assertEquals(Set.of("ObjectCreated:Copy dst ObjectCreated:Copy",
        "ObjectCreated:CompleteMultipartUpload big multipart:completed"), Set.copyOf(s3Names));
    assertEquals(3, s3Names.size());
    await("all delivered", () -> n.stats("media", all.id()).delivered() == 5 && n.stats("media", s3.id()).delivered() == 3);
  }

  @Test
  void testEventsAreNotStagedFromMutations() {
    rule("media", spec("https://hooks.example.com/", "s3:TestEvent", "ObjectCreated:*"));
    io.tarn.storage.EventSink.EventBatch refusing = new io.tarn.storage.EventSink.EventBatch() {
      @Override
      public void put(RecordTable table, byte[] key, byte[] value) {
        throw new AssertionError("nothing may be staged into " + table);
      }

      @Override
      public void delete(RecordTable table, byte[] key) {
        throw new AssertionError("nothing may be deleted");
      }
    };
    io.tarn.storage.EventSink.Staging staging = n.open(refusing);
    staging.stage(new MutationEvent("media", "k", null, EventName.TEST_EVENT, 0, null, null, "00000000000000FF",
        Instant.now(clock), "r", "p", "ip", false, OWNER));
    staging.stage(new MutationEvent("media", "k", null, EventName.OBJECT_REMOVED_DELETE, 0, null, null, "00000000000000FF",
        Instant.now(clock), "r", "p", "ip", true, OWNER));
    staging.committed();
    assertTrue(pending().isEmpty());
  }
}
