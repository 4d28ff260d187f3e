package io.tarn.notifications.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Event names, wildcards and aliases: what each pattern matches, as a table. */
class EventPatternTest {
  private static final Set<EventName> CREATED = EnumSet.of(EventName.OBJECT_CREATED_PUT, EventName.OBJECT_CREATED_POST,
      EventName.OBJECT_CREATED_COPY, EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD);
  private static final Set<EventName> REMOVED =
      EnumSet.of(EventName.OBJECT_REMOVED_DELETE, EventName.OBJECT_REMOVED_DELETE_MARKER_CREATED);

  /** A match of an event that did (true) or did not (false) replace an existing object. */
  private record Hit(EventName event, boolean replaced) {
    @Override
    public String toString() {
      return event.wireName() + (replaced ? "(replaced)" : "");
    }
  }

  private static final List<String> NONE = List.of();
  /** What the server emits of the ObjectCreated family today. */
  private static final List<String> CREATED_EMITTED = List.of("s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
      "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload");

  static Stream<Arguments> table() {
    return Stream.of(
        // text as given, shown back as, what it delivers in S3 terms (empty: never emitted, refused
        // for new rules), events matched (either way of replacing unless stated)
        row("s3:ObjectCreated:*", "s3:ObjectCreated:*", List.of("s3:ObjectCreated:*"), both(CREATED)),
        row("ObjectCreated:*", "s3:ObjectCreated:*", List.of("s3:ObjectCreated:*"), both(CREATED)),
        row("objectcreated:*", "s3:ObjectCreated:*", List.of("s3:ObjectCreated:*"), both(CREATED)),
        row("s3:ObjectCreated:Put", "s3:ObjectCreated:Put", List.of("s3:ObjectCreated:Put"), both(EnumSet.of(EventName.OBJECT_CREATED_PUT))),
        row("ObjectCreated:Post", "s3:ObjectCreated:Post", List.of("s3:ObjectCreated:Post"),
            both(EnumSet.of(EventName.OBJECT_CREATED_POST))),
        row("ObjectCreated:Copy", "s3:ObjectCreated:Copy", List.of("s3:ObjectCreated:Copy"), both(EnumSet.of(EventName.OBJECT_CREATED_COPY))),
        row("ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:CompleteMultipartUpload",
            List.of("s3:ObjectCreated:CompleteMultipartUpload"), both(EnumSet.of(EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD))),
        row("s3:ObjectRemoved:*", "s3:ObjectRemoved:*", List.of("s3:ObjectRemoved:*"), both(REMOVED)),
        row("ObjectRemoved:Delete", "s3:ObjectRemoved:Delete", List.of("s3:ObjectRemoved:Delete"), both(EnumSet.of(EventName.OBJECT_REMOVED_DELETE))),
        row("ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRemoved:DeleteMarkerCreated", NONE,
            both(EnumSet.of(EventName.OBJECT_REMOVED_DELETE_MARKER_CREATED))),
        row("ObjectTagging:*", "s3:ObjectTagging:*", NONE,
            both(EnumSet.of(EventName.OBJECT_TAGGING_PUT, EventName.OBJECT_TAGGING_DELETE))),
        row("s3:ObjectTagging:Put", "s3:ObjectTagging:Put", NONE, both(EnumSet.of(EventName.OBJECT_TAGGING_PUT))),
        row("ObjectTagging:Delete", "s3:ObjectTagging:Delete", NONE, both(EnumSet.of(EventName.OBJECT_TAGGING_DELETE))),
        row("LifecycleExpiration:*", "s3:LifecycleExpiration:*", NONE,
            both(EnumSet.of(EventName.LIFECYCLE_EXPIRATION_DELETE, EventName.LIFECYCLE_EXPIRATION_DELETE_MARKER_CREATED))),
        row("LifecycleExpiration:Delete", "s3:LifecycleExpiration:Delete", NONE,
            both(EnumSet.of(EventName.LIFECYCLE_EXPIRATION_DELETE))),
        row("LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleExpiration:DeleteMarkerCreated", NONE,
            both(EnumSet.of(EventName.LIFECYCLE_EXPIRATION_DELETE_MARKER_CREATED))),
        row("s3:ObjectRestore:*", "s3:ObjectRestore:*", NONE, both(EnumSet.of(EventName.OBJECT_RESTORE_POST,
            EventName.OBJECT_RESTORE_COMPLETED, EventName.OBJECT_RESTORE_DELETE))),
        row("s3:Replication:*", "s3:Replication:*", NONE, both(EnumSet.of(EventName.REPLICATION_OPERATION_FAILED_REPLICATION,
            EventName.REPLICATION_OPERATION_MISSED_THRESHOLD, EventName.REPLICATION_OPERATION_REPLICATED_AFTER_THRESHOLD,
            EventName.REPLICATION_OPERATION_NOT_TRACKED))),
        row("s3:ObjectAcl:Put", "s3:ObjectAcl:Put", NONE, both(EnumSet.of(EventName.OBJECT_ACL_PUT))),
        row("s3:IntelligentTiering", "s3:IntelligentTiering", NONE, both(EnumSet.of(EventName.INTELLIGENT_TIERING))),
        row("s3:LifecycleTransition", "s3:LifecycleTransition", NONE, both(EnumSet.of(EventName.LIFECYCLE_TRANSITION))),
        row("s3:ReducedRedundancyLostObject", "s3:ReducedRedundancyLostObject", NONE,
            both(EnumSet.of(EventName.REDUCED_REDUNDANCY_LOST_OBJECT))),
        // Sent on request, never in a configuration (S3 has no such configurable event).
        row("s3:TestEvent", "s3:TestEvent", NONE, both(EnumSet.of(EventName.TEST_EVENT))),
        row("object:created", "object:created", CREATED_EMITTED, only(CREATED, false)),
        row("Object:Created", "object:created", CREATED_EMITTED, only(CREATED, false)),
        row("object:updated", "object:updated", CREATED_EMITTED, only(CREATED, true)),
        row("object:deleted", "object:deleted", List.of("s3:ObjectRemoved:Delete"), both(REMOVED)),
        row("multipart:completed", "multipart:completed", List.of("s3:ObjectCreated:CompleteMultipartUpload"),
            both(EnumSet.of(EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD))),
        row(" ObjectCreated:Put ", "s3:ObjectCreated:Put", List.of("s3:ObjectCreated:Put"), both(EnumSet.of(EventName.OBJECT_CREATED_PUT))));
  }

