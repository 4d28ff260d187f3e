package io.tarn.notifications.rules;

import io.tarn.core.EventName;

/**
 * One entry of a rule's {@code events}: an exact S3 event name, an S3 wildcard such as
 * {@code ObjectCreated:*}, or one of Tarn's short aliases. Names are accepted with or without the
 * {@code s3:} prefix and in any letter case
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 */
public sealed interface EventPattern permits EventPattern.Exact, EventPattern.Wildcard, EventPattern.Alias {
  /** The families that have a wildcard, as S3 spells them. */
  java.util.List<String> FAMILIES = java.util.List.of("ObjectCreated", "ObjectRemoved", "ObjectTagging",
      "LifecycleExpiration");

  /** The pattern as shown back: S3 names in {@code s3:} form, aliases as they are. */
  String text();

  /** The S3 pattern it stands for, in {@code s3:} form (for {@code GET ?notification}). */
  String s3Name();

  /** Whether an event of this name, which did or did not replace an existing object, matches. */
  boolean matches(EventName event, boolean replacedExisting);

  /**
   * Parses one event name.
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

  /** One S3 event, e.g. {@code s3:ObjectCreated:Put}, or {@code s3:TestEvent}. */
  record Exact(EventName event) implements EventPattern {
    @Override
    public String text() {
      return event.qualifiedName();
    }

    @Override
    public String s3Name() {
      return event.qualifiedName();
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
    public String s3Name() {
      return text();
    }

    @Override
    public boolean matches(EventName e, boolean replacedExisting) {
      return e != EventName.TEST_EVENT && e.family().equals(family);
    }
  }

  /**
   * Tarn's aliases. {@code object:created} and {@code object:updated} split {@code ObjectCreated:*}
   * by whether the write replaced an existing object, which S3 names cannot express.
   */
  enum Alias implements EventPattern {
    CREATED("object:created", "s3:ObjectCreated:*"),
    UPDATED("object:updated", "s3:ObjectCreated:*"),
    DELETED("object:deleted", "s3:ObjectRemoved:*"),
    MULTIPART_COMPLETED("multipart:completed", "s3:ObjectCreated:CompleteMultipartUpload");

    private final String text;
    private final String s3Name;

    Alias(String text, String s3Name) {
      this.text = text;
      this.s3Name = s3Name;
    }

    @Override
    public String text() {
      return text;
    }

    @Override
    public String s3Name() {
      return s3Name;
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
