package io.tarn.storage;

/**
 * What a readiness probe needs to know of the store, read without touching the disk but for one
 * {@code statvfs} ({@link ObjectStore#health()}).
 *
 * @param open whether the store serves operations (false once closed, or while a reopen of the
 *     metadata store after a full disk failed)
 * @param writeProblem null when the store can write: the last write probe (a small file written and
 *     synced in the data directory by a background thread) passed and the metadata store has not
 *     stopped writes after a failed one; else what failed
 * @param freeBytes bytes free for object writes on the data directory's file system (a reserve that
 *     was given up counted as used, as write admission counts it)
 * @param floorBytes the free-space floor ({@code --min-free-space}) below which object writes are refused
 */
public record StoreHealth(boolean open, String writeProblem, long freeBytes, long floorBytes) {
  /** Whether writes can be made. */
  public boolean writable() {
    return writeProblem == null;
  }

  /** Whether the free space is at or above the floor: object writes are admitted. */
  public boolean aboveFloor() {
    return freeBytes >= floorBytes;
  }
}
