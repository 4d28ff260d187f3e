package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verified reads and scrubs: a blob file damaged on disk (a flipped byte, truncated, deleted) is never
 * handed out as data; the damage is recorded with the object it belongs to, counted, and reported.
 */
class IntegrityTest extends StoreTestSupport {
  private static final int BLOCK = 64 * 1024;

  @BeforeEach
  void bucket() {
    store.createBucket("bkt", "r", OWNER);
  }

  /** The only blob file of the store (one object written into a fresh store). */
  private Path onlyBlob() {
    List<String> files = blobFiles();
    assertEquals(1, files.size(), "blob files: " + files);
    String id = files.get(0);
    return dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id);
  }

  private static void flip(Path file, long at) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
      ch.write(b, at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads {@code [offset, offset+length)} as a copy reads it ({@link Segment.FileSegment#readTo}): whole
   * blocks of each checked file segment, each verified before its bytes are used.
   */
  private byte[] readVerified(String key, long offset, long length) {
    try (ObjectContent content = store.open("bkt", key)) {
      ByteBuffer out = ByteBuffer.allocate((int) length);
      for (Segment s : content.segments(offset, length)) {
        if (s instanceof Segment.BytesSegment b) {
          out.put(b.data(), b.offset(), b.count());
          continue;
        }
        Segment.FileSegment f = (Segment.FileSegment) s;
        try (FileChannel ch = f.channel()) {
          f.readTo(ByteBuffer.allocate(BLOCK), out::put);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return out.array();
    }
  }

  private static StorageException corrupt(org.junit.jupiter.api.function.Executable call) {
    StorageException e = assertThrows(StorageException.class, call);
    assertEquals(StorageException.Kind.CORRUPT, e.kind(), e.getMessage());
    return e;
  }

  @Test
  void aFlippedByteIsFoundInTheBlockItFallsInAndRangesElsewhereStillRead() {
    byte[] data = bytes(3 * BLOCK + 100, 1);
    put("bkt", "big", data);
    Path blob = onlyBlob();
    String blobId = blob.getFileName().toString();
    assertArrayEquals(data, readVerified("big", 0, data.length));

    flip(blob, 2L * BLOCK + 7);
    // The first block is fine, so the head would go out; the damaged block fails as it is sent.
    StorageException e = corrupt(() -> readVerified("big", 0, data.length));
    assertTrue(e.getMessage().contains("bkt/big") && e.getMessage().contains(blobId), e.getMessage());
    // A range inside the damaged block fails before any head: its first block is the damaged one.
    corrupt(() -> {
      try (ObjectContent c = store.open("bkt", "big")) {
        c.segments(2L * BLOCK + 1, 10);
      }
    });
    // A range elsewhere is served.
    assertArrayEquals(Arrays.copyOfRange(data, 10, BLOCK + 10), readVerified("big", 10, BLOCK));
    assertArrayEquals(Arrays.copyOfRange(data, 3 * BLOCK, data.length), readVerified("big", 3L * BLOCK, 100));

    List<DamagedBlob> damaged = store.integrity().damaged();
    assertEquals(1, damaged.size(), damaged.toString());
    DamagedBlob d = damaged.get(0);
    assertEquals(List.of(blobId, "bkt", "big", 0, DamagedBlob.Problem.CORRUPT, "read"),
        List.of(d.blobId(), d.bucket(), d.key(), d.partNumber(), d.problem(), d.foundBy()));
    assertNull(d.uploadId());
    assertTrue(d.detail().contains("block 2"), d.detail());
    assertEquals(2, store.integrity().detections(), "each detection counts, the record is written once");

    reopen();
    assertEquals(damaged, store.integrity().damaged(), "the record survives a restart");
  }

  @Test
  void aDamagedSmallBlobFailsAtOpen() {
    byte[] data = bytes(4096, 2);
    put("bkt", "small", data);
    flip(onlyBlob(), 100);
    StorageException e = corrupt(() -> store.open("bkt", "small").close());
    assertTrue(e.getMessage().contains("block 0"), e.getMessage());
    assertEquals(DamagedBlob.Problem.CORRUPT, store.integrity().damaged().get(0).problem());
  }

  @Test
  void aTruncatedBlobFailsAtOpen() throws IOException {
    byte[] data = bytes(2 * BLOCK, 3);
    put("bkt", "k", data);
    Path blob = onlyBlob();
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
      ch.truncate(BLOCK + 5);
    }
    StorageException e = corrupt(() -> store.open("bkt", "k").close());
    assertTrue(e.getMessage().contains("bkt/k"), e.getMessage());
    assertEquals(1, store.integrity().damaged().size());
  }

  @Test
  void aDeletedBlobIsReportedMissingNotAsAConcurrentChange() throws IOException {
    put("bkt", "k", bytes(5000, 4));
    Path blob = onlyBlob();
    Files.delete(blob);
    StorageException e = corrupt(() -> store.open("bkt", "k").close());
    assertTrue(e.getMessage().contains("missing") && e.getMessage().contains(blob.getFileName().toString()),
        e.getMessage());
    DamagedBlob d = store.integrity().damaged().get(0);
    assertEquals(DamagedBlob.Problem.MISSING, d.problem());
    assertEquals("k", d.key());
  }

  @Test
  void aBlobWhoseLengthDisagreesWithItsRecordIsCorrupt() throws IOException {
    // Another object's (valid) blob file put in this one's place: the trailer holds, the length does not.
    put("bkt", "k", bytes(5000, 5));
    Path blob = onlyBlob();
    Path other = dir.resolve("other");
    Files.copy(blob, other);
    store.delete("bkt", "k", CTX);
    put("bkt", "k", bytes(6000, 6));
    Files.copy(other, onlyBlob(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    StorageException e = corrupt(() -> store.open("bkt", "k").close());
    assertTrue(e.getMessage().contains("5000") && e.getMessage().contains("6000"), e.getMessage());
  }

  @Test
  void aCopyThatComputesANewChecksumRefusesADamagedSource() {
    put("bkt", "src", bytes(2 * BLOCK, 13));
    flip(onlyBlob(), BLOCK + 1);
    StorageException e = corrupt(() -> store.copy("bkt", "src", "bkt", "dst", info -> {}, null,
        io.tarn.core.checksum.ChecksumAlgorithm.SHA256, WriteCondition.NONE, CTX));
    assertTrue(e.getMessage().contains("block 1"), e.getMessage());
    assertTrue(store.head("bkt", "dst").isEmpty(), "nothing committed");
    assertEquals(1, blobFiles().size(), "the copy's hard link is gone again");
  }

  @Test
  void aRangeInsideTheFirstBlockOfABigBlobIsHandedOutAsTheBytesJustVerified() throws IOException {
    byte[] big = bytes(2 * BLOCK + 5, 12);
    put("bkt", "big", big);
    try (ObjectContent c = store.open("bkt", "big")) {
      List<Segment> segments = c.segments(BLOCK + 100, 50);
      assertEquals(1, segments.size(), segments.toString());
      Segment.BytesSegment b = assertInstanceOf(Segment.BytesSegment.class, segments.get(0),
          "a range inside the block verified at open is not handed on to be read and verified again");
      assertArrayEquals(Arrays.copyOfRange(big, BLOCK + 100, BLOCK + 150),
          Arrays.copyOfRange(b.data(), b.offset(), b.offset() + b.count()));
      flip(onlyBlob(), BLOCK + 120);
      assertEquals(big[BLOCK + 120], b.data()[b.offset() + 20], "the bytes handed on are the ones verified");
    }
    try (ObjectContent c = store.open("bkt", "big")) {
      corrupt(() -> c.segments(BLOCK + 100, 50));
    }
    try (ObjectContent c = store.open("bkt", "big")) {
      Segment.FileSegment f = assertInstanceOf(Segment.FileSegment.class, c.segments(BLOCK - 10, 20).get(0),
          "a range past its first block is sent from the file, verified block by block");
      f.channel().close();
      assertEquals(List.of(BLOCK - 10L, 20L), List.of(f.position(), f.length()));
    }
    assertArrayEquals(Arrays.copyOfRange(big, 2 * BLOCK, 2 * BLOCK + 5), readVerified("big", 2L * BLOCK, 5));
  }

  @Test
  void withoutVerificationTheBytesAreHandedOutUnchecked() throws IOException {
    store.close();
    store = TarnStore.open(options().withVerifyReads(false), sink, clock);
    byte[] data = bytes(4096, 7);
    put("bkt", "k", data);
    flip(onlyBlob(), 1);
    try (ObjectContent c = store.open("bkt", "k")) {
      Segment.FileSegment f = (Segment.FileSegment) c.segments(0, data.length).get(0);
      assertNull(f.check());
      f.channel().close();
    }
    assertEquals(List.of(), store.integrity().damaged());
  }

  @Test
  void aScrubReportsDamagedAndMissingBlobsByObjectAndClearsRestoredOnes() throws IOException {
    byte[] data = bytes(2 * BLOCK + 1, 8);
    put("bkt", "a", data);
    Path a = onlyBlob();
    put("bkt", "b", bytes(3000, 9));
    put("bkt", "inline", bytes(10, 10));
    UploadInfo u = store.createUpload("bkt", "up", ObjectMetadata.of(null, Map.of()), null, CTX);
    try (BlobUpload body = body(bytes(2000, 11), 2000)) {
      store.putPart("bkt", "up", u.uploadId(), 3, body, null);
    }
    List<String> others = blobFiles();
    others.remove(a.getFileName().toString());

    ScrubReport clean = store.integrity().scrub(null, 0);
    assertEquals(List.of(3L, 1L, 3L, data.length + 3000L + 2000L, 1L, List.of()),
        List.of(clean.objects(), clean.uploads(), clean.blobs(), clean.bytes(), clean.inline(), clean.damaged()));

    Path saved = dir.resolve("saved");
    Files.copy(a, saved);
    flip(a, BLOCK + 3);
    for (String id : others) {
      Files.delete(dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id));
    }
    ScrubReport r = store.integrity().scrub(null, 0);
    assertEquals(3, r.damaged().size(), r.damaged().toString());
    DamagedBlob corrupt = r.damaged().get(0);
    assertEquals(List.of("a", DamagedBlob.Problem.CORRUPT, "scrub"), List.of(corrupt.key(), corrupt.problem(),
        corrupt.foundBy()));
    assertTrue(corrupt.detail().contains("block 1"), corrupt.detail());
    assertEquals(List.of("b", DamagedBlob.Problem.MISSING), List.of(r.damaged().get(1).key(), r.damaged().get(1).problem()));
    DamagedBlob part = r.damaged().get(2);
    assertEquals(List.of("up", u.uploadId(), 3, DamagedBlob.Problem.MISSING),
        List.of(part.key(), part.uploadId(), part.partNumber(), part.problem()));
    assertEquals(3, store.integrity().damaged().size());
    assertTrue(Files.exists(a), "a damaged blob is never deleted");

    // One bucket only: the same findings, and the marks stay.
    assertEquals(3, store.integrity().scrub("bkt", 0).damaged().size());
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET,
        assertThrows(StorageException.class, () -> store.integrity().scrub("nope", 0)).kind());

    // Restored from a backup, and the others' records gone: a full pass clears their marks.
    Files.copy(saved, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    store.delete("bkt", "b", CTX);
    store.abortUpload("bkt", "up", u.uploadId());
    clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(List.of(), store.integrity().scrub(null, 0).damaged());
    assertEquals(List.of(), store.integrity().damaged());
    assertArrayEquals(data, readVerified("a", 0, data.length));
  }

  @Test
  void aPacedScrubHoldsItsRate() {
    put("bkt", "k", bytes(4 * BLOCK, 12)); // 256 KiB
    long start = System.nanoTime();
    store.integrity().scrub(null, 512 * 1024); // about half a second, less the allowed burst of 0.1 s
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 350, "took " + millis + " ms");
  }
}
