package io.tarn.storage;

import io.tarn.core.EventName;
import io.tarn.core.RequestContext;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.identity.Identities;
import io.tarn.storage.identity.KeySealer;
import io.tarn.storage.identity.MasterKeyCheck;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.meta.Sequencer;
import io.tarn.storage.objects.Buckets;
import io.tarn.storage.objects.IntegrityService;
import io.tarn.storage.objects.Listings;
import io.tarn.storage.objects.Locks;
import io.tarn.storage.objects.MultipartOps;
import io.tarn.storage.objects.Names;
import io.tarn.storage.objects.ObjectOps;
import io.tarn.storage.objects.ObjectTables;
import io.tarn.storage.objects.StoreContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The embedded {@link ObjectStore}: metadata in RocksDB ({@code <data>/meta}), bodies in blob files
 * ({@code <data>/blobs}) or inline in RocksDB when small, in-flight bodies in {@code <data>/tmp}.
 * Object operations are in {@link ObjectOps}, multipart in {@link MultipartOps}, listings in
 * {@link Listings}, buckets in {@link Buckets}, users and keys in {@link Identities}; this class opens
 * and closes the store, guards its lifecycle and hands calls on.
 */
public final class TarnStore implements ObjectStore {
  private static final System.Logger LOG = System.getLogger(TarnStore.class.getName());

