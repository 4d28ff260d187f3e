package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.core.EventName;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.WriteCondition;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /backup}, {@code GET /backup}: an admin backs the store up; refusals are immediate 400s. */
class BackupApiTest extends AdminTestSupport {
  @TempDir Path backups;

  private JsonNode awaitEnd() throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      Resp r = call(root, "GET", "/backup");
      assertEquals(200, r.status(), r.raw());
      if (!r.get("state").asText().equals("running")) {
        return r.json();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the backup did not end");
  }

  @Test
  void anAdminBacksUpAndReadsTheReport() throws Exception {
    store.createBucket("photos", "us-east-1", root.userId());
    try (BlobUpload u = store.openUpload(5000, Set.of())) {
      u.write(ByteBuffer.wrap(new byte[5000]));
      u.finish();
      store.putObject("photos", "cat.jpg", u, ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, null);
    }
    assertError(call(root, "GET", "/backup"), 404, "NotFound");
    Path into = backups.resolve("one");
    Resp started = call(root, "POST", "/backup", "{\"dir\":\"" + into + "\",\"verify\":\"full\"}");
    assertEquals(202, started.status(), started.raw());
    assertEquals("full", started.get("verify").asText());
    JsonNode done = awaitEnd();
    assertEquals("done", done.get("state").asText(), done.toString());
    JsonNode result = done.get("result");
    assertEquals(1, result.get("objects").asLong(), done.toString());
    assertEquals("hard-linked", result.get("blobs").asText(), done.toString());
    assertEquals(1, result.get("verifiedBlobs").asLong(), done.toString());
    assertEquals(0, result.get("problems").size(), done.toString());
    assertTrue(Files.isDirectory(into.resolve("meta")));
  }

  @Test
  void refusalsAreImmediateAndSayWhy() throws Exception {
    Files.writeString(Files.createDirectory(backups.resolve("full")).resolve("x"), "x");
    Map<String, String> refused = Map.of(
        "{}", "\"dir\" is required",
        "{\"dir\":\"relative\"}", "must be an absolute path",
        "{\"dir\":\"" + dir.resolve("data").resolve("b") + "\"}", "is inside the data directory",
        "{\"dir\":\"" + backups.resolve("full") + "\"}", "is not empty",
        "{\"dir\":\"" + backups.resolve("b") + "\",\"verify\":\"slow\"}", "\"verify\" must be \"quick\" or \"full\"");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      Resp r = call(root, "POST", "/backup", e.getKey());
      assertError(r, 400, "InvalidRequest");
      assertTrue(r.json().path("error").path("message").asText().contains(e.getValue()), r.raw());
    }
    assertError(call(root, "GET", "/backup"), 404, "NotFound"); // nothing started
    Resp denied = call(alice, "POST", "/backup", "{\"dir\":\"" + backups.resolve("b") + "\"}");
    assertError(denied, 403, "AccessDenied");
    assertFalse(Files.exists(backups.resolve("b")));
  }
}
