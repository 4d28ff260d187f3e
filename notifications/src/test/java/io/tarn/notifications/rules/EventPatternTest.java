package io.tarn.notifications.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

  static Stream<Arguments> table() {
    return Stream.of(
        // text as given, shown back as, S3 form, events matched (either way of replacing unless stated)
        row("s3:ObjectCreated:*", "s3:ObjectCreated:*", "s3:ObjectCreated:*", both(CREATED)),
        row("ObjectCreated:*", "s3:ObjectCreated:*", "s3:ObjectCreated:*", both(CREATED)),
        row("objectcreated:*", "s3:ObjectCreated:*", "s3:ObjectCreated:*", both(CREATED)),
        row("s3:ObjectCreated:Put", "s3:ObjectCreated:Put", "s3:ObjectCreated:Put", both(EnumSet.of(EventName.OBJECT_CREATED_PUT))),
        row("ObjectCreated:Post", "s3:ObjectCreated:Post", "s3:ObjectCreated:Post", both(EnumSet.of(EventName.OBJECT_CREATED_POST))),
        row("ObjectCreated:Copy", "s3:ObjectCreated:Copy", "s3:ObjectCreated:Copy", both(EnumSet.of(EventName.OBJECT_CREATED_COPY))),
        row("ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectCreated:CompleteMultipartUpload", both(EnumSet.of(EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD))),
        row("s3:ObjectRemoved:*", "s3:ObjectRemoved:*", "s3:ObjectRemoved:*", both(REMOVED)),
        row("ObjectRemoved:Delete", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:Delete", both(EnumSet.of(EventName.OBJECT_REMOVED_DELETE))),
        row("ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRemoved:DeleteMarkerCreated",
            both(EnumSet.of(EventName.OBJECT_REMOVED_DELETE_MARKER_CREATED))),
        row("ObjectTagging:*", "s3:ObjectTagging:*", "s3:ObjectTagging:*",
            both(EnumSet.of(EventName.OBJECT_TAGGING_PUT, EventName.OBJECT_TAGGING_DELETE))),
        row("s3:ObjectTagging:Put", "s3:ObjectTagging:Put", "s3:ObjectTagging:Put", both(EnumSet.of(EventName.OBJECT_TAGGING_PUT))),
        row("ObjectTagging:Delete", "s3:ObjectTagging:Delete", "s3:ObjectTagging:Delete", both(EnumSet.of(EventName.OBJECT_TAGGING_DELETE))),
        row("LifecycleExpiration:*", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:*",
            both(EnumSet.of(EventName.LIFECYCLE_EXPIRATION_DELETE, EventName.LIFECYCLE_EXPIRATION_DELETE_MARKER_CREATED))),
        row("LifecycleExpiration:Delete", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:Delete",
            both(EnumSet.of(EventName.LIFECYCLE_EXPIRATION_DELETE))),
        row("LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleExpiration:DeleteMarkerCreated",
            "s3:LifecycleExpiration:DeleteMarkerCreated", both(EnumSet.of(EventName.LIFECYCLE_EXPIRATION_DELETE_MARKER_CREATED))),
        row("s3:TestEvent", "s3:TestEvent", "s3:TestEvent", both(EnumSet.of(EventName.TEST_EVENT))),
        row("object:created", "object:created", "s3:ObjectCreated:*", only(CREATED, false)),
        row("Object:Created", "object:created", "s3:ObjectCreated:*", only(CREATED, false)),
        row("object:updated", "object:updated", "s3:ObjectCreated:*", only(CREATED, true)),
        row("object:deleted", "object:deleted", "s3:ObjectRemoved:*", both(REMOVED)),
        row("multipart:completed", "multipart:completed", "s3:ObjectCreated:CompleteMultipartUpload",
            both(EnumSet.of(EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD))),
        row(" ObjectCreated:Put ", "s3:ObjectCreated:Put", "s3:ObjectCreated:Put", both(EnumSet.of(EventName.OBJECT_CREATED_PUT))));
  }

  private static Arguments row(String text, String shown, String s3, List<Hit> hits) {
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
  void parsesAndMatchesExactlyTheseEvents(String text, String shown, String s3, List<Hit> expected) {
    EventPattern p = EventPattern.parse(text);
    assertEquals(shown, p.text());
    assertEquals(s3, p.s3Name());
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
      "s3:object:created", "object:moved", "ObjectRestore:*", "s3:ObjectCreated:**", "ObjectCreated :Put"})
  void refusesUnknownNames(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventPattern.parse(text));
    assertEquals(true, e.getMessage().contains("event name"), e.getMessage());
  }
}
