package io.tarn.storage;

/**
 * Tables the storage layer keeps for the notifications module, each its own column family in the
 * metadata store. Storage does not interpret their keys or values; notifications owns their
 * (versioned) encodings. Writing them inside a mutation's batch is how an event's deliveries commit
 * atomically with the mutation.
 */
public enum RecordTable {
  /** Webhook rules, by bucket and rule id. */
  NOTIFICATION_RULES("n_rules"),
  /** Pending deliveries with their rendered bodies, by delivery id. */
  DELIVERIES("n_deliveries"),
  /** Due-time index of pending deliveries: due time then delivery id. */
  DUE("n_due"),
  /** Rendered bodies of events shared by the first attempts of all the rules they matched. */
  EVENT_PAYLOADS("n_payloads"),
  /** The attempt log of deliveries, by rule and time. */
  ATTEMPTS("n_attempts"),
  /** Dead letters, by rule and delivery id. */
  DEAD_LETTERS("n_dead"),
  /** Per-rule counters and figures. */
  RULE_STATS("n_stats");

  final String cfName;

  RecordTable(String cfName) {
    this.cfName = cfName;
  }
}
