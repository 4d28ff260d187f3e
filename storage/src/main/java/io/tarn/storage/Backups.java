package io.tarn.storage;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Online backups of the store ({@link TarnStore#backups}): a consistent copy of a running store into a
 * directory on the server's machine, which {@code tarn server --data DIR} opens as it is.
 */
public interface Backups {
  /** How a finished backup is checked. */
  enum Verify {
    /**
     * The index against the files, both ways, reading trailers (fsck): every object's and upload
     * part's blob file there, intact trailer, right size and description; every file referenced.
     */
    QUICK,
    /** QUICK, and every block of every blob file read and compared with its checksum (a scrub). */
    FULL
  }

  /**
   * Refuses a directory a backup cannot go into, creating nothing: not absolute, inside the data
   * directory, not empty, not a directory, or whose parent does not exist.
   *
   * @throws StorageException INVALID_ARGUMENT saying which
   */
  void check(Path dir);

  /**
   * Backs the store up into {@code dir} (see {@link #check}; created if missing), on the calling
   * thread, while the store keeps serving: a RocksDB checkpoint of the index, the blob files it holds
   * live hard-linked (same file system) or copied, the data directory's own files (master key,
   * credentials, store stamp...), then the copy verified as {@code verify} says.
   *
   * @param copy copy blob files even where they could be hard-linked
   * @param progress told of each step, from the calling thread
   * @return the report; {@link BackupReport#verified()} false if the verification found problems
   * @throws StorageException INVALID_ARGUMENT for a refused directory, CONFLICT if a backup is running,
   *     IO if it failed (the partial backup is left in {@code dir}, without its {@link BackupReport#MARKER})
   */
  BackupReport backup(Path dir, Verify verify, boolean copy, Consumer<BackupProgress> progress);
}
