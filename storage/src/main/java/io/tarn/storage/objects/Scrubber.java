package io.tarn.storage.objects;

import io.tarn.storage.DamagedBlob;
import io.tarn.storage.ScrubReport;
import io.tarn.storage.StorageException;
import io.tarn.storage.blobs.BlobReader;
import io.tarn.storage.blobs.InlineValue;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A scrub pass: walks the object records (and the parts of multipart uploads in progress) so that a
 * report names bucket and key, and verifies every block of every blob file they reference at a
 * bounded rate; inline objects are read, which makes RocksDB verify their block checksums. The
 * walk reads records a page at a time, so no RocksDB iterator is held open across the slow part.
 * A blob deleted by a concurrent overwrite or delete is skipped, not reported: only a blob whose
 * record still names it after the failure is missing.
 */
public final class Scrubber {
  private static final int PAGE = 256;
  /**
   * What visiting a record costs against the rate, in bytes: walking the metadata is work too, so a
   * store of many tiny objects is not walked at full speed between their few bytes.
   */
  private static final int RECORD_COST = 1024;

  private final StoreContext c;
  private final BlobReader blobs;
  private final Damage damage;
  private volatile boolean stopped;

  Scrubber(StoreContext c, Damage damage) {
    this.c = c;
    this.blobs = new BlobReader(c.blobs());
    this.damage = damage;
  }

  /** Ends passes in progress at their next blob (the store is closing). */
  void stop() {
    stopped = true;
  }

  /** Thrown out of a pass by {@link #stop}. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("the store is closing", null, false, false);
    }
  }

  /** What a pass has counted so far. */
  private static final class Tally {
    long objects;
    long uploads;
    long blobs;
    long bytes;
    long inline;
    final List<DamagedBlob> damaged = new ArrayList<>();
  }

