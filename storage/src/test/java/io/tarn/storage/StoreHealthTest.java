package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** What a readiness probe reads of the store: open, writable, free space against the floor. */
class StoreHealthTest extends StoreTestSupport {
  private static final long MIB = 1L << 20;

  @Override
  StorageOptions options() {
    // A simulated 64 MiB disk with a 16 MiB floor and a 1 MiB reserve: every number is exact.
    return super.options().withSpace(new SpaceLimits(16 * MIB, MIB, 64 * MIB));
  }

  @Test
  void anOpenStoreIsWritableAndReportsItsFreeSpaceAgainstTheFloor() throws IOException {
    StoreHealth h = store.health();
    assertTrue(h.open());
    assertNull(h.writeProblem(), "the write probe ran at open and passed");
    assertTrue(h.writable());
    assertEquals(16 * MIB, h.floorBytes());
    assertTrue(h.freeBytes() > 16 * MIB && h.freeBytes() < 64 * MIB, "free: " + h.freeBytes());
    assertTrue(h.aboveFloor());
    assertFalse(Files.exists(dir.resolve(".write-probe")), "the probe file is deleted after each probe");
  }

  @Test
  void theFloorIsCrossedWhenTheDataDirectoryFillsTheSimulatedDisk() throws IOException {
    long free = store.health().freeBytes();
    // Fill to 1 MiB below the floor: object writes would be refused, and the probe says so.
    Files.write(dir.resolve("filler"), new byte[(int) (free - 16 * MIB + MIB)]);
    StoreHealth h = store.health();
    assertFalse(h.aboveFloor(), "free " + h.freeBytes() + ", floor " + h.floorBytes());
    assertEquals(15 * MIB, h.freeBytes());
    assertTrue(h.open() && h.writable(), "a full disk is the disk check's business, not the write probe's");
    Files.delete(dir.resolve("filler"));
    assertTrue(store.health().aboveFloor(), "seen again at once: nothing is cached");
  }

  @Test
  void aClosedStoreIsNotOpen() {
    store.close();
    StoreHealth h = store.health();
    assertFalse(h.open());
    assertNotNull(h.writeProblem());
    store = null;
  }
}
