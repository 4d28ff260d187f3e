package io.tarn.storage;

/**
 * Tables the storage layer keeps for the notifications module, each its own column family in the
 * metadata store (named {@code n_*} there). Storage does not interpret their keys or values; notifications owns their
 * (versioned) encodings. Writing them inside a mutation's batch is how an event's deliveries commit
 * atomically with the mutation.
 */
public enum RecordTable {
  /** Webhook rules, by bucket and rule id. */
  NOTIFICATION_RULES,
  /** Deliveries with a record of their own (retries, redeliveries, test events) and their bodies, by id. */
  DELIVERIES,
  /** Due-time index of the deliveries with a record of their own: rule, due time, delivery id. */
  DUE,
  /**
   * Each bucket's event log, by bucket and sequencer: one entry per event with its rendered bodies,
   * which every rule it matched reads its first attempt from.
   */
  EVENT_PAYLOADS,
  /** The attempt log of deliveries, by rule and time. */
  ATTEMPTS,
  /** Dead letters, by rule and delivery id. */
  DEAD_LETTERS,
  /** Per-rule figures, event-log cursors and done marks. */
  RULE_STATS
}
