package io.tarn.storage.access;

import static io.tarn.storage.access.AclPermission.FULL_CONTROL;
import static io.tarn.storage.access.AclPermission.READ;
import static io.tarn.storage.access.AclPermission.READ_ACP;
import static io.tarn.storage.access.AclPermission.WRITE;
import static io.tarn.storage.access.AclPermission.WRITE_ACP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Principal;
import io.tarn.core.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclTest {
  static final String OWNER = "a".repeat(64);
  static final String BUCKET_OWNER = "b".repeat(64);
  static final String OTHER = "c".repeat(64);

  static Principal user(String id) {
    return new Principal(id, "u-" + id.charAt(0), "AK" + id.charAt(0), Role.USER);
  }

  static Grant user(String id, AclPermission p) {
    return new Grant(new Grantee.User(id), p);
  }

  static Grant group(Grantee.Group g, AclPermission p) {
    return new Grant(g, p);
  }

  @Test
  void fullControlImpliesEveryPermissionAndNothingElseImpliesAnother() {
    for (AclPermission p : AclPermission.values()) {
      assertTrue(FULL_CONTROL.implies(p), p.name());
      assertTrue(p.implies(p), p.name());
    }
    assertFalse(READ.implies(WRITE));
    assertFalse(WRITE.implies(READ));
    assertFalse(READ.implies(READ_ACP));
    assertFalse(WRITE_ACP.implies(READ_ACP));
    assertFalse(READ_ACP.implies(FULL_CONTROL));
    assertEquals(WRITE_ACP, AclPermission.fromS3("WRITE_ACP"));
    assertNull(AclPermission.fromS3("write"));
  }

  @Test
  void theOwnerHoldsEverythingEvenWithoutAGrant() {
    Acl acl = new Acl(OWNER, List.of(group(Grantee.Group.ALL_USERS, READ)));
    for (AclPermission p : AclPermission.values()) {
      assertTrue(acl.allows(user(OWNER), p), p.name());
    }
  }

  @Test
  void aUserGrantCountsForThatUserOnlyAndOnlyForItsPermission() {
    Acl acl = new Acl(OWNER, List.of(user(OWNER, FULL_CONTROL), user(OTHER, READ), user(OTHER, READ_ACP)));
    assertTrue(acl.allows(user(OTHER), READ));
    assertTrue(acl.allows(user(OTHER), READ_ACP));
    assertFalse(acl.allows(user(OTHER), WRITE));
    assertFalse(acl.allows(user(OTHER), WRITE_ACP));
    assertFalse(acl.allows(user(BUCKET_OWNER), READ));
    assertFalse(acl.allows(Principal.anonymous(), READ));
  }

  @Test
  void groupsMatchAsS3Defines() {
    Acl all = new Acl(OWNER, List.of(group(Grantee.Group.ALL_USERS, READ)));
    assertTrue(all.allows(Principal.anonymous(), READ));
    assertTrue(all.allows(user(OTHER), READ));
    assertFalse(all.allows(Principal.anonymous(), WRITE));

    Acl authenticated = new Acl(OWNER, List.of(group(Grantee.Group.AUTHENTICATED_USERS, WRITE)));
    assertTrue(authenticated.allows(user(OTHER), WRITE));
    assertFalse(authenticated.allows(Principal.anonymous(), WRITE));

    Acl logs = new Acl(OWNER, List.of(group(Grantee.Group.LOG_DELIVERY, FULL_CONTROL)));
    assertFalse(logs.allows(user(OTHER), READ), "no Tarn caller is the log delivery group");
    assertFalse(logs.allows(Principal.anonymous(), READ));
  }

  @Test
  void anAnonymousCallerIsNeverTheOwnerNorAUserGrantee() {
    // The anonymous principal's id is "": an ACL that somehow names "" must still not match it.
    Acl acl = new Acl(OWNER, List.of(user("", FULL_CONTROL)));
    assertFalse(acl.allows(Principal.anonymous(), READ));
    assertFalse(new Acl("", List.of()).allows(Principal.anonymous(), READ));
  }

  @Test
  void publicMeansAGrantToAllUsersOrAuthenticatedUsers() {
    assertFalse(Acl.privateTo(OWNER).isPublic());
    assertFalse(new Acl(OWNER, List.of(user(OTHER, FULL_CONTROL), group(Grantee.Group.LOG_DELIVERY, WRITE)))
        .isPublic());
    assertTrue(new Acl(OWNER, List.of(group(Grantee.Group.ALL_USERS, READ_ACP))).isPublic());
    assertTrue(new Acl(OWNER, List.of(group(Grantee.Group.AUTHENTICATED_USERS, READ))).isPublic());
  }

  @Test
  void duplicateGrantsAreKeptOnce() {
    Acl acl = new Acl(OWNER, List.of(user(OTHER, READ), user(OTHER, READ), user(OTHER, WRITE)));
    assertEquals(List.of(user(OTHER, READ), user(OTHER, WRITE)), acl.grants());
    assertEquals(List.of(READ, WRITE), acl.grantedTo(OTHER));
  }

  @Test
  void userGrantsAreReplacedWithoutTouchingOthers() {
    Acl acl = new Acl(OWNER, List.of(user(OWNER, FULL_CONTROL), user(OTHER, READ), group(Grantee.Group.ALL_USERS, READ)));
    Acl changed = acl.withUserGrants(OTHER, List.of(READ, WRITE));
    assertEquals(List.of(user(OWNER, FULL_CONTROL), group(Grantee.Group.ALL_USERS, READ), user(OTHER, READ),
        user(OTHER, WRITE)), changed.grants());
    assertEquals(List.of(user(OWNER, FULL_CONTROL), group(Grantee.Group.ALL_USERS, READ)),
        changed.withUserGrants(OTHER, List.of()).grants());
  }

  @Test
  void bucketOwnerFullControlEquivalents() {
    assertTrue(CannedAcl.BUCKET_OWNER_FULL_CONTROL.forObject(OWNER, BUCKET_OWNER).onlyBucketOwnerFullControl(BUCKET_OWNER));
    assertTrue(Acl.privateTo(BUCKET_OWNER).onlyBucketOwnerFullControl(BUCKET_OWNER));
    assertFalse(Acl.privateTo(OWNER).onlyBucketOwnerFullControl(BUCKET_OWNER));
    assertFalse(CannedAcl.PUBLIC_READ.forBucket(BUCKET_OWNER).onlyBucketOwnerFullControl(BUCKET_OWNER));
    assertFalse(new Acl(BUCKET_OWNER, List.of(user(BUCKET_OWNER, FULL_CONTROL), user(OTHER, READ)))
        .onlyBucketOwnerFullControl(BUCKET_OWNER));
  }
}