  /** One pass over {@code bucket} (null: all), reading at most {@code bytesPerSecond} (0: unlimited). */
  ScrubReport pass(String bucket, long bytesPerSecond, String foundBy) {
    if (bucket != null) {
      c.requireBucket(bucket);
    }
    long startNanos = System.nanoTime();
    Instant started = c.now();
    Pacer pacer = new Pacer(bytesPerSecond);
    Tally t = new Tally();
    byte[] prefix = bucket == null ? new byte[0] : ObjectTables.bucketPrefix(bucket);
    walk(ColumnFamily.OBJECTS, prefix, (k, v) -> {
      int sep = indexOf(k, Keys.SEP);
      String b = Keys.text(Arrays.copyOf(k, sep), 0);
      String key = ObjectTables.keyOf(k, sep + 1);
      checkObject(b, key, ObjectRecord.decode(v), pacer, t, foundBy);
    });
    walk(ColumnFamily.UPLOADS, prefix, (k, v) -> {
      int sep = indexOf(k, Keys.SEP);
      String b = Keys.text(Arrays.copyOf(k, sep), 0);
      checkUpload(b, ObjectTables.uploadRawOf(k), UploadRecord.decode(v).key(), pacer, t, foundBy);
    });
    if (bucket == null) {
      clearStale(started, t.damaged);
    }
    return new ScrubReport(bucket, t.objects, t.uploads, t.blobs, t.bytes, t.inline, t.damaged,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private interface Visitor {
    void visit(byte[] key, byte[] value);
  }

  /** Visits the entries of {@code cf} under {@code prefix}, reading {@link #PAGE} at a time. */
  private void walk(ColumnFamily cf, byte[] prefix, Visitor v) {
    byte[] after = null;
    while (true) {
      List<Map.Entry<byte[], byte[]>> page = new ArrayList<>(PAGE);
      try (MetaStore.Cursor cur = c.meta().cursor(cf)) {
        cur.seek(after == null ? prefix : after);
        for (; cur.valid() && Keys.startsWith(cur.key(), prefix) && page.size() < PAGE; cur.next()) {
          if (after != null && Arrays.equals(cur.key(), after)) {
            continue;
          }
          page.add(Map.entry(cur.key(), cur.value()));
        }
      }
      if (page.isEmpty()) {
        return;
      }
      for (Map.Entry<byte[], byte[]> e : page) {
        if (stopped) {
          throw new Stopped();
        }
        v.visit(e.getKey(), e.getValue());
      }
      after = page.get(page.size() - 1).getKey();
    }
  }

  private static int indexOf(byte[] a, byte b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    throw new IllegalStateException("record key without a bucket separator");
  }

  private void checkObject(String bucket, String key, ObjectRecord rec, Pacer pacer, Tally t, String foundBy) {
    t.objects++;
    pacer.acquire(RECORD_COST);
    if (rec.body() instanceof ObjectRecord.Inline i) {
      byte[] value = c.tables().inline(i.blobId()); // RocksDB verifies the blocks it reads
      if (value != null) {
        InlineValue.check(value, i.blobId());
      }
      t.inline++;
      return;
    }
    if (rec.body() instanceof ObjectRecord.Parts p) {
      for (PartRecord part : p.parts()) {
        checkBlob(bucket, key, null, part.partNumber(), part.blobId(), part.size(), pacer, t, foundBy,
            () -> sameBody(bucket, key, rec));
      }
    } else {
      checkBlob(bucket, key, null, 0, ((ObjectRecord.BlobFile) rec.body()).blobId(), rec.size(), pacer, t, foundBy,
          () -> sameBody(bucket, key, rec));
    }
  }

  private boolean sameBody(String bucket, String key, ObjectRecord rec) {
    ObjectRecord now = c.tables().object(bucket, key);
    return now != null && now.body().equals(rec.body());
  }

  private void checkUpload(String bucket, byte[] uploadRaw, String key, Pacer pacer, Tally t, String foundBy) {
    String uploadId = UploadIds.text(uploadRaw);
    int after = 0;
    while (true) {
      List<PartRecord> parts = c.tables().parts(uploadRaw, after, PAGE);
      if (parts.isEmpty()) {
        return;
      }
      for (PartRecord part : parts) {
        t.uploads++;
        pacer.acquire(RECORD_COST);
        checkBlob(bucket, key, uploadId, part.partNumber(), part.blobId(), part.size(), pacer, t, foundBy,
            () -> part.equals(c.tables().part(uploadRaw, part.partNumber())));
      }
      after = parts.get(parts.size() - 1).partNumber();
    }
  }

  private interface StillNamed {
    boolean check();
  }

  private void checkBlob(String bucket, String key, String uploadId, int part, String id, long length, Pacer pacer,
      Tally t, String foundBy, StillNamed stillNamed) {
    if (stopped) {
      throw new Stopped();
    }
    DamagedBlob found = null;
    try {
      t.bytes += blobs.verifyAll(id, length, pacer::acquire);
      t.blobs++;
    } catch (NoSuchFileException e) {
      if (stillNamed.check()) {
        found = damage.found(id, bucket, key, uploadId, part, DamagedBlob.Problem.MISSING, "the blob file is missing",
            foundBy);
      }
    } catch (StorageException e) {
      if (e.kind() != StorageException.Kind.CORRUPT) {
        throw e;
      }
      t.blobs++;
      if (stillNamed.check()) {
        found = damage.found(id, bucket, key, uploadId, part, DamagedBlob.Problem.CORRUPT, e.getMessage(), foundBy);
      }
    }
    if (found != null) {
      damage.record(found);
      t.damaged.add(found);
    }
  }

  /** After a full pass: marks recorded before it began of blobs it did not find damaged. */
  private void clearStale(Instant passStarted, List<DamagedBlob> found) {
    Set<String> stillDamaged = new HashSet<>();
    found.forEach(d -> stillDamaged.add(d.blobId()));
    List<String> stale = new ArrayList<>();
    for (DamagedBlob d : damage.all()) {
      if (!stillDamaged.contains(d.blobId()) && d.detected().isBefore(passStarted)) {
        stale.add(d.blobId());
      }
    }
    damage.clear(stale);
  }

  /**
   * Holds a byte rate: each read of {@code n} bytes first waits for its share of time. A token bucket
   * with a burst of about 0.1 s, so a pass that was idle (a slow record page) does not then read at
   * full speed to catch up.
   */
  static final class Pacer {
    private final long bytesPerSecond;
    private long next = System.nanoTime();

    Pacer(long bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    void acquire(long n) {
      if (bytesPerSecond <= 0) {
        return;
      }
      long now = System.nanoTime();
      next = Math.max(next, now - 100_000_000L) + (long) (n * 1e9 / bytesPerSecond);
      long wait = next - now;
      while (wait > 0) {
        LockSupport.parkNanos(wait);
        if (Thread.interrupted()) {
          throw new Stopped();
        }
        wait = next - System.nanoTime();
      }
    }
  }
}
