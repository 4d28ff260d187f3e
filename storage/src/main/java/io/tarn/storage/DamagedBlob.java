package io.tarn.storage;

import java.time.Instant;

/**
 * A blob file found damaged, and whose bytes it holds. Damaged blobs are recorded, counted and
 * reported; they are never deleted or moved by Tarn (an operator may restore the file from a backup:
 * the next scrub then clears the mark).
 *
 * @param blobId the blob file's id ({@code <data>/blobs/<first two>/<id>})
 * @param bucket the bucket of the object (or upload) it belongs to
 * @param key the object's key
 * @param uploadId the multipart upload it is a part of while the upload is in progress, else null
 * @param partNumber the part it holds in a multipart object or upload, 0 for a single-part object
 * @param problem what is wrong
 * @param detail why, in words (which block, which length)
 * @param detected when it was first found
 * @param foundBy {@code "read"} (a GET verified it) or {@code "scrub"}
 */
public record DamagedBlob(String blobId, String bucket, String key, String uploadId, int partNumber, Problem problem,
    String detail, Instant detected, String foundBy) {
  /** What is wrong with a blob. */
  public enum Problem {
    /** Its bytes, length or trailer fail verification. */
    CORRUPT,
    /** The object's record names it, the file is not there. */
    MISSING
  }
}
