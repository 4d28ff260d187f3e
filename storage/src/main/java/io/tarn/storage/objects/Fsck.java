package io.tarn.storage.objects;

import io.tarn.storage.BucketStats;
import io.tarn.storage.FsckReport;
import io.tarn.storage.FsckReport.Finding;
import io.tarn.storage.FsckReport.Kind;
import io.tarn.storage.StorageException;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.BlobTrailer;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the object index against the blob files, both ways: every record's files
 * exist with a valid trailer, the record's length and a description naming the record's object (or
 * the right kind of blob); every blob file is referenced (has a blobref, the only use made of blobrefs
 * here) and used by a record; every blobref has its file; every bucket's usage counters equal the count
 * of its records ({@link BucketUsage}; the only thing {@code run(true)} repairs). Block checksums of the
 * data are the scrub's work, not this one's: fsck reads trailers only.
 */
public final class Fsck {
  private final MetaStore meta;
  private final ObjectTables tables;
  private final BlobStore blobs;
  private final List<Finding> findings = new ArrayList<>();
  /** Blob files some record uses. */
  private final Set<String> used = new HashSet<>();
  /** Blob files found missing or corrupt, so they are reported once. */
  private final Set<String> bad = new HashSet<>();

  public Fsck(MetaStore meta, BlobStore blobs) {
    this.meta = meta;
    this.tables = new ObjectTables(meta);
    this.blobs = blobs;
  }

  /**
   * Checks, and with {@code repair} sets the buckets' usage counters to what the records say (the one
   * repair fsck makes: the records are the truth they count, so nothing is lost by it).
   */
  public FsckReport run(boolean repair) {
    long[] objects = {0, 0};
    BucketUsage.Tally tally = new BucketUsage.Tally();
    try (MetaStore.Cursor cur = tables.objects()) {
      for (cur.seekToFirst(); cur.valid(); cur.next()) {
        objects[0]++;
        tally.add(ObjectTables.bucketOf(cur.key()), BucketUsage.sizeOf(cur.value()));
        if (checkObject(cur.key(), cur.value())) {
          objects[1]++;
        }
      }
    }
    checkUsage(tally.result(), repair);
    tables.forEachPart(p -> use(p.blobId(), p.size(), "a part of an upload in progress", d ->
        d.kind() == BlobDescription.Kind.PART ? null : "it describes a " + d.kind() + ", not a part"));
    // Only LIVE records reference a file; an intent or a released file is the next start's to delete.
    Map<String, BlobState> records = new HashMap<>();
    Set<String> refs = new HashSet<>();
    tables.forEachBlobRecord((id, state) -> {
      records.put(id, state);
      if (state == BlobState.LIVE) {
        refs.add(id);
      }
    });
    for (String id : used) {
      if (!refs.contains(id) && !bad.contains(id)) {
        findings.add(new Finding(Kind.NO_BLOBREF, id, "used by the index but has no blobref"));
      }
    }
    Set<String> files = new HashSet<>();
    blobs.forEachBlob(id -> {
      files.add(id);
      if (!records.containsKey(id)) {
        findings.add(new Finding(Kind.ORPHAN, id, "a blob file the index does not reference" + about(id)));
      } else if (refs.contains(id) && !used.contains(id)) {
        findings.add(new Finding(Kind.UNOWNED, id, "referenced, but no record uses it" + about(id)));
      }
    });
    for (String id : refs) {
      if (!files.contains(id) && !bad.contains(id)) {
        findings.add(new Finding(Kind.DANGLING_BLOBREF, id, "a blobref whose blob file does not exist"));
      }
    }
    return new FsckReport(objects[0], objects[1], files.size(), findings);
  }

  /**
   * Compares each bucket's counters with the count of its records. An index without counters (an
   * earlier build's: the next start counts) is not a finding; {@code repair} counts it now.
   */
  private void checkUsage(Map<String, BucketStats> counted, boolean repair) {
    BucketUsage usage = tables.usage();
    if (usage.counted()) {
      Set<String> buckets = new TreeSet<>(counted.keySet());
      buckets.addAll(usage.storedBuckets());
      for (String bucket : buckets) {
        BucketStats want = counted.getOrDefault(bucket, new BucketStats(bucket, 0, 0));
        String have;
        try {
          BucketStats s = usage.read(bucket);
          have = s.equals(want) ? null : s.objects() + " objects, " + s.bytes() + " bytes";
        } catch (StorageException e) {
          have = e.getMessage();
        }
        if (have != null) {
          findings.add(new Finding(Kind.USAGE_MISMATCH, null, "bucket " + bucket + ": its counters say " + have
              + ", its records " + want.objects() + " objects, " + want.bytes() + " bytes"
              + (repair ? " (repaired: counters set from the records)" : "")));
        }
      }
    }
    if (repair) {
      usage.recount();
    }
  }

