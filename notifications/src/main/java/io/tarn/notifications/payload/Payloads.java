package io.tarn.notifications.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.notifications.rules.Format;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Renders delivery bodies. Output is byte-exact and deterministic (fields in a fixed order, written
 * with a streaming generator, no pretty printing), because the body is rendered once when the event
 * is staged and every retry sends and signs those same bytes.
 */
public final class Payloads {
  /** ISO-8601 in UTC with exactly three fraction digits, as S3 writes {@code eventTime}. */
  public static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * ISO-8601 in UTC to the whole second, as the compact form's {@code timestamp}: ElasticLake's
   * document shows {@code "2025-10-30T14:22:33Z"} (https://elasticlake.com/blog/webhooks-event-driven),
   * and receivers written to it may parse exactly that shape.
   */
  public static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private static final JsonFactory JSON = new JsonFactory();

  private final String region;
  private final String hostId;

  /**
   * @param region the configured region ({@code awsRegion})
   * @param hostId the value of {@code x-amz-id-2} / {@code HostId}
   */
  public Payloads(String region, String hostId) {
    this.region = Objects.requireNonNull(region, "region");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
  }

  /**
   * The body for {@code event} in {@code format}; {@code ruleId} is the S3 {@code configurationId},
   * {@code eventName} the name the rule gives the event (the compact {@code event}).
   */
  public byte[] render(Format format, String ruleId, MutationEvent event, String eventName, String bucketOwnerId) {
    return switch (format) {
      case S3 -> s3(ruleId, event, bucketOwnerId);
      case COMPACT -> compact(event, eventName);
    };
  }

  /**
   * The Amazon S3 event message structure, version 2.4, one record
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
   * Removals omit {@code size} and {@code eTag} as S3 does; {@code versionId} appears only for
   * versioned buckets.
   */
  public byte[] s3(String ruleId, MutationEvent e, String bucketOwnerId) {
    return s3(e, bucketOwnerId).forRule(ruleId);
  }

  /**
   * The S3 body of {@code e} for any rule: rules differ only in {@code configurationId}, so an
   * event that matches many rules is rendered once and each rule's body is two copies around its id.
   */
  public S3Body s3(MutationEvent e, String bucketOwnerId) {
    int[] idEnd = new int[1];
    byte[] template = write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("Records");
      g.writeStartObject();
      g.writeStringField("eventVersion", "2.4");
      g.writeStringField("eventSource", "tarn:s3");
      g.writeStringField("awsRegion", region);
      g.writeStringField("eventTime", iso(e.time()));
      g.writeStringField("eventName", e.eventName().wireName());
      g.writeObjectFieldStart("userIdentity");
      g.writeStringField("principalId", e.principalId() == null ? "anonymous" : e.principalId());
      g.writeEndObject();
      g.writeObjectFieldStart("requestParameters");
      g.writeStringField("sourceIPAddress", nonNull(e.sourceIp()));
      g.writeEndObject();
      g.writeObjectFieldStart("responseElements");
      g.writeStringField("x-amz-request-id", nonNull(e.requestId()));
      g.writeStringField("x-amz-id-2", hostId);
      g.writeEndObject();
      g.writeObjectFieldStart("s3");
      g.writeStringField("s3SchemaVersion", "1.0");
      g.writeStringField("configurationId", "");
      g.flush();
      idEnd[0] = ((ByteArrayOutputStream) g.getOutputTarget()).size() - 1; // before the value's closing quote
      g.writeObjectFieldStart("bucket");
      g.writeStringField("name", e.bucket());
      g.writeObjectFieldStart("ownerIdentity");
      g.writeStringField("principalId", nonNull(bucketOwnerId));
      g.writeEndObject();
      g.writeStringField("arn", "arn:aws:s3:::" + e.bucket());
      g.writeEndObject();
      g.writeObjectFieldStart("object");
      g.writeStringField("key", urlEncodeKey(e.key()));
      if (!isRemoval(e.eventName())) {
        g.writeNumberField("size", e.size());
        if (e.eTag() != null) {
          g.writeStringField("eTag", e.eTag());
        }
      }
      if (e.versionId() != null) {
        g.writeStringField("versionId", e.versionId());
      }
      g.writeStringField("sequencer", e.sequencer());
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    });
    return new S3Body(template, idEnd[0]);
  }

  /** An S3 event body with an empty {@code configurationId}, which {@link #forRule} fills in. */
  public static final class S3Body {
    private final byte[] bytes;
    private final int idAt;

    private S3Body(byte[] bytes, int idAt) {
      this.bytes = bytes;
      this.idAt = idAt;
    }

    /** A body as {@link #template} and {@link #idAt} gave it (read back from storage). */
    public static S3Body of(byte[] template, int idAt) {
      if (idAt < 0 || idAt > template.length) {
        throw new IllegalArgumentException("configurationId position " + idAt + " outside a body of "
            + template.length + " bytes");
      }
      return new S3Body(template, idAt);
    }

    /** The body with an empty {@code configurationId}. Not a copy: do not modify. */
    public byte[] template() {
      return bytes;
    }

    /** Where the id goes in {@link #template}: just before the empty value's closing quote. */
    public int idAt() {
      return idAt;
    }

    /** The exact body for the rule with {@code ruleId}. */
    public byte[] forRule(String ruleId) {
      byte[] id = JsonStringEncoder.getInstance().quoteAsUTF8(ruleId);
      byte[] out = new byte[bytes.length + id.length];
      System.arraycopy(bytes, 0, out, 0, idAt);
      System.arraycopy(id, 0, out, idAt, id.length);
      System.arraycopy(bytes, idAt, out, idAt + id.length, bytes.length - idAt);
      return out;
    }
  }

  /**
   * Tarn's compact form, the shape of ElasticLake's document
   * (https://elasticlake.com/blog/webhooks-event-driven): {@code event}, {@code timestamp} (UTC, whole
   * seconds), {@code bucket}, {@code object} ({@code key}, {@code size}, {@code etag},
   * {@code contentType}), plus {@code sequencer} to order events of a key (the document's own
   * payload carries extra fields too). The key is raw (not URL-encoded). For removals {@code size},
   * {@code etag} and {@code contentType} are present as {@code null}, so the shape never changes.
   *
   * @param eventName the name the rule gives this event ({@code Rule.deliveredName}): a rule only
   *     ever sees names it subscribed to, so this depends on the rule, not on the event alone
   */
  public byte[] compact(MutationEvent e, String eventName) {
    Objects.requireNonNull(eventName, "eventName");
    boolean removal = isRemoval(e.eventName());
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("event", eventName);
      g.writeStringField("timestamp", ISO_SECONDS.format(e.time()));
      g.writeStringField("bucket", e.bucket());
      g.writeObjectFieldStart("object");
      g.writeStringField("key", e.key());
      if (removal) {
        g.writeNullField("size");
      } else {
        g.writeNumberField("size", e.size());
      }
      g.writeStringField("etag", removal ? null : e.eTag());
      g.writeStringField("contentType", removal ? null : e.contentType());
      g.writeEndObject();
      g.writeStringField("sequencer", e.sequencer());
      g.writeEndObject();
    });
  }

  /** The {@code s3:TestEvent} message (the same in both formats, as S3 sends it on configuration). */
  public byte[] testEvent(String bucket, String requestId, Instant time) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("Service", "Tarn");
      g.writeStringField("Event", "s3:TestEvent");
      g.writeStringField("Time", iso(time));
      g.writeStringField("Bucket", bucket);
      g.writeStringField("RequestId", nonNull(requestId));
      g.writeStringField("HostId", hostId);
      g.writeEndObject();
    });
  }

  /** Events after which the object (version) is gone: S3 omits size and eTag for these. */
  public static boolean isRemoval(EventName n) {
    return n.family().equals("ObjectRemoved") || n.family().equals("LifecycleExpiration");
  }

  /**
   * The key as S3 event records carry it: form-URL-encoded (a space becomes {@code +}), with
   * {@code /} left as it is, as S3 does.
   */
  public static String urlEncodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  public static String iso(Instant t) {
    return ISO_MILLIS.format(t);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return out.toByteArray();
  }
}
