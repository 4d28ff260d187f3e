package io.tarn.storage.access;

import static io.tarn.storage.access.AclPermission.FULL_CONTROL;
import static io.tarn.storage.access.AclPermission.READ;
import static io.tarn.storage.access.AclPermission.READ_ACP;
import static io.tarn.storage.access.AclPermission.WRITE;
import static io.tarn.storage.access.AclTest.BUCKET_OWNER;
import static io.tarn.storage.access.AclTest.OWNER;
import static io.tarn.storage.access.AclTest.group;
import static io.tarn.storage.access.AclTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.storage.access.Grantee.Group;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS's canned ACL table (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl). */
class CannedAclTest {
  @Test
  void onAnObjectOfAnotherUsersBucket() {
    Grant owner = user(OWNER, FULL_CONTROL);
    assertEquals(List.of(owner), expand("private"));
    assertEquals(List.of(owner, group(Group.ALL_USERS, READ)), expand("public-read"));
    assertEquals(List.of(owner, group(Group.ALL_USERS, READ), group(Group.ALL_USERS, WRITE)),
        expand("public-read-write"));
    assertEquals(List.of(owner), expand("aws-exec-read"));
    assertEquals(List.of(owner, group(Group.AUTHENTICATED_USERS, READ)), expand("authenticated-read"));
    assertEquals(List.of(owner, user(BUCKET_OWNER, READ)), expand("bucket-owner-read"));
    assertEquals(List.of(owner, user(BUCKET_OWNER, FULL_CONTROL)), expand("bucket-owner-full-control"));
    assertEquals(List.of(owner, group(Group.LOG_DELIVERY, WRITE), group(Group.LOG_DELIVERY, READ_ACP)),
        expand("log-delivery-write"));
  }

  @Test
  void theBucketOwnerCannedAclsAreIgnoredOnABucketAndWhenTheOwnerIsTheBucketOwner() {
    for (CannedAcl c : List.of(CannedAcl.BUCKET_OWNER_READ, CannedAcl.BUCKET_OWNER_FULL_CONTROL)) {
      assertEquals(Acl.privateTo(BUCKET_OWNER), c.forBucket(BUCKET_OWNER), c.header());
      assertEquals(Acl.privateTo(BUCKET_OWNER), c.forObject(BUCKET_OWNER, BUCKET_OWNER), c.header());
    }
  }

  @Test
  void headerValuesAreExact() {
    for (CannedAcl c : CannedAcl.values()) {
      assertEquals(c, CannedAcl.fromHeader(c.header()));
      assertEquals(OWNER, c.forBucket(OWNER).ownerId());
    }
    assertNull(CannedAcl.fromHeader("Public-Read"));
    assertNull(CannedAcl.fromHeader("public_read"));
    assertNull(CannedAcl.fromHeader(""));
  }

  private static List<Grant> expand(String header) {
    return CannedAcl.fromHeader(header).forObject(OWNER, BUCKET_OWNER).grants();
  }
}
