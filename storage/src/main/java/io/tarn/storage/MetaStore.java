package io.tarn.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The only class that touches RocksDB (STYLE.md 7). It owns the column families and their key
 * layouts ({@link Keys}); every logical mutation is one {@link Batch} committed with one
 * {@link #commit}. Thread-safe and lock-free: concurrent synced commits reach RocksDB's write
 * thread together, which groups them into one WAL sync (group commit), so nothing here may
 * serialise writers.
 */
final class MetaStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final System.Logger LOG = System.getLogger(MetaStore.class.getName());

  private static final long BLOCK_CACHE_BYTES = 64L << 20;
  private static final int CACHE_SHARD_BITS = 4;
  private static final double BLOOM_BITS_PER_KEY = 10;

  /** Column families in open order; RocksDB requires the default one to be opened too (unused). */
  private enum Cf {
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

    private static final Cf[] OF_RECORD_TABLE = new Cf[RecordTable.values().length];

    static {
      for (RecordTable t : RecordTable.values()) {
        for (Cf cf : values()) {
          if (cf.cfName.equals(t.cfName)) {
            OF_RECORD_TABLE[t.ordinal()] = cf;
          }
        }
      }
    }

    static Cf of(RecordTable t) {
      return OF_RECORD_TABLE[t.ordinal()];
    }

    final String cfName;
    /** Point lookups dominate: give it a bloom filter. */
    final boolean pointLookups;

    Cf(String cfName, boolean pointLookups) {
      this.cfName = cfName;
      this.pointLookups = pointLookups;
    }
  }

  /**
   * Column families that earlier builds created and this one no longer uses. RocksDB opens a database
   * only with all of its column families listed, so these are opened, then dropped (their data is
   * deleted). {@code events} held events staged by tests' sinks; the webhook queue keeps its own.
   */
  private static final List<String> DROPPED = List.of("events");

  private final Path dir;
  private final LRUCache cache;
  private final BloomFilter bloom;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  private final WriteOptions writeOptions;
  /** WAL written, not synced: survives a process crash (the OS has it), not a power loss. */
  private final WriteOptions lazyWriteOptions;
  private final ReadOptions readOptions;
  private final List<ColumnFamilyHandle> handles;
  private final RocksDB db;

  private MetaStore(Path dir, boolean sync) {
    this.dir = dir;
    // 16 shards of 4 MiB: with the default 64 shards a shard held 1 MiB, and a block larger than its
    // shard is never kept, so it was read and decompressed again on every lookup.
    cache = new LRUCache(BLOCK_CACHE_BYTES, CACHE_SHARD_BITS);
    bloom = new BloomFilter(BLOOM_BITS_PER_KEY);
    dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        // Two cores are the expected machine; flushes and compactions share them.
        .setMaxBackgroundJobs(2)
        // Separate WAL and memtable write queues: more synced writers per group commit.
        .setEnablePipelinedWrite(true)
        .setEnableWriteThreadAdaptiveYield(false)
        .setBytesPerSync(1L << 20)
        // Bounds the WAL: column families that rarely change get flushed instead of pinning old logs.
        .setMaxTotalWalSize(256L << 20)
        .setKeepLogFileNum(5)
        .setMaxLogFileSize(16L << 20);
    cfOptions = new ArrayList<>();
    writeOptions = new WriteOptions().setSync(sync);
    lazyWriteOptions = new WriteOptions().setSync(false);
    readOptions = new ReadOptions();
    handles = new ArrayList<>();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (Cf cf : Cf.values()) {
      // Partitioned index and filters: one index block per SST grows with the file (about 1 MiB for a
      // 64 MiB file of 1 KiB values) and was re-read whole on a cache miss; partitions are 4 KiB
      // blocks cached like data, under a small pinned top level.
      BlockBasedTableConfig table = new BlockBasedTableConfig()
          .setBlockCache(cache)
          .setIndexType(IndexType.kTwoLevelIndexSearch)
          .setMetadataBlockSize(4096)
          .setCacheIndexAndFilterBlocks(true)
          .setCacheIndexAndFilterBlocksWithHighPriority(true)
          .setPinTopLevelIndexAndFilter(true)
          .setPinL0FilterAndIndexBlocksInCache(true);
      if (cf.pointLookups) {
        table.setFilterPolicy(bloom).setPartitionFilters(true);
      }
      ColumnFamilyOptions o = new ColumnFamilyOptions().setTableFormatConfig(table);
      if (cf == Cf.INLINE) {
        // Inline bodies are up to the inline threshold (128 KiB): keep the larger ones in blob files
        // so compaction moves keys, not bodies.
        o.setEnableBlobFiles(true).setMinBlobSize(4096).setEnableBlobGarbageCollection(true);
      } else if (cf == Cf.N_PAYLOADS) {
        // The webhook event log: ~1 KiB bodies written once, read in order, deleted when delivered.
        // Behind a slow receiver it grows by every upload; in blob files compaction moves only keys.
        o.setEnableBlobFiles(true).setMinBlobSize(256).setEnableBlobGarbageCollection(true);
      }
      cfOptions.add(o);
      descriptors.add(new ColumnFamilyDescriptor(cf.cfName.getBytes(StandardCharsets.UTF_8), o));
    }
    RocksDB opened;
    try {
      for (String name : droppedPresent(dir)) {
        ColumnFamilyOptions o = new ColumnFamilyOptions();
        cfOptions.add(o);
        descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), o));
      }
      opened = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      closeOptions();
      throw io("open", e);
    }
    db = opened;
    dropUnused();
  }

  /** Which of {@link #DROPPED} the database in {@code dir} still has (none if there is no database yet). */
  private static List<String> droppedPresent(Path dir) throws RocksDBException {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
        String n = new String(name, StandardCharsets.UTF_8);
        if (DROPPED.contains(n)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** Drops the column families opened past {@link Cf}'s (those of {@link #DROPPED}) and closes their handles. */
  private void dropUnused() {
    while (handles.size() > Cf.values().length) {
      ColumnFamilyHandle h = handles.remove(handles.size() - 1);
      try {
        String name = new String(h.getName(), StandardCharsets.UTF_8);
        db.dropColumnFamily(h);
        LOG.log(System.Logger.Level.INFO, "dropped the unused column family " + name + " of " + dir);
      } catch (RocksDBException e) {
        close();
        throw io("drop an unused column family", e);
      } finally {
        h.close();
      }
    }
  }

  static MetaStore open(Path dir, boolean sync) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot create " + dir + ": " + e.getMessage(), e);
    }
    return new MetaStore(dir, sync);
  }

  private ColumnFamilyHandle cf(Cf cf) {
    return handles.get(cf.ordinal());
  }

  private StorageException io(String operation, RocksDBException e) {
    return new StorageException(StorageException.Kind.IO,
        "meta store " + dir + ": " + operation + " failed: " + e.getMessage(), e);
  }

  // ---- writes

  Batch batch() {
    return new Batch();
  }

  /** Told after each commit of a batch that carried records into a {@link RecordTable}. */
  private volatile Runnable onRecordsCommitted = () -> {};

  void onRecordsCommitted(Runnable r) {
    this.onRecordsCommitted = r;
  }

  /** Commits {@code batch} atomically (synced when the store syncs). */
  void commit(Batch batch, String operation) {
    commit(batch, operation, writeOptions);
  }

  /**
   * Commits {@code batch} atomically without waiting for the WAL sync: it survives a crash of the
   * process, and a power loss may lose it. Only for records whose loss just repeats work.
   */
  void commitLazily(Batch batch, String operation) {
    commit(batch, operation, lazyWriteOptions);
  }

  private void commit(Batch batch, String operation, WriteOptions options) {
    try {
      try {
        db.write(options, batch.wb);
      } catch (RocksDBException e) {
        throw io(operation, e);
      }
      if (batch.records) {
        onRecordsCommitted.run();
      }
    } finally {
      // Only after the sink was told: a reader that passes the settled bound may rely on the sink
      // having seen every committed event below it (the webhook queue keeps them in memory).
      batch.settle();
    }
  }

  // ---- record tables (RecordStore)

  byte[] record(RecordTable t, byte[] key) {
    return get(Cf.of(t), key);
  }

  List<RecordStore.Entry> records(RecordTable t, byte[] prefix, byte[] startAfter, int limit) {
    List<RecordStore.Entry> out = new ArrayList<>();
    try (Cursor c = new Cursor(Cf.of(t))) {
      c.seek(startAfter != null && Keys.compare(startAfter, prefix) >= 0 ? startAfter : prefix);
      if (startAfter != null && c.valid() && java.util.Arrays.equals(c.key(), startAfter)) {
        c.next();
      }
      for (; c.valid() && out.size() < limit && Keys.startsWith(c.key(), prefix); c.next()) {
        out.add(new RecordStore.Entry(c.key(), c.value()));
      }
    }
    return out;
  }

  /** One logical mutation, staged; committed by {@link #commit}, released by {@link #close}. */
  final class Batch implements EventSink.EventBatch, AutoCloseable {
    private final WriteBatch wb = new WriteBatch();
    /** Whether records went into a RecordTable (the sink is told after the commit). */
    private boolean records;
    /** The event sequencer this batch holds open, if any. */
    private Sequencer sequencer;
    private long held;

    /** Takes the next event sequencer, open until this batch commits or is closed. */
    long takeSequencer(Sequencer s) {
      if (sequencer != null) {
        throw new IllegalStateException("a batch holds one sequencer");
      }
      held = s.next();
      sequencer = s;
      return held;
    }

    private void settle() {
      if (sequencer != null) {
        sequencer.settle(held);
        sequencer = null;
      }
    }

    @Override
    public void put(RecordTable table, byte[] key, byte[] value) {
      records = true;
      put(Cf.of(table), key, value);
    }

    @Override
    public void delete(RecordTable table, byte[] key) {
      records = true;
      delete(Cf.of(table), key);
    }

    private void put(Cf cf, byte[] key, byte[] value) {
      try {
        wb.put(cf(cf), key, value);
      } catch (RocksDBException e) {
        throw io("stage put into " + cf.cfName, e);
      }
    }

    private void delete(Cf cf, byte[] key) {
      try {
        wb.delete(cf(cf), key);
      } catch (RocksDBException e) {
        throw io("stage delete from " + cf.cfName, e);
      }
    }

    void putBucket(String name, BucketRecord r) {
      put(Cf.BUCKETS, Keys.bucket(name), r.encode());
    }

    void deleteBucket(String name) {
      delete(Cf.BUCKETS, Keys.bucket(name));
    }

    void putObject(String bucket, String key, ObjectRecord r) {
      put(Cf.OBJECTS, Keys.object(bucket, key), r.encode());
    }

    void deleteObject(String bucket, String key) {
      delete(Cf.OBJECTS, Keys.object(bucket, key));
    }

    void putInline(String blobId, byte[] bytes) {
      put(Cf.INLINE, Keys.blobId(blobId), bytes);
    }

    void deleteInline(String blobId) {
      delete(Cf.INLINE, Keys.blobId(blobId));
    }

    /** Marks a blob file live: the start-up sweep deletes files without a blobref. */
    void putBlobRef(String blobId) {
      put(Cf.BLOBREFS, Keys.blobId(blobId), new byte[] {BLOBREF_FORMAT});
    }

    void deleteBlobRef(String blobId) {
      delete(Cf.BLOBREFS, Keys.blobId(blobId));
    }

    void putUpload(byte[] uploadKey, UploadRecord r) {
      put(Cf.UPLOADS, uploadKey, r.encode());
    }

    void deleteUpload(byte[] uploadKey) {
      delete(Cf.UPLOADS, uploadKey);
    }

    void putPart(byte[] uploadRaw, PartRecord r) {
      put(Cf.PARTS, Keys.part(uploadRaw, r.partNumber()), r.encode());
    }

    void deletePart(byte[] uploadRaw, int partNumber) {
      delete(Cf.PARTS, Keys.part(uploadRaw, partNumber));
    }

    void putSys(String name, byte[] value) {
      put(Cf.SYS, name.getBytes(StandardCharsets.UTF_8), value);
    }

    /** The user and its name index entry. */
    void putUser(String id, UserRecord r) {
      put(Cf.USERS, Keys.userById(id), r.encode());
      put(Cf.USERS, Keys.userByName(r.name()), UserRecord.encodeId(id));
    }

    void deleteUser(String id, String name) {
      delete(Cf.USERS, Keys.userById(id));
      delete(Cf.USERS, Keys.userByName(name));
    }

    /** The key and its entry in its user's key index. */
    void putKey(String accessKeyId, KeyRecord r) {
      put(Cf.KEYS, Keys.accessKey(accessKeyId), r.encode());
      put(Cf.KEYS, Keys.keyOfUser(r.userId(), accessKeyId), new byte[] {INDEX_FORMAT});
    }

    void deleteKey(String accessKeyId, String userId) {
      delete(Cf.KEYS, Keys.accessKey(accessKeyId));
      delete(Cf.KEYS, Keys.keyOfUser(userId, accessKeyId));
    }

    /** The token under its hash and its entry in its user's token index. */
    void putToken(byte[] hash, TokenRecord r) {
      put(Cf.TOKENS, Keys.tokenByHash(hash), r.encode());
      put(Cf.TOKENS, Keys.tokenOfUser(r.userId(), r.id()), TokenRecord.encodeIndex(hash));
    }

    void deleteToken(byte[] hash, String userId, String tokenId) {
      delete(Cf.TOKENS, Keys.tokenByHash(hash));
      delete(Cf.TOKENS, Keys.tokenOfUser(userId, tokenId));
    }

    void putGrant(String bucket, String userId, GrantRecord r) {
      put(Cf.GRANTS, Keys.grant(bucket, userId), r.encode());
    }

    void deleteGrant(String bucket, String userId) {
      delete(Cf.GRANTS, Keys.grant(bucket, userId));
    }

    @Override
    public void close() {
      settle();
      wb.close();
    }
  }

  /** The value of a blobref: only a format byte, the key is what matters. */
  private static final byte BLOBREF_FORMAT = 1;
  /** The value of an index entry whose key says it all (a user's key). */
  private static final byte INDEX_FORMAT = 1;

  // ---- reads

  private byte[] get(Cf cf, byte[] key) {
    try {
      return db.get(cf(cf), readOptions, key);
    } catch (RocksDBException e) {
      throw io("get from " + cf.cfName, e);
    }
  }

  BucketRecord bucket(String name) {
    byte[] v = get(Cf.BUCKETS, Keys.bucket(name));
    return v == null ? null : BucketRecord.decode(v);
  }

  /** All buckets by name. */
  Map<String, BucketRecord> buckets() {
    Map<String, BucketRecord> out = new TreeMap<>();
    try (Cursor c = new Cursor(Cf.BUCKETS)) {
      for (c.seekToFirst(); c.valid(); c.next()) {
        out.put(new String(c.key(), StandardCharsets.UTF_8), BucketRecord.decode(c.value()));
      }
    }
    return out;
  }

  ObjectRecord object(String bucket, String key) {
    byte[] v = get(Cf.OBJECTS, Keys.object(bucket, key));
    return v == null ? null : ObjectRecord.decode(v);
  }

  boolean hasObjects(String bucket) {
    byte[] prefix = Keys.bucketPrefix(bucket);
    try (Cursor c = new Cursor(Cf.OBJECTS)) {
      c.seek(prefix);
      return c.valid() && Keys.startsWith(c.key(), prefix);
    }
  }

  byte[] inline(String blobId) {
    return get(Cf.INLINE, Keys.blobId(blobId));
  }

  UploadRecord upload(byte[] uploadKey) {
    byte[] v = get(Cf.UPLOADS, uploadKey);
    return v == null ? null : UploadRecord.decode(v);
  }

  PartRecord part(byte[] uploadRaw, int partNumber) {
    byte[] v = get(Cf.PARTS, Keys.part(uploadRaw, partNumber));
    return v == null ? null : PartRecord.decode(v);
  }

  /** The parts of an upload with numbers above {@code after}, ascending, at most {@code max}. */
  List<PartRecord> parts(byte[] uploadRaw, int after, int max) {
    List<PartRecord> out = new ArrayList<>();
    try (Cursor c = new Cursor(Cf.PARTS)) {
      for (c.seek(Keys.part(uploadRaw, after + 1)); c.valid() && out.size() < max; c.next()) {
        if (!Keys.startsWith(c.key(), uploadRaw)) {
          break;
        }
        out.add(PartRecord.decode(c.value()));
      }
    }
    return out;
  }

  boolean isLiveBlob(String blobId) {
    return get(Cf.BLOBREFS, Keys.blobId(blobId)) != null;
  }

  byte[] sys(String name) {
    return get(Cf.SYS, name.getBytes(StandardCharsets.UTF_8));
  }

  UserRecord user(String id) {
    byte[] v = get(Cf.USERS, Keys.userById(id));
    return v == null ? null : UserRecord.decode(v);
  }

  /** The id of the user named {@code name}, or {@code null}. */
  String userIdByName(String name) {
    byte[] v = get(Cf.USERS, Keys.userByName(name));
    return v == null ? null : UserRecord.decodeId(v);
  }

  /** All users by id. */
  Map<String, UserRecord> users() {
    Map<String, UserRecord> out = new TreeMap<>();
    scan(Cf.USERS, Keys.usersById(), (k, v) -> out.put(Keys.idOf(k), UserRecord.decode(v)));
    return out;
  }

  KeyRecord key(String accessKeyId) {
    byte[] v = get(Cf.KEYS, Keys.accessKey(accessKeyId));
    return v == null ? null : KeyRecord.decode(v);
  }

  /** All access keys by id. */
  Map<String, KeyRecord> keys() {
    Map<String, KeyRecord> out = new TreeMap<>();
    scan(Cf.KEYS, Keys.accessKeys(), (k, v) -> out.put(Keys.idOf(k), KeyRecord.decode(v)));
    return out;
  }

  /** The ids of {@code userId}'s keys, from its key index. */
  List<String> keyIdsOf(String userId) {
    byte[] prefix = Keys.keysOfUser(userId);
    List<String> out = new ArrayList<>();
    scan(Cf.KEYS, prefix,
        (k, v) -> out.add(new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8)));
    return out;
  }

  /** The token whose value hashes to {@code hash}, or {@code null}. */
  TokenRecord token(byte[] hash) {
    byte[] v = get(Cf.TOKENS, Keys.tokenByHash(hash));
    return v == null ? null : TokenRecord.decode(v);
  }

  /** The hashes of {@code userId}'s tokens by token id, from its token index. */
  Map<String, byte[]> tokenHashesOf(String userId) {
    byte[] prefix = Keys.tokensOfUser(userId);
    Map<String, byte[]> out = new TreeMap<>();
    scan(Cf.TOKENS, prefix, (k, v) -> out.put(new String(k, prefix.length, k.length - prefix.length,
        StandardCharsets.UTF_8), TokenRecord.decodeIndex(v)));
    return out;
  }

  GrantRecord grant(String bucket, String userId) {
    byte[] v = get(Cf.GRANTS, Keys.grant(bucket, userId));
    return v == null ? null : GrantRecord.decode(v);
  }

  /** The grants on {@code bucket} by user id. */
  Map<String, GrantRecord> grants(String bucket) {
    byte[] prefix = Keys.bucketPrefix(bucket);
    Map<String, GrantRecord> out = new TreeMap<>();
    scan(Cf.GRANTS, prefix, (k, v) -> out.put(Keys.objectKey(k, prefix.length), GrantRecord.decode(v)));
    return out;
  }

  /** The names of the buckets {@code userId} holds a grant on (a scan of every grant: admin use). */
  List<String> grantedBuckets(String userId) {
    byte[] suffix = Keys.utf8(userId);
    List<String> out = new ArrayList<>();
    scan(Cf.GRANTS, new byte[0], (k, v) -> {
      int at = k.length - suffix.length - 1;
      if (at >= 0 && k[at] == Keys.SEP && Arrays.equals(k, at + 1, k.length, suffix, 0, suffix.length)) {
        out.add(new String(k, 0, at, StandardCharsets.UTF_8));
      }
    });
    return out;
  }

  /** Calls {@code f} with every entry of {@code cf} whose key starts with {@code prefix}, in key order. */
  private void scan(Cf cf, byte[] prefix, BiConsumer<byte[], byte[]> f) {
    try (Cursor c = new Cursor(cf)) {
      for (c.seek(prefix); c.valid() && Keys.startsWith(c.key(), prefix); c.next()) {
        f.accept(c.key(), c.value());
      }
    }
  }

  Cursor objects() {
    return new Cursor(Cf.OBJECTS);
  }

  Cursor uploads() {
    return new Cursor(Cf.UPLOADS);
  }

  /** An iterator over one column family; always used in try-with-resources so it is closed. */
  final class Cursor implements AutoCloseable {
    private final Cf cf;
    private final RocksIterator it;

    private Cursor(Cf cf) {
      this.cf = cf;
      this.it = db.newIterator(cf(cf), readOptions);
    }

    void seek(byte[] key) {
      it.seek(key);
    }

    void seekToFirst() {
      it.seekToFirst();
    }

    /** Whether positioned on an entry; an iterator that stopped on an error throws instead. */
    boolean valid() {
      if (it.isValid()) {
        return true;
      }
      try {
        it.status();
      } catch (RocksDBException e) {
        throw io("iterate " + cf.cfName, e);
      }
      return false;
    }

    byte[] key() {
      return it.key();
    }

    byte[] value() {
      return it.value();
    }

    void next() {
      it.next();
    }

    @Override
    public void close() {
      it.close();
    }
  }

  // ---- shutdown

  /**
   * Closes native handles in dependency order: column family handles (they point into the DB), then
   * the DB, then the options the DB was opened with, then what those options point to (bloom filter,
   * block cache), then the read/write options. The caller guarantees no operation is in flight
   * (TarnStore's lifecycle lock), so no iterator or batch is still open.
   */
  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    RocksDBException failure = null;
    try {
      db.closeE();
    } catch (RocksDBException e) {
      failure = e;
    }
    closeOptions();
    if (failure != null) {
      throw io("close", failure);
    }
  }

  private void closeOptions() {
    dbOptions.close();
    for (ColumnFamilyOptions o : cfOptions) {
      o.close();
    }
    bloom.close();
    cache.close();
    writeOptions.close();
    lazyWriteOptions.close();
    readOptions.close();
  }
}
