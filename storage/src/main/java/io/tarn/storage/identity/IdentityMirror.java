package io.tarn.storage.identity;

import io.tarn.storage.DataMode;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A copy of the identity and access records (users, access keys, API tokens, bucket ACLs and grants,
 * bucket policies and public access blocks) outside the index, in {@code <data>/identity.mirror}, so
 * that {@code rebuild-index} can restore them: they are in no blob. Rewritten whole (temp file, fsync,
 * atomic rename, directory fsync) after every identity mutation, every change of a bucket's policy or
 * public access block, after a bucket deletion (which removes the bucket's grants) and at every open,
 * so it lags the index
 * only by a crash between a commit and its rewrite, which the next open repairs. Records are copied
 * as stored: secrets stay sealed under the master key, tokens are only hashes. Mode 0600.
 *
 * <p>Format 1: format byte, then per column family its name, the entry count, and each key and value
 * as length-prefixed bytes ({@link Codec}); a CRC-free file is enough, since it is written atomically
 * and decoding checks every length. Format 2 adds the column family of bucket policies and public
 * access blocks after the four of format 1 (a mirror of format 1 restores without them).
 */
public final class IdentityMirror {
  public static final String FILE = "identity.mirror";
  private static final int FORMAT_V1 = 1;
  private static final int FORMAT = 2;
  private static final List<ColumnFamily> TABLES = List.of(ColumnFamily.USERS, ColumnFamily.KEYS,
      ColumnFamily.TOKENS, ColumnFamily.GRANTS, ColumnFamily.BUCKET_POLICIES);
  /** The tables of format 1. */
  private static final int TABLES_V1 = 4;
  /** Tables whose keys start with their bucket's name and a 0x00: restored only for rebuilt buckets. */
  private static final List<ColumnFamily> PER_BUCKET = List.of(ColumnFamily.GRANTS, ColumnFamily.BUCKET_POLICIES);
  private static final System.Logger LOG = System.getLogger(IdentityMirror.class.getName());

  private IdentityMirror() {}

  /**
   * Rewrites the mirror from {@code meta}. A failure is logged, never thrown: the mutation it follows
   * has committed, and the next one (or the next open) writes the mirror again.
   */
  public static void write(MetaStore meta, Path dataDir, boolean fsync) {
    Codec.Out out = new Codec.Out(FORMAT);
    for (ColumnFamily cf : TABLES) {
      List<byte[][]> entries = new ArrayList<>();
      meta.scan(cf, new byte[0], (k, v) -> entries.add(new byte[][] {k, v}));
      out.string(cf.name()).varint(entries.size());
      for (byte[][] e : entries) {
        out.bytes(e[0]).bytes(e[1]);
      }
    }
    Path file = dataDir.resolve(FILE);
    try {
      DataMode.writeSecretFile(file, out.toBytes(), true, fsync);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not write " + file + " (the copy of users, keys and grants"
          + " that rebuild-index restores): " + e);
    }
  }

  /**
   * What {@link #restore} wrote: users, access keys, API tokens, grant records, and bucket policy and
   * public access block records (not their index entries).
   */
  public record Restored(int users, int keys, int tokens, int grants, int bucketPolicies) {}

  /**
   * Stages the mirror's records into {@code batch} (a new, empty index being rebuilt); grants, policies
   * and public access blocks only for buckets {@code bucketExists} accepts (those of a bucket that is
   * gone must not apply to another of its name). Returns null if there is no mirror.
   *
   * @throws StorageException IO if the mirror exists but cannot be read
   */
  public static Restored restore(Path dataDir, MetaStore.Batch batch, Predicate<String> bucketExists) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot read " + file + ": " + e, e);
    }
    Codec.In in = new Codec.In(bytes, "identity mirror", FORMAT_V1, FORMAT);
    int tables = in.format() == FORMAT_V1 ? TABLES_V1 : TABLES.size();
    Map<ColumnFamily, Integer> counts = new EnumMap<>(ColumnFamily.class);
    // The records themselves (the rest are index entries): 'i' users, 'k' keys, 'h' tokens, every grant.
    Map<ColumnFamily, Byte> recordTag = Map.of(ColumnFamily.USERS, (byte) 'i', ColumnFamily.KEYS, (byte) 'k',
        ColumnFamily.TOKENS, (byte) 'h');
    for (int t = 0; t < tables; t++) {
      ColumnFamily cf;
      String name = in.requiredString();
      try {
        cf = ColumnFamily.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw in.corrupt("unknown table " + name);
      }
      if (!TABLES.contains(cf)) {
        throw in.corrupt("table " + name + " is not an identity table");
      }
      int n = in.count(Integer.MAX_VALUE);
      int kept = 0;
      for (int i = 0; i < n; i++) {
        byte[] k = in.bytes();
        byte[] v = in.bytes();
        if (PER_BUCKET.contains(cf) && !bucketExists.test(bucketOf(k))) {
          continue;
        }
        batch.put(cf, k, v);
        Byte tag = recordTag.get(cf);
        if (tag == null || k.length > 0 && k[0] == tag) {
          kept++;
        }
      }
      counts.put(cf, kept);
    }
    in.end();
    return new Restored(counts.getOrDefault(ColumnFamily.USERS, 0), counts.getOrDefault(ColumnFamily.KEYS, 0),
        counts.getOrDefault(ColumnFamily.TOKENS, 0), counts.getOrDefault(ColumnFamily.GRANTS, 0),
        counts.getOrDefault(ColumnFamily.BUCKET_POLICIES, 0));
  }

  /**
   * The bucket of a grant's key or a bucket policy's key: each starts with its bucket's name and a 0x00
   * ({@link IdentityTables#grantKey}, BucketPolicies#key).
   */
  private static String bucketOf(byte[] key) {
    int end = 0;
    while (end < key.length && key[end] != 0) {
      end++;
    }
    return new String(key, 0, end, StandardCharsets.UTF_8);
  }
}
