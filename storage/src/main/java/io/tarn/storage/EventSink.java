package io.tarn.storage;

import io.tarn.core.MutationEvent;

/**
 * Receives every mutation's event while its metadata batch is being built, so that what it stages
 * commits atomically with the mutation (or not at all). Implemented by the notifications module.
 * Called with the key's lock held: must be fast and must not block on I/O.
 */
@FunctionalInterface
public interface EventSink {
  void stage(MutationEvent event, EventBatch batch);

  /**
   * Called while the batch deleting bucket {@code bucket} is built (bucket lock held): stage the
   * removal of whatever the sink keeps for the bucket (its webhook rules), so that a bucket created
   * later under the same name starts clean. Must not block.
   */
  default void bucketDeleted(String bucket, EventBatch batch) {}

  /**
   * Called after a batch into which this sink staged records (through {@link EventBatch#put(RecordTable, byte[], byte[])})
   * has been committed: what was staged is now durable and visible. Called before the batch's
   * sequencer is settled ({@link RecordStore#eventsSettledBelow()}), so what the sink does here
   * happens before any reader can pass the event. Must not block.
   */
  default void committed() {}

  /** Stages nothing: for stores without notifications. */
  EventSink NONE = (event, batch) -> {};

  /** Write access to the batch being committed: the {@link RecordTable}s. */
  interface EventBatch extends RecordStore.Batch {}
}
