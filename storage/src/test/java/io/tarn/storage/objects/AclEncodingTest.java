package io.tarn.storage.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.Ids;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.CannedAcl;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import io.tarn.storage.access.ObjectOwnership;
import io.tarn.storage.meta.Codec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records that carry ACLs and Object Ownership, and how records of earlier builds read. */
class AclEncodingTest {
  static final String OWNER = "a".repeat(64);
  static final String OTHER = "c".repeat(64);
  static final ObjectMetadata EMPTY = ObjectMetadata.of(null, Map.of());
  static final List<Grant> EVERY_KIND = List.of(new Grant(new Grantee.User(OWNER), AclPermission.FULL_CONTROL),
      new Grant(new Grantee.User(OTHER), AclPermission.READ_ACP), new Grant(Grantee.Group.ALL_USERS, AclPermission.READ),
      new Grant(Grantee.Group.AUTHENTICATED_USERS, AclPermission.WRITE),
      new Grant(Grantee.Group.LOG_DELIVERY, AclPermission.WRITE_ACP));

  /** A record of the previous format: this format's encoding without its last field (an absent one, 1 byte). */
  private static byte[] previousFormat(byte[] current) {
    byte[] old = Arrays.copyOf(current, current.length - 1);
    old[0]--;
    return old;
  }

  @Test
  void bucketsKeepTheirOwnershipAndEarlierOnesHaveNone() {
    for (ObjectOwnership o : ObjectOwnership.values()) {
      BucketRecord r = BucketRecord.created(OWNER, "r", 5, o);
      assertEquals(r, BucketRecord.decode(r.encode()));
      assertEquals(o, r.effectiveOwnership());
    }
    BucketRecord none = BucketRecord.created(OWNER, "r", 5, null);
    BucketRecord old = BucketRecord.decode(previousFormat(none.encode()));
    assertEquals(none, old);
    assertNull(old.ownership());
    assertEquals(ObjectOwnership.OBJECT_WRITER, old.effectiveOwnership(), "what buckets of earlier builds did");
    byte[] bad = new Codec.Out(BucketRecord.FORMAT).string(OWNER).string("r").i64(5).string("x").string("Mine")
        .toBytes();
    assertEquals(StorageException.Kind.IO, assertThrows(StorageException.class, () -> BucketRecord.decode(bad)).kind());
  }

  @Test
  void objectsKeepTheirGrantsAndEarlierOnesAreTheirOwnersAlone() {
    ObjectRecord r = new ObjectRecord(1, "e", 2, EMPTY, null, OWNER, new ObjectRecord.BlobFile(Ids.random128()), EVERY_KIND);
    assertEquals(r, ObjectRecord.decode(r.encode()));
    assertEquals(new Acl(OWNER, EVERY_KIND), r.toInfo("b", "k").acl());

    ObjectRecord none = new ObjectRecord(1, "e", 2, EMPTY, null, OWNER, new ObjectRecord.Inline(Ids.random128()));
    ObjectRecord old = ObjectRecord.decode(previousFormat(none.encode()));
    assertEquals(none, old);
    assertEquals(Acl.privateTo(OWNER), old.toInfo("b", "k").acl());
    ObjectRecord ownerless = new ObjectRecord(1, "e", 2, EMPTY, null, null, new ObjectRecord.Inline(Ids.random128()));
    assertEquals(Acl.privateTo(""), ownerless.toInfo("b", "k").acl(), "a record without owner is nobody's");
  }

  @Test
  void uploadsKeepTheGrantsOfTheirObject() {
    UploadRecord r = new UploadRecord("k", 5, EMPTY, null, OWNER, false, "inc",
        CannedAcl.PUBLIC_READ.forObject(OWNER, OTHER).grants());
    assertEquals(r, UploadRecord.decode(r.encode()));
    UploadRecord none = new UploadRecord("k", 5, EMPTY, null, OWNER, false, "inc");
    UploadRecord old = UploadRecord.decode(previousFormat(none.encode()));
    assertEquals(none, old);
    assertNull(old.grants());
  }

  @Test
  void bucketAclsRoundTripAndUnknownGranteesOrPermissionsAreCorrupt() {
    assertEquals(EVERY_KIND, BucketAcls.decode(BucketAcls.encode(EVERY_KIND)));
    assertEquals(List.of(), BucketAcls.decode(BucketAcls.encode(List.of())));
    byte[] group = new Codec.Out(1).varint(1).u8(2).string("http://example.com/Everyone").string("READ").toBytes();
    byte[] kind = new Codec.Out(1).varint(1).u8(7).string(OWNER).string("READ").toBytes();
    byte[] permission = new Codec.Out(1).varint(1).u8(1).string(OWNER).string("DELETE").toBytes();
    for (byte[] b : List.of(group, kind, permission)) {
      assertEquals(StorageException.Kind.IO, assertThrows(StorageException.class, () -> BucketAcls.decode(b)).kind());
    }
  }
}
