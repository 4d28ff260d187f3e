package io.tarn.notifications.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.notifications.rules.Format;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies against golden files (written independently of the renderer, byte for byte), for every
 * event kind in both formats, and the test event.
 */
class PayloadsTest {
  static final String KEY = "photos/2026/red flower (1) é.jpg";
  static final String RULE = "3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f";
  static final String OWNER = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final String USER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
  static final Instant TIME = Instant.parse("2026-11-29T18:00:00.123Z");
  static final String ETAG = "9b2cf535f27731c974343645a3985328";
  static final String MP_ETAG = "7e10e7d25dc4581d89b9285be5f384fd-3";
  static final String VERSION = "3HL4kqtJvjVBH40Nrjfkd";

  private final Payloads payloads = new Payloads("eu-central-1", "tarn-node-1");

  static MutationEvent event(EventName name, String version, long size, String etag, String type, boolean replaced) {
    return new MutationEvent("media", KEY, version, name, size, etag, type, "00000000000000A1", TIME,
        "4442587FB7D0A2F9", USER, "203.0.113.7", replaced, OWNER);
  }

  static Stream<Arguments> goldens() {
    MutationEvent put = event(EventName.OBJECT_CREATED_PUT, null, 1024, ETAG, "image/jpeg", false);
    MutationEvent replacingCopy = event(EventName.OBJECT_CREATED_COPY, null, 1024, ETAG, "image/jpeg", true);
    MutationEvent multipart = event(EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD, null, 20971520, MP_ETAG,
        "video/mp4", true);
    MutationEvent delete = event(EventName.OBJECT_REMOVED_DELETE, null, 0, null, null, true);
    return Stream.of(
        Arguments.of("s3-put.json", Format.S3, put, null),
        Arguments.of("s3-put-versioned.json", Format.S3,
            event(EventName.OBJECT_CREATED_PUT, VERSION, 1024, ETAG, "image/jpeg", false), null),
        Arguments.of("s3-post.json", Format.S3, event(EventName.OBJECT_CREATED_POST, null, 1024, ETAG, "image/jpeg", false),
            null),
        Arguments.of("s3-copy.json", Format.S3, replacingCopy, null),
        Arguments.of("s3-complete-multipart.json", Format.S3, multipart, null),
        Arguments.of("s3-delete.json", Format.S3, delete, null),
        Arguments.of("s3-delete-marker.json", Format.S3,
            event(EventName.OBJECT_REMOVED_DELETE_MARKER_CREATED, VERSION, 0, null, null, true), null),
        // The compact "event" is the name the rule gives the event, passed in (EventPatternTest has the choice).
        Arguments.of("compact-created.json", Format.COMPACT, put, "object:created"),
        Arguments.of("compact-updated.json", Format.COMPACT, replacingCopy, "object:updated"),
        Arguments.of("compact-multipart-completed.json", Format.COMPACT, multipart, "multipart:completed"),
        Arguments.of("compact-deleted.json", Format.COMPACT, delete, "object:deleted"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void rendersTheGoldenBytes(String golden, Format format, MutationEvent e, String name) throws IOException {
    byte[] body = payloads.render(format, RULE, e, name, OWNER);
    assertEquals(new String(golden(golden), StandardCharsets.UTF_8), new String(body, StandardCharsets.UTF_8));
    assertArrayEquals(golden(golden), body);
    assertArrayEquals(body, payloads.render(format, RULE, e, name, OWNER), "deterministic");
  }

  @Test
  void testEventMatchesItsGolden() throws IOException {
    assertArrayEquals(golden("test-event.json"), payloads.testEvent("media", "4442587FB7D0A2F9", TIME));
  }

  /** The field paths a Lambda handler reads (event['Records'][0]['s3']['object']['key'] etc.). */
  @Test
  void s3RecordHasTheFieldsConsumersRead() throws IOException {
    JsonNode rec = new ObjectMapper().readTree(payloads.render(Format.S3, RULE,
        event(EventName.OBJECT_CREATED_PUT, null, 7, ETAG, "a/b", false), null, OWNER)).get("Records").get(0);
    assertEquals("2.4", rec.get("eventVersion").asText());
    assertEquals("ObjectCreated:Put", rec.get("eventName").asText());
    assertEquals("media", rec.at("/s3/bucket/name").asText());
    assertEquals(KEY, URLDecoder.decode(rec.at("/s3/object/key").asText(), StandardCharsets.UTF_8));
    assertEquals(7, rec.at("/s3/object/size").asLong());
    assertTrue(rec.at("/s3/object/size").isIntegralNumber(), "size is a number");
    assertFalse(rec.at("/s3/object").has("versionId"), "unversioned buckets carry no versionId");
    assertEquals(TIME, Instant.parse(rec.get("eventTime").asText()));
  }

  @Test
  void keysAreFormEncodedWithSlashesKept() {
    assertEquals("a/b+c/%C3%A9%3D%26%3F%2B%25.txt", Payloads.urlEncodeKey("a/b c/é=&?+%.txt"));
    assertEquals("plain-key_1.txt", Payloads.urlEncodeKey("plain-key_1.txt"));
  }

  /**
   * ElasticLake's document (https://elasticlake.com/blog/webhooks-event-driven) shows exactly this
   * shape: {@code event}, {@code timestamp} to the second in UTC with {@code Z}, {@code bucket}, and
   * {@code object} with {@code key}, {@code size}, {@code etag}, {@code contentType}.
   */
  @Test
  void compactHasTheShapeOfElasticLakesDocument() throws IOException {
    JsonNode body = new ObjectMapper().readTree(payloads.compact(
        event(EventName.OBJECT_CREATED_PUT, null, 1048576, ETAG, "application/pdf", false), "object:created"));
    assertEquals("object:created", body.get("event").asText());
    assertEquals("2026-11-29T18:00:00Z", body.get("timestamp").asText(), "whole seconds, UTC, Z");
    assertEquals("media", body.get("bucket").asText());
    assertEquals(KEY, body.at("/object/key").asText());
    assertEquals(1048576, body.at("/object/size").asLong());
    assertEquals(ETAG, body.at("/object/etag").asText());
    assertEquals("application/pdf", body.at("/object/contentType").asText());
    assertEquals(List.of("event", "timestamp", "bucket", "object", "sequencer"), names(body));
    assertEquals(List.of("key", "size", "etag", "contentType"), names(body.get("object")));
  }

  @Test
  void compactEventIsTheNameGiven() throws IOException {
    MutationEvent multipart = event(EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD, null, 1, "e", "t", false);
    for (String name : List.of("object:created", "multipart:completed", "ObjectCreated:CompleteMultipartUpload")) {
      assertEquals(name, new ObjectMapper().readTree(payloads.compact(multipart, name)).get("event").asText());
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void timesAlwaysHaveMilliseconds() {
    assertEquals("2026-01-02T03:04:05.000Z", Payloads.iso(Instant.parse("2026-01-02T03:04:05Z")));
    assertEquals("2026-01-02T03:04:05.120Z", Payloads.iso(Instant.parse("2026-01-02T03:04:05.12Z")));
  }

  static byte[] golden(String name) throws IOException {
    try (InputStream in = PayloadsTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IOException("no golden file " + name);
      }
      return in.readAllBytes();
    }
  }
}
