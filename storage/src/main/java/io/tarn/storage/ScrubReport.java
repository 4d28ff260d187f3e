package io.tarn.storage;

import java.time.Duration;
import java.util.List;

/**
 * What one scrub pass checked and found.
 *
 * @param bucket the bucket it was limited to, or null for all
 * @param objects object records checked (their blobs or inline bytes)
 * @param uploads parts of multipart uploads in progress checked
 * @param blobs blob files verified (every block against its checksum)
 * @param bytes data bytes of the blob files that verified (a damaged one counts as a blob, not its bytes)
 * @param inline objects whose bytes are inline in the metadata store (read, so RocksDB verified
 *     their block checksums)
 * @param damaged the damaged and missing blobs the pass found
 * @param took how long it took
 */
public record ScrubReport(String bucket, long objects, long uploads, long blobs, long bytes, long inline,
    List<DamagedBlob> damaged, Duration took) {
  public ScrubReport {
    damaged = List.copyOf(damaged);
  }
}
