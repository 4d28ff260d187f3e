package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A full disk (issue 11): object writes get a clean 507 StorageFull before the disk is exhausted,
 * stored objects stay readable, deletes work, and writes resume by themselves once a delete freed
 * space, without a restart. The server sees a 24 MiB disk used by what its data directory holds
 * (the hidden {@code --test-disk-capacity}: CI cannot mount a small file system; bench/full-disk.sh
 * does the same on a real one, where RocksDB itself meets ENOSPC).
 */
class FullDiskTest {
  private static final long FLOOR = 4L * MIB;
  private static final long RESERVE = 2L * MIB;

  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--test-disk-capacity", "24MiB", "--min-free-space", "4MiB", "--space-reserve", "2MiB"));

  private static byte[] object(int i) {
    return TestData.bytes(4 * MIB, 1000 + i); // above the inline threshold: a blob file each
  }

  @Test
  void fullDiskRefusesWritesCleanlyKeepsReadsAndDeletesAndResumesAfterFreeing() throws IOException {
    String bucket = bucketName("full");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    assertEquals(RESERVE, Files.size(TARN.dataDir().resolve("reserve")), "the reserve is in place at start");

    // Fill: 4 MiB objects until the floor refuses one (24 MiB - reserve - floor leaves room for 4).
    List<String> stored = new ArrayList<>();
    S3Exception refused = null;
    for (int i = 0; i < 10 && refused == null; i++) {
      String key = "obj-" + i;
      byte[] body = object(i);
      try {
        TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
        stored.add(key);
      } catch (S3Exception e) {
        refused = e;
      }
    }
    assertTrue(refused != null, "a PUT must be refused before the simulated disk is exhausted; stored " + stored);
    assertTrue(stored.size() >= 3, "stored before the floor: " + stored);
    assertEquals(507, refused.statusCode());
    assertEquals("StorageFull", refused.awsErrorDetails().errorCode());
    assertEquals("The server's storage is full. Delete objects or free disk space, then retry.",
        refused.awsErrorDetails().errorMessage());
    assertEquals(0, tempFiles(), "a refused body leaves nothing in tmp/");

    // Reads go on.
    for (String key : stored) {
      byte[] got = TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
      assertArrayEquals(object(Integer.parseInt(key.substring(4))), got, key);
    }

    // A delete works below the floor and frees room: the next PUT goes through, no restart.
    TARN.s3().deleteObject(r -> r.bucket(bucket).key(stored.get(0)));
    TARN.s3().putObject(r -> r.bucket(bucket).key("after"), RequestBody.fromBytes(object(99)));
    assertArrayEquals(object(99), TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("after")).asByteArray());
    assertFalse(TARN.s3().listObjectsV2(r -> r.bucket(bucket)).contents().stream()
        .anyMatch(o -> o.key().equals(stored.get(0))), "the deleted object is gone");
  }

  private static long tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(TARN.dataDir().resolve("tmp"))) {
      return files.count();
    }
  }
}
