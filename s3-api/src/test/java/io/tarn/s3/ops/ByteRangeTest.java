package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Range header parsing (RFC 9110 section 14.1) against S3's behaviour. */
class ByteRangeTest {
  @ParameterizedTest(name = "{0} of {1} bytes")
  @CsvSource(delimiter = '|', value = {
      "bytes=0-9       | 100 | 0  | 10",
      "bytes=10-       | 100 | 10 | 90",
      "bytes=90-200    | 100 | 90 | 10",
      "bytes=-10       | 100 | 90 | 10",
      "bytes=-500      | 100 | 0  | 100",
      "bytes=99-99     | 100 | 99 | 1",
      "' bytes=5-6 '  | 100 | 5  | 2",
  })
  void satisfiable(String header, long size, long offset, long length) {
    assertEquals(new ByteRange(offset, length), ByteRange.parse(header, size));
  }

  @ParameterizedTest(name = "{0} of {1} bytes")
  @CsvSource(delimiter = '|', value = {
      "bytes=100-     | 100",
      "bytes=100-200  | 100",
      "bytes=-0       | 100",
      "bytes=0-       | 0",
      "bytes=0-0      | 0",
  })
  void unsatisfiableIsInvalidRange(String header, long size) {
    S3Exception e = assertThrows(S3Exception.class, () -> ByteRange.parse(header, size));
    assertEquals(S3Error.INVALID_RANGE, e.error());
    assertEquals(Long.toString(size), e.extra().get("ActualObjectSize"));
  }

  /** Not a single well-formed byte range, or a suffix of an empty object: the whole object is served. */
  @ParameterizedTest(name = "{0} of {1} bytes")
  @CsvSource(delimiter = '|', value = {
      "bytes=5-2      | 100",
      "bytes=0-1,5-6  | 100",
      "items=0-1      | 100",
      "bytes=a-b      | 100",
      "bytes=-        | 100",
      "bytes=-5       | 0",
  })
  void ignored(String header, long size) {
    assertNull(ByteRange.parse(header, size));
  }

  @Test
  void contentRange() {
    assertEquals("bytes 90-99/100", new ByteRange(90, 10).contentRange(100));
  }
}
