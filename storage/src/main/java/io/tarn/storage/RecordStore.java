package io.tarn.storage;

import java.util.List;
import java.util.function.Consumer;

/**
 * Ordered key-value access to the {@link RecordTable}s, for the notifications module: point reads,
 * ordered scans and atomic (synced) batches. Keys compare as unsigned bytes.
 */
public interface RecordStore {
  /** The value under {@code key}, or null. */
  byte[] get(RecordTable table, byte[] key);

  /**
   * Up to {@code limit} entries whose key starts with {@code prefix}, in key order, starting after
   * {@code startAfter} (exclusive; null to start at the prefix).
   */
  List<Entry> scan(RecordTable table, byte[] prefix, byte[] startAfter, int limit);

  /** Applies {@code writes} as one atomic, synced batch. */
  void write(Consumer<Batch> writes);

  /**
   * Applies {@code writes} as one atomic, synced batch only while {@code bucket} is that incarnation of
   * the bucket, under the store's lock on it, then runs {@code afterCommit} still under that lock. A
   * concurrent deletion of the bucket therefore either comes first (this throws NO_SUCH_BUCKET, and
   * nothing is written) or comes after {@code afterCommit} (and its {@link EventSink.Staging#bucketDeleted}
   * sees what was written): a record kept for a bucket cannot outlive it, nor land in a bucket created
   * later under the same name. {@code writes} may throw to write nothing. Stores without buckets (test
   * doubles) write unconditionally.
   *
   * @throws StorageException NO_SUCH_BUCKET if the bucket is gone or is another incarnation
   */
  default void writeInBucket(BucketRef bucket, Consumer<Batch> writes, Runnable afterCommit) {
    write(writes);
    afterCommit.run();
  }

  /**
   * Applies {@code writes} as one atomic batch without waiting for the WAL sync: it survives a crash
   * of the process but a power loss may lose it (later synced writes sync it too). Only for records
   * whose loss repeats work, such as marking a webhook delivered (at-least-once allows the resend).
   */
  default void writeLazily(Consumer<Batch> writes) {
    write(writes);
  }

  /**
   * Every event whose sequencer number is below this has committed, or never will: a reader that
   * follows staged events in sequencer order may pass those, and must wait at this one (sequencers
   * are taken in order, but their batches commit in any order).
   */
  default long eventsSettledBelow() {
    return Long.MAX_VALUE;
  }

  /**
   * The next event sequencer to be taken: every event at or above it is staged, and so told to the
   * sink as committed, after this call returns. {@code Long.MAX_VALUE} from a store that does not say.
   */
  default long nextEventSequencer() {
    return Long.MAX_VALUE;
  }

  /** Writes of one batch. */
  interface Batch {
    void put(RecordTable table, byte[] key, byte[] value);

    void delete(RecordTable table, byte[] key);
  }

  /** One entry. */
  record Entry(byte[] key, byte[] value) {}
}
