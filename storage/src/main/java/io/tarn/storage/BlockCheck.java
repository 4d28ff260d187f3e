package io.tarn.storage;

import java.nio.ByteBuffer;

/**
 * Verifies a blob file's bytes as they are read to be sent: the file's data is cut into fixed-size
 * blocks, each with a checksum written with it, so a reader of any range verifies exactly the blocks
 * it touches. A reader reads whole blocks ({@link #blockSize()}-aligned, the last one shorter), hands
 * each to {@link #verify}, and sends only bytes of blocks that passed.
 */
public interface BlockCheck {
  /** The block size; block {@code i} covers file positions {@code [i * blockSize, (i+1) * blockSize)}. */
  int blockSize();

  /** The length of the blob's data: the last block ends there. */
  long dataLength();

  /**
   * Checks block {@code index}, whose bytes are {@code block}'s remaining ones (its position is not
   * moved). A mismatch is recorded as damage of the object (durably, once) before it is thrown.
   *
   * @throws StorageException CORRUPT naming the object and the blob if the bytes are not the ones written
   */
  void verify(long index, ByteBuffer block);
}
