package io.tarn.storage.objects;

import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Buckets' ACLs in column family {@code grants}: the key is the bucket's name alone, the value its
 * grants (format 1, {@link AclFields}); the owner is the bucket record's. A bucket without a record
 * has the ACL every bucket had before ACLs: {@link Acl#privateTo} its owner.
 *
 * <p>Earlier builds kept one record per granted user, {@code bucket 0x00 userId}, holding
 * {@code READ} or {@code READ_WRITE} (Tarn's grants). {@link #migrateLegacyGrants} folds them into the
 * bucket's ACL, READ as READ and READ_WRITE as READ and WRITE, so that {@code tarn admin bucket grant}
 * and the S3 ACL are one model.
 */
public final class BucketAcls {
  static final int FORMAT = 1;
  private static final System.Logger LOG = System.getLogger(BucketAcls.class.getName());

  private final MetaStore meta;
  private final ObjectTables tables;

  public BucketAcls(MetaStore meta, ObjectTables tables) {
    this.meta = meta;
    this.tables = tables;
  }

  static byte[] key(String bucket) {
    return Keys.utf8(bucket);
  }

  /** The ACL of {@code bucket}, owned by {@code ownerId} (the bucket record's owner). */
  public Acl acl(String bucket, String ownerId) {
    byte[] v = meta.get(ColumnFamily.GRANTS, key(bucket));
    return v == null ? Acl.privateTo(ownerId) : new Acl(ownerId, decode(v));
  }

  public void put(MetaStore.Batch b, String bucket, Acl acl) {
    b.put(ColumnFamily.GRANTS, key(bucket), encode(acl.grants()));
  }

  public void delete(MetaStore.Batch b, String bucket) {
    b.delete(ColumnFamily.GRANTS, key(bucket));
  }

  /** The buckets whose stored ACL names {@code userId} as a grantee (a scan of every ACL: admin use). */
  public List<String> bucketsGranting(String userId) {
    List<String> out = new ArrayList<>();
    meta.scan(ColumnFamily.GRANTS, new byte[0], (k, v) -> {
      if (!isLegacy(k) && decode(v).stream()
          .anyMatch(g -> g.grantee() instanceof Grantee.User u && u.id().equals(userId))) {
        out.add(new String(k, StandardCharsets.UTF_8));
      }
    });
    return out;
  }

  static byte[] encode(List<Grant> grants) {
    Codec.Out out = new Codec.Out(FORMAT);
    AclFields.write(out, grants);
    return out.toBytes();
  }

  static List<Grant> decode(byte[] value) {
    Codec.In in = new Codec.In(value, "bucket acl", FORMAT);
    List<Grant> grants = AclFields.read(in);
    in.end();
    return grants;
  }

  private static boolean isLegacy(byte[] key) {
    for (byte b : key) {
      if (b == Keys.SEP) {
        return true;
      }
    }
    return false;
  }

  /**
   * Folds every grant record of an earlier build into its bucket's ACL, in one synced batch (all or
   * nothing, so a crash leaves either shape whole and the next open finishes). Grants of buckets that
   * no longer exist, or held by the bucket's owner, are dropped. Runs at every open: it finds nothing
   * once done, and {@code rebuild-index} may restore grants of the old shape from an old mirror.
   *
   * @return how many grant records were migrated
   */
  public int migrateLegacyGrants() {
    Map<String, Map<String, String>> legacy = new LinkedHashMap<>();
    List<byte[]> keys = new ArrayList<>();
    meta.scan(ColumnFamily.GRANTS, new byte[0], (k, v) -> {
      if (!isLegacy(k)) {
        return;
      }
      int sep = 0;
      while (k[sep] != Keys.SEP) {
        sep++;
      }
      String bucket = new String(k, 0, sep, StandardCharsets.UTF_8);
      String user = Keys.text(k, sep + 1);
      Codec.In in = new Codec.In(v, "grant", 1);
      String permission = in.requiredString();
      in.end();
      if (!permission.equals("READ") && !permission.equals("READ_WRITE")) {
        throw in.corrupt("unknown permission " + permission);
      }
      legacy.computeIfAbsent(bucket, x -> new LinkedHashMap<>()).put(user, permission);
      keys.add(k);
    });
    if (keys.isEmpty()) {
      return 0;
    }
    try (MetaStore.Batch b = meta.batch()) {
      for (Map.Entry<String, Map<String, String>> e : legacy.entrySet()) {
        BucketRecord bucket = tables.bucket(e.getKey());
        if (bucket == null) {
          continue;
        }
        Acl acl = acl(e.getKey(), bucket.ownerId());
        for (Map.Entry<String, String> g : e.getValue().entrySet()) {
          if (!g.getKey().equals(bucket.ownerId())) {
            acl = acl.withUserGrants(g.getKey(), legacyPermissions(g.getValue()));
          }
        }
        put(b, e.getKey(), acl);
      }
      for (byte[] k : keys) {
        b.delete(ColumnFamily.GRANTS, k);
      }
      meta.commit(b, "migrate " + keys.size() + " bucket grants into bucket ACLs");
    }
    LOG.log(System.Logger.Level.INFO, "migrated " + keys.size() + " bucket grants of an earlier build into the"
        + " ACLs of " + legacy.size() + " buckets");
    return keys.size();
  }

  /** What Tarn's grants of earlier builds mean as ACL permissions. */
  public static List<AclPermission> legacyPermissions(String permission) {
    return permission.equals("READ_WRITE") ? List.of(AclPermission.READ, AclPermission.WRITE)
        : List.of(AclPermission.READ);
  }
}
