package io.tarn.notifications.rules;

import io.tarn.core.EventName;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a rule's {@code events}: an exact S3 event name, an S3 wildcard such as
 * {@code ObjectCreated:*}, or one of Tarn's short aliases. Names are accepted with or without the
 * {@code s3:} prefix and in any letter case
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 */
public sealed interface EventPattern permits EventPattern.Exact, EventPattern.Wildcard, EventPattern.Alias {
  /** The families that have a wildcard, as S3 spells them (the {@code :*} values S3 accepts). */
  List<String> FAMILIES = List.of("ObjectCreated", "ObjectRemoved", "ObjectRestore", "Replication",
      "LifecycleExpiration", "ObjectTagging");

  /** The pattern as shown back: S3 names in {@code s3:} form, aliases as they are. */
  String text();

  /**
   * What the pattern delivers in S3's terms (for {@code GET ?notification}): the exact S3 names it
   * can match among those the server emits ({@link EventName#emitted()}), {@code s3:} form; a
   * wildcard stays a wildcard. Empty when the server never emits anything it matches.
   */
  List<String> s3Names();

  /** Whether the server emits anything this pattern matches (a rule may only subscribe to such patterns). */
  boolean deliverable();

  /** Whether an event of this name, which did or did not replace an existing object, matches. */
  boolean matches(EventName event, boolean replacedExisting);

  /**
   * The name a rule with these patterns gives an event (the compact body's {@code event}, the
   * {@code X-Tarn-Event} header), or null if none matches. Always a name the rule subscribed to:
   * <ol>
   *   <li>{@code multipart:completed} for a completed multipart upload, when subscribed;
   *   <li>else the other alias that matches: {@code object:created} (the write made a new key),
   *       {@code object:updated} (it replaced one) or {@code object:deleted};
   *   <li>else, when an S3 name or wildcard matches, the S3 name as event records write it
   *       ({@code ObjectCreated:Put}, no {@code s3:}).
   * </ol>
   */
  static String deliveredName(List<EventPattern> patterns, EventName event, boolean replacedExisting) {
    Alias alias = null;
    boolean s3 = false;
    for (EventPattern p : patterns) {
      if (!p.matches(event, replacedExisting)) {
        continue;
      }
      if (p == Alias.MULTIPART_COMPLETED) {
        return Alias.MULTIPART_COMPLETED.text;
      }
      if (p instanceof Alias a) {
        alias = a;
      } else {
        s3 = true;
      }
    }
    return alias != null ? alias.text : s3 ? event.wireName() : null;
  }

  /**
   * Parses one event name: any S3 name or wildcard S3 accepts, even those the server never emits
   * (stored rules keep loading; {@link RuleValidator} refuses new ones).
   *
   * @throws IllegalArgumentException naming the refused text
   */
  static EventPattern parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty event name");
    }
    String t = text.strip();
    for (Alias a : Alias.values()) {
      if (a.text.equalsIgnoreCase(t)) {
        return a;
      }
    }
    String bare = t.regionMatches(true, 0, "s3:", 0, 3) ? t.substring(3) : t;
    if (bare.endsWith(":*")) {
      String family = bare.substring(0, bare.length() - 2);
      for (String f : FAMILIES) {
        if (f.equalsIgnoreCase(family)) {
          return new Wildcard(f);
        }
      }
    } else {
      for (EventName e : EventName.values()) {
        if (e.wireName().equalsIgnoreCase(bare)) {
          return new Exact(e);
        }
      }
    }
    throw new IllegalArgumentException("unknown event name: " + t);
  }

  /** The emitted event names {@code pattern} matches, whatever the object's previous state, in enum order. */
  private static List<String> emittedMatching(EventPattern pattern) {
    List<String> out = new ArrayList<>();
    for (EventName e : EventName.values()) {
      if (e.emitted() && e != EventName.TEST_EVENT && (pattern.matches(e, false) || pattern.matches(e, true))) {
        out.add(e.qualifiedName());
      }
    }
    return out;
  }

  /** One S3 event, e.g. {@code s3:ObjectCreated:Put}, or {@code s3:TestEvent}. */
  record Exact(EventName event) implements EventPattern {
    @Override
    public String text() {
      return event.qualifiedName();
    }

    /**
     * {@code s3:TestEvent} is not an event type of S3's notification configurations (S3 sends it
     * once when a configuration is saved), so it has no place in one.
     */
    @Override
    public List<String> s3Names() {
      return event.emitted() && event != EventName.TEST_EVENT ? List.of(event.qualifiedName()) : List.of();
    }

    @Override
    public boolean deliverable() {
      return event.emitted();
    }

    @Override
    public boolean matches(EventName e, boolean replacedExisting) {
      return e == event;
    }
  }

  /** Every event of a family, e.g. {@code s3:ObjectRemoved:*}. */
  record Wildcard(String family) implements EventPattern {
    @Override
    public String text() {
      return "s3:" + family + ":*";
    }

    @Override
    public List<String> s3Names() {
      return deliverable() ? List.of(text()) : List.of();
    }

    @Override
    public boolean deliverable() {
      return !emittedMatching(this).isEmpty();
    }

    @Override
    public boolean matches(EventName e, boolean replacedExisting) {
      return e != EventName.TEST_EVENT && e.family().equals(family);
    }
  }

  /**
   * Tarn's aliases (ElasticLake's event names). {@code object:created} and {@code object:updated}
   * split the ObjectCreated events by whether the write replaced an existing object, which S3 names
   * cannot express: in S3 terms each is the ObjectCreated names the server emits.
   */
  enum Alias implements EventPattern {
    CREATED("object:created"),
    UPDATED("object:updated"),
    DELETED("object:deleted"),
    MULTIPART_COMPLETED("multipart:completed");

    private final String text;

    Alias(String text) {
      this.text = text;
    }

    @Override
    public String text() {
      return text;
    }

    @Override
    public List<String> s3Names() {
      return emittedMatching(this);
    }

    @Override
    public boolean deliverable() {
      return !emittedMatching(this).isEmpty();
    }

    @Override
    public boolean matches(EventName e, boolean replacedExisting) {
      return switch (this) {
        case CREATED -> e.family().equals("ObjectCreated") && !replacedExisting;
        case UPDATED -> e.family().equals("ObjectCreated") && replacedExisting;
        case DELETED -> e.family().equals("ObjectRemoved");
        case MULTIPART_COMPLETED -> e == EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD;
      };
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
