package io.tarn.storage.objects;

import io.tarn.storage.RebuildReport;
import io.tarn.storage.StorageException;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.BlobTrailer;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.meta.Sequencer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds the object index of an empty {@link MetaStore} from the blob files' descriptions
 * ({@link BlobDescription}): bucket records, object records with their metadata, blobrefs. It reads
 * blob files and never changes or deletes one; a file it cannot place is reported. No event is
 * emitted (the store's event sink is not involved).
 *
 * <p>How files are placed: a file listed by a manifest belongs to that manifest's object (a
 * completed upload's parts, a copy's links, whose own descriptions name a part or the copy's
 * source); every other OBJECT file and every MANIFEST is a version of its key. Per bucket name the
 * newest incarnation (by creation time) is rebuilt; per key the version with the greatest stamp whose
 * files are all there with the right lengths. Stamps are install-time numbers of the event sequencer,
 * so a version written after another was acknowledged wins; two overwrites of one key whose bodies
 * were installed in one order and committed in the other are the one case that can come back as the
 * version that lost (see docs/ARCHITECTURE.md).
 */
public final class IndexRebuild {
  /** Records per committed batch: bounded memory for the batch, few syncs. */
  private static final int BATCH = 2_000;

  private final MetaStore meta;
  private final ObjectTables tables;
  private final BlobStore blobs;

  /** Valid blob files and their data lengths. */
  private final Map<String, Long> lengths = new HashMap<>();
  private final Map<String, BlobDescription> described = new HashMap<>();
  /** Why each file not (yet) placed is not: the report's reasons. */
  private final Map<String, String> why = new TreeMap<>();
  private final List<String> notes = new ArrayList<>();
  private long maxStamp = -1;

  /** A version of a key: the file that describes it (an OBJECT file or a MANIFEST) and its description. */
  private record Version(String id, BlobDescription d) {}

  private record ObjectKey(String bucket, String key) {}

  public IndexRebuild(MetaStore meta, BlobStore blobs) {
    this.meta = meta;
    this.tables = new ObjectTables(meta);
    this.blobs = blobs;
  }

  /** Reads every blob file, writes the index, reports. {@code movedAside} goes into the report. */
  public RebuildReport run(Path movedAside) {
    blobs.forEachBlob(this::read);
    Map<String, BucketRecord> buckets = newestIncarnations();
    Set<String> listed = new HashSet<>();
    Map<ObjectKey, List<Version>> versions = new HashMap<>();
    for (Map.Entry<String, BlobDescription> e : described.entrySet()) {
      if (e.getValue().kind() == BlobDescription.Kind.MANIFEST) {
        listed.addAll(e.getValue().object().body().fileIds());
      }
    }
    for (Map.Entry<String, BlobDescription> e : described.entrySet()) {
      String id = e.getKey();
      BlobDescription d = e.getValue();
      if (!d.bucketRecord().incarnation().equals(buckets.get(d.bucket()).incarnation())) {
        why.put(id, "of an earlier incarnation of bucket " + d.bucket() + " (deleted and created again)");
      } else if (d.kind() == BlobDescription.Kind.PART) {
        why.put(id, listed.contains(id) ? "listed only by a manifest that is not current"
            : "part " + d.part().partNumber() + " of upload " + d.uploadId() + " of " + d.bucket() + "/" + d.key()
                + ", not completed (uploads in progress are not rebuilt)");
      } else if (d.kind() == BlobDescription.Kind.OBJECT && listed.contains(id)) {
        why.put(id, "a link made for a copy, listed only by a manifest that is not current");
      } else if (d.kind() == BlobDescription.Kind.OBJECT && !List.of(id).equals(d.object().body().fileIds())) {
        why.put(id, "a link of blob " + d.object().body().fileIds() + " made for a copy that has no manifest"
            + " (never committed)");
      } else {
        versions.computeIfAbsent(new ObjectKey(d.bucket(), d.key()), k -> new ArrayList<>()).add(new Version(id, d));
      }
    }
    Map<ObjectKey, ObjectRecord> chosen = new TreeMap<>(
        Comparator.comparing(ObjectKey::bucket).thenComparing(ObjectKey::key));
    int madePrivate = 0;
    for (Map.Entry<ObjectKey, List<Version>> e : versions.entrySet()) {
      ObjectRecord r = choose(e.getKey(), e.getValue());
      if (r == null) {
        continue;
      }
      // A blob describes its object's ACL as it was written; a later PutObjectAcl is not in it. Restoring
      // that ACL could make public again an object made private since: every object comes back private
      // (its owner's FULL_CONTROL), and the report says how many had more.
      if (r.grants() != null && !r.acl().equals(io.tarn.storage.access.Acl.privateTo(r.acl().ownerId()))) {
        madePrivate++;
      }
      chosen.put(e.getKey(), r.withGrants(null));
    }
    if (madePrivate > 0) {
      notes.add(madePrivate + " object(s) had ACL grants when written; they were restored private (owner FULL_CONTROL"
          + " only), as later ACL changes are not in the blob files: apply their ACLs again (PutObjectAcl)");
    }
    if (!buckets.isEmpty()) {
      notes.add("each bucket's Object Ownership is as its newest blob file recorded it: check it"
          + " (GetBucketOwnershipControls) if it was changed after that bucket's last write");
    }
    long bytes = write(buckets, chosen);
    List<RebuildReport.Unplaced> unplaced = new ArrayList<>();
    why.forEach((id, reason) -> unplaced.add(new RebuildReport.Unplaced(id, reason)));
    return new RebuildReport(movedAside, buckets.size(), chosen.size(), bytes, unplaced, notes, List.of());
  }

