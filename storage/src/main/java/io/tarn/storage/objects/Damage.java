package io.tarn.storage.objects;

import io.tarn.core.Hex;
import io.tarn.storage.DamagedBlob;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The record of damaged blobs (column family {@code damage}, key: the blob id's 16 bytes), and the
 * count of detections since start. A blob is recorded once (one synced write); each later detection
 * of the same problem only counts, so a damaged object read in a loop costs no write per GET. Records
 * are never a reason to delete or move a blob: only a full scrub clears them, for blobs no longer
 * referenced or verifying again.
 */
final class Damage {
  private static final System.Logger LOG = System.getLogger(Damage.class.getName());
  private static final int FORMAT = 1;

  private final MetaStore meta;
  private final Clock clock;
  /** Blob id → problem already on record (loaded lazily from the table, then kept in step). */
  private final ConcurrentHashMap<String, DamagedBlob.Problem> recorded = new ConcurrentHashMap<>();
  private final AtomicLong detections = new AtomicLong();

  Damage(MetaStore meta, Clock clock) {
    this.meta = meta;
    this.clock = clock;
    for (DamagedBlob d : all()) {
      recorded.put(d.blobId(), d.problem());
    }
  }

  /** A damaged blob as found now. */
  DamagedBlob found(String blobId, String bucket, String key, String uploadId, int partNumber,
      DamagedBlob.Problem problem, String detail, String foundBy) {
    return new DamagedBlob(blobId, bucket, key, uploadId, partNumber, problem, detail,
        Instant.ofEpochMilli(clock.millis()), foundBy);
  }

  /** Counts a detection and records it durably unless the same problem is already on record. */
  void record(DamagedBlob d) {
    detections.incrementAndGet();
    if (recorded.get(d.blobId()) == d.problem()) {
      return;
    }
    synchronized (this) {
      if (recorded.get(d.blobId()) == d.problem()) {
        return;
      }
      try (MetaStore.Batch b = meta.batch()) {
        b.put(ColumnFamily.DAMAGE, Hex.decode(d.blobId()), encode(d));
        meta.commit(b, "record damaged blob " + d.blobId());
      }
      recorded.put(d.blobId(), d.problem());
    }
    // WARNING: a read that found it is logged at ERROR by the front end with its request id (once per
    // request); this line is the record's, once per blob, and names it for scrubs too.
    LOG.log(System.Logger.Level.WARNING, "damaged blob recorded: " + d.blobId() + " of " + d.bucket() + "/" + d.key()
        + (d.partNumber() > 0 ? " part " + d.partNumber() : "") + (d.uploadId() != null ? " (upload " + d.uploadId() + ")" : "")
        + ": " + d.problem() + ", " + d.detail() + " (found by " + d.foundBy() + ")");
  }

  /** Removes the records of {@code blobIds}. */
  synchronized void clear(List<String> blobIds) {
    if (blobIds.isEmpty()) {
      return;
    }
    try (MetaStore.Batch b = meta.batch()) {
      for (String id : blobIds) {
        b.delete(ColumnFamily.DAMAGE, Hex.decode(id));
      }
      meta.commit(b, "clear damaged blob records");
    }
    blobIds.forEach(recorded::remove);
  }

  List<DamagedBlob> all() {
    List<DamagedBlob> out = new ArrayList<>();
    meta.scan(ColumnFamily.DAMAGE, new byte[0], (k, v) -> out.add(decode(Hex.encode(k), v)));
    return out;
  }

  long detections() {
    return detections.get();
  }

  static byte[] encode(DamagedBlob d) {
    return new Codec.Out(FORMAT).string(d.bucket()).string(d.key()).string(d.uploadId()).varint(d.partNumber())
        .u8(d.problem().ordinal()).string(d.detail()).i64(d.detected().toEpochMilli()).string(d.foundBy()).toBytes();
  }

  static DamagedBlob decode(String blobId, byte[] value) {
    Codec.In in = new Codec.In(value, "damaged blob", FORMAT);
    String bucket = in.requiredString();
    String key = in.requiredString();
    String uploadId = in.string();
    int part = in.count(10_000);
    int problem = in.u8();
    if (problem >= DamagedBlob.Problem.values().length) {
      throw in.corrupt("unknown problem " + problem);
    }
    String detail = in.string();
    long detected = in.i64();
    String foundBy = in.string();
    in.end();
    return new DamagedBlob(blobId, bucket, key, uploadId, part, DamagedBlob.Problem.values()[problem], detail,
        Instant.ofEpochMilli(detected), foundBy);
  }
}
