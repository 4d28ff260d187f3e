package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Server faults are logged with the request id the client saw, client mistakes are not (issue 11):
 * a blob file gone from under its object is a 500 whose x-amz-request-id is in the server log with
 * the cause; a blob file cut short fails after the response head, which is logged and closes the
 * connection; CR/LF in a response-* override is a 400 that logs no stack trace.
 */
class ServerErrorsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("errors");
  /** Above the inline threshold (128 KiB): the object's bytes are a file under data/blobs. */
  private static final int LARGE = 300 << 10;

  @BeforeAll
  static void bucket() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
  }

  /** Puts a large object and returns its blob file (the one file the PUT added under data/blobs). */
  private static Path putBlob(String key) throws IOException {
    Set<Path> before = blobFiles();
    TARN.s3().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(TestData.bytes(LARGE, key.hashCode())));
    Set<Path> added = blobFiles();
    added.removeAll(before);
    assertEquals(1, added.size(), "blob files the PUT added: " + added);
    return added.iterator().next();
  }

  private static Set<Path> blobFiles() throws IOException {
    try (Stream<Path> files = Files.walk(TARN.dataDir().resolve("blobs"))) {
      return new HashSet<>(files.filter(Files::isRegularFile).toList());
    }
  }

  private static String log() throws IOException {
    return Files.readString(TARN.server().logFile());
  }

  /** Waits until the server log has a line holding {@code needle} (the log is written asynchronously). */
  private static String awaitLogLine(String needle) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      for (String line : log().split("\n")) {
        if (line.contains(needle)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log line holds " + needle + ":\n" + log());
      }
      Thread.sleep(50);
    }
  }

  /** GETs an object whose blob file is gone, and returns the 500's request id once it is logged. */
  private static String missingBlob500() throws IOException, InterruptedException {
    String key = "gone-" + System.nanoTime();
    Files.delete(putBlob(key));
    RawResponse r = TARN.raw().signed("GET", "/" + BUCKET + "/" + key, "response-cache-control=no-cache", Map.of(), null);
    assertEquals(500, r.status(), r.toString());
    assertEquals("InternalError", r.error().code());
    String id = r.header("x-amz-request-id");
    assertNotNull(id);
    String line = awaitLogLine(id);
    assertTrue(line.contains("SEVERE") && line.contains("GET /" + BUCKET + "/" + key + " -> 500 InternalError"), line);
    return id;
  }

  @Test
  void aDeletedBlobFileIsA500LoggedWithItsRequestIdAndCause() throws Exception {
    String id = missingBlob500();
    String log = log();
    String after = log.substring(log.indexOf(id));
    assertTrue(after.contains("Caused by: "), "the storage failure's stack trace follows:\n" + after);
    // Neither the query (it carries presigned signatures) nor the request's credentials.
    assertFalse(log.contains("response-cache-control"), log);
    assertFalse(log.contains("Signature=") || log.contains(TARN.secretKey()), log);
  }

  @Test
  void crlfInAResponseOverrideIsA400WithoutAStackTrace() throws Exception {
    TARN.s3().putObject(r -> r.bucket(BUCKET).key("small"), RequestBody.fromString("small"));
    int from = log().length();
    for (String parameter : List.of("response-content-type", "response-content-disposition", "response-cache-control",
        "response-content-language", "response-expires", "response-content-encoding")) {
      RawResponse r = TARN.raw().signed("GET", "/" + BUCKET + "/small", parameter + "=a%0D%0AX-Injected%3A%20yes", Map.of(), null);
      assertEquals(400, r.status(), r.toString());
      assertEquals("InvalidArgument", r.error().code());
      assertTrue(r.error().raw().contains("<ArgumentName>" + parameter + "</ArgumentName>"), r.error().raw());
      assertNull(r.header("X-Injected"));
    }
    // A 500 logged after the 400s is the barrier: everything before it has reached the log file.
    String barrier = missingBlob500();
    String since = log().substring(from);
    String between = since.substring(0, since.lastIndexOf('\n', since.indexOf(barrier)) + 1);
    assertFalse(between.contains("SEVERE") || between.contains("\tat ") || between.contains("Exception"),
        "the 400s logged:\n" + between);
  }

  @Test
  void aBlobFileCutShortFailsAfterTheHeadLoggedAndClosesTheConnection() throws Exception {
    Path blob = putBlob("short");
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
      ch.truncate(LARGE / 2);
    }
    // A raw socket: an HTTP client would only throw on the short body, losing the head.
    RawResponse r = TARN.raw().signedUtf8Headers("GET", "/" + BUCKET + "/short", Map.of(), null);
    String id = r.header("x-amz-request-id");
    assertNotNull(id, r.toString());
    if (r.status() == 200) {
      assertEquals(Integer.toString(LARGE), r.header("Content-Length"));
      assertTrue(r.body().length < LARGE, "the connection closed before Content-Length bytes: " + r.body().length);
      String line = awaitLogLine(id);
      assertTrue(line.contains("SEVERE") && line.contains("-> 200 aborted after the response head was sent"), line);
    } else {
      // Had the store noticed the short file when opening it, a logged 500 is as good.
      assertEquals(500, r.status(), r.toString());
      assertTrue(awaitLogLine(id).contains("-> 500 InternalError"));
    }
  }
}
