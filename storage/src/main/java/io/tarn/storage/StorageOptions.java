package io.tarn.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how {@link TarnStore} keeps its data.
 *
 * @param dataDir the data directory; {@code meta/}, {@code blobs/} and {@code tmp/} are created in it
 * @param inlineThreshold bodies of at most this many bytes are kept in RocksDB rather than in a blob
 *     file (multipart parts are always files); 0, the default, keeps every body in a blob file. Inline
 *     bodies are faster to write but have no self-describing blob file, so {@code rebuild-index}
 *     cannot bring them back if the index is lost
 * @param fsync whether commits are synced (WAL sync, file and directory fsync). Only tests and
 *     benchmarks turn this off: without it an acknowledged write can be lost by a power failure.
 * @param masterKey the key that seals stored secrets, or {@code null}: then {@link TarnStore#open}
 *     loads {@code <dataDir>/master.key}, or generates it into a data directory that holds no data yet
 * @param dataMode the modes of the directories and files the store creates (not null)
 * @param space the free-space floor and the reserve (not null)
 * @param acceptWalLoss whether to open a metadata store whose write-ahead log has corrupt records by
 *     keeping only what precedes the first of them (the operator's explicit way out; blob files of the
 *     writes lost are quarantined). Without it such a store is refused.
 * @param verifyReads whether reads verify blob files: the trailer and the data length when an object
 *     is opened, each block's checksum as it is sent ({@link Segment.FileSegment#check()}). On by
 *     default; off trades that safety for speed (a damaged blob is then served as it is)
 */
public record StorageOptions(Path dataDir, int inlineThreshold, boolean fsync, MasterKey masterKey, DataMode dataMode,
    SpaceLimits space, boolean acceptWalLoss, boolean verifyReads) {
  /** No inline bodies: every object has a blob file that describes it (what rebuild-index needs). */
  public static final int DEFAULT_INLINE_THRESHOLD = 0;
  /** The threshold of builds before blob descriptions, for those who choose speed over rebuildability. */
  public static final int FAST_INLINE_THRESHOLD = 128 * 1024;

  public StorageOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dataMode, "dataMode");
    Objects.requireNonNull(space, "space");
    if (inlineThreshold < 0) {
      throw new IllegalArgumentException("inlineThreshold must be >= 0: " + inlineThreshold);
    }
  }

  /**
   * Without space limits ({@link SpaceLimits#NONE}): no floor, no reserve file; corrupt WAL records
   * are refused; reads verified. For tests and tools; the server starts from {@link #defaults} and its
   * options.
   */
  public StorageOptions(Path dataDir, int inlineThreshold, boolean fsync, MasterKey masterKey, DataMode dataMode) {
    this(dataDir, inlineThreshold, fsync, masterKey, dataMode, SpaceLimits.NONE, false, true);
  }

  /** Private modes, no space limits. */
  public StorageOptions(Path dataDir, int inlineThreshold, boolean fsync, MasterKey masterKey) {
    this(dataDir, inlineThreshold, fsync, masterKey, DataMode.PRIVATE);
  }

  /** Without a master key: the store uses the one in the data directory. */
  public StorageOptions(Path dataDir, int inlineThreshold, boolean fsync) {
    this(dataDir, inlineThreshold, fsync, null);
  }

  /** Whether a body of {@code size} bytes is kept inline. */
  public boolean inlines(long size) {
    return inlineThreshold > 0 && size <= inlineThreshold;
  }

  /** No inline bodies, fsync on, the data directory's master key, the default space limits. */
  public static StorageOptions defaults(Path dataDir) {
    return new StorageOptions(dataDir, DEFAULT_INLINE_THRESHOLD, true, null, DataMode.PRIVATE, SpaceLimits.DEFAULTS,
        false, true);
  }

  public StorageOptions withInlineThreshold(int threshold) {
    return new StorageOptions(dataDir, threshold, fsync, masterKey, dataMode, space, acceptWalLoss, verifyReads);
  }

  public StorageOptions withFsync(boolean sync) {
    return new StorageOptions(dataDir, inlineThreshold, sync, masterKey, dataMode, space, acceptWalLoss, verifyReads);
  }

  public StorageOptions withDataMode(DataMode mode) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, masterKey, mode, space, acceptWalLoss, verifyReads);
  }

  public StorageOptions withMasterKey(MasterKey key) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, key, dataMode, space, acceptWalLoss, verifyReads);
  }

  public StorageOptions withSpace(SpaceLimits limits) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, masterKey, dataMode, limits, acceptWalLoss, verifyReads);
  }

  public StorageOptions withAcceptWalLoss(boolean accept) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, masterKey, dataMode, space, accept, verifyReads);
  }

  public StorageOptions withVerifyReads(boolean verify) {
    return new StorageOptions(dataDir, inlineThreshold, fsync, masterKey, dataMode, space, acceptWalLoss, verify);
  }
}
