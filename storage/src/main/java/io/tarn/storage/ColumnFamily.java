package io.tarn.storage;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDB;

/**
 * The column families of the metadata store, in open order; RocksDB requires the default one to be
 * opened too (unused). Each holds one kind of record, whose key layout and codec live beside its
 * owner ({@code ObjectTables}, {@code IdentityTables}, {@link RecordTable}s for notifications).
 */
enum ColumnFamily {
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
  N_RULES(RecordTable.NOTIFICATION_RULES.cfName, true),
  N_DELIVERIES(RecordTable.DELIVERIES.cfName, true),
  N_DUE(RecordTable.DUE.cfName, false),
  N_ATTEMPTS(RecordTable.ATTEMPTS.cfName, false),
  N_DEAD(RecordTable.DEAD_LETTERS.cfName, false),
  N_STATS(RecordTable.RULE_STATS.cfName, true),
  TOKENS("tokens", true),
  N_PAYLOADS(RecordTable.EVENT_PAYLOADS.cfName, false);

  private static final ColumnFamily[] OF_RECORD_TABLE = new ColumnFamily[RecordTable.values().length];

  static {
    for (RecordTable t : RecordTable.values()) {
      for (ColumnFamily cf : values()) {
        if (cf.cfName.equals(t.cfName)) {
          OF_RECORD_TABLE[t.ordinal()] = cf;
        }
      }
    }
  }

  static ColumnFamily of(RecordTable t) {
    return OF_RECORD_TABLE[t.ordinal()];
  }

  final String cfName;
  /** Point lookups dominate: give it a bloom filter. */
  final boolean pointLookups;

  ColumnFamily(String cfName, boolean pointLookups) {
    this.cfName = cfName;
    this.pointLookups = pointLookups;
  }
}
