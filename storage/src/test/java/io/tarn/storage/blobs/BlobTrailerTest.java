package io.tarn.storage.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.core.Hex;
import io.tarn.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobTrailerTest {
  @TempDir
  Path dir;

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void aBlobCarriesItsBlockChecksumsAndDescriptionAfterItsData() throws IOException {
    BlobStore store = BlobStores.open(dir, false);
    byte[] data = random(3 * BlockChecksums.BLOCK_SIZE + 17);
    byte[] description = "who I am".getBytes(StandardCharsets.UTF_8);
    String id = store.writeBlob(data, 0, data.length, description);

    BlobTrailer t = store.trailer(id);
    assertEquals(data.length, t.dataLength());
    assertEquals(4, t.blocks());
    assertArrayEquals(description, t.description());
    assertEquals(Files.size(store.path(id)), t.fileSize());
    byte[] onDisk = Files.readAllBytes(store.path(id));
    for (int i = 0; i < t.blocks(); i++) {
      int from = i * BlockChecksums.BLOCK_SIZE;
      int len = Math.min(BlockChecksums.BLOCK_SIZE, data.length - from);
      assertTrue(t.blockMatches(i, ByteBuffer.wrap(onDisk, from, len)), "block " + i);
    }
    // The data is at offset 0, untouched; the digest of a blob covers its data only.
    assertArrayEquals(data, java.util.Arrays.copyOf(onDisk, data.length));
    assertEquals(Hex.encode(ChecksumAlgorithm.SHA256.digest(data)),
        Hex.encode(store.digest(List.of(id), ChecksumAlgorithm.SHA256)));
  }

  @Test
  void anEmptyBlobHasNoBlocksAndAValidTrailer() throws IOException {
    BlobStore store = BlobStores.open(dir, false);
    String id = store.writeBlob(new byte[0], 0, 0, BlobStore.NO_DESCRIPTION);
    BlobTrailer t = store.trailer(id);
    assertEquals(0, t.dataLength());
    assertEquals(0, t.blocks());
    assertEquals(BlobTrailer.FOOTER, Files.size(store.path(id)));
  }

  @Test
  void aFlippedDataBitFailsOnlyItsBlock() throws IOException {
    BlobStore store = BlobStores.open(dir, false);
    byte[] data = random(2 * BlockChecksums.BLOCK_SIZE);
    String id = store.writeBlob(data, 0, data.length, BlobStore.NO_DESCRIPTION);
    flip(store.path(id), BlockChecksums.BLOCK_SIZE + 5);
    BlobTrailer t = store.trailer(id); // the trailer itself is intact
    byte[] onDisk = Files.readAllBytes(store.path(id));
    assertTrue(t.blockMatches(0, ByteBuffer.wrap(onDisk, 0, BlockChecksums.BLOCK_SIZE)));
    assertFalse(t.blockMatches(1, ByteBuffer.wrap(onDisk, BlockChecksums.BLOCK_SIZE, BlockChecksums.BLOCK_SIZE)));
    // A partial block is never taken for the whole one.
    assertFalse(t.blockMatches(0, ByteBuffer.wrap(onDisk, 0, 100)));
  }

  @Test
  void aTruncatedExtendedOrDamagedTrailerIsCorrupt() throws IOException {
    BlobStore store = BlobStores.open(dir, false);
    byte[] data = random(100_000);
    byte[] description = "d".getBytes(StandardCharsets.UTF_8);

    String truncated = store.writeBlob(data, 0, data.length, description);
    try (FileChannel ch = FileChannel.open(store.path(truncated), StandardOpenOption.WRITE)) {
      ch.truncate(50_000);
    }
    assertCorrupt(store, truncated);

    String extended = store.writeBlob(data, 0, data.length, description);
    Files.write(store.path(extended), new byte[] {1}, StandardOpenOption.APPEND);
    assertCorrupt(store, extended);

    String damagedTable = store.writeBlob(data, 0, data.length, description);
    flip(store.path(damagedTable), data.length + 1); // in the block table
    assertCorrupt(store, damagedTable);

    String damagedDescription = store.writeBlob(data, 0, data.length, description);
    flip(store.path(damagedDescription), data.length + 8); // 2 blocks' sums, then the description
    assertCorrupt(store, damagedDescription);

    assertThrows(StorageException.class, () -> store.digest(List.of(truncated), ChecksumAlgorithm.SHA256));
  }

  private static void assertCorrupt(BlobStore store, String id) {
    StorageException e = assertThrows(StorageException.class, () -> store.trailer(id));
    assertEquals(StorageException.Kind.CORRUPT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(id), e.getMessage());
  }

  private static void flip(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
      ch.write(b, at);
    }
  }
}
