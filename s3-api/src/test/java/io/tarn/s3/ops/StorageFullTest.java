package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.SpaceLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store below its free-space floor answers object writes with 507 StorageFull, not 500 (issue 11):
 * the code and a message that names no path; deletes still answer 204.
 */
class StorageFullTest {
  @TempDir Path dir;
  private S3Fixture fixture;
  private String bkt;

  @BeforeEach
  void open() {
    // A 1 GiB disk and a floor it can never reach: every object write is below it.
    fixture = S3Fixture.open(dir, null, new SpaceLimits(Long.MAX_VALUE / 4, 0, 1L << 30));
    bkt = fixture.newBucket();
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private TestResponse run(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  private void assertStorageFull(TestResponse r) {
    assertEquals(507, r.status(), r.toString());
    assertEquals("StorageFull", r.xml("Code"));
    assertEquals("The server's storage is full. Delete objects or free disk space, then retry.", r.xml("Message"));
    assertFalse(r.text().contains(dir.toString()), "no path of the server in the answer: " + r.text());
  }

  @Test
  void objectWritesAreStorageFullDeletesAreNot() {
    assertStorageFull(run(TestRequest.put("/" + bkt + "/k").body("hello")));
    assertStorageFull(run(TestRequest.put("/" + bkt + "/big").body(new byte[200_000])));
    assertStorageFull(run(TestRequest.post("/" + bkt + "/mpu?uploads")));
    assertEquals(204, run(TestRequest.delete("/" + bkt + "/k")).status());
    assertEquals(404, run(TestRequest.get("/" + bkt + "/k")).status());
  }
}