  /** Checks one object record and its files; returns whether it is inline. */
  private boolean checkObject(byte[] cfKey, byte[] value) {
    String bucket = ObjectTables.bucketOf(cfKey);
    String key = ObjectTables.keyOf(cfKey, Keys.utf8(bucket).length + 1);
    String what = bucket + "/" + key;
    ObjectRecord r;
    try {
      r = ObjectRecord.decode(value);
    } catch (StorageException e) {
      findings.add(new Finding(Kind.CORRUPT_RECORD, null, what + ": " + e.getMessage()));
      return false;
    }
    BucketRecord b = tables.bucket(bucket);
    String incarnation = b == null ? null : b.incarnation();
    if (r.body() instanceof ObjectRecord.Inline i) {
      if (tables.inline(i.blobId()) == null) {
        findings.add(new Finding(Kind.MISSING_INLINE, i.blobId(), what + ": its inline bytes are missing"));
      }
      return true;
    }
    Describes names = d -> d.kind() != BlobDescription.Kind.PART && d.bucket().equals(bucket) && d.key().equals(key)
        && d.bucketRecord().incarnation().equals(incarnation) ? null
        : "it describes " + d.kind() + " " + d.bucket() + "/" + d.key() + (d.bucketRecord().incarnation()
            .equals(incarnation) ? "" : " of another incarnation of its bucket");
    String manifest = r.body().manifestId();
    if (manifest != null) {
      use(manifest, 0, what + " (manifest)", d -> d.kind() != BlobDescription.Kind.MANIFEST
          ? "it describes a " + d.kind() + ", not a manifest" : names.mismatch(d));
    }
    if (r.body() instanceof ObjectRecord.Parts p) {
      for (PartRecord part : p.parts()) {
        use(part.blobId(), part.size(), what + " part " + part.partNumber(), d -> null);
      }
    } else {
      String id = ((ObjectRecord.BlobFile) r.body()).blobId();
      // A copy's file is a link to its source's, which describes the source; its manifest names the copy.
      use(id, r.size(), what, manifest != null ? d -> null : names);
    }
    return false;
  }

  /** What a description must say: null if it is right, else what is wrong. */
  @FunctionalInterface
  private interface Describes {
    String mismatch(BlobDescription d);
  }

  /** Checks a file a record uses: there, trailer intact, {@code length} data bytes, described right. */
  private void use(String id, long length, String what, Describes describes) {
    used.add(id);
    BlobTrailer t;
    try {
      t = blobs.trailer(id);
    } catch (NoSuchFileException e) {
      bad.add(id);
      findings.add(new Finding(Kind.MISSING_BLOB, id, what + ": its blob file is missing"));
      return;
    } catch (StorageException e) {
      bad.add(id);
      findings.add(new Finding(Kind.CORRUPT_BLOB, id, what + ": " + e.getMessage()));
      return;
    }
    if (t.dataLength() != length) {
      findings.add(new Finding(Kind.WRONG_SIZE, id, what + ": the file has " + t.dataLength() + " bytes, the index says "
          + length));
    }
    BlobDescription d;
    try {
      d = BlobDescription.decode(t.description());
    } catch (StorageException e) {
      findings.add(new Finding(Kind.WRONG_DESCRIPTION, id, what + ": " + e.getMessage()));
      return;
    }
    // An empty description is a blob of a build before descriptions: nothing to compare.
    String wrong = d == null ? null : describes.mismatch(d);
    if (wrong != null) {
      findings.add(new Finding(Kind.WRONG_DESCRIPTION, id, what + ": " + wrong));
    }
  }

  /** What an unused file says it is, for the report. */
  private String about(String id) {
    try {
      BlobDescription d = BlobDescription.decode(blobs.trailer(id).description());
      return d == null ? " (no description)" : " (" + d.kind() + " " + d.bucket() + "/" + d.key() + ")";
    } catch (NoSuchFileException | StorageException e) {
      return " (unreadable: " + e.getMessage() + ")";
    }
  }
}
