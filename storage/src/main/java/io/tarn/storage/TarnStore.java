package io.tarn.storage;

import io.tarn.core.EventName;
import io.tarn.core.RequestContext;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.ObjectOwnership;
import io.tarn.storage.access.policy.BucketPolicy;
import io.tarn.storage.blobs.WriteProbe;
import io.tarn.storage.identity.Identities;
import io.tarn.storage.identity.KeySealer;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.Backup;
import io.tarn.storage.objects.BlobSweep;
import io.tarn.storage.objects.BucketPolicies;
import io.tarn.storage.objects.Buckets;
import io.tarn.storage.objects.IntegrityService;
import io.tarn.storage.objects.Listings;
import io.tarn.storage.objects.Locks;
import io.tarn.storage.objects.MultipartOps;
import io.tarn.storage.objects.Names;
import io.tarn.storage.objects.ObjectOps;
import io.tarn.storage.objects.StoreContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The embedded {@link ObjectStore}: metadata in RocksDB ({@code <data>/meta}), bodies in blob files
 * ({@code <data>/blobs}) or inline in RocksDB when small, in-flight bodies in {@code <data>/tmp}.
 * Object operations are in {@link ObjectOps}, multipart in {@link MultipartOps}, listings in
 * {@link Listings}, buckets in {@link Buckets}, users and keys in {@link Identities}; this class opens
 * ({@link StoreOpening}) and closes the store, guards its lifecycle ({@link StoreLifecycle}: not after close, and after a
 * full disk once there is room) and hands calls on.
 */
public final class TarnStore implements ObjectStore {
  private static final System.Logger LOG = System.getLogger(TarnStore.class.getName());

  private final StoreContext c;
  private final ObjectOps objects;
  private final MultipartOps multipart;
  private final Listings listings;
  private final Identities identities;
  private final Buckets buckets;
  private final BucketPolicies policies;
  private final IntegrityService integrity;
  private final Backup backup;
  /** How every operation runs: not after close, and after a full disk once there is room. */
  private final StoreLifecycle lifecycle;
  private final WriteProbe writeProbe;

  private final SecretSealer sealer;
  private final boolean masterKeyGenerated;
  private final StoreStamp stamp;

  /** Built by {@link StoreOpening}, which has opened and checked what {@code c} holds. */
  TarnStore(StoreContext c, MasterKey masterKey, StoreStamp stamp, WriteProbe writeProbe) {
    this.c = c;
    this.stamp = stamp;
    this.writeProbe = writeProbe;
    this.masterKeyGenerated = masterKey.generated();
    this.lifecycle = new StoreLifecycle(c);
    this.sealer = new SecretSealer() {
      @Override
      public byte[] seal(byte[] plain, byte[] context) {
        return masterKey.seal(plain, context);
      }

      @Override
      public byte[] open(byte[] sealed, byte[] context) {
        try {
          return masterKey.open(sealed, context);
        } catch (javax.crypto.AEADBadTagException e) {
          throw new StorageException(StorageException.Kind.IO,
              "a sealed record does not open with the master key (altered, moved, or another key)", e);
        }
      }
    };
    this.objects = new ObjectOps(c);
    this.multipart = new MultipartOps(c, objects);
    this.listings = new Listings(c);
    this.identities = new Identities(c, keySealer(masterKey), lifecycle::run);
    this.policies = new BucketPolicies(c);
    this.buckets = new Buckets(c, multipart, (batch, name) -> {
      identities.stageBucketDeleted(batch, name);
      policies.stageBucketDeleted(batch, name);
    });
    this.integrity = new IntegrityService(c);
    this.backup = new Backup(c, lifecycle::runVoid);
  }

