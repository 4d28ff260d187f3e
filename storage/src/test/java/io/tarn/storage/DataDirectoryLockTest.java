package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.meta.MetaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
  @TempDir Path dir;

  @Test
  void aSecondLockIsRefusedWithTheHoldersPidUntilTheFirstIsClosed() throws Exception {
    long me = ProcessHandle.current().pid();
    try (DataDirectoryLock first = DataDirectoryLock.acquire(dir, DataMode.PRIVATE)) {
      assertEquals(me + "\n", Files.readString(dir.resolve(DataDirectoryLock.FILE)));
      StorageException e = assertThrows(StorageException.class, () -> DataDirectoryLock.acquire(dir, DataMode.PRIVATE));
      assertEquals(StorageException.Kind.LOCKED, e.kind());
      assertEquals("another Tarn is running on this data directory (pid " + me + "): " + dir, e.getMessage());
    }
    DataDirectoryLock.acquire(dir, DataMode.PRIVATE).close();
  }

  @Test
  void rocksDbsLockIsALockedStoreInWords() {
    Path meta = dir.resolve("meta");
    try (MetaStore open = MetaStore.open(meta, false)) {
      StorageException e = assertThrows(StorageException.class, () -> MetaStore.open(meta, false));
      assertEquals(StorageException.Kind.LOCKED, e.kind());
      assertTrue(e.getMessage().startsWith(meta + " is open in another process (RocksDB's lock file "), e.getMessage());
    }
  }
}
