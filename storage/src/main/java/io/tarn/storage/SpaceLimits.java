package io.tarn.storage;

/**
 * How {@link TarnStore} keeps a full disk from taking the store down (Tarn issue 11).
 *
 * @param minFree the free-space floor in bytes: an object or part write is refused (STORAGE_FULL)
 *     when the data directory's file system would have less than this left after its body. Deletes
 *     are never refused. The room above the reserve that RocksDB keeps for flushes, compactions and
 *     the webhook queue, which go on while writes are refused.
 * @param reserve bytes of the ballast file {@code <data>/reserve}: written at start while there is
 *     room, given up when RocksDB has met a full disk and a delete needs room to commit (so deletes
 *     work even when another process filled the disk), written again once there is room; 0: none
 * @param simulatedCapacity 0 in production. For tests only: the store then sees a file system of
 *     this many bytes, used by what the data directory holds, instead of the real one (a full disk
 *     without a mount)
 */
public record SpaceLimits(long minFree, long reserve, long simulatedCapacity) {
  /**
   * 256 MiB floor, 32 MiB reserve. The floor leaves RocksDB room to flush its memtables (64 MiB per
   * column family at most) and compact while writes are refused; the reserve covers what a delete
   * needs after RocksDB stopped: a reopen without flush (a new WAL, MANIFEST and OPTIONS file, some KiB)
   * and the delete's WAL record, with a wide margin for a preallocated WAL file.
   */
  public static final SpaceLimits DEFAULTS = new SpaceLimits(256L << 20, 32L << 20, 0);

  /** No floor and no reserve: nothing is refused before the disk itself is full. */
  public static final SpaceLimits NONE = new SpaceLimits(0, 0, 0);

  public SpaceLimits {
    if (minFree < 0 || reserve < 0 || simulatedCapacity < 0) {
      throw new IllegalArgumentException("space limits must be >= 0: minFree " + minFree + ", reserve " + reserve
          + ", simulatedCapacity " + simulatedCapacity);
    }
  }
}
