package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.storage.IdentityStore;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole of {@link AdminApiTest} again, against the real identity store of the {@code TarnStore}
 * (users, keys and grants in RocksDB), so the fake cannot drift from what the server really runs.
 */
class RealIdentityAdminApiTest extends AdminApiTest {
  @Override
  IdentityStore identity(OwnerOverlayStore overlay) {
    return real.identity();
  }

  /**
   * Grants are the bucket ACL's: a user the ACL gives only READ_ACP (put through S3) is listed with
   * it, so the bucket page shows what GetBucketAcl does.
   */
  @Test
  void aUserWithOnlyAclPermissionsIsShownWithThem() {
    bucket("acls", alice);
    identity.setBucketAcl("acls", AclRequest.grants(List.of(
        new Grant(new Grantee.User(alice.userId()), AclPermission.FULL_CONTROL),
        new Grant(new Grantee.User(bob.userId()), AclPermission.READ_ACP),
        new Grant(new Grantee.User(bob.userId()), AclPermission.WRITE_ACP))));
    Resp r = call(root, "GET", "/buckets/acls");
    assertEquals(200, r.status(), r.raw());
    assertEquals(1, r.get("grants").size(), r.raw());
    assertEquals("bob", r.get("grants").get(0).get("user").asText());
    assertEquals("read-acp+write-acp", r.get("grants").get(0).get("permission").asText());
  }
}