  private void read(String id) {
    BlobTrailer t;
    try {
      t = blobs.trailer(id);
    } catch (NoSuchFileException e) {
      return; // gone since it was listed
    } catch (StorageException e) {
      why.put(id, e.getMessage());
      return;
    }
    lengths.put(id, t.dataLength());
    BlobDescription d;
    try {
      d = BlobDescription.decode(t.description());
    } catch (StorageException e) {
      why.put(id, "its description cannot be read: " + e.getMessage());
      return;
    }
    if (d == null) {
      why.put(id, "it has no description (written by a build before descriptions)");
      return;
    }
    described.put(id, d);
    maxStamp = Math.max(maxStamp, d.stamp());
  }

  /** Per bucket name, the record of its newest incarnation (by creation time, then incarnation id). */
  private Map<String, BucketRecord> newestIncarnations() {
    Map<String, BucketRecord> out = new TreeMap<>();
    Comparator<BucketRecord> age = Comparator.comparingLong(BucketRecord::createdMillis)
        .thenComparing(BucketRecord::incarnation);
    for (BlobDescription d : described.values()) {
      out.merge(d.bucket(), d.bucketRecord(), (a, b) -> age.compare(a, b) >= 0 ? a : b);
    }
    return out;
  }

  /** The newest complete version of a key; the others are reported, with a note if the newest was not complete. */
  private ObjectRecord choose(ObjectKey k, List<Version> list) {
    list.sort(Comparator.comparingLong((Version v) -> v.d().stamp())
        .thenComparingLong(v -> v.d().object().lastModifiedMillis()).thenComparing(Version::id).reversed());
    ObjectRecord chosen = null;
    for (Version v : list) {
      String missing = chosen == null ? incomplete(v) : null;
      if (chosen != null) {
        why.put(v.id(), "an older version of " + k.bucket() + "/" + k.key());
      } else if (missing != null) {
        why.put(v.id(), "a version of " + k.bucket() + "/" + k.key() + " whose data is incomplete: " + missing);
        notes.add(k.bucket() + "/" + k.key() + ": the newest version (blob " + v.id() + ") is incomplete (" + missing
            + "); " + (list.size() > 1 ? "an older complete version is restored if there is one" : "not restored"));
      } else {
        chosen = v.d().object();
        for (String id : chosen.body().ownedIds()) {
          why.remove(id);
        }
      }
    }
    return chosen;
  }

  /** Why a version's data files are not all there with the lengths its record says, or null if they are. */
  private String incomplete(Version v) {
    ObjectRecord r = v.d().object();
    Map<String, Long> expected = new TreeMap<>();
    if (r.body() instanceof ObjectRecord.Parts p) {
      for (PartRecord part : p.parts()) {
        expected.put(part.blobId(), part.size());
      }
    } else if (r.body() instanceof ObjectRecord.BlobFile f) {
      expected.put(f.blobId(), r.size());
    } else {
      return "an inline body cannot be in a blob"; // never written so: a damaged description
    }
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      Long length = lengths.get(e.getKey());
      if (length == null) {
        return "blob " + e.getKey() + (why.containsKey(e.getKey()) ? " is unreadable" : " is missing");
      }
      if (length.longValue() != e.getValue()) {
        return "blob " + e.getKey() + " has " + length + " bytes, not " + e.getValue();
      }
    }
    return null;
  }

  /** Writes the buckets, the objects and their blobrefs; the sequencer goes on above every stamp. */
  private long write(Map<String, BucketRecord> buckets, Map<ObjectKey, ObjectRecord> objects) {
    long bytes = 0;
    MetaStore.Batch batch = meta.batch();
    int n = 0;
    try {
      for (Map.Entry<String, BucketRecord> e : buckets.entrySet()) {
        tables.putBucket(batch, e.getKey(), e.getValue());
      }
      for (Map.Entry<ObjectKey, ObjectRecord> e : objects.entrySet()) {
        ObjectRecord r = e.getValue();
        tables.putObject(batch, e.getKey().bucket(), e.getKey().key(), r);
        for (String id : r.body().ownedIds()) {
          tables.putBlobRef(batch, id);
        }
        bytes += r.size();
        if (++n % BATCH == 0) {
          meta.commit(batch, "rebuild index");
          batch.close();
          batch = meta.batch();
        }
      }
      Sequencer.startAtLeast(batch, maxStamp + 1);
      meta.commit(batch, "rebuild index");
    } finally {
      batch.close();
    }
    // From the records just written (one scan of the new index); before it commits, a later open counts.
    tables.usage().recount();
    return bytes;
  }
}
