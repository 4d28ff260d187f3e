package io.tarn.storage.objects;

import io.tarn.storage.blobs.BlobStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up sweep of {@code blobs/}: it deletes a blob file only when its {@link BlobState} record
 * proves the file garbage, and moves files that no record accounts for into quarantine. Nothing is
 * deleted because the index merely does not know a file: the index may be the part that was lost.
 *
 * <p>Files and records are merged per fan-out directory (ids sort the same as hex names and as raw
 * record keys), so memory is bounded by one directory, and records whose file is missing are found
 * without a lookup per file.
 */
public final class BlobSweep {
  /** How many ids of live records without a file are named in the log. */
  private static final int SAMPLE = 5;

  /**
   * What the sweep found.
   *
   * @param live files with a live record (kept)
   * @param deleted files whose record proved them garbage (an intent never committed, or released)
   * @param quarantined files moved to {@code quarantineDir}: no record, or an intent that could not be trusted
   * @param foreign entries that are not blob files of this store (left alone)
   * @param missing live records whose file is missing, {@code missingSample} the first few of their ids
   * @param staleRecords intent and released records whose file was already gone (removed)
   */
  public record Result(long live, long deleted, long quarantined, Path quarantineDir, long foreign, long missing,
      List<String> missingSample, long staleRecords) {}

  private BlobSweep() {}

  /**
   * @param trustIntents whether an intent record proves that its file never committed. It does when
   *     the WAL was recovered whole (an intent reaches the disk with, or before, the synced commit
   *     that would have made it live). It does not after a recovery that accepted lost WAL records:
   *     the commit may have been among them; then such files are quarantined.
   */
  public static Result run(ObjectTables tables, BlobStore blobs, boolean trustIntents) {
    long live = 0;
    long deleted = 0;
    long quarantined = 0;
    long foreign = blobs.foreignTopLevel();
    long missing = 0;
    long stale = 0;
    List<String> sample = new ArrayList<>();
    Path quarantineDir = null;
    for (int fan = 0; fan < 256; fan++) {
      BlobStore.FanListing files = blobs.listFan(fan);
      foreign += files.foreign();
      List<ObjectTables.BlobRecord> records = tables.blobRecords(fan);
      List<String> delete = new ArrayList<>();
      List<String> quarantine = new ArrayList<>();
      List<String> dropRecords = new ArrayList<>();
      int i = 0;
      int j = 0;
      while (i < files.ids().size() || j < records.size()) {
        String file = i < files.ids().size() ? files.ids().get(i) : null;
        ObjectTables.BlobRecord rec = j < records.size() ? records.get(j) : null;
        int cmp = file == null ? 1 : rec == null ? -1 : file.compareTo(rec.id());
        if (cmp < 0) { // a file without a record: its metadata may be what was lost
          quarantine.add(file);
          i++;
        } else if (cmp > 0) { // a record without a file
          if (rec.state() == BlobState.LIVE) {
            missing++;
            if (sample.size() < SAMPLE) {
              sample.add(rec.id());
            }
          } else {
            dropRecords.add(rec.id());
            stale++;
          }
          j++;
        } else {
          switch (rec.state()) {
            case LIVE -> live++;
            case RELEASED -> delete.add(file);
            case INTENT -> {
              if (trustIntents) {
                delete.add(file);
              } else {
                quarantine.add(file);
                dropRecords.add(file);
              }
            }
          }
          i++;
          j++;
        }
      }
      // Files first, durably; then their records: a crash in between leaves records without files.
      blobs.sweepDelete(delete);
      if (!quarantine.isEmpty()) {
        quarantineDir = blobs.quarantine(quarantine);
      }
      dropRecords.addAll(delete);
      tables.removeBlobRecords(dropRecords);
      deleted += delete.size();
      quarantined += quarantine.size();
    }
    return new Result(live, deleted, quarantined, quarantineDir, foreign, missing, List.copyOf(sample), stale);
  }
}
