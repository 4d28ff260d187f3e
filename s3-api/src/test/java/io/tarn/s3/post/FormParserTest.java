package io.tarn.s3.post;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streamed form parser: the same form, cut into pieces at every offset, always gives the same
 * fields and file bytes; the file is never held whole; every malformed or oversized form is a clear
 * S3 error at the latest when the body ends.
 */
class FormParserTest {
  private static final String B = "----TarnBoundary7MA4YWxkTrZu0gW";

  /** What a parser reported. */
  private static final class Seen implements FormParser.Listener {
    final List<String> fields = new ArrayList<>();
    final ByteArrayOutputStream file = new ByteArrayOutputStream();
    String filename;
    String type;
    boolean started;
    boolean ended;
    int largestPiece;

    @Override
    public void field(String name, String value) {
      fields.add(name + "=" + value);
    }

    @Override
    public void fileStart(String filename, String contentType) {
      started = true;
      this.filename = filename;
      this.type = contentType;
    }

    @Override
    public void fileData(ByteBuffer data) {
      largestPiece = Math.max(largestPiece, data.remaining());
      byte[] b = new byte[data.remaining()];
      data.get(b);
      file.writeBytes(b);
    }

    @Override
    public void fileEnd() {
      ended = true;
    }
  }

  /** A form as browsers and curl send it: {@code --B CRLF headers CRLF CRLF value CRLF ... --B--}. */
  static byte[] form(String boundary, byte[] file, String... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      ascii(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n");
      out.writeBytes(fields[i + 1].getBytes(StandardCharsets.UTF_8));
      ascii(out, "\r\n");
    }
    ascii(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\docs\\\\r\u00e9sum\u00e9.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n");
    out.writeBytes(file);
    ascii(out, "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Seen parse(byte[] body, int... cuts) {
    Seen seen = new Seen();
    FormParser p = new FormParser(B, FormParser.MAX_PRE_DATA, seen);
    int from = 0;
    for (int cut : cuts) {
      p.feed(ByteBuffer.wrap(body, from, cut - from));
      from = cut;
    }
    p.feed(ByteBuffer.wrap(body, from, body.length - from));
    p.finish();
    return seen;
  }

  /**
   * File content that looks like the boundary without being the delimiter: a CRLF and dashes, the
   * boundary without its CRLF, the delimiter but one byte, and a CRLF at the very end.
   */
  private static byte[] trickyFile() {
    String s = "line one\r\n--" + B.substring(0, B.length() - 1) + "X\r\n" + "A--" + B + " not after CRLF\r\n"
        + "\r\n-\r\n--\r\n--" + B.substring(0, 10) + "\r\n";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyCutGivesTheSameFieldsAndFile() {
    byte[] file = trickyFile();
    byte[] body = form(B, file, "key", "uploads/${filename}", "Content-Type", "text/plain", "x-amz-meta-note", "caf\u00e9");
    List<String> expected = List.of("key=uploads/${filename}", "Content-Type=text/plain", "x-amz-meta-note=caf\u00e9");
    for (int cut = 0; cut <= body.length; cut++) {
      Seen seen = parse(body, cut);
      assertEquals(expected, seen.fields, "cut at " + cut);
      assertArrayEquals(file, seen.file.toByteArray(), "cut at " + cut);
      assertEquals("C:\\docs\\r\u00e9sum\u00e9.txt", seen.filename);
      assertEquals("text/plain", seen.type);
      assertTrue(seen.ended);
    }
  }

  @Test
  void twoCutsEverywhereAndOneByteAtATime() {
    byte[] file = trickyFile();
    byte[] body = form(B, file, "key", "k");
    for (int a = 0; a <= body.length; a += 3) {
      for (int b = a; b <= body.length; b += 5) {
        Seen seen = parse(body, a, b);
        assertEquals(List.of("key=k"), seen.fields, a + "/" + b);
        assertArrayEquals(file, seen.file.toByteArray(), a + "/" + b);
      }
    }
    int[] every = new int[body.length - 1];
    Arrays.setAll(every, i -> i + 1);
    assertArrayEquals(file, parse(body, every).file.toByteArray());
  }

  /** The file goes on as it arrives: a parser holds back at most a delimiter's length of it. */
  @Test
  void aLargeFileStreamsThroughInPieces() {
    byte[] file = new byte[3 << 20];
    for (int i = 0; i < file.length; i++) {
      file[i] = (byte) (i * 7 + (i >> 9));
    }
    byte[] body = form(B, file, "key", "big");
    Seen seen = new Seen();
    FormParser p = new FormParser(B, FormParser.MAX_PRE_DATA, seen);
    for (int off = 0; off < body.length; off += 8192) {
      p.feed(ByteBuffer.wrap(body, off, Math.min(8192, body.length - off)));
    }
    p.finish();
    assertArrayEquals(file, seen.file.toByteArray());
    assertTrue(seen.largestPiece <= 8192 + B.length() + 4, "piece of " + seen.largestPiece);
  }

  @Test
  void theFirstBoundaryMayFollowAPreambleAndTransportPadding() {
    byte[] body = ("This is a preamble.\r\n--" + B + "  \t\r\nContent-Disposition: form-data; name=key\r\n\r\nk\r\n--" + B
        + "\r\ncontent-disposition: FORM-DATA; name=\"FILE\"\r\n\r\nabc\r\n--" + B + "--").getBytes(StandardCharsets.UTF_8);
    Seen seen = parse(body);
    assertEquals(List.of("key=k"), seen.fields);
    assertEquals("abc", seen.file.toString(StandardCharsets.UTF_8));
    assertNull(seen.filename);
  }

  @Test
  void anEmptyFileIsAFile() {
    Seen seen = parse(form(B, new byte[0], "key", "k"));
    assertTrue(seen.started && seen.ended);
    assertEquals(0, seen.file.size());
  }

  @Test
  void aBodyThatEndsInsideTheFileIsMalformedNotTruncated() {
    byte[] body = form(B, "hello world".getBytes(StandardCharsets.UTF_8), "key", "k");
    String text = new String(body, StandardCharsets.UTF_8);
    int end = text.indexOf("hello world") + 5;
    for (int cut : new int[] {end, end + 6, end + 8, end + 11}) {
      Seen seen = new Seen();
      FormParser p = new FormParser(B, FormParser.MAX_PRE_DATA, seen);
      p.feed(ByteBuffer.wrap(body, 0, cut));
      assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, p::finish).error().code(), "cut " + cut);
      assertTrue(!seen.ended);
    }
  }

  @Test
  void aFormWithoutAFileOrWithoutItsFinalBoundary() {
    byte[] noFile = ("--" + B + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--" + B + "--\r\n")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("IncorrectNumberOfFilesInPostRequest", assertThrows(S3Exception.class, () -> parse(noFile)).error().code());
    byte[] unclosed = ("--" + B + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk").getBytes(StandardCharsets.UTF_8);
    assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(unclosed)).error().code());
    assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(new byte[0])).error().code());
  }

  @Test
  void malformedPartsAreRefused() {
    byte[] noName = ("--" + B + "\r\nContent-Disposition: form-data\r\n\r\nk\r\n--" + B + "--").getBytes(StandardCharsets.UTF_8);
    assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(noName)).error().code());
    byte[] notFormData = ("--" + B + "\r\nContent-Disposition: attachment; name=\"k\"\r\n\r\nk\r\n--" + B + "--")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(notFormData)).error().code());
    byte[] garbageAfterBoundary = ("--" + B + "XYZ\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(garbageAfterBoundary)).error().code());
    byte[] headerWithoutColon = ("--" + B + "\r\nnonsense\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    assertEquals("MalformedPOSTRequest", assertThrows(S3Exception.class, () -> parse(headerWithoutColon)).error().code());
    assertThrows(S3Exception.class, () -> new FormParser("", 100, new Seen()));
    assertThrows(S3Exception.class, () -> new FormParser("x".repeat(71), 100, new Seen()));
  }

  /** "The form data and boundaries (excluding the contents of the file) cannot exceed 20 KB." */
  @Test
  void theFormBeforeTheFileIsCappedAt20KB() {
    // Just under: fine, wherever it is cut.
    byte[] fits = form(B, "x".getBytes(StandardCharsets.UTF_8), "key", "k", "x-amz-meta-a", "a".repeat(20_000));
    int fileStart = new String(fits, StandardCharsets.UTF_8).indexOf("text/plain\r\n\r\n") + 14;
    assertTrue(fileStart <= FormParser.MAX_PRE_DATA && fileStart > 20_000, "pre-data " + fileStart);
    assertEquals("x", parse(fits).file.toString(StandardCharsets.UTF_8));
    assertEquals("x", parse(fits, 1000).file.toString(StandardCharsets.UTF_8));

    // One field too large, in one piece or many: refused before the file, never buffered beyond the cap.
    byte[] tooLarge = form(B, "x".getBytes(StandardCharsets.UTF_8), "key", "k", "x-amz-meta-a", "a".repeat(20_480));
    assertEquals("MaxPostPreDataLengthExceededError", assertThrows(S3Exception.class, () -> parse(tooLarge)).error().code());
    assertEquals("MaxPostPreDataLengthExceededError",
        assertThrows(S3Exception.class, () -> parse(tooLarge, 4096, 8192, 12288, 16384, 20480)).error().code());

    // A form that never starts its file (a giant preamble or field) is refused once past the cap.
    Seen seen = new Seen();
    FormParser p = new FormParser(B, FormParser.MAX_PRE_DATA, seen);
    byte[] junk = new byte[4096];
    Arrays.fill(junk, (byte) 'j');
    S3Exception e = assertThrows(S3Exception.class, () -> {
      for (int i = 0; i < 100; i++) {
        p.feed(ByteBuffer.wrap(junk));
      }
    });
    assertEquals("MaxPostPreDataLengthExceededError", e.error().code());
  }

  /** Fields after the file are not reported (S3 ignores them), and what follows is not even parsed. */
  @Test
  void whatFollowsTheFileIsIgnored() {
    byte[] body = form(B, "f".getBytes(StandardCharsets.UTF_8), "key", "k");
    byte[] withJunk = Arrays.copyOf(body, body.length + 100_000);
    Seen seen = parse(withJunk);
    assertEquals(List.of("key=k"), seen.fields);
    assertEquals("f", seen.file.toString(StandardCharsets.UTF_8));
  }

  @Test
  void repeatedAndQuotedParameters() {
    byte[] body = ("--" + B + "\r\nContent-Disposition: form-data; name=\"a \\\"quoted\\\" name\"; x=y\r\n\r\nv\r\n--" + B
        + "\r\nContent-Disposition: form-data; filename=\"a;b.txt\"; name=\"file\"\r\n\r\n\r\n--" + B + "--")
        .getBytes(StandardCharsets.UTF_8);
    Seen seen = parse(body);
    assertEquals(List.of("a \"quoted\" name=v"), seen.fields);
    assertEquals("a;b.txt", seen.filename);
    assertEquals(0, seen.file.size());
  }
}
