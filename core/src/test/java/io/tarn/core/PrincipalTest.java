package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrincipalTest {
  private static final String ID = "a".repeat(64);

  @Test
  void theAnonymousCallerOwnsNothingAndIsNoAdmin() {
    Principal a = Principal.anonymous();
    assertSame(a, Principal.anonymous());
    assertTrue(a.isAnonymous());
    assertFalse(a.isAdmin());
    assertEquals("", a.userId());
    assertEquals(null, a.accessKeyId());
  }

  @Test
  void aSignedCallerIsNotAnonymousAndIsAdminByRole() {
    Principal admin = new Principal(ID, "root", "AKID", Role.ADMIN);
    Principal user = new Principal(ID, "alice", "AKID2", Role.USER);
    assertFalse(admin.isAnonymous());
    assertTrue(admin.isAdmin());
    assertFalse(user.isAnonymous());
    assertFalse(user.isAdmin());
  }

  /** A log line or exception message that prints a key must never print its secret. */
  @Test
  void anAccessKeyPrintsNoSecret() {
    AccessKey k = new AccessKey("AKIDEXAMPLE", "s3cr3t-value", new Principal(ID, "alice", "AKIDEXAMPLE", Role.USER));
    assertEquals("AccessKey[AKIDEXAMPLE of alice]", k.toString());
    assertFalse(k.toString().contains("s3cr3t"));
  }
}
