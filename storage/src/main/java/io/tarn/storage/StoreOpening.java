package io.tarn.storage;

import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.DiskSpace;
import io.tarn.storage.blobs.WriteProbe;
import io.tarn.storage.identity.MasterKeyCheck;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.meta.Sequencer;
import io.tarn.storage.objects.BlobSweep;
import io.tarn.storage.objects.Locks;
import io.tarn.storage.objects.ObjectTables;
import io.tarn.storage.objects.StoreContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

/**
 * How {@link TarnStore#open} opens a data directory (its javadoc is the contract): the refusals
 * before and after RocksDB opens, the master key, the store stamp, the start-up sweeps and their
 * report, the migrations of earlier builds' records, then the store, stamped with this build's
 * format last.
 */
final class StoreOpening {
  private static final System.Logger LOG = System.getLogger(StoreOpening.class.getName());

  private StoreOpening() {}

  static TarnStore open(StorageOptions options, EventSink sink, Clock clock) {
    Path dataDir = options.dataDir();
    Path metaDir = dataDir.resolve("meta");
    boolean holdsData;
    boolean holdsBlobs;
    try {
      options.dataMode().prepareDirectory(dataDir);
      holdsBlobs = BlobStore.countBlobFiles(dataDir, 1) > 0;
      // Before RocksDB would create an empty database: with it every blob would be unindexed.
      if (holdsBlobs && !Files.exists(metaDir.resolve("CURRENT"))) {
        throw indexMissing(dataDir);
      }
      // Before RocksDB creates its files: a meta/ with content or any blob file is data of an earlier start.
      holdsData = hasContent(metaDir, 1) || hasContent(dataDir.resolve("blobs"), 2);
      options.dataMode().prepareDirectory(metaDir);
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot create " + dataDir + ": " + e, e);
    }
    // Before RocksDB opens (and, at its first open, rewrites) the database: a newer build's data is
    // refused as it is.
    DataFormat format = DataFormat.thisBuild();
    DataFormat.Found found = format.check(dataDir);
    // Metadata first: RocksDB's lock file keeps a second process out before any file is touched.
    MetaStore meta = MetaStore.open(metaDir, options.fsync(), options.acceptWalLoss());
    try {
      ObjectTables tables = new ObjectTables(meta);
      // A database with no bucket and no blob record cannot have committed any blob file: it is a
      // new or emptied meta/, and a sweep would quarantine every blob.
      if (holdsBlobs && !tables.anyBucket() && !tables.anyBlobRecord()) {
        throw indexMissing(dataDir);
      }
      // Loaded under RocksDB's lock: two processes cannot both generate a key file. Before the blob
      // sweep: a data directory refused for its missing key is left as it was.
      MasterKey masterKey = options.masterKey() != null ? options.masterKey()
          : MasterKey.loadOrGenerate(dataDir, holdsData);
      if (masterKey.generated()) {
        LOG.log(System.Logger.Level.INFO, "generated a master key in " + dataDir.resolve(MasterKey.FILE)
            + ": back it up with the data, secrets cannot be read without it");
      }
      StoreStamp.Checked stamp = StoreStamp.check(dataDir, meta);
      BlobStore blobs = BlobStore.open(dataDir, options.fsync(), options.dataMode(), tables);
      DiskSpace space = DiskSpace.open(dataDir, options.space(), options.fsync(), options.dataMode());
      int temps = blobs.cleanTemp();
      // Intents prove a file never committed only if meta/ holds every commit made since they were written.
      BlobSweep.Result sweep = BlobSweep.run(tables, blobs, stamp.continuous() && !meta.walLossAccepted());
      report(dataDir, sweep, temps);
      tables.usage().open(); // an earlier build's index is counted once, before anything is served
      tables.acls().migrateLegacyGrants(); // an earlier build's grants become bucket ACLs, before anything is served
      Sequencer sequencer = new Sequencer(meta);
      MasterKeyCheck.verify(meta, TarnStore.keySealer(masterKey));
      WriteProbe probe = new WriteProbe(dataDir, options.fsync(), options.dataMode(), WRITE_PROBE_INTERVAL);
      TarnStore store = new TarnStore(
          new StoreContext(options, meta, tables, blobs, space, new Locks(), sequencer, sink, clock), masterKey,
          stamp.stamp(), probe);
      store.mirrorIdentities(); // catches up with a mutation whose rewrite a crash prevented
      format.upgrade(dataDir, found, DataFormat.build()); // last: only a data directory that opened is stamped
      probe.start();
      return store;
    } catch (RuntimeException | Error e) {
      meta.close();
      throw e;
    }
  }

  /** How often the background write probe behind {@link TarnStore#health()} writes its file. */
  static final java.time.Duration WRITE_PROBE_INTERVAL = java.time.Duration.ofSeconds(10);

  private static StorageException indexMissing(Path dataDir) {
    long n = BlobStore.countBlobFiles(dataDir, Long.MAX_VALUE);
    return new StorageException(StorageException.Kind.IO, "meta/ is missing or empty but blobs/ holds " + n
        + " blob files: starting would index none of them, so nothing was opened or changed. Restore meta/ from"
        + " a backup, or run `tarn admin rebuild-index --data " + dataDir + "` to rebuild it from the blob files");
  }

  private static void report(Path dataDir, BlobSweep.Result sweep, int temps) {
    LOG.log(System.Logger.Level.INFO, "opened " + dataDir + ": " + sweep.live() + " blob files, "
        + sweep.deleted() + " uncommitted or released blob files deleted, " + temps + " temp files deleted"
        + (sweep.staleRecords() > 0 ? ", " + sweep.staleRecords() + " records of deleted blobs removed" : "")
        + (sweep.foreign() > 0 ? ", " + sweep.foreign() + " foreign files left in blobs/" : ""));
    if (sweep.quarantined() > 0) {
      LOG.log(System.Logger.Level.WARNING, "quarantined " + sweep.quarantined() + " blob files that no metadata"
          + " record accounts for: moved to " + sweep.quarantineDir() + ", not deleted. They may be objects whose"
          + " metadata was lost (a restored or damaged meta/, or a write cut off by a power loss). To get them back,"
          + " move them into blobs/<first two characters of the name>/ and run `tarn admin rebuild-index --data "
          + dataDir + "`; delete them only once you know they hold nothing you need");
    }
    if (sweep.missing() > 0) {
      LOG.log(System.Logger.Level.WARNING, sweep.missing() + " live blob records have no file in blobs/ (first: "
          + String.join(", ", sweep.missingSample()) + "): reads of their objects fail; restore the files from a"
          + " backup if you have one");
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
}
