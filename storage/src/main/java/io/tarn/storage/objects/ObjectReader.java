package io.tarn.storage.objects;

import io.tarn.storage.DamagedBlob;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.StorageException;
import io.tarn.storage.blobs.BlobReader;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.InlineValue;
import io.tarn.storage.blobs.OpenedObject;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens objects for reading (GetObject). With {@link io.tarn.storage.StorageOptions#verifyReads()}
 * every blob file is checked before any byte is served (trailer, data length against the record)
 * and carries the check of its blocks to the sender; damage is recorded ({@link Damage}) and thrown
 * as CORRUPT. Inline bytes come from RocksDB, which verifies its own block checksums on every read
 * ({@code ReadOptions.verify_checksums}, on by default and never turned off here).
 */
public final class ObjectReader {
  private static final int OPEN_ATTEMPTS = 5;

  private final StoreContext c;
  private final BlobReader blobs;
  private final Damage damage;

  ObjectReader(StoreContext c, Damage damage) {
    this.c = c;
    this.blobs = new BlobReader(c.blobs());
    this.damage = damage;
  }

  /** A blob file named by the record is not there. */
  private static final class Missing extends Exception {
    private static final long serialVersionUID = 1L;
    final String blobId;

    Missing(String blobId) {
      super(null, null, false, false);
      this.blobId = blobId;
    }
  }

  public ObjectContent open(String bucket, String key) {
    Names.requireObjectKey(key);
    c.requireBucket(bucket);
    for (int attempt = 1; ; attempt++) {
      ObjectRecord rec = c.tables().object(bucket, key);
      if (rec == null) {
        throw new StorageException(StorageException.Kind.NO_SUCH_KEY, "no such key: " + bucket + "/" + key);
      }
      try {
        ObjectContent content = tryOpen(bucket, key, rec);
        if (content != null) {
          return content;
        }
      } catch (Missing m) {
        // Deleted by a concurrent overwrite (the record changed: read it again), or lost: the record
        // still names it.
        ObjectRecord now = c.tables().object(bucket, key);
        if (now != null && now.body().equals(rec.body())) {
          damage.record(damage.found(m.blobId, bucket, key, null, partOf(rec, m.blobId), DamagedBlob.Problem.MISSING,
              "the blob file is missing", "read"));
          throw new StorageException(StorageException.Kind.CORRUPT,
              bucket + "/" + key + ": blob file " + m.blobId + " is missing from the data directory");
        }
      }
      if (attempt == OPEN_ATTEMPTS) {
        throw new StorageException(StorageException.Kind.IO,
            "object " + bucket + "/" + key + " changed during each of " + OPEN_ATTEMPTS + " attempts to open it");
      }
    }
  }

  /** The part number blob {@code id} holds in {@code rec} (0: a single-part object). */
  static int partOf(ObjectRecord rec, String id) {
    if (rec.body() instanceof ObjectRecord.Parts p) {
      for (PartRecord part : p.parts()) {
        if (part.blobId().equals(id)) {
          return part.partNumber();
        }
      }
    }
    return 0;
  }

  /** Opens the bytes of {@code rec}, or returns {@code null} if its inline bytes are already gone. */
  private ObjectContent tryOpen(String bucket, String key, ObjectRecord rec) throws Missing {
    ObjectInfo info = rec.toInfo(bucket, key);
    if (rec.body() instanceof ObjectRecord.Inline i) {
      byte[] value = c.tables().inline(i.blobId());
      if (value == null) {
        return null;
      }
      if (InlineValue.check(value, i.blobId()) != rec.size()) {
        throw new StorageException(StorageException.Kind.IO,
            "inline bytes of " + bucket + "/" + key + " do not match its recorded size");
      }
      return OpenedObject.ofInline(info, value);
    }
    List<String> ids = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    List<Integer> partNumbers = new ArrayList<>();
    if (rec.body() instanceof ObjectRecord.Parts p) {
      for (PartRecord part : p.parts()) {
        ids.add(part.blobId());
        lengths.add(part.size());
        partNumbers.add(part.partNumber());
      }
    } else {
      ids.add(((ObjectRecord.BlobFile) rec.body()).blobId());
      lengths.add(rec.size());
      partNumbers.add(0);
    }
    boolean verify = c.options().verifyReads();
    List<OpenedObject.Source> sources = new ArrayList<>(ids.size());
    boolean ok = false;
    try {
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        int part = partNumbers.get(i);
        String object = bucket + "/" + key + (part > 0 ? " part " + part : "");
        try {
          sources.add(blobs.open(id, lengths.get(i), object, verify, why -> damage.record(
              damage.found(id, bucket, key, null, part, DamagedBlob.Problem.CORRUPT, why, "read"))));
        } catch (NoSuchFileException e) {
          throw new Missing(id);
        }
      }
      ok = true;
      return OpenedObject.of(info, sources);
    } finally {
      if (!ok) {
        for (OpenedObject.Source s : sources) {
          if (s instanceof OpenedObject.FileSource f) {
            BlobStore.closeQuietly(f.channel());
          }
        }
      }
    }
  }
}
