package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ExceptionTest {
  @Test
  void theMessageIsTheErrorsDefaultUnlessGiven() {
    assertEquals("The specified key does not exist.", new S3Exception(S3Error.NO_SUCH_KEY).getMessage());
    assertEquals("The specified key does not exist.", new S3Exception(S3Error.NO_SUCH_KEY, null).getMessage());
    assertEquals("no such thing", new S3Exception(S3Error.NO_SUCH_KEY, "no such thing").getMessage());
    assertEquals(S3Error.NO_SUCH_KEY, new S3Exception(S3Error.NO_SUCH_KEY).error());
    assertEquals(Map.of(), new S3Exception(S3Error.NO_SUCH_KEY).extra());
  }

  @Test
  void extraIsACopyAndCannotBeChanged() {
    Map<String, String> extra = new HashMap<>(Map.of("Key", "a/b"));
    S3Exception e = new S3Exception(S3Error.NO_SUCH_KEY, null, extra);
    extra.put("Key", "changed");
    extra.put("BucketName", "b");
    assertEquals(Map.of("Key", "a/b"), e.extra());
    assertThrows(UnsupportedOperationException.class, () -> e.extra().put("X", "y"));
  }

  /** Thrown for ordinary client mistakes: no stack trace unless it wraps a cause worth logging. */
  @Test
  void aStackTraceOnlyWithACause() {
    S3Exception plain = new S3Exception(S3Error.ACCESS_DENIED);
    assertEquals(0, plain.getStackTrace().length);
    assertNull(plain.getCause());

    IOException io = new IOException("disk");
    S3Exception wrapped = new S3Exception(S3Error.INTERNAL_ERROR, null, Map.of(), io);
    assertSame(io, wrapped.getCause());
    assertTrue(wrapped.getStackTrace().length > 0);
    assertEquals(S3Error.INTERNAL_ERROR.defaultMessage(), wrapped.getMessage());
  }

  @Test
  void suppressionIsOff() {
    S3Exception e = new S3Exception(S3Error.INTERNAL_ERROR, "x", Map.of(), new IOException());
    e.addSuppressed(new IllegalStateException());
    assertEquals(0, e.getSuppressed().length);
  }
}
