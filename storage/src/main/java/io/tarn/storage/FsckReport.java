package io.tarn.storage;

import java.util.List;

/**
 * What {@link IndexRepair#fsck} found, comparing the index with the blob files both ways.
 *
 * @param objects object records checked
 * @param inlineObjects of which inline (in the index only: no blob file to check, none to rebuild from)
 * @param blobFiles blob files found in {@code blobs/}
 * @param findings every inconsistency; none means clean
 */
public record FsckReport(long objects, long inlineObjects, long blobFiles, List<Finding> findings) {
  public FsckReport {
    findings = List.copyOf(findings);
  }

  public boolean clean() {
    return findings.isEmpty();
  }

  /** What kind of inconsistency. */
  public enum Kind {
    /** A record's blob file does not exist. */
    MISSING_BLOB,
    /** A record's blob file has a missing or damaged trailer (truncated, extended, overwritten). */
    CORRUPT_BLOB,
    /** A record's blob file holds another number of bytes than the record says. */
    WRONG_SIZE,
    /** A record's blob file describes another object (or is not the kind of blob the record needs). */
    WRONG_DESCRIPTION,
    /** A record's blob file has no blobref: the start-up sweep does not count it as live. */
    NO_BLOBREF,
    /** A blob file without a blobref: not in the index (left in place, never deleted by fsck). */
    ORPHAN,
    /** A blob file with a blobref but no record that uses it. */
    UNOWNED,
    /** A blobref whose blob file does not exist. */
    DANGLING_BLOBREF,
    /** An inline record whose bytes are missing from the index. */
    MISSING_INLINE,
    /** A record that cannot be decoded. */
    CORRUPT_RECORD,
    /**
     * A bucket's object or byte counter differs from what its records add up to (what the console,
     * {@code admin info} and the metrics show); {@code fsck --repair} sets them from the records.
     */
    USAGE_MISMATCH
  }

  /**
   * @param blobId the blob file concerned, or null (a record)
   * @param detail what, in words: the bucket and key where one is known
   */
  public record Finding(Kind kind, String blobId, String detail) {}
}
