package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A store below its free-space floor (issue 11): every object write is STORAGE_FULL before it
 * touches a file or RocksDB, reads go on, and every operation that frees space works.
 */
class StorageFullTest extends StoreTestSupport {
  /** Opened without limits to store the objects, then again with these. */
  private SpaceLimits limits = SpaceLimits.NONE;

  @Override
  StorageOptions options() {
    return super.options().withSpace(limits);
  }

  private static void full(Executable call) {
    assertEquals(StorageException.Kind.STORAGE_FULL, assertThrows(StorageException.class, call).kind());
  }

  @Test
  void belowTheFloorWritesAreRefusedReadsAndDeletesWork() throws IOException {
    store.createBucket("bkt", "us-east-1", OWNER);
    byte[] small = bytes(100, 1); // inline
    byte[] large = bytes(5000, 2); // a blob file
    put("bkt", "small", small);
    put("bkt", "large", large);
    put("bkt", "other", large);
    UploadInfo upload = store.createUpload("bkt", "mpu", ObjectMetadata.of(null, Map.of()), null, CTX);
    List<String> blobsBefore = blobFiles();

    limits = new SpaceLimits(Long.MAX_VALUE / 4, 0, 1L << 30); // a 1 GiB disk and an unreachable floor
    reopen();

    full(() -> store.openUpload(10, Set.of()));
    full(() -> store.openUpload(-1, Set.of()));
    full(() -> store.copy("bkt", "large", "bkt", "copy", null, null, null, WriteCondition.NONE, CTX));
    full(() -> store.createUpload("bkt", "mpu2", ObjectMetadata.of(null, Map.of()), null, CTX));
    assertEquals(blobsBefore, blobFiles(), "nothing was written");
    assertTrue(Files.notExists(dir.resolve("reserve")), "no room for a reserve either");

    assertArrayEquals(small, read("bkt", "small"));
    assertArrayEquals(large, read("bkt", "large"));
    assertTrue(store.delete("bkt", "small", CTX));
    assertTrue(store.delete("bkt", "large", CTX));
    store.abortUpload("bkt", "mpu", upload.uploadId());
    assertEquals(List.of("other"), store.list("bkt", "", null, null, 10).objects().stream()
        .map(ObjectInfo::key).toList());
    assertEquals(1, blobFiles().size(), "the deleted object's file is gone");
    assertTrue(store.delete("bkt", "other", CTX));
    store.deleteBucket("bkt");
    assertTrue(store.bucket("bkt").isEmpty());
  }
}
