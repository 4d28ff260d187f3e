package io.tarn.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link IndexRepair#rebuild} did.
 *
 * @param movedAside where the old {@code meta/} was moved, or null if there was none
 * @param buckets the bucket records rebuilt
 * @param objects the object records rebuilt
 * @param bytes the bytes of those objects
 * @param unplaced blob files that are in no rebuilt record, each with the reason; left where they are
 * @param notes what the rebuild restored besides objects, and objects it could not restore as they were
 * @param lost what lives only in the index and did not come back
 */
public record RebuildReport(Path movedAside, int buckets, long objects, long bytes, List<Unplaced> unplaced,
    List<String> notes, List<String> lost) {
  public RebuildReport {
    unplaced = List.copyOf(unplaced);
    notes = List.copyOf(notes);
    lost = List.copyOf(lost);
  }

  /** A blob file left out of the index, and why. */
  public record Unplaced(String blobId, String reason) {}
}
