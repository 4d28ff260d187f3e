package io.tarn.storage.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** How RocksDB's full disk is recognised, and the reopen that clears it (issue 11). */
class MetaStoreFullDiskTest {
  @TempDir Path dir;

  /** The status RocksJava 9 gives a write that met ENOSPC (seen on a full loop-mounted ext4). */
  private static RocksDBException walNoSpace() {
    return new RocksDBException("While appending to file: 000004.log: No space left on device",
        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "While appending to file: 000004.log"));
  }

  @Test
  void ioErrorNoSpaceIsAFullDiskOtherErrorsAreNot() {
    assertTrue(MetaStore.noSpace(walNoSpace()));
    assertFalse(MetaStore.noSpace(new RocksDBException("EIO",
        new Status(Status.Code.IOError, Status.SubCode.None, "read error"))));
    assertFalse(MetaStore.noSpace(new RocksDBException("no status")));
    assertTrue(MetaStore.outcomeUnknown(new StorageException(StorageException.Kind.STORAGE_FULL, "x", walNoSpace())));
    assertFalse(MetaStore.outcomeUnknown(new StorageException(StorageException.Kind.STORAGE_FULL, "refused, no write")));
  }

  @Test
  void reopenKeepsEverySyncedWriteAndAcceptsWritesAgain() {
    byte[] k1 = "k1".getBytes(StandardCharsets.UTF_8);
    byte[] k2 = "k2".getBytes(StandardCharsets.UTF_8);
    try (MetaStore meta = MetaStore.open(dir, true)) {
      try (MetaStore.Batch b = meta.batch()) {
        b.put(ColumnFamily.SYS, k1, k1);
        meta.commit(b, "first");
      }
      meta.reopen();
      assertFalse(meta.stopped());
      assertArrayEquals(k1, meta.get(ColumnFamily.SYS, k1), "replayed from the WAL (no flush at open)");
      try (MetaStore.Batch b = meta.batch()) {
        b.put(ColumnFamily.SYS, k2, k2);
        meta.commit(b, "second");
      }
      meta.reopen();
      assertArrayEquals(k2, meta.get(ColumnFamily.SYS, k2));
    }
  }
}
