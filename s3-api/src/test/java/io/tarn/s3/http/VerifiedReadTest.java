package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob damaged on disk is never sent as a complete response: damage in the first block of the
 * range is a 500 before any head; damage further on cuts the connection after the head, short of
 * Content-Length, logged once naming the blob. Ranges that do not touch the damage are served.
 */
class VerifiedReadTest {
  private static final int BLOCK = 64 << 10;
  private static final int SIZE = 5 * BLOCK + 123;

  @TempDir Path dir;
  private S3Fixture fixture;
  private String bkt;
  private byte[] data;
  private Path blob;
  /** Held: JUL keeps loggers weakly, and the handler must stay on this one. */
  private final Logger s3Logs = Logger.getLogger("io.tarn.s3");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public synchronized void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void setUp() {
    s3Logs.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    s3Logs.removeHandler(capture);
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A store (verified or not) holding one object {@code k} of {@link #SIZE} bytes; {@link #blob} its file. */
  private void store(boolean verify) {
    fixture = S3Fixture.open(dir.resolve("data"), verify);
    bkt = fixture.newBucket();
    Set<Path> before = blobFiles();
    data = S3Fixture.bytes(SIZE);
    fixture.putObject(bkt, "k", data, ObjectMetadata.of(null, Map.of()));
    Set<Path> made = blobFiles();
    made.removeAll(before);
    assertEquals(1, made.size());
    blob = made.iterator().next();
  }

  private Set<Path> blobFiles() {
    try (Stream<Path> s = Files.walk(dir.resolve("data").resolve("blobs"))) {
      return s.filter(Files::isRegularFile).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void flip(long at) {
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 1)).rewind();
      ch.write(b, at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String path() {
    return "/" + bkt + "/k";
  }

  /** What went out for a response cut short: its head, the body bytes, whether it ended. */
  private record Cut(HttpResponse head, int bodyBytes, boolean ended) {}

  private static Cut drain(ChannelHarness h) {
    HttpResponse head = null;
    int bytes = 0;
    boolean ended = false;
    Object o;
    while ((o = h.channel.readOutbound()) != null) {
      if (o instanceof HttpResponse r) {
        head = r;
      }
      if (o instanceof HttpContent c) {
        bytes += c.content().readableBytes();
        ended |= o instanceof LastHttpContent;
      } else if (o instanceof ByteBuf b) {
        bytes += b.readableBytes();
      } else if (o instanceof FileRegion r) {
        bytes += (int) r.count();
      }
      ReferenceCountUtil.release(o);
    }
    return new Cut(head, bytes, ended);
  }

  private List<LogRecord> logged() {
    synchronized (capture) {
      return List.copyOf(records);
    }
  }

  private void damageFurtherOnCutsTheConnection(boolean tls) {
    store(true);
    flip(3L * BLOCK + 10);
    try (ChannelHarness h = new ChannelHarness(fixture.api(), S3Server.Limits.defaults(), tls)) {
      h.send(TestRequest.get(path()));
      h.settle();
      Cut cut = drain(h);
      assertEquals(200, cut.head().status().code(), "the first block is fine: the head went out");
      assertEquals(Integer.toString(SIZE), cut.head().headers().get("Content-Length"));
      assertFalse(cut.ended(), "the response never ends");
      assertTrue(cut.bodyBytes() <= 3 * BLOCK, "no byte of the damaged block or after it: " + cut.bodyBytes());
      h.assertClosed();
    }
    String blobId = blob.getFileName().toString();
    List<String> lines = logged().stream().map(LogRecord::getMessage)
        .filter(m -> m.contains("aborted after the response head")).toList();
    assertEquals(1, lines.size(), logged().stream().map(LogRecord::getMessage).toList().toString());
    assertTrue(lines.get(0).contains(blobId) && lines.get(0).contains(bkt + "/k") && lines.get(0).contains("block 3"),
        lines.get(0));
  }

  @Test
  void damageAfterTheFirstBlockCutsTheConnectionShortOfContentLength() {
    damageFurtherOnCutsTheConnection(false);
  }

  @Test
  void underTlsToo() {
    damageFurtherOnCutsTheConnection(true);
  }

  @Test
  void damageInTheFirstBlockOfTheRangeIsA500BeforeAnyHead() {
    store(true);
    flip(7);
    try (ChannelHarness h = new ChannelHarness(fixture.api())) {
      TestResponse r = h.exchange(TestRequest.get(path()));
      assertEquals(500, r.status(), r.toString());
      assertTrue(r.text().contains("<Code>InternalError</Code>"), r.text());
      h.assertOpen();
      // A range inside the damaged block: the same. One that does not touch it is served.
      assertEquals(500, h.exchange(TestRequest.get(path()).header("Range", "bytes=5-9")).status());
      TestResponse ok = h.exchange(TestRequest.get(path()).header("Range", "bytes=" + BLOCK + "-" + (3 * BLOCK + 99)));
      assertEquals(206, ok.status(), ok.toString());
      assertArrayEquals(Arrays.copyOfRange(data, BLOCK, 3 * BLOCK + 100), ok.body());
    }
    assertTrue(logged().stream().anyMatch(l -> l.getMessage().contains("-> 500 InternalError")));
  }

  @Test
  void aTruncatedBlobIsA500BeforeAnyHead() throws IOException {
    store(true);
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
      ch.truncate(SIZE - 1000);
    }
    try (ChannelHarness h = new ChannelHarness(fixture.api())) {
      assertEquals(500, h.exchange(TestRequest.get(path())).status());
    }
  }

  @Test
  void aDeletedBlobIsA500NamingTheMissingFile() throws IOException {
    store(true);
    Files.delete(blob);
    try (ChannelHarness h = new ChannelHarness(fixture.api())) {
      assertEquals(500, h.exchange(TestRequest.get(path())).status());
    }
    String blobId = blob.getFileName().toString();
    assertTrue(logged().stream().map(LogRecord::getMessage)
        .anyMatch(m -> m.contains("-> 500") && m.contains(blobId) && m.contains("missing")),
        logged().stream().map(LogRecord::getMessage).toList().toString());
  }

  @Test
  void uploadPartCopyOfADamagedSourceFailsInsteadOfStoringTheDamageUnderFreshChecksums() {
    store(true);
    flip(3L * BLOCK + 10);
    try (ChannelHarness h = new ChannelHarness(fixture.api())) {
      TestResponse created = h.exchange(TestRequest.post("/" + bkt + "/copy?uploads"));
      assertEquals(200, created.status(), created.toString());
      String uploadId = created.xml("UploadId");
      TestResponse copy = h.exchange(TestRequest.put("/" + bkt + "/copy?partNumber=1&uploadId=" + uploadId)
          .header("x-amz-copy-source", path()));
      assertEquals(500, copy.status(), copy.toString());
      // A range of the source away from the damage still copies.
      TestResponse ok = h.exchange(TestRequest.put("/" + bkt + "/copy?partNumber=2&uploadId=" + uploadId)
          .header("x-amz-copy-source", path()).header("x-amz-copy-source-range", "bytes=0-" + (3 * BLOCK - 1)));
      assertEquals(200, ok.status(), ok.toString());
    }
  }

  @Test
  void withVerificationOffTheFileGoesZeroCopyUnchecked() {
    store(false);
    flip(3L * BLOCK + 10);
    try (ChannelHarness h = new ChannelHarness(fixture.api())) {
      TestResponse r = h.exchange(TestRequest.get(path()));
      assertEquals(200, r.status());
      assertEquals(1, r.fileRegions());
      assertNotEquals(Arrays.hashCode(data), Arrays.hashCode(r.body()), "what --verify-reads=false gives up");
    }
  }
}
