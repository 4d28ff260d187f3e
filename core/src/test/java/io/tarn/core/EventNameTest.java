package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Names only: patterns and wildcards are parsed in notifications (EventPatternTest). */
class EventNameTest {
  @Test
  void wireQualifiedAndFamilyNames() {
    assertEquals("ObjectCreated:Put", EventName.OBJECT_CREATED_PUT.wireName());
    assertEquals("s3:ObjectCreated:Put", EventName.OBJECT_CREATED_PUT.qualifiedName());
    assertEquals("ObjectCreated", EventName.OBJECT_CREATED_PUT.family());
    assertEquals("ObjectRemoved", EventName.OBJECT_REMOVED_DELETE_MARKER_CREATED.family());
    assertEquals("Replication", EventName.REPLICATION_OPERATION_NOT_TRACKED.family());
    // a name without a colon is its own family
    assertEquals("TestEvent", EventName.TEST_EVENT.family());
    assertEquals("s3:TestEvent", EventName.TEST_EVENT.qualifiedName());
    assertEquals("LifecycleTransition", EventName.LIFECYCLE_TRANSITION.family());
  }

  @Test
  void everyNameIsDistinctAndWellFormed() {
    Set<String> wire = new HashSet<>();
    for (EventName e : EventName.values()) {
      assertTrue(wire.add(e.wireName()), "twice: " + e.wireName());
      assertTrue(e.wireName().matches("[A-Z][A-Za-z]+(:[A-Z][A-Za-z]+)?"), e.wireName());
      assertEquals("s3:" + e.wireName(), e.qualifiedName());
      assertTrue(e.wireName().startsWith(e.family()), e.name());
    }
  }

  /** What this server sends today; a change here must come with the code that emits (or stops emitting) it. */
  @Test
  void exactlyTheseAreEmitted() {
    Set<EventName> emitted = Stream.of(EventName.values()).filter(EventName::emitted)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventName.class)));
    assertEquals(EnumSet.of(EventName.OBJECT_CREATED_PUT, EventName.OBJECT_CREATED_POST,
        EventName.OBJECT_CREATED_COPY, EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD,
        EventName.OBJECT_REMOVED_DELETE, EventName.TEST_EVENT), emitted);
  }
}
