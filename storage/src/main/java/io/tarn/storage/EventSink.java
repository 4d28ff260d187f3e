package io.tarn.storage;

import io.tarn.core.MutationEvent;

/**
 * Receives every mutation's event while its metadata batch is being built, so that what it stages
 * commits atomically with the mutation (or not at all). Implemented by the notifications module.
 *
 * <p>Everything the sink stages belongs to one batch, through the {@link Staging} the store opens
 * for that batch: the store tells that object, and only it, whether its batch committed. Nothing is
 * tied to the committing thread, and no commit runs the follow-up of another batch.
 */
@FunctionalInterface
public interface EventSink {
  /**
   * Opens the sink's part of one metadata batch, the first time the store stages an event or a bucket
   * deletion into {@code batch}. The store then calls exactly one of {@link Staging#committed()} and
   * {@link Staging#aborted()} on it. Called with a key's or a bucket's lock held: must not block.
   */
  Staging open(EventBatch batch);

  /** What the sink staged into one batch. All its methods are called with a lock held: none may block. */
  interface Staging {
    /** Stages {@code event}'s records into this batch. */
    void stage(MutationEvent event);

    /**
     * Stages, into this batch (the one deleting bucket {@code bucket}), the removal of whatever the
     * sink keeps for the bucket (its webhook rules), so that a bucket created later under the same
     * name starts clean.
     */
    default void bucketDeleted(String bucket) {}

    /**
     * This batch has been committed: what was staged is now durable and visible. Called before the
     * batch's sequencer is settled ({@link RecordStore#eventsSettledBelow()}), so what the sink does
     * here happens before any reader can pass the event; follow-up writes belong off this path.
     */
    default void committed() {}

    /** This batch was closed without being committed (the mutation failed): nothing it staged exists. */
    default void aborted() {}
  }

  /** Stages nothing: for stores without notifications. */
  EventSink NONE = batch -> event -> {};

  /** Write access to the batch being committed: the {@link RecordTable}s. */
  interface EventBatch extends RecordStore.Batch {}
}
