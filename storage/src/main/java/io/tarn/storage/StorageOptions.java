package io.tarn.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how {@link TarnStore} keeps its data.
 *
 * @param dataDir the data directory; {@code meta/}, {@code blobs/} and {@code tmp/} are created in it
 * @param inlineThreshold bodies of at most this many bytes are kept in RocksDB rather than in a blob
 *     file (multipart parts are always files)
 * @param fsync whether commits are synced (WAL sync, file and directory fsync). Only tests and
 *     benchmarks turn this off: without it an acknowledged write can be lost by a power failure.
 */
public record StorageOptions(Path dataDir, int inlineThreshold, boolean fsync) {
  public static final int DEFAULT_INLINE_THRESHOLD = 128 * 1024;

  public StorageOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (inlineThreshold < 0) {
      throw new IllegalArgumentException("inlineThreshold must be >= 0: " + inlineThreshold);
    }
  }

  /** 128 KiB inline threshold, fsync on. */
  public static StorageOptions defaults(Path dataDir) {
    return new StorageOptions(dataDir, DEFAULT_INLINE_THRESHOLD, true);
  }

  public StorageOptions withInlineThreshold(int threshold) {
    return new StorageOptions(dataDir, threshold, fsync);
  }

  public StorageOptions withFsync(boolean sync) {
    return new StorageOptions(dataDir, inlineThreshold, sync);
  }
}
