package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3ErrorTest {
  /** A client maps an error by its code: two constants with one code would be indistinguishable on the wire. */
  @Test
  void codesAreDistinctWithAnErrorStatusAndAMessage() {
    Set<String> codes = new HashSet<>();
    for (S3Error e : S3Error.values()) {
      assertTrue(codes.add(e.code()), "twice: " + e.code());
      assertTrue(e.code().matches("[A-Z][A-Za-z0-9]+"), e.code());
      assertTrue(e.httpStatus() >= 300 && e.httpStatus() <= 599, e + " " + e.httpStatus());
      assertFalse(e.defaultMessage().isBlank(), e.name());
    }
  }

  @Test
  void someWellKnownOnes() {
    assertEquals("NoSuchKey", S3Error.NO_SUCH_KEY.code());
    assertEquals(404, S3Error.NO_SUCH_KEY.httpStatus());
    assertEquals("AccessDenied", S3Error.ACCESS_DENIED.code());
    assertEquals(403, S3Error.ACCESS_DENIED.httpStatus());
    assertEquals("KeyTooLongError", S3Error.KEY_TOO_LONG.code());
    assertEquals(501, S3Error.NOT_IMPLEMENTED.httpStatus());
    assertEquals(507, S3Error.STORAGE_FULL.httpStatus());
  }
}
