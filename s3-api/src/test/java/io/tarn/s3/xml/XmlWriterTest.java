package io.tarn.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class XmlWriterTest {
  private static String escaped(String s) {
    StringBuilder sb = new StringBuilder();
    XmlWriter.escape(s, sb);
    return sb.toString();
  }

  @Test
  void escapesMarkupQuotesAndInvalidCharacters() {
    assertEquals("a&amp;b&lt;c&gt;d&quot;e'f", escaped("a&b<c>d\"e'f"));
    assertEquals("\t\n&#xD;&#x0;&#x1F;&#xFFFE;", escaped("\t\n\r\u0000\u001f\ufffe"));
    assertEquals("€😀", escaped("€😀"));
    assertEquals("x\uFFFDy\uFFFD", escaped("x\ud800y\udc00"));
  }

  @Test
  void timestampsHaveMillisecondsAndZ() {
    assertEquals("2009-10-12T17:50:30.000Z", XmlWriter.timestamp(Instant.parse("2009-10-12T17:50:30Z")));
    assertEquals("1970-01-01T00:00:00.999Z", XmlWriter.timestamp(Instant.ofEpochMilli(999).plusNanos(999_999)));
  }

  @Test
  void quotesETagsOnce() {
    assertEquals("\"abc\"", XmlWriter.quoteETag("abc"));
    assertEquals("\"abc\"", XmlWriter.quoteETag("\"abc\""));
  }

  @Test
  void closesOpenElementsAndEscapesAttributes() {
    byte[] doc = XmlWriter.plainDocument("A").start("B", "n", "1\"<&").element("C", (String) null).toBytes();
    assertEquals(XmlWriter.DECLARATION + "<A><B n=\"1&quot;&lt;&amp;\"><C></C></B></A>",
        new String(doc, StandardCharsets.UTF_8));
  }
}
