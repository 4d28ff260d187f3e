package io.tarn.storage.blobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.DataMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached "can the data directory be written" behind readiness. The failure is a data directory
 * that is not a directory (a file in its place): unlike a read-only mode, it fails for root too.
 */
class WriteProbeTest {
  @TempDir Path dir;

  @Test
  void aProbeThatCannotWriteReportsWhyUntilOnePasses() throws IOException {
    Path data = dir.resolve("data");
    Files.writeString(data, "not a directory");
    try (WriteProbe probe = new WriteProbe(data, true, DataMode.PRIVATE, Duration.ofHours(1))) {
      probe.start();
      String problem = probe.problem();
      assertTrue(problem != null && problem.contains(data.toString()), "problem: " + problem);

      Files.delete(data);
      Files.createDirectory(data);
      assertTrue(probe.problem() != null, "cached: unchanged until the next probe");
      probe.probe();
      assertNull(probe.problem());
      assertFalse(Files.exists(data.resolve(WriteProbe.FILE)));
    }
  }
}
