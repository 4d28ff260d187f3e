package io.tarn.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a backup made and what its verification found.
 *
 * @param dir the backup, a data directory
 * @param hardLinked whether the blob files were hard-linked (false: copied)
 * @param buckets buckets in the backup
 * @param objects objects in the backup, of which {@code inlineObjects} are stored in the index
 * @param objectBytes the objects' bytes, as the buckets' counters say
 * @param blobFiles blob files linked or copied (objects', manifests and parts of uploads in progress)
 * @param blobBytes their size on disk
 * @param indexBytes the size of the index's checkpoint ({@code meta/})
 * @param files the data directory's other files copied (relative names)
 * @param heldDeletions blob file deletions the store held while the files were linked or copied
 * @param verify how it was verified
 * @param verifiedBlobs blob files whose every block was verified ({@link Backups.Verify#FULL})
 * @param verifiedBytes their bytes
 * @param problems what the verification found; none means the backup is sound
 * @param checkpoint time to take the checkpoint (RocksDB's flush and links)
 * @param took time of the whole backup
 */
public record BackupReport(Path dir, boolean hardLinked, long buckets, long objects, long inlineObjects,
    long objectBytes, long blobFiles, long blobBytes, long indexBytes, List<String> files, long heldDeletions,
    Backups.Verify verify, long verifiedBlobs, long verifiedBytes, List<FsckReport.Finding> problems,
    Duration checkpoint, Duration took) {
  /** Written into a backup once it is complete and verified: a directory without it is not a backup. */
  public static final String MARKER = "tarn-backup.txt";

  public BackupReport {
    files = List.copyOf(files);
    problems = List.copyOf(problems);
  }

  public boolean verified() {
    return problems.isEmpty();
  }
}
