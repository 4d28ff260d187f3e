package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.api.ApiResponse;
import io.tarn.s3.S3Api;
import io.tarn.s3.ops.StorageErrors;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every 5xx is logged once with its request id and cause ({@link ServerErrorLog}); client mistakes,
 * CR/LF in a {@code response-*} override among them, are 4xx and log nothing.
 */
class ServerErrorLogTest extends S3FixtureTest {
  /** Above the store's inline threshold (128 KiB), so the object is a blob file. */
  private static final int LARGE = 300 << 10;

  private String bkt;
  /** Held: JUL keeps loggers weakly, and the handler must stay on this one. */
  private final Logger s3Logs = Logger.getLogger("io.tarn.s3");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (records) {
        records.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
    s3Logs.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    s3Logs.removeHandler(capture);
  }

  private TestResponse exchange(S3Dispatcher api, TestRequest request) {
    try (ChannelHarness h = new ChannelHarness(api)) {
      return h.exchange(request);
    }
  }

  private List<LogRecord> logged() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  private List<LogRecord> mentioning(String requestId) {
    return logged().stream().filter(r -> r.getMessage().contains(requestId)).toList();
  }

  private static void deleteBlobFiles(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aMissingBlobFileIsA500LoggedOnceWithItsRequestIdAndCause() throws IOException {
    fixture.putObject(bkt, "big", S3Fixture.bytes(LARGE), ObjectMetadata.of(null, Map.of()));
    deleteBlobFiles(dir);

    TestResponse r = exchange(fixture.api(), TestRequest.get("/" + bkt + "/big?response-cache-control=no-cache"));

    assertEquals(500, r.status(), r.toString());
    assertEquals("InternalError", r.xml("Code"));
    String id = r.header("x-amz-request-id");
    List<LogRecord> lines = mentioning(id);
    assertEquals(1, lines.size(), "logged once: " + logged());
    LogRecord line = lines.get(0);
    assertEquals(Level.SEVERE, line.getLevel());
    String text = line.getMessage();
    assertTrue(text.contains("GET /" + bkt + "/big") && text.contains("500 InternalError"), text);
    assertNotNull(line.getThrown(), "the storage failure's stack trace");
    assertNotNull(line.getThrown().getCause(), "the storage failure itself, under the S3 error");
    // Never the query (a presigned URL's signature lives there) nor the request's credentials.
    assertFalse(text.contains("?") || text.contains("response-cache-control"), text);
    assertFalse(text.contains("Signature") || text.contains("AWS4-HMAC-SHA256") || text.contains(S3Fixture.ACCESS_KEY), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"response-content-type", "response-content-language", "response-expires",
      "response-cache-control", "response-content-disposition", "response-content-encoding"})
  void aControlCharacterInAnOverrideIs400NamingItAndLogsNothing(String parameter) {
    fixture.putObject(bkt, "k", "v".getBytes(), ObjectMetadata.of(null, Map.of()));
    for (String value : List.of("a%0D%0AX-Injected%3A%201", "a%0Ab", "a%0Db", "a%00b", "a%01b", "a%7Fb")) {
      for (TestRequest request : List.of(TestRequest.get("/" + bkt + "/k?" + parameter + "=" + value),
          TestRequest.head("/" + bkt + "/k?" + parameter + "=" + value))) {
        TestResponse r = exchange(fixture.api(), request);
        assertEquals(400, r.status(), parameter + "=" + value + ": " + r);
        assertNull(r.header("X-Injected"));
        if (r.body().length > 0) {
          assertEquals("InvalidArgument", r.xml("Code"));
          assertEquals(parameter, r.xml("ArgumentName"));
        }
      }
    }
    assertEquals(List.of(), logged().stream().map(LogRecord::getMessage).toList());
  }

  /**
   * Stored metadata is echoed in GET and HEAD headers, so it must never hold what a header cannot:
   * Netty's request decoder refuses such values, so they never reach the store (a regression guard).
   */
  @ParameterizedTest
  @ValueSource(strings = {"x-amz-meta-colour", "Content-Disposition", "Content-Type", "Cache-Control"})
  void aControlCharacterInAStoredHeaderIsA400AtPutAndLogsNothing(String header) {
    TestResponse r = exchange(fixture.api(), TestRequest.put("/" + bkt + "/m").header(header, "a\u0001b").body("x"));
    assertEquals(400, r.status(), r.toString());
    assertEquals(404, exchange(fixture.api(), TestRequest.head("/" + bkt + "/m")).status());
    assertEquals(List.of(), logged().stream().map(LogRecord::getMessage).toList());
  }

  @Test
  void blanksAroundAnOverrideAreDroppedNotA500() {
    fixture.putObject(bkt, "k", "v".getBytes(), ObjectMetadata.of(null, Map.of()));
    TestResponse r = exchange(fixture.api(),
        TestRequest.get("/" + bkt + "/k?response-content-type=%20text%2Fplain%09&response-cache-control=%09no-cache"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("text/plain", r.header("Content-Type"));
    assertEquals("no-cache", r.header("Cache-Control"));
    // A tab inside a value is allowed in a field value (RFC 9110 section 5.5).
    r = exchange(fixture.api(), TestRequest.get("/" + bkt + "/k?response-content-disposition=attachment%3B%09filename%3Da"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("attachment;\tfilename=a", r.header("Content-Disposition"));
    assertEquals(List.of(), logged());
  }

  @Test
  void aTarnApiFailureIsLoggedOnceWithTheCauseItCarries() {
    IllegalStateException boom = new IllegalStateException("boom in the admin API");
    S3Api api = new S3Api(fixture.store(), fixture.store().identity(),
        req -> ApiResponse.json(500, "{\"error\":{\"code\":\"InternalError\"}}").withCause(boom),
        Clock.fixed(S3Fixture.NOW, ZoneOffset.UTC), new S3Api.Config(S3Fixture.REGION, List.of()));

    TestResponse r = exchange(api, TestRequest.get("/_tarn/admin/v1/users"));

    assertEquals(500, r.status(), r.toString());
    List<LogRecord> lines = mentioning(r.header("x-amz-request-id"));
    assertEquals(1, lines.size(), "logged once: " + logged());
    assertEquals(Level.SEVERE, lines.get(0).getLevel());
    assertSame(boom, lines.get(0).getThrown());
    assertTrue(lines.get(0).getMessage().contains("GET /_tarn/admin/v1/users -> 500"), lines.get(0).getMessage());
  }

  @Test
  void anExceptionEscapingAnApiIsA500LoggedOnceWithItsStackTrace() {
    S3Api api = new S3Api(fixture.store(), fixture.store().identity(),
        req -> {
          throw new IllegalStateException("unexpected");
        },
        Clock.fixed(S3Fixture.NOW, ZoneOffset.UTC), new S3Api.Config(S3Fixture.REGION, List.of()));

    TestResponse r = exchange(api, TestRequest.get("/_tarn/admin/v1/users"));

    assertEquals(500, r.status(), r.toString());
    List<LogRecord> lines = mentioning(r.header("x-amz-request-id"));
    assertEquals(1, lines.size(), "logged once: " + logged());
    assertEquals(Level.SEVERE, lines.get(0).getLevel());
    assertEquals("unexpected", lines.get(0).getThrown().getCause().getMessage());
  }

  @Test
  void expected5xxGetOneLineWithoutAStackTrace() {
    RequestHead head = new RequestHead("REQ503",
        TestRequest.get("/b/k?X-Amz-Signature=abc").build().nettyHead(), "127.0.0.1");
    ServerErrorLog.response(head, ErrorResponses.of(new S3Exception(S3Error.SLOW_DOWN), "/b/k", "REQ503"));
    ServerErrorLog.response(head, ErrorResponses.of(new S3Exception(S3Error.NOT_IMPLEMENTED, "no torrents"), "/b/k", "REQ503"));
    ServerErrorLog.response(head, ErrorResponses.of(new S3Exception(S3Error.NO_SUCH_KEY), "/b/k", "REQ503"));
    List<LogRecord> lines = logged();
    assertEquals(2, lines.size(), "the 404 is not logged: " + lines);
    assertEquals(Level.WARNING, lines.get(0).getLevel());
    assertEquals("request REQ503 GET /b/k -> 503 SlowDown: Please reduce your request rate.", lines.get(0).getMessage());
    assertNull(lines.get(0).getThrown());
    assertEquals(Level.INFO, lines.get(1).getLevel());
    assertEquals("request REQ503 GET /b/k -> 501 NotImplemented: no torrents", lines.get(1).getMessage());
    assertNull(lines.get(1).getThrown());
  }

  @Test
  void aFullDiskIsOneWarningLineWithTheStorageMessageNoStackTrace() {
    RequestHead head = new RequestHead("REQ507", TestRequest.put("/b/k").build().nettyHead(), "127.0.0.1");
    StorageException full = new StorageException(StorageException.Kind.STORAGE_FULL,
        "storage full: 12 bytes free in /data, floor 256");
    ServerErrorLog.response(head, ErrorResponses.of(StorageErrors.translate(full, "b", "k"), "/b/k", "REQ507"));
    List<LogRecord> lines = logged();
    assertEquals(1, lines.size(), "logged once: " + lines);
    assertEquals(Level.WARNING, lines.get(0).getLevel());
    assertEquals("request REQ507 PUT /b/k -> 507 StorageFull: " + StorageException.class.getName()
        + ": storage full: 12 bytes free in /data, floor 256",
        lines.get(0).getMessage());
    assertNull(lines.get(0).getThrown(), "the disk, not a bug: no stack trace");
  }

  @Test
  void aBlobFileShorterThanItsRegionIsABlobFaultNotAClientError() throws IOException {
    Path file = dir.resolve("short-file");
    Files.write(file, new byte[10]);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      BlobRegion region = new BlobRegion(ch, 0, 20);
      IOException e = assertThrows(IOException.class, () -> {
        var sink = Channels.newChannel(new java.io.ByteArrayOutputStream());
        while (region.transferred() < region.count()) {
          region.transferTo(sink, region.transferred());
        }
      });
      assertTrue(BlobRegion.isBlobFault(e), e.toString());
      assertTrue(BlobRegion.isBlobFault(new java.nio.channels.ClosedChannelException().initCause(e)));
      assertFalse(BlobRegion.isBlobFault(new IOException("Connection reset by peer")));
    }
  }

  @Test
  void overTlsAShortBlobFileFailsInsteadOfSendingEmptyChunksForever() throws Exception {
    Path file = dir.resolve("short-chunked");
    Files.write(file, new byte[10]);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      OffLoopChunkedFile chunks = new OffLoopChunkedFile(ch, 0, 20, 8, null, false, Runnable::run, () -> { });
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 100 && !chunks.isEndOfInput(); i++) {
          io.netty.util.ReferenceCounted chunk = chunks.readChunk(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
          if (chunk != null) {
            chunk.release();
          }
        }
      });
      assertTrue(BlobRegion.isBlobFault(e), e.toString());
    }
  }

  @Test
  void aSocketFailureWhileTheFileIsWholeIsNotABlobFault() throws IOException {
    Path file = dir.resolve("whole-file");
    Files.write(file, new byte[10]);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      BlobRegion region = new BlobRegion(ch, 0, 10);
      java.nio.channels.WritableByteChannel broken = new java.nio.channels.WritableByteChannel() {
        @Override
        public int write(ByteBuffer src) throws IOException {
          throw new IOException("Broken pipe");
        }

        @Override
        public boolean isOpen() {
          return true;
        }

        @Override
        public void close() {}
      };
      IOException e = assertThrows(IOException.class, () -> region.transferTo(broken, 0));
      assertFalse(BlobRegion.isBlobFault(e), e.toString());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
