package io.tarn.notifications.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tarn.core.MutationEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The messages of a live tail, as server-sent events
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation): an
 * {@code event:} line naming the kind and one {@code data:} line of JSON (JSON has no raw newline, so
 * one line always holds it). Rendered once per event and shared by every viewer. The kinds:
 * {@code ready} (the tail is open), {@code event} (a committed mutation with the rules it matched),
 * {@code delivery} (an attempt's outcome), {@code skipped} (messages dropped for a slow viewer).
 * Rule ids only, never their targets: a reader of the bucket may watch, but only its owner and admins
 * see where its webhooks send.
 */
public final class LiveMessages {
  private static final JsonFactory JSON = new JsonFactory();

  /** A rule an event matched, and the event name it is delivered under. */
  public record Match(UUID rule, String deliveredAs) {}

  private LiveMessages() {}

  static byte[] ready(String bucket) {
    return message("ready", g -> g.writeStringField("bucket", bucket));
  }

  static byte[] skipped(long n) {
    return message("skipped", g -> g.writeNumberField("skipped", n));
  }

  /** A committed mutation of its bucket, with the enabled rules it matched (none: empty). */
  public static byte[] event(MutationEvent e, List<Match> matched) {
    return message("event", g -> {
      g.writeStringField("sequencer", e.sequencer());
      g.writeStringField("bucket", e.bucket());
      g.writeStringField("key", e.key());
      g.writeStringField("event", e.eventName().qualifiedName());
      g.writeNumberField("size", e.size());
      if (e.eTag() != null) {
        g.writeStringField("etag", e.eTag());
      }
      g.writeStringField("time", e.time().toString());
      g.writeArrayFieldStart("rules");
      for (Match m : matched) {
        g.writeStartObject();
        g.writeStringField("id", m.rule().toString());
        g.writeStringField("event", m.deliveredAs());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /**
   * An attempt's outcome.
   *
   * @param sequencer the event's sequencer (null for a test event)
   * @param outcome {@code delivered}, {@code failed} (a retry follows) or {@code dead}
   * @param status the receiver's HTTP status, or null when there was no response
   * @param error why the attempt failed, or null
   */
  public static byte[] delivery(String sequencer, String key, UUID rule, int attempt, String outcome, Integer status,
      long latencyMillis, String error) {
    return message("delivery", g -> {
      if (sequencer != null) {
        g.writeStringField("sequencer", sequencer);
      }
      if (key != null) {
        g.writeStringField("key", key);
      }
      g.writeStringField("rule", rule.toString());
      g.writeNumberField("attempt", attempt);
      g.writeStringField("outcome", outcome);
      if (status != null) {
        g.writeNumberField("status", status);
      }
      g.writeNumberField("latencyMillis", latencyMillis);
      if (error != null) {
        g.writeStringField("error", error);
      }
    });
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] message(String kind, Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(("event: " + kind + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
