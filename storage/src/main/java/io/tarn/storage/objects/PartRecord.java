package io.tarn.storage.objects;

import io.tarn.storage.PartSummary;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/**
 * A part: the value of the {@code parts} column family while its upload is in progress, and an entry
 * of a completed object's manifest afterwards (same blob file, same blob id).
 */
record PartRecord(int partNumber, long size, String etag, long lastModifiedMillis, StoredChecksum checksum,
    String blobId) {
  static final int FORMAT = 1;

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT);
    writeFields(out);
    return out.toBytes();
  }

  static PartRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "part", FORMAT);
    PartRecord r = readFields(in);
    in.end();
    return r;
  }

  void writeFields(Codec.Out out) {
    out.varint(partNumber).varint(size).string(etag).i64(lastModifiedMillis);
    ObjectFields.checksum(out, checksum);
    out.blobId(blobId);
  }

  static PartRecord readFields(Codec.In in) {
    int number = in.count(10_000);
    long size = in.varint();
    String etag = in.requiredString();
    long modified = in.i64();
    StoredChecksum checksum = ObjectFields.checksum(in);
    return new PartRecord(number, size, etag, modified, checksum, in.blobId());
  }

  PartSummary summary() {
    return new PartSummary(partNumber, size, etag, Instant.ofEpochMilli(lastModifiedMillis), checksum);
  }
}
