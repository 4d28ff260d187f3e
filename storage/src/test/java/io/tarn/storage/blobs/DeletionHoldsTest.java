package io.tarn.storage.blobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deletions held for backups: remembered while any hold is on, done when the last ends, bounded in memory. */
class DeletionHoldsTest {
  private final List<String> deleted = new ArrayList<>();
  private int sweeps;

  private DeletionHolds holds(int cap) {
    return new DeletionHolds((Collection<String> ids) -> deleted.addAll(ids), cap);
  }

  @Test
  void heldUntilTheLastHoldEnds() {
    DeletionHolds h = holds(10);
    assertFalse(h.deferIfHeld(List.of("a")), "no hold: the caller deletes");
    DeletionHolds.Hold first = h.hold(() -> sweeps++);
    DeletionHolds.Hold second = h.hold(() -> sweeps++);
    assertTrue(h.deferIfHeld(List.of("b", "c")));
    first.close();
    assertEquals(List.of(), deleted, "another hold is still on");
    assertTrue(h.deferIfHeld(List.of("d")));
    second.close();
    second.close(); // idempotent
    assertEquals(List.of("b", "c", "d"), deleted);
    assertEquals(3, second.held());
    assertEquals(0, sweeps);
    assertFalse(h.deferIfHeld(List.of("e")));
  }

  @Test
  void beyondTheCapTheIdsAreDroppedAndTheEndSweepsReleasedFiles() {
    DeletionHolds h = holds(2);
    DeletionHolds.Hold hold = h.hold(() -> sweeps++);
    assertTrue(h.deferIfHeld(List.of("a", "b")));
    assertTrue(h.deferIfHeld(List.of("c")));
    hold.close();
    assertEquals(List.of(), deleted, "the ids were dropped");
    assertEquals(1, sweeps, "the records say which files are released");
    assertEquals(3, hold.held());
  }
}