  /**
   * Opens (creating if needed) the store in {@code options.dataDir()}. Start-up empties {@code tmp/}
   * and sweeps {@code blobs/} ({@link BlobSweep}) before any operation can run: files whose records
   * prove them garbage are deleted, files no record accounts for are moved to {@code quarantine/}.
   *
   * <p>It refuses to serve (nothing changed) when the index cannot be the one of the blob files: a
   * {@code meta/} without a database, or with a database that holds no bucket and no blob record,
   * next to blob files; and when the metadata's write-ahead log has corrupt records, unless
   * {@link StorageOptions#acceptWalLoss()} (see {@link MetaStore#open(Path, boolean, boolean)}).
   *
   * <p>Without {@link StorageOptions#masterKey()} the master key is loaded from the data directory,
   * or generated into it if it holds no data yet; a data directory with data but without its key
   * file is refused (nothing written). Either way it must be the key the metadata store was created
   * with.
   *
   * <p>The data directory, {@code meta/}, {@code blobs/} and {@code tmp/} get the directory mode of
   * {@link StorageOptions#dataMode()} (0700 by default, also when they exist with another mode), and
   * blob files its file mode: RocksDB creates its files with the process's umask, behind a 0700
   * {@code meta/} they cannot be reached by others whatever their modes.
   *
   * <p>{@code <data>/tarn-format} ({@link DataFormat}) is read before the metadata store is opened: a
   * newer build's data directory is refused untouched; it is written (or upgraded) once the open has
   * succeeded.
   *
   * @throws StorageException LOCKED if another process has the metadata store open; MASTER_KEY if the
   *     master key is missing, unreadable or not this store's; INCOMPATIBLE if a newer build wrote the
   *     data directory; IO if the directory or the metadata store cannot be opened, or if the store is
   *     refused as above (the message says why and what to do)
   */
  public static TarnStore open(StorageOptions options, EventSink sink, Clock clock) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(clock, "clock");
    return StoreOpening.open(options, sink, clock); // the steps; this class is the store once open
  }

  /** At open: catches up with a mutation whose rewrite of the identity mirror a crash prevented. */
  void mirrorIdentities() {
    identities.mirror();
  }

  /** Whether this open generated the data directory's master key (its first start, without TARN_MASTER_KEY). */
  public boolean masterKeyGenerated() {
    return masterKeyGenerated;
  }

  /** The master key's sealing, for access key secrets and the master key check. */
  static KeySealer keySealer(MasterKey key) {
    return new KeySealer() {
      @Override
      public byte[] seal(byte[] plain, byte[] aad) {
        return key.seal(plain, aad);
      }

      @Override
      public byte[] open(byte[] sealed, byte[] aad) throws javax.crypto.AEADBadTagException {
        return key.open(sealed, aad);
      }
    };
  }

  // ---- buckets

  @Override
  public BucketInfo createBucket(String name, String region, String ownerId, ObjectOwnership ownership,
      AclRequest acl) {
    Names.requireBucketName(name);
    return lifecycle.run(() -> {
      BucketInfo info = buckets.create(name, region, ownerId, ownership, acl);
      if (acl.canned() != null || acl.grants() != null) {
        identities.mirror(); // the bucket's ACL is among the records it copies
      }
      return info;
    });
  }

  @Override
  public void setOwnership(String bucket, ObjectOwnership ownership) {
    lifecycle.runVoid(() -> buckets.setOwnership(bucket, ownership));
  }

  @Override
  public Acl setObjectAcl(String bucket, String key, AclRequest acl) {
    return lifecycle.run(() -> objects.setAcl(bucket, key, acl));
  }

  @Override
  public Optional<BucketPolicy> bucketPolicy(String bucket) {
    return lifecycle.run(() -> policies.policy(bucket));
  }

  @Override
  public void putBucketPolicy(String bucket, BucketPolicy policy) {
    lifecycle.runVoid(() -> policies.putPolicy(bucket, policy));
    identities.mirror(); // rebuild-index restores policies from the mirror
  }

  @Override
  public void deleteBucketPolicy(String bucket) {
    lifecycle.runFreeing(() -> {
      policies.deletePolicy(bucket);
      return null;
    });
    identities.mirror();
  }

  @Override
  public Optional<PublicAccessBlock> publicAccessBlock(String bucket) {
    return lifecycle.run(() -> policies.block(bucket));
  }

  @Override
  public void putPublicAccessBlock(String bucket, PublicAccessBlock block) {
    lifecycle.runVoid(() -> policies.putBlock(bucket, block));
    identities.mirror();
  }

  @Override
  public void deletePublicAccessBlock(String bucket) {
    lifecycle.runVoid(() -> policies.deleteBlock(bucket));
    identities.mirror();
  }

  @Override
  public Optional<BucketInfo> bucket(String name) {
    return lifecycle.run(() -> buckets.bucket(name));
  }

  @Override
  public List<BucketInfo> listBuckets() {
    return lifecycle.run(buckets::list);
  }

  @Override
  public void deleteBucket(String name) {
    lifecycle.runFreeing(() -> {
      try {
        buckets.delete(name);
      } finally {
        policies.invalidate(name); // its policy and public access block went with it
      }
      identities.mirror(); // the bucket's grants went with it
      return null;
    });
  }

  // ---- bodies and objects

  @Override
  public BlobUpload openUpload(long expectedLength, Set<ChecksumAlgorithm> digests) {
    Objects.requireNonNull(digests, "digests");
    return lifecycle.run(() -> objects.openUpload(expectedLength, digests));
  }

  @Override
  public ObjectInfo putObject(BucketRef bucket, String key, BlobUpload body, ObjectMetadata metadata,
      StoredChecksum checksum, WriteCondition condition, EventName event, RequestContext ctx, AclRequest acl) {
    return lifecycle.run(() -> objects.put(bucket, key, body, metadata, checksum, condition, event, ctx, acl));
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    return lifecycle.run(() -> objects.head(bucket, key));
  }

  @Override
  public ObjectContent open(String bucket, String key) {
    return lifecycle.run(() -> integrity.reader().open(bucket, key));
  }

  @Override
  public boolean delete(BucketRef bucket, String key, WriteCondition condition, RequestContext ctx) {
    return lifecycle.runFreeing(() -> objects.delete(bucket, key, condition, ctx));
  }

  @Override
  public ObjectInfo copy(BucketRef sourceBucket, String sourceKey, BucketRef bucket, String key,
      Consumer<ObjectInfo> sourceCheck, ObjectMetadata newMetadata, ChecksumAlgorithm checksumAlgorithm,
      WriteCondition condition, RequestContext ctx, AclRequest acl) {
    return lifecycle.run(() -> objects.copy(sourceBucket, sourceKey, bucket, key, sourceCheck, newMetadata,
        checksumAlgorithm, condition, ctx, acl));
  }

  @Override
  public ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
    return lifecycle.run(() -> listings.objects(bucket, prefix, delimiter, after, maxKeys));
  }

  // ---- multipart

  @Override
  public UploadInfo createUpload(BucketRef bucket, String key, ObjectMetadata metadata,
      ChecksumAlgorithm checksumAlgorithm, boolean fullObjectChecksum, RequestContext ctx, AclRequest acl) {
    return lifecycle.run(() -> multipart.create(bucket, key, metadata, checksumAlgorithm, fullObjectChecksum, ctx,
        acl));
  }

  @Override
  public UploadInfo upload(String bucket, String key, String uploadId) {
    return lifecycle.run(() -> multipart.upload(bucket, key, uploadId));
  }

  @Override
  public PartSummary putPart(BucketRef bucket, String key, String uploadId, int partNumber, BlobUpload body,
      StoredChecksum checksum) {
    return lifecycle.run(() -> multipart.putPart(bucket, key, uploadId, partNumber, body, checksum));
  }

  @Override
  public ObjectInfo completeUpload(BucketRef bucket, String key, String uploadId, List<CompletedPart> parts,
      long minPartSize, WriteCondition condition, ChecksumAlgorithm claimedAlgorithm, String claimedValue,
      RequestContext ctx) {
    return lifecycle.run(() -> multipart.complete(bucket, key, uploadId, parts, minPartSize, condition,
        claimedAlgorithm, claimedValue, ctx));
  }

  @Override
  public void abortUpload(BucketRef bucket, String key, String uploadId) {
    lifecycle.runFreeing(() -> {
      multipart.abort(bucket, key, uploadId);
      return null;
    });
  }

  @Override
  public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
    return lifecycle.run(() -> multipart.listParts(bucket, key, uploadId, partNumberMarker, maxParts));
  }

  @Override
  public UploadsPage listUploads(String bucket, String prefix, String delimiter, String keyMarker,
      String uploadIdMarker, int maxUploads) {
    return lifecycle.run(() -> listings.uploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads));
  }

  // ---- integrity

  /**
   * Damage found by verified reads and scrubs, and scrubs on demand; guarded like this store's
   * operations (a scrub in progress ends early when the store closes).
   */
  public Integrity integrity() {
    return guardedIntegrity;
  }

  private final Integrity guardedIntegrity = new Integrity() {
    @Override
    public ScrubReport scrub(String bucket, long bytesPerSecond) {
      return lifecycle.run(() -> integrity.scrub(bucket, bytesPerSecond));
    }

    @Override
    public List<DamagedBlob> damaged() {
      return lifecycle.run(integrity::damaged);
    }

    @Override
    public long detections() {
      return integrity.detections();
    }
  };

  /**
   * Starts the background scrub: a full pass every {@code interval} (from start to start; zero: back
   * to back) reading at most {@code bytesPerSecond}; 0 or less: none. Stopped by {@link #close}.
   */
  public void startScrubbing(long bytesPerSecond, java.time.Duration interval) {
    lifecycle.runVoid(() -> integrity.startBackground(bytesPerSecond, interval));
  }

  // ---- backups

  /**
   * Online backups of this store ({@link Backups}), which also copy {@code directories} of the data
   * directory (e.g. the server's {@code tls}) besides its top-level files. One runs at a time; closing
   * the store ends a running one.
   */
  public Backups backups(List<String> directories) {
    return backup.alsoCopying(directories);
  }

  // ---- figures for metrics

  /** RocksDB's compaction and memory figures (metrics); O(1), no I/O. */
  public MetaFigures metaFigures() {
    return lifecycle.guarded(() -> c.meta().figures());
  }

  /**
   * Tells {@code timer} how long each blob file's fsync takes, in nanoseconds, on the writing thread:
   * it must be quick and must not block (the server feeds a histogram from it).
   */
  public void onBlobSync(java.util.function.LongConsumer timer) {
    c.blobs().onSync(timer);
  }

  // ---- users, keys and grants

  /** Users, access keys and grants; its operations are guarded like this store's (not after close). */
  public IdentityStore identity() {
    return lifecycle.run(() -> identities);
  }

  // ---- the notifications module's tables

  /** Seals records with this store's master key. */
  public SecretSealer sealer() {
    return sealer;
  }

  /** Ordered access to the {@link RecordTable}s; guarded like this store's operations. */
  public RecordStore records() {
    return records;
  }

  private final RecordStore records = new RecordStore() {
    @Override
    public long eventsSettledBelow() {
      return c.sequencer().settledBelow();
    }

    @Override
    public long nextEventSequencer() {
      return c.sequencer().peekNext();
    }

    @Override
    public byte[] get(RecordTable table, byte[] key) {
      return lifecycle.run(() -> c.meta().record(table, key));
    }

    @Override
    public List<Entry> scan(RecordTable table, byte[] prefix, byte[] startAfter, int limit) {
      return lifecycle.run(() -> c.meta().records(table, prefix, startAfter, limit));
    }

    @Override
    public void write(Consumer<Batch> writes) {
      lifecycle.runVoid(() -> {
        try (MetaStore.Batch b = c.meta().batch()) {
          writes.accept(b);
          c.meta().commit(b, "write notification records");
        }
      });
    }

    @Override
    public void writeInBucket(BucketRef bucket, Consumer<Batch> writes, Runnable afterCommit) {
      lifecycle.runVoid(() -> {
        try (Locks.Held b = c.locks().bucketShared(bucket.name())) {
          c.requireBucket(bucket);
          try (MetaStore.Batch batch = c.meta().batch()) {
            writes.accept(batch);
            c.meta().commit(batch, "write notification records of bucket " + bucket.name());
          }
          afterCommit.run();
        }
      });
    }

    @Override
    public void writeLazily(Consumer<Batch> writes) {
      lifecycle.runVoid(() -> {
        try (MetaStore.Batch b = c.meta().batch()) {
          writes.accept(b);
          c.meta().commitLazily(b, "write notification records");
        }
      });
    }
  };

  // ---- for tests in this package

  MetaStore meta() {
    return c.meta();
  }

  /**
   * Open, writable, and the free space against the floor, for a readiness probe: volatile reads, the
   * write probe's cached result and one {@code statvfs}; takes no lock (a probe must not wait behind
   * a reopen or a close). Never throws: a free space that cannot be measured reports 0.
   */
  @Override
  public StoreHealth health() {
    long floor = c.space().limits().minFree();
    long free;
    try {
      free = c.space().freeForWrites();
    } catch (StorageException e) {
      free = 0;
    }
    if (lifecycle.closed()) {
      return new StoreHealth(false, "the store is closed", free, floor);
    }
    if (!c.meta().isOpen()) {
      return new StoreHealth(false, "the metadata store is closed after a failed reopen (retried on the next write)",
          free, floor);
    }
    String problem = c.meta().stopped() ? "the metadata store stopped writes after a full disk" : writeProbe.problem();
    return new StoreHealth(true, problem, free, floor);
  }

  /** Waits for operations in flight, then closes RocksDB. Idempotent. */
  @Override
  public void close() {
    writeProbe.close();
    integrity.stop(); // a scrub holds the read side for a whole pass: end it first
    backup.stop(); // ends at its next file; its checkpoint (under the read side) is waited for
    lifecycle.close(() -> {
      try {
        // A copy of meta/ taken while it ran then differs from the directory: see StoreStamp.
        stamp.advance();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not renew the store stamp at close: " + e.getMessage());
      }
      c.meta().close();
    });
  }
}
