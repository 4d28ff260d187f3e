package io.tarn.storage;

import java.util.List;

/**
 * The integrity of stored bytes: damage found by verified reads and scrubs, and scrubs on demand
 * ({@link TarnStore#integrity()}). Damage is recorded durably (it survives a restart) and counted.
 */
public interface Integrity {
  /**
   * Verifies every blob of every object and of every multipart upload in progress (of {@code bucket}
   * only, if not null) now, on the calling thread, reading at most {@code bytesPerSecond} (0: as fast
   * as the disk goes). Damage found is recorded like a read's; a full pass (no bucket) also clears the
   * marks of blobs that are no longer referenced or verify again (restored from a backup).
   *
   * @throws StorageException NO_SUCH_BUCKET if {@code bucket} does not exist
   */
  ScrubReport scrub(String bucket, long bytesPerSecond);

  /** The damaged blobs on record, oldest id first. */
  List<DamagedBlob> damaged();

  /** How many times damage was detected (by reads and scrubs) since the store was opened. */
  long detections();
}
