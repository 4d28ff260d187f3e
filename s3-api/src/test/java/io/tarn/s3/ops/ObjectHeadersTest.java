package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** User metadata values with non-US-ASCII characters, as S3 treats them (UsingMetadata.html). */
class ObjectHeadersTest {
  /** What the HTTP decoder hands over for raw bytes: one char per byte. */
  private static String wire(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Test
  void rawUtf8IsStoredAsTextAndReturnedRfc2047Encoded() {
    HttpHeaders h = new DefaultHttpHeaders()
        .add("X-Amz-Meta-Name", wire("café".getBytes(StandardCharsets.UTF_8)))
        .add("x-amz-meta-plain", "ascii =?UTF-8?B?w6k=?=");
    var user = ObjectHeaders.fromRequest(h).userMetadata();
    assertEquals("café", user.get("name"));
    // ASCII is stored as sent, an encoded-word written by the client included.
    assertEquals("ascii =?UTF-8?B?w6k=?=", user.get("plain"));
    assertEquals("=?UTF-8?B?Y2Fmw6k=?=", ObjectHeaders.mailSafe(user.get("name")));
    assertEquals("ascii =?UTF-8?B?w6k=?=", ObjectHeaders.mailSafe(user.get("plain")));
  }

  @Test
  void bytesThatAreNotUtf8AreTakenAsLatin1() {
    assertEquals("caf\u00e9", ObjectHeaders.metadataValue(wire(new byte[] {'c', 'a', 'f', (byte) 0xE9})));
    assertEquals("=?UTF-8?B?5pel5pys?=", ObjectHeaders.mailSafe("日本"));
  }
}
