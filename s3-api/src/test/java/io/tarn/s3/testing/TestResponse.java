package io.tarn.s3.testing;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.s3.http.S3Response;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.Segment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response as a client sees it.
 *
 * @param status the HTTP status
 * @param headers the headers
 * @param body the body bytes
 * @param fileRegions how many of the body's pieces were sent as file regions (zero-copy)
 */
public record TestResponse(int status, HttpHeaders headers, byte[] body, int fileRegions) {
  public String header(String name) {
    return headers.get(name);
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The text of the first {@code <element>} of an XML body, or {@code null}. */
  public String xml(String element) {
    List<String> all = xmlAll(element);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The texts of every {@code <element>} of an XML body, in order. */
  public List<String> xmlAll(String element) {
    return elements(text(), element);
  }

  /** The texts of every {@code <element>} in an XML fragment, in order (elements do not nest in themselves). */
  public static List<String> elements(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(xml);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Override
  public String toString() {
    return status + " " + headers + (body.length > 0 && body.length < 4096 ? "\n" + text() : " (" + body.length + " bytes)");
  }

  /** Reads an operation's response, closing its content. */
  public static TestResponse of(S3Response r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    S3Response.Body b = r.body();
    if (b instanceof S3Response.Bytes bytes) {
      out.writeBytes(bytes.data());
    } else if (b instanceof S3Response.Stream s) {
      try (ObjectContent content = s.content()) {
        for (Segment seg : s.segments()) {
          copy(seg, out);
        }
      }
    }
    return new TestResponse(r.status().code(), r.headers(), out.toByteArray(), 0);
  }

  private static void copy(Segment seg, ByteArrayOutputStream out) {
    if (seg instanceof Segment.BytesSegment b) {
      out.write(b.data(), b.offset(), b.count());
      return;
    }
    Segment.FileSegment f = (Segment.FileSegment) seg;
    try (FileChannel ch = f.channel()) {
      ByteBuffer buf = ByteBuffer.allocate(64 << 10);
      long pos = f.position();
      long end = f.position() + f.length();
      while (pos < end) {
        buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw new IOException("file ended early");
        }
        pos += n;
        out.write(buf.array(), 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