  private static Arguments row(String text, String shown, List<String> s3, List<Hit> hits) {
    return Arguments.of(text, shown, s3, hits);
  }

  private static List<Hit> both(Set<EventName> events) {
    List<Hit> out = new ArrayList<>();
    for (EventName e : events) {
      out.add(new Hit(e, false));
      out.add(new Hit(e, true));
    }
    return out;
  }

  private static List<Hit> only(Set<EventName> events, boolean replaced) {
    return events.stream().map(e -> new Hit(e, replaced)).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void parsesAndMatchesExactlyTheseEvents(String text, String shown, List<String> s3, List<Hit> expected) {
    EventPattern p = EventPattern.parse(text);
    assertEquals(shown, p.text());
    assertEquals(s3, p.s3Names());
    assertEquals(!s3.isEmpty() || p.equals(new EventPattern.Exact(EventName.TEST_EVENT)), p.deliverable(),
        "deliverable exactly when the server emits something it matches");
    List<Hit> matched = new ArrayList<>();
    for (EventName e : EventName.values()) {
      for (boolean replaced : new boolean[] {false, true}) {
        if (p.matches(e, replaced)) {
          matched.add(new Hit(e, replaced));
        }
      }
    }
    assertEquals(Set.copyOf(expected), Set.copyOf(matched));
    assertEquals(p, EventPattern.parse(p.text()), "the shown form parses back to the same pattern");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "ObjectCreated", "ObjectCreated:", "ObjectCreated:Get", "s3:*", "*", "Object*",
      "s3:object:created", "object:moved", "ObjectAcl:*", "s3:ObjectCreated:**", "ObjectCreated :Put"})
  void refusesUnknownNames(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventPattern.parse(text));
    assertEquals(true, e.getMessage().contains("event name"), e.getMessage());
  }

  static Stream<Arguments> names() {
    EventName put = EventName.OBJECT_CREATED_PUT;
    EventName mpu = EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD;
    EventName del = EventName.OBJECT_REMOVED_DELETE;
    return Stream.of(
        // a rule's events, the event, whether it replaced an object, the name the rule gives it (null: not for it)
        Arguments.of(List.of("object:created"), mpu, false, "object:created"),
        Arguments.of(List.of("object:created"), mpu, true, null),
        Arguments.of(List.of("object:updated"), mpu, true, "object:updated"),
        Arguments.of(List.of("object:updated"), mpu, false, null),
        Arguments.of(List.of("object:created", "object:updated"), mpu, true, "object:updated"),
        Arguments.of(List.of("multipart:completed"), mpu, false, "multipart:completed"),
        Arguments.of(List.of("multipart:completed"), put, false, null),
        Arguments.of(List.of("object:created", "multipart:completed"), mpu, false, "multipart:completed"),
        Arguments.of(List.of("multipart:completed", "object:updated"), mpu, true, "multipart:completed"),
        Arguments.of(List.of("object:updated", "multipart:completed"), put, true, "object:updated"),
        Arguments.of(List.of("object:deleted"), del, true, "object:deleted"),
        Arguments.of(List.of("object:deleted"), put, false, null),
        // S3 names give S3 names, as event records write them; aliases win over them.
        Arguments.of(List.of("s3:ObjectCreated:*"), mpu, false, "ObjectCreated:CompleteMultipartUpload"),
        Arguments.of(List.of("s3:ObjectCreated:Put"), put, true, "ObjectCreated:Put"),
        Arguments.of(List.of("s3:ObjectCreated:*", "object:created"), put, false, "object:created"),
        Arguments.of(List.of("s3:ObjectCreated:*", "object:created"), put, true, "ObjectCreated:Put"),
        Arguments.of(List.of("ObjectRemoved:*", "object:created"), del, true, "ObjectRemoved:Delete"));
  }

  @ParameterizedTest(name = "{0} {1} replaced={2}")
  @MethodSource("names")
  void aRuleOnlyEverSeesNamesItSubscribedTo(List<String> events, EventName event, boolean replaced, String expected) {
    List<EventPattern> patterns = events.stream().map(EventPattern::parse).toList();
    assertEquals(expected, EventPattern.deliveredName(patterns, event, replaced));
    if (expected != null) {
      assertTrue(patterns.stream().anyMatch(p -> p.text().equals(expected) || p.matches(event, replaced)
          && !(p instanceof EventPattern.Alias) && event.wireName().equals(expected)), "subscribed: " + expected);
    }
  }
}
