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
 * @param masterKey the key that seals stored secrets, or {@code null}: then {@link TarnStore#open}
 *     loads {@code <dataDir>/master.key}, or generates it into a data directory that holds no data yet
 * @param dataMode the modes of the directories and files the store creates (not null)
 * @param verifyReads whether reads verify blob files: the trailer and the data length when an object
 *     is opened, each block's checksum as it is sent ({@link Segment.FileSegment#check()}). On by
 *     default; off trades that safety for speed (a damaged blob is then served as it is)
 */
public record StorageOptions(Path dataDir, int inlineThreshold, boolean fsync, MasterKey masterKey, DataMode dataMode,
    boolean verifyReads) {
  public static final int DEFAULT_INLINE_THRESHOLD = 128 * 1024;

  public StorageOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dataMode, "dataMode");
    if (inlineThreshold < 0) {
      throw new IllegalArgumentException("inlineThreshold must be >= 0: " + inlineThreshold);
    }
  }

  /** Reads verified. */
  public StorageOptions(Path dataDir, int inlineThreshold, boolean fsync, MasterKey masterKey, DataMode dataMode) {
    this(dataDir, inlineThreshold, fsync, masterKey, dataMode, true);
  }

  /** Private modes. */
  public StorageOptions(Path dataDir, int inlineThreshold, boolean fsync, MasterKey masterKey) {
    this(dataDir, inlineThreshold, fsync, masterKey, DataMode.PRIVATE);
  }

  /** Without a master key: the store uses the one in the data directory. */
  public StorageOptions(Path dataDir, int inlineThreshold, boolean fsync) {
    this(dataDir, inlineThreshold, fsync, null);
  }

  /** 128 KiB inline threshold, fsync on, the data directory's master key. */
  public static StorageOptions defaults(Path dataDir) {
    return new StorageOptions(dataDir, DEFAULT_INLINE_THRESHOLD, true, null, DataMode.PRIVATE, true);
  }

  public StorageOptions withInlineThreshold(int threshold) {
    return new StorageOptions(dataDir, threshold, fsync, masterKey, dataMode, verifyReads);
  }

  public StorageOptions withFsync(boolean sync) {
    return new StorageOptions(dataDir, inlineThreshold, sync, masterKey, dataMode, verifyReads);
  }

  public StorageOptions withDataMode(DataMode mode) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, masterKey, mode, verifyReads);
  }

  public StorageOptions withMasterKey(MasterKey key) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, key, dataMode, verifyReads);
  }

  public StorageOptions withVerifyReads(boolean verify) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, masterKey, dataMode, verify);
  }
}
