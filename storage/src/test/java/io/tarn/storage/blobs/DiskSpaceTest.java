package io.tarn.storage.blobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.DataMode;
import io.tarn.storage.SpaceLimits;
import io.tarn.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free-space floor, the reserve and ENOSPC (issue 11), on a simulated capacity: the data
 * directory's files are its usage, so every number here is exact.
 */
class DiskSpaceTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  private void file(String name, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate((int) size));
    }
  }

  private static StorageException.Kind refused(Runnable r) {
    return assertThrows(StorageException.class, r::run).kind();
  }

  @Test
  void writesAreAdmittedDownToTheFloorAndAgainOnceSpaceIsFreed() throws IOException {
    file("data", 3 * MIB);
    DiskSpace space = DiskSpace.open(dir, new SpaceLimits(MIB, MIB, 8 * MIB), false, DataMode.PRIVATE);
    assertTrue(space.reserveHeld(), "the reserve is written at open");
    assertEquals(MIB, Files.size(dir.resolve(DiskSpace.RESERVE_FILE)));
    assertEquals(4 * MIB, space.usable()); // 8 - 3 - the reserve
    space.admit(3 * MIB); // leaves exactly the floor
    assertEquals(StorageException.Kind.STORAGE_FULL, refused(() -> space.admit(3 * MIB + 1)));
    Files.delete(dir.resolve("data"));
    space.admit(6 * MIB); // freed: admitted again, nothing to restart
  }

  @Test
  void aReserveGivenUpStillCountsAsUsedAndComesBackWhenThereIsRoom() throws IOException {
    file("data", 3 * MIB);
    DiskSpace space = DiskSpace.open(dir, new SpaceLimits(MIB, MIB, 8 * MIB), false, DataMode.PRIVATE);
    assertTrue(space.releaseReserve());
    assertFalse(Files.exists(dir.resolve(DiskSpace.RESERVE_FILE)));
    assertEquals(5 * MIB, space.usable());
    // Writes must not eat the room deletes need: the given-up reserve is owed.
    assertEquals(StorageException.Kind.STORAGE_FULL, refused(() -> space.admit(3 * MIB + 1)));
    assertFalse(space.reserveHeld(), "no room for it and the write: not written back");
    space.admit(3 * MIB);
    assertTrue(space.reserveHeld(), "room for it above the floor: written back by the admission");
    assertEquals(MIB, Files.size(dir.resolve(DiskSpace.RESERVE_FILE)));
    assertFalse(Files.exists(dir.resolve(DiskSpace.RESERVE_FILE + ".part")));
  }

  @Test
  void noReserveWithoutRoomForItAndOneOfAnotherSizeIsReplaced() throws IOException {
    file(DiskSpace.RESERVE_FILE, 2 * MIB); // from a start with another --space-reserve
    DiskSpace tight = DiskSpace.open(dir, new SpaceLimits(MIB, 4 * MIB, 4 * MIB), false, DataMode.PRIVATE);
    assertFalse(tight.reserveHeld());
    assertFalse(Files.exists(dir.resolve(DiskSpace.RESERVE_FILE)), "the old one is not left half-counted");
    DiskSpace roomy = DiskSpace.open(dir, new SpaceLimits(MIB, MIB, 4 * MIB), false, DataMode.PRIVATE);
    assertTrue(roomy.reserveHeld());
    assertEquals(MIB, Files.size(dir.resolve(DiskSpace.RESERVE_FILE)));
  }

  @Test
  void aDeclaredLengthOverTheFloorIsRefusedBeforeAnyByteAndCreatesNoFile() throws IOException {
    BlobStore blobs = BlobStores.open(dir, false);
    DiskSpace space = DiskSpace.open(dir, new SpaceLimits(MIB, 0, 4 * MIB), false, DataMode.PRIVATE);
    assertEquals(StorageException.Kind.STORAGE_FULL,
        refused(() -> new ReceivingUpload(blobs, space, 1024, 3 * MIB + 1, Set.of())));
    assertEquals(0, tempFiles());
    new ReceivingUpload(blobs, space, 1024, 3 * MIB, Set.of()).close();
  }

  @Test
  void aBodyOfUnknownLengthIsCheckedAgainWhenItSpillsToAFile() throws IOException {
    BlobStore blobs = BlobStores.open(dir, false);
    // 1.5 KiB above the floor: an unknown length is admitted, its spill (the 4 KiB threshold) is not.
    DiskSpace space = DiskSpace.open(dir, new SpaceLimits(MIB, 0, MIB + 1536), false, DataMode.PRIVATE);
    ReceivingUpload upload = new ReceivingUpload(blobs, space, 4096, -1, Set.of());
    upload.write(ByteBuffer.allocate(4096));
    assertEquals(StorageException.Kind.STORAGE_FULL, refused(() -> upload.write(ByteBuffer.allocate(1))));
    upload.close();
    assertEquals(0, tempFiles());
  }

  @Test
  void aGrowingFileBodyIsCheckedAgainForWhatIsStillToCome() throws IOException {
    BlobStore blobs = BlobStores.open(dir, false);
    long declared = 2 * ReceivingUpload.RECHECK_BYTES;
    DiskSpace space = DiskSpace.open(dir, new SpaceLimits(MIB, 0, MIB + declared), false, DataMode.PRIVATE);
    ReceivingUpload upload = new ReceivingUpload(blobs, space, 4096, declared, Set.of());
    file("taken-meanwhile", MIB); // another writer took a MiB while the body streamed in
    ByteBuffer chunk = ByteBuffer.allocate((int) MIB);
    StorageException e = null;
    long written = 0;
    try {
      while (written < declared) {
        upload.write(chunk.clear());
        written += MIB;
      }
    } catch (StorageException full) {
      e = full;
    }
    assertTrue(e != null && e.kind() == StorageException.Kind.STORAGE_FULL, "refused while growing: " + e);
    assertEquals(ReceivingUpload.RECHECK_BYTES - MIB, written, "refused at the first re-check");
    upload.close();
    assertEquals(0, tempFiles(), "the temp file is deleted");
  }

  @Test
  void noSpaceLeftOnDeviceIsRecognisedFromARealEnospc() throws IOException {
    // /dev/full answers every write with ENOSPC: the JDK's exception exactly as a full disk gives it.
    IOException enospc = assertThrows(IOException.class, () -> {
      try (FileChannel ch = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.allocate(4096));
      }
    });
    assertTrue(DiskSpace.isNoSpace(enospc), enospc.toString());
    assertEquals(StorageException.Kind.STORAGE_FULL, BlobStore.io("write", enospc).kind());
    IOException other = new NoSuchFileException("/nowhere");
    assertFalse(DiskSpace.isNoSpace(other));
    assertEquals(StorageException.Kind.IO, BlobStore.io("open", other).kind());
  }

  private long tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
      return files.count();
    }
  }

  @Test
  void crossingTheFloorIsLoggedOnceEachWay() throws IOException {
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(DiskSpace.class.getName());
    java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(capture);
    try {
      file("data", 3 * MIB);
      DiskSpace space = DiskSpace.open(dir, new SpaceLimits(MIB, 0, 8 * MIB), false, DataMode.PRIVATE);
      space.admit(MIB);
      assertTrue(records.isEmpty(), "above the floor: nothing to say " + records);
      file("more", 4 * MIB + MIB / 2); // half a MiB free: below the floor
      for (int i = 0; i < 3; i++) {
        assertEquals(StorageException.Kind.STORAGE_FULL, refused(() -> space.admit(1)));
      }
      assertEquals(1, records.size(), "one line for the crossing, not one per refused write");
      assertEquals(java.util.logging.Level.WARNING, records.get(0).getLevel());
      assertTrue(records.get(0).getMessage().contains("below the floor of " + MIB), records.get(0).getMessage());
      Files.delete(dir.resolve("more"));
      space.admit(1);
      space.admit(1);
      assertEquals(2, records.size(), "one line for the way back " + records);
      assertEquals(java.util.logging.Level.INFO, records.get(1).getLevel());
      assertTrue(records.get(1).getMessage().contains("above the floor of " + MIB + " again"), records.get(1).getMessage());
    } finally {
      jul.removeHandler(capture);
    }
  }
}
