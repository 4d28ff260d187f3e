package io.tarn.storage.access;

import static io.tarn.storage.access.AclTest.BUCKET_OWNER;
import static io.tarn.storage.access.AclTest.OWNER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html */
class ObjectOwnershipTest {
  @Test
  void whoOwnsANewObject() {
    for (CannedAcl c : new CannedAcl[] {null, CannedAcl.PRIVATE, CannedAcl.BUCKET_OWNER_FULL_CONTROL}) {
      assertEquals(BUCKET_OWNER, ObjectOwnership.BUCKET_OWNER_ENFORCED.objectOwner(OWNER, BUCKET_OWNER, c));
      assertEquals(OWNER, ObjectOwnership.OBJECT_WRITER.objectOwner(OWNER, BUCKET_OWNER, c));
    }
    assertEquals(BUCKET_OWNER, ObjectOwnership.BUCKET_OWNER_PREFERRED.objectOwner(OWNER, BUCKET_OWNER,
        CannedAcl.BUCKET_OWNER_FULL_CONTROL));
    assertEquals(OWNER, ObjectOwnership.BUCKET_OWNER_PREFERRED.objectOwner(OWNER, BUCKET_OWNER, CannedAcl.PRIVATE));
    assertEquals(OWNER, ObjectOwnership.BUCKET_OWNER_PREFERRED.objectOwner(OWNER, BUCKET_OWNER, null));
  }

  @Test
  void anObjectWrittenByNoUserIsTheBucketOwners() {
    for (ObjectOwnership o : ObjectOwnership.values()) {
      for (CannedAcl c : new CannedAcl[] {null, CannedAcl.PUBLIC_READ}) {
        assertEquals(BUCKET_OWNER, o.objectOwner("", BUCKET_OWNER, c), o + " " + c);
        assertEquals(BUCKET_OWNER, o.objectOwner(null, BUCKET_OWNER, c), o + " " + c);
      }
    }
  }

  @Test
  void namesAndAcls() {
    for (ObjectOwnership o : ObjectOwnership.values()) {
      assertEquals(o, ObjectOwnership.fromS3(o.s3Name()));
    }
    assertNull(ObjectOwnership.fromS3("bucketownerenforced"));
    assertFalse(ObjectOwnership.BUCKET_OWNER_ENFORCED.aclsEnabled());
    assertTrue(ObjectOwnership.BUCKET_OWNER_PREFERRED.aclsEnabled());
    assertTrue(ObjectOwnership.OBJECT_WRITER.aclsEnabled());
  }
}
