package io.tarn.storage.meta;

import io.tarn.storage.RecordTable;
import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDB;

/**
 * The column families of the metadata store, in open order; RocksDB requires the default one to be
 * opened too (unused). Each holds one kind of record, whose key layout and codec live beside its
 * owner ({@code ObjectTables}, {@code IdentityTables}, {@link RecordTable}s for notifications).
 */
public enum ColumnFamily {
  DEFAULT(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8), false),
  BUCKETS("buckets", true),
  OBJECTS("objects", true),
  INLINE("inline", true),
  UPLOADS("uploads", true),
  PARTS("parts", true),
  BLOBREFS("blobrefs", true),
  SYS("sys", false),
  USERS("users", true),
  KEYS("keys", true),
  GRANTS("grants", true),
  // The notifications module's tables (RecordTable).
  N_RULES("n_rules", true),
  N_DELIVERIES("n_deliveries", true),
  N_DUE("n_due", false),
  N_ATTEMPTS("n_attempts", false),
  N_DEAD("n_dead", false),
  N_STATS("n_stats", true),
  TOKENS("tokens", true),
  N_PAYLOADS("n_payloads", false),
  /** Damaged blob files found by verified reads and scrubs, by blob id ({@code objects.Damage}). */
  DAMAGE("damage", true),
  /**
   * Per-bucket object and byte counters ({@code objects.BucketUsage}): 8-byte values that batches
   * change by {@link MetaStore.Batch#add adding} signed deltas (RocksDB's {@code UInt64AddOperator}).
   */
  USAGE("usage", true, true),
  /**
   * Buckets' policies and public access block configurations ({@code objects.BucketPolicies}), one
   * record each, apart from the bucket record. A column family of its own: an earlier build, which
   * would not enforce them, cannot open a database that has it.
   */
  BUCKET_POLICIES("bucket_policies", true);

  /** The column family of a notifications table. */
  static ColumnFamily of(RecordTable t) {
    return switch (t) {
      case NOTIFICATION_RULES -> N_RULES;
      case DELIVERIES -> N_DELIVERIES;
      case DUE -> N_DUE;
      case EVENT_PAYLOADS -> N_PAYLOADS;
      case ATTEMPTS -> N_ATTEMPTS;
      case DEAD_LETTERS -> N_DEAD;
      case RULE_STATS -> N_STATS;
    };
  }

  final String cfName;
  /** Point lookups dominate: give it a bloom filter. */
  final boolean pointLookups;

  /** Its values are {@link Counter}s, changed by merges that add (RocksDB's {@code UInt64AddOperator}). */
  final boolean counters;

  ColumnFamily(String cfName, boolean pointLookups) {
    this(cfName, pointLookups, false);
  }

  ColumnFamily(String cfName, boolean pointLookups, boolean counters) {
    this.cfName = cfName;
    this.pointLookups = pointLookups;
    this.counters = counters;
  }
}
