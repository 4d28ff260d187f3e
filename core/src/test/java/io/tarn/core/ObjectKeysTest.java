package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Object keys: any non-empty string that is valid UTF-8 of at most 1024 bytes. */
class ObjectKeysTest {
  private static final String EURO = "\u20ac"; // 3 bytes of UTF-8
  private static final String GRINNING = "\ud83d\ude00"; // U+1F600: a surrogate pair, 4 bytes of UTF-8

  private static S3Error rejection(String key) {
    return assertThrows(S3Exception.class, () -> ObjectKeys.validate(key)).error();
  }

  private static void assertAccepted(String key) {
    ObjectKeys.validate(key); // does not throw
  }

  @Test
  void theLimitIs1024BytesNotCharacters() {
    assertEquals(1024, ObjectKeys.MAX_KEY_BYTES);
    assertAccepted("k".repeat(1024));
    assertEquals(S3Error.KEY_TOO_LONG, rejection("k".repeat(1025)));
    // 512 two-byte characters are 1024 bytes; one more is 1026
    assertAccepted("\u00e9".repeat(512));
    assertEquals(S3Error.KEY_TOO_LONG, rejection("\u00e9".repeat(513)));
    // only 342 characters, but 1026 bytes
    assertEquals(S3Error.KEY_TOO_LONG, rejection(EURO.repeat(342)));
  }

  @Test
  void multiByteCharactersAtTheBoundary() {
    String at1024 = "k".repeat(1021) + EURO;
    assertEquals(1024, at1024.getBytes(StandardCharsets.UTF_8).length);
    assertAccepted(at1024);
    assertEquals(S3Error.KEY_TOO_LONG, rejection("x" + at1024));

    String pairs1024 = GRINNING.repeat(256); // 512 chars
    assertEquals(1024, pairs1024.getBytes(StandardCharsets.UTF_8).length);
    assertAccepted(pairs1024);
    assertEquals(S3Error.KEY_TOO_LONG, rejection(GRINNING.repeat(257)));
    // 1021 + 4 bytes: one byte over, though only 1023 chars
    assertEquals(S3Error.KEY_TOO_LONG, rejection("k".repeat(1021) + GRINNING));
  }

  @Test
  void aTooLongKeyIsKeyTooLongError() {
    S3Exception e = assertThrows(S3Exception.class, () -> ObjectKeys.validate("k".repeat(1025)));
    assertEquals("KeyTooLongError", e.error().code());
    assertEquals(400, e.error().httpStatus());
    assertEquals("Your key is too long.", e.getMessage());
  }

  @Test
  void emptyAndNullAreInvalidArgument() {
    S3Exception empty = assertThrows(S3Exception.class, () -> ObjectKeys.validate(""));
    assertEquals(S3Error.INVALID_ARGUMENT, empty.error());
    assertEquals("Object key must not be empty.", empty.getMessage());
    assertEquals(S3Error.INVALID_ARGUMENT, rejection(null));
  }

  /** A lone surrogate has no UTF-8 form, so such a key can never be stored or listed faithfully. */
  @ParameterizedTest
  @ValueSource(strings = {"\ud83d", "\ude00", "a\ud83db", "a\ude00\ud83d", "ok\ud800"})
  void loneSurrogatesAreInvalidArgument(String key) {
    S3Exception e = assertThrows(S3Exception.class, () -> ObjectKeys.validate(key));
    assertEquals(S3Error.INVALID_ARGUMENT, e.error());
    assertEquals("Object key is not valid UTF-8.", e.getMessage());
  }

  /** Keys are stored literally: no normalisation, no path semantics here (the console refuses dot segments itself). */
  @ParameterizedTest
  @ValueSource(strings = {"k", " ", "a/b/c", "/leading", "trailing/", "a//b", ".", "..", "../up", "a/./b", "?", "#",
      "%2F", "\\", "\u0000", "\u0001\u007f", "tab\tnew\nline", "\ufeffbom", "e\u0301", "\u00e9", "\ufffd", "_tarn/x"})
  void anyOtherStringIsAccepted(String key) {
    assertAccepted(key);
  }
}
