package io.tarn.notifications.queue;

import io.tarn.storage.EventSink;
import java.util.ArrayList;
import java.util.List;

/**
 * What one metadata batch staged into the delivery queue ({@link DeliveryQueue#open}): backlog slots
 * are reserved at stage time (so the cap holds under concurrent writers) and given back if the batch
 * never commits ({@link #release}); figures and the log's in-memory tail are updated when it does
 * ({@link DeliveryQueue#committed}). Tied to its batch, not to a thread: whoever commits another batch
 * never sees it. Used by one thread at a time (the one building and committing its batch).
 */
public final class StagedEvents {
  final EventSink.EventBatch batch;
  final List<RuleCounters> reserved = new ArrayList<>();
  final List<Runnable> onCommit = new ArrayList<>();
  private boolean ended;

  StagedEvents(EventSink.EventBatch batch) {
    this.batch = batch;
  }

  /** Whether anything was staged (a batch that staged nothing has nothing to report). */
  public boolean isEmpty() {
    return reserved.isEmpty() && onCommit.isEmpty();
  }

  /** The batch did not commit: gives back the backlog slots reserved for it. Idempotent. */
  public void release() {
    if (end()) {
      reserved.forEach(c -> {
        c.pending.decrementAndGet();
        c.freshPending.decrementAndGet();
      });
    }
  }

  /** Marks this batch's outcome known: true the first time only. */
  boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }
}
