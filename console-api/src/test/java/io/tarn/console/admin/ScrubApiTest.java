package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import io.tarn.core.EventName;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.WriteCondition;
import org.junit.jupiter.api.Test;

/** {@code POST /scrub}, {@code GET /scrub}, {@code GET /damage}: admins start a scrub and read its report. */
class ScrubApiTest extends AdminTestSupport {
  private Path putBlob(String bucket, String key, int size) throws IOException {
    try (BlobUpload u = store.openUpload(size, Set.of())) {
      u.write(ByteBuffer.wrap(new byte[size]));
      u.finish();
      store.putObject(bucket, key, u, ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, null);
    }
    try (Stream<Path> s = Files.walk(dir.resolve("data").resolve("blobs"))) {
      List<Path> files = s.filter(Files::isRegularFile).toList();
      assertEquals(1, files.size());
      return files.get(0);
    }
  }

  private JsonNode awaitDone() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      Resp r = call(root, "GET", "/scrub");
      assertEquals(200, r.status(), r.raw());
      if (!r.get("state").asText().equals("running")) {
        return r.json();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the scrub did not end");
  }

  @Test
  void anAdminStartsAScrubAndReadsWhatItFound() throws Exception {
    store.createBucket("photos", "us-east-1", root.userId());
    Path blob = putBlob("photos", "cat.jpg", 5000);
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}), 10);
    }
    assertError(call(root, "GET", "/scrub"), 404, "NotFound");

    Resp started = call(root, "POST", "/scrub?bucket=photos");
    assertEquals(202, started.status(), started.raw());
    assertEquals(1, started.get("id").asLong());
    JsonNode done = awaitDone();
    assertEquals("done", done.get("state").asText(), done.toString());
    JsonNode result = done.get("result");
    // The damaged blob counts as checked; only the bytes of sound ones count as verified.
    assertEquals(List.of(1L, 1L, 0L), List.of(result.get("objects").asLong(), result.get("blobs").asLong(),
        result.get("bytes").asLong()), done.toString());
    JsonNode d = result.get("damaged").get(0);
    assertEquals(List.of("photos", "cat.jpg", "corrupt", blob.getFileName().toString(), "scrub"),
        List.of(d.get("bucket").asText(), d.get("key").asText(), d.get("problem").asText(), d.get("blobId").asText(),
            d.get("foundBy").asText()));
    assertTrue(d.get("detail").asText().contains("block 0"), d.toString());

    Resp damage = call(root, "GET", "/damage");
    assertEquals(200, damage.status(), damage.raw());
    assertEquals(1, damage.get("damaged").size(), damage.raw());
    assertEquals(1, damage.get("detectionsSinceStart").asLong());

    call(root, "POST", "/scrub?bucket=nope");
    JsonNode failed = awaitDone();
    assertEquals("failed", failed.get("state").asText());
    assertEquals("no such bucket: nope", failed.get("error").asText());
    assertError(call(root, "POST", "/scrub?rate=-1"), 400, "InvalidRequest");
  }

  @Test
  void usersMayNeitherScrubNorSeeTheDamage() {
    assertError(call(alice, "POST", "/scrub"), 403, "AccessDenied");
    assertError(call(alice, "GET", "/scrub"), 403, "AccessDenied");
    assertError(call(alice, "GET", "/damage"), 403, "AccessDenied");
  }
}
