package io.tarn.storage.objects;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.meta.Codec;
import java.util.SortedMap;
import java.util.TreeMap;

/** Field groups that object, upload and part records share, in {@link Codec}'s encoding. */
final class ObjectFields {
  private ObjectFields() {}

  static void metadata(Codec.Out out, ObjectMetadata m) {
    out.string(m.contentType())
        .string(m.contentEncoding())
        .string(m.contentDisposition())
        .string(m.contentLanguage())
        .string(m.cacheControl())
        .string(m.expires())
        .varint(m.userMetadata().size());
    m.userMetadata().forEach((k, v) -> out.string(k).string(v));
  }

  static ObjectMetadata metadata(Codec.In in) {
    String contentType = in.string();
    String contentEncoding = in.string();
    String contentDisposition = in.string();
    String contentLanguage = in.string();
    String cacheControl = in.string();
    String expires = in.string();
    int n = in.count(100_000);
    SortedMap<String, String> user = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      user.put(in.requiredString(), in.requiredString());
    }
    return new ObjectMetadata(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl,
        expires, user);
  }

  static void algorithm(Codec.Out out, ChecksumAlgorithm a) {
    // By name, not ordinal: reordering the enum must not change stored meaning.
    out.string(a == null ? null : a.name());
  }

  static ChecksumAlgorithm algorithm(Codec.In in) {
    String name = in.string();
    if (name == null) {
      return null;
    }
    try {
      return ChecksumAlgorithm.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw in.corrupt("unknown checksum algorithm " + name);
    }
  }

  static void checksum(Codec.Out out, StoredChecksum c) {
    out.bool(c != null);
    if (c != null) {
      algorithm(out, c.algorithm());
      out.bytes(c.value()).varint(c.partCount());
    }
  }

  static StoredChecksum checksum(Codec.In in) {
    if (!in.bool()) {
      return null;
    }
    ChecksumAlgorithm a = algorithm(in);
    if (a == null) {
      throw in.corrupt("checksum without algorithm");
    }
    return new StoredChecksum(a, in.bytes(), in.count(10_000));
  }
}
