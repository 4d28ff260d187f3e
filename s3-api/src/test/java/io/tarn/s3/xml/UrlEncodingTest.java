package io.tarn.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UrlEncodingTest {
  @Test
  void encodesLikeS3() {
    assertEquals("quux%20ab/", UrlEncoding.encode("quux ab/"));
    assertEquals("foo%2B1/", UrlEncoding.encode("foo+1/"));
    assertEquals("test_file%283%29.png", UrlEncoding.encode("test_file(3).png"));
    assertEquals("AZaz09-_.~/", UrlEncoding.encode("AZaz09-_.~/"));
    assertEquals("%E2%82%AC%F0%9F%98%80%00%0A%25%26%3D%3F%23%2A%21%27%3A%40%2C%3B", UrlEncoding.encode("€😀\0\n%&=?#*!':@,;"));
    assertNull(UrlEncoding.encode(null));
  }

  /** Clients decode with form decoders too; no literal '+' is emitted, so they agree. */
  @Test
  void decodesBackWithAFormDecoder() {
    String key = "a b+c/d€(1)%20\u0001";
    assertEquals(key, URLDecoder.decode(UrlEncoding.encode(key), StandardCharsets.UTF_8));
  }
}
