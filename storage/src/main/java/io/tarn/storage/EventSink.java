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

  /** Stages nothing: for stores without notifications. */
  EventSink NONE = (event, batch) -> {};

  /** Write access to the event column family of the batch being committed. */
  interface EventBatch {
    void put(byte[] key, byte[] value);
  }
}
