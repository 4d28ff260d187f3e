package io.tarn.s3.xml;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes one S3 response document, element by element, in exactly the order the caller gives.
 *
 * <p>Responses are written by hand rather than by Jackson because S3 clients expect details Jackson
 * does not produce: a default namespace on the root only (Jackson puts {@code xmlns=""} on every
 * child), the {@code xsi} prefix on {@code Grantee/@xsi:type}, the double-quoted declaration, and
 * keys containing control characters (Jackson/Woodstox refuse them; S3 writes character
 * references, see {@link #escape}).
 */
public final class XmlWriter {
  /** The namespace of S3 response documents. */
  public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  public static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(512).append(DECLARATION);
  private final Deque<String> open = new ArrayDeque<>();

  private XmlWriter() {}

  /** A document whose root carries {@code xmlns="http://s3.amazonaws.com/doc/2006-03-01/"}. */
  public static XmlWriter s3Document(String root) {
    return new XmlWriter().start(root, "xmlns", S3_NAMESPACE);
  }

  /** A document whose root has no namespace (S3's {@code Error}). */
  public static XmlWriter plainDocument(String root) {
    return new XmlWriter().start(root);
  }

  /** Opens an element with attributes given as name/value pairs. */
  public XmlWriter start(String name, String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name/value pairs");
    }
    out.append('<').append(name);
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"");
      escape(attributes[i + 1], out);
      out.append('"');
    }
    out.append('>');
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** Text content inside the current element. */
  public XmlWriter text(String text) {
    escape(text, out);
    return this;
  }

  /** {@code <name>text</name>}; {@code null} text is written as an empty element. */
  public XmlWriter element(String name, String text) {
    out.append('<').append(name).append('>');
    if (text != null) {
      escape(text, out);
    }
    out.append("</").append(name).append('>');
    return this;
  }

  /** {@code <name>text</name>}, or nothing when {@code text} is {@code null}. */
  public XmlWriter optional(String name, String text) {
    return text == null ? this : element(name, text);
  }

  public XmlWriter element(String name, long value) {
    return element(name, Long.toString(value));
  }

  public XmlWriter element(String name, boolean value) {
    return element(name, Boolean.toString(value));
  }

  /** A timestamp as S3 writes them: ISO-8601 UTC with milliseconds, e.g. 2009-10-12T17:50:30.000Z. */
  public XmlWriter element(String name, Instant time) {
    return element(name, timestamp(time));
  }

  /** The document, with every element still open closed, as UTF-8. */
  public byte[] toBytes() {
    while (!open.isEmpty()) {
      end();
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static String timestamp(Instant time) {
    return TIMESTAMP.format(time.truncatedTo(ChronoUnit.MILLIS));
  }

  /** {@code "etag"}: S3 puts ETags in quotes in XML bodies as in headers (except GetObjectAttributes). */
  public static String quoteETag(String etag) {
    return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
  }

  /**
   * Escapes text and attribute values. {@code "} is written as {@code &quot;} as S3 does. CR is
   * written as a reference so that parsers do not normalize it away. Other characters XML 1.0 does
   * not allow (C0 controls, U+FFFE/U+FFFF) are written as character references too, as S3 does:
   * strict XML 1.0 parsers reject them, which is why clients ask for {@code encoding-type=url} (see
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). Lone surrogates, which
   * UTF-8 cannot carry, become U+FFFD.
   */
  static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\t', '\n' -> out.append(c);
        default -> {
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
            out.append("&#x").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)).append(';');
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
