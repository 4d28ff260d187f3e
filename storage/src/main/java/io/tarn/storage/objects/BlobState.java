package io.tarn.storage.objects;

/**
 * The life-cycle state of a blob file, the one-byte value of its record in the {@code blobrefs} column
 * family (one record per blob id). It lets the start-up sweep delete only what it can prove is garbage:
 *
 * <ul>
 *   <li>{@link #INTENT}: written (unsynced) before the file is installed into {@code blobs/}. A file
 *       whose record is still an intent at start-up never committed: the commit that makes it live
 *       is synced, and every earlier WAL write (the intent) reaches the disk with it, so an intent
 *       that survived without its commit means the commit was never acknowledged.
 *   <li>{@link #LIVE}: written in the commit that makes the file part of an object or an upload.
 *   <li>{@link #RELEASED}: written in the commit that drops the file (overwrite, delete, abort,
 *       completion's unnamed parts); the record is removed once the file is deleted.
 * </ul>
 *
 * A file with no record is not provably garbage: its metadata may have been lost. It is quarantined.
 */
public enum BlobState {
  /** Earlier builds wrote only this value (format byte 1, a live blobref): it keeps its meaning. */
  LIVE((byte) 1),
  INTENT((byte) 2),
  RELEASED((byte) 3);

  private final byte code;

  BlobState(byte code) {
    this.code = code;
  }

  byte[] encode() {
    return new byte[] {code};
  }

  /**
   * The state a record holds. A value this build does not know (written by a later one) counts as
   * live: keeping a file is always safe, deleting one is not.
   */
  static BlobState decode(byte[] value) {
    if (value != null && value.length > 0) {
      for (BlobState s : values()) {
        if (s.code == value[0]) {
          return s;
        }
      }
    }
    return LIVE;
  }
}