  private final StoreContext c;
  private final ObjectOps objects;
  private final MultipartOps multipart;
  private final Listings listings;
  private final Identities identities;
  private final Buckets buckets;
  private final IntegrityService integrity;
  /** Operations share it; close takes it exclusively, so RocksDB is never used after it is closed. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private final SecretSealer sealer;
  private final boolean masterKeyGenerated;

  private TarnStore(StoreContext c, MasterKey masterKey) {
    this.c = c;
    this.masterKeyGenerated = masterKey.generated();
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
    this.identities = new Identities(c, keySealer(masterKey), this::run);
    this.buckets = new Buckets(c, multipart, identities::stageBucketDeleted);
    this.integrity = new IntegrityService(c);
  }

  /**
   * Opens (creating if needed) the store in {@code options.dataDir()}. Start-up empties {@code tmp/}
   * and deletes blob files without a blobref (orphans of a crash), before any operation can run.
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
   * @throws StorageException IO if the directory or the metadata store cannot be opened (for example
   *     because another process has it open), or if the master key is missing or not this store's
   */
  public static TarnStore open(StorageOptions options, EventSink sink, Clock clock) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(clock, "clock");
    Path dataDir = options.dataDir();
    Path metaDir = dataDir.resolve("meta");
    boolean holdsData;
    try {
      options.dataMode().prepareDirectory(dataDir);
      // Before RocksDB creates its files: a meta/ with content or any blob file is data of an earlier start.
      holdsData = hasContent(metaDir, 1) || hasContent(dataDir.resolve("blobs"), 2);
      options.dataMode().prepareDirectory(metaDir);
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot create " + dataDir + ": " + e, e);
    }
    // Metadata first: RocksDB's lock file keeps a second process out before any file is touched.
    MetaStore meta = MetaStore.open(metaDir, options.fsync());
    try {
      // Loaded under RocksDB's lock: two processes cannot both generate a key file. Before the blob
      // sweep: a data directory refused for its missing key is left as it was.
      MasterKey masterKey = options.masterKey() != null ? options.masterKey()
          : MasterKey.loadOrGenerate(dataDir, holdsData);
      if (masterKey.generated()) {
        LOG.log(System.Logger.Level.INFO, "generated a master key in " + dataDir.resolve(MasterKey.FILE)
            + ": back it up with the data, secrets cannot be read without it");
      }
      BlobStore blobs = BlobStore.open(dataDir, options.fsync(), options.dataMode());
      int temps = blobs.cleanTemp();
      ObjectTables tables = new ObjectTables(meta);
      BlobStore.SweepResult sweep = blobs.sweep(tables::isLiveBlob);
      LOG.log(System.Logger.Level.INFO, "opened " + dataDir + ": " + sweep.live() + " blob files, "
          + sweep.deleted() + " orphans deleted, " + temps + " temp files deleted"
          + (sweep.foreign() > 0 ? ", " + sweep.foreign() + " foreign files left in blobs/" : ""));
      Sequencer sequencer = new Sequencer(meta);
      MasterKeyCheck.verify(meta, keySealer(masterKey));
      return new TarnStore(new StoreContext(options, meta, tables, blobs, new Locks(), sequencer, sink, clock), masterKey);
    } catch (RuntimeException | Error e) {
      meta.close();
      throw e;
    }
  }

  /** Whether {@code dir} has a regular file within {@code depth} levels (false if it does not exist). */
  private static boolean hasContent(Path dir, int depth) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir, depth)) {
      return files.anyMatch(Files::isRegularFile);
    }
  }

  /** Whether this open generated the data directory's master key (its first start, without TARN_MASTER_KEY). */
  public boolean masterKeyGenerated() {
    return masterKeyGenerated;
  }

  /** The master key's sealing, for access key secrets and the master key check. */
  private static KeySealer keySealer(MasterKey key) {
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

  private <T> T run(Supplier<T> op) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException(StorageException.Kind.IO, "store " + c.options().dataDir() + " is closed");
      }
      return op.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void runVoid(Runnable op) {
    run(() -> {
      op.run();
      return null;
    });
  }

  // ---- buckets

  @Override
  public BucketInfo createBucket(String name, String region, String ownerId) {
    Names.requireBucketName(name);
    return run(() -> buckets.create(name, region, ownerId));
  }

  @Override
  public Optional<BucketInfo> bucket(String name) {
    return run(() -> buckets.bucket(name));
  }

  @Override
  public List<BucketInfo> listBuckets() {
    return run(buckets::list);
  }

  @Override
  public void deleteBucket(String name) {
    runVoid(() -> buckets.delete(name));
  }

  // ---- bodies and objects

  @Override
  public BlobUpload openUpload(long expectedLength, Set<ChecksumAlgorithm> digests) {
    Objects.requireNonNull(digests, "digests");
    return run(() -> objects.openUpload(expectedLength, digests));
  }

  @Override
  public ObjectInfo putObject(BucketRef bucket, String key, BlobUpload body, ObjectMetadata metadata,
      StoredChecksum checksum, WriteCondition condition, EventName event, RequestContext ctx) {
    return run(() -> objects.put(bucket, key, body, metadata, checksum, condition, event, ctx));
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    return run(() -> objects.head(bucket, key));
  }

  @Override
  public ObjectContent open(String bucket, String key) {
    return run(() -> integrity.reader().open(bucket, key));
  }

  @Override
  public boolean delete(BucketRef bucket, String key, WriteCondition condition, RequestContext ctx) {
    return run(() -> objects.delete(bucket, key, condition, ctx));
  }

  @Override
  public ObjectInfo copy(BucketRef sourceBucket, String sourceKey, BucketRef bucket, String key,
      Consumer<ObjectInfo> sourceCheck, ObjectMetadata newMetadata, ChecksumAlgorithm checksumAlgorithm,
      WriteCondition condition, RequestContext ctx) {
    return run(() -> objects.copy(sourceBucket, sourceKey, bucket, key, sourceCheck, newMetadata, checksumAlgorithm,
        condition, ctx));
  }

  @Override
  public ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
    return run(() -> listings.objects(bucket, prefix, delimiter, after, maxKeys));
  }

  // ---- multipart

  @Override
  public UploadInfo createUpload(BucketRef bucket, String key, ObjectMetadata metadata,
      ChecksumAlgorithm checksumAlgorithm, boolean fullObjectChecksum, RequestContext ctx) {
    return run(() -> multipart.create(bucket, key, metadata, checksumAlgorithm, fullObjectChecksum, ctx));
  }

  @Override
  public UploadInfo upload(String bucket, String key, String uploadId) {
    return run(() -> multipart.upload(bucket, key, uploadId));
  }

  @Override
  public PartSummary putPart(BucketRef bucket, String key, String uploadId, int partNumber, BlobUpload body,
      StoredChecksum checksum) {
    return run(() -> multipart.putPart(bucket, key, uploadId, partNumber, body, checksum));
  }

  @Override
  public ObjectInfo completeUpload(BucketRef bucket, String key, String uploadId, List<CompletedPart> parts,
      long minPartSize, WriteCondition condition, ChecksumAlgorithm claimedAlgorithm, String claimedValue,
      RequestContext ctx) {
    return run(() -> multipart.complete(bucket, key, uploadId, parts, minPartSize, condition, claimedAlgorithm,
        claimedValue, ctx));
  }

  @Override
  public void abortUpload(BucketRef bucket, String key, String uploadId) {
    runVoid(() -> multipart.abort(bucket, key, uploadId));
  }

  @Override
  public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
    return run(() -> multipart.listParts(bucket, key, uploadId, partNumberMarker, maxParts));
  }

  @Override
  public UploadsPage listUploads(String bucket, String prefix, String delimiter, String keyMarker,
      String uploadIdMarker, int maxUploads) {
    return run(() -> listings.uploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads));
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
      return run(() -> integrity.scrub(bucket, bytesPerSecond));
    }

    @Override
    public List<DamagedBlob> damaged() {
      return run(integrity::damaged);
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
    runVoid(() -> integrity.startBackground(bytesPerSecond, interval));
  }

  // ---- users, keys and grants

  /** Users, access keys and grants; its operations are guarded like this store's (not after close). */
  public IdentityStore identity() {
    return run(() -> identities);
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
      return run(() -> c.meta().record(table, key));
    }

    @Override
    public List<Entry> scan(RecordTable table, byte[] prefix, byte[] startAfter, int limit) {
      return run(() -> c.meta().records(table, prefix, startAfter, limit));
    }

    @Override
    public void write(Consumer<Batch> writes) {
      runVoid(() -> {
        try (MetaStore.Batch b = c.meta().batch()) {
          writes.accept(b);
          c.meta().commit(b, "write notification records");
        }
      });
    }

    @Override
    public void writeLazily(Consumer<Batch> writes) {
      runVoid(() -> {
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

  /** Waits for operations in flight, then closes RocksDB. Idempotent. */
  @Override
  public void close() {
    integrity.stop(); // a scrub holds the read side for a whole pass: end it first
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      c.meta().close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
