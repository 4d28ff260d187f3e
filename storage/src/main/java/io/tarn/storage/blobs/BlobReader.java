package io.tarn.storage.blobs;

import io.tarn.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Opens blob files for reading, verified: the trailer is read and checked and the data length compared
 * with the record's before any byte is served (so a truncated, extended or foreign file is a clean
 * error before a response head), and the blocks are then verified as they are sent
 * ({@link BlobCheck}). A blob of at most one block is read whole, trailer included, in one call and
 * verified at once: it is served from memory, so a small GET costs one open, one fstat and one read.
 */
public final class BlobReader {
  /** Files up to this size whose data is one block are read whole (data, table, description, footer). */
  static final int SMALL_FILE = 2 * BlockChecksums.BLOCK_SIZE;

  private final BlobStore store;

  public BlobReader(BlobStore store) {
    this.store = store;
  }

  /**
   * Opens blob {@code id}, which must hold {@code length} data bytes.
   *
   * @param object what it holds, for messages
   * @param verify whether to verify it (else the file is opened as it is, unchecked)
   * @param onDamage told why the blob is damaged before that is thrown (at open or, later, by a block)
   * @throws NoSuchFileException if the file is not there
   * @throws StorageException CORRUPT if it fails verification
   */
  public OpenedObject.Source open(String id, long length, String object, boolean verify, Consumer<String> onDamage)
      throws NoSuchFileException {
    FileChannel ch = store.openRead(id);
    if (!verify) {
      return new OpenedObject.FileSource(ch, length, null);
    }
    boolean handedOut = false;
    try {
      long size = ch.size();
      if (length <= BlockChecksums.BLOCK_SIZE && size <= SMALL_FILE) {
        ByteBuffer image = ByteBuffer.allocate((int) size);
        BlobTrailer.readFully(ch, image, 0);
        BlobTrailer trailer = BlobTrailer.parse(image.flip(), id);
        checkLength(trailer, id, length);
        if (length > 0) {
          new BlobCheck(trailer, id, object, onDamage).verify(0, image.duplicate().position(0).limit((int) length));
        }
        return new OpenedObject.BytesSource(image.array(), 0, (int) length);
      }
      BlobTrailer trailer = BlobTrailer.read(ch, id);
      checkLength(trailer, id, length);
      handedOut = true;
      return new OpenedObject.FileSource(ch, length, new BlobCheck(trailer, id, object, onDamage));
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.CORRUPT && !e.getMessage().startsWith(object + ":")) {
        // From the trailer or the length: the block checks record their own.
        onDamage.accept(e.getMessage());
        throw new StorageException(StorageException.Kind.CORRUPT, object + ": " + e.getMessage());
      }
      throw e;
    } catch (IOException e) {
      throw BlobStore.io("read blob " + id, e);
    } finally {
      if (!handedOut) {
        BlobStore.closeQuietly(ch);
      }
    }
  }

  private static void checkLength(BlobTrailer trailer, String id, long length) {
    if (trailer.dataLength() != length) {
      throw BlobTrailer.corrupt(id, "it holds " + trailer.dataLength() + " data bytes, its record " + length);
    }
  }

  /**
   * Verifies every block of blob {@code id} (a scrub), which must hold {@code length} bytes; {@code
   * pace} is told each block's size before it is read, to hold a rate.
   *
   * @return the data bytes verified
   * @throws NoSuchFileException if the file is not there
   * @throws StorageException CORRUPT naming the first problem found
   */
  public long verifyAll(String id, long length, LongConsumer pace) throws NoSuchFileException {
    try (FileChannel ch = store.openRead(id)) {
      BlobTrailer trailer = BlobTrailer.read(ch, id);
      checkLength(trailer, id, length);
      ByteBuffer block = ByteBuffer.allocate(trailer.blockSize());
      for (long i = 0; i < trailer.blocks(); i++) {
        long at = i * trailer.blockSize();
        block.clear().limit((int) Math.min(trailer.blockSize(), length - at));
        pace.accept(block.limit());
        BlobTrailer.readFully(ch, block, at);
        if (!trailer.blockMatches(i, block.flip())) {
          throw BlobTrailer.corrupt(id, "block " + i + " (bytes " + at + "-" + (at + block.remaining() - 1)
              + ") does not match its checksum");
        }
      }
      return length;
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw BlobStore.io("verify blob " + id, e);
    }
  }
}
