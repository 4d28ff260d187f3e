package io.tarn.storage.blobs;

import io.tarn.storage.BlockCheck;
import io.tarn.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The {@link BlockCheck} of one blob file: its trailer's block table. A mismatch is reported to
 * {@code onDamage} (which records it) and thrown as CORRUPT, naming the object and the blob.
 */
final class BlobCheck implements BlockCheck {
  private final BlobTrailer trailer;
  private final String blobId;
  private final String object;
  private final Consumer<String> onDamage;

  /**
   * @param object what the blob holds, for messages ({@code bucket/key}, maybe a part)
   * @param onDamage told why, once per mismatch, before it is thrown
   */
  BlobCheck(BlobTrailer trailer, String blobId, String object, Consumer<String> onDamage) {
    this.trailer = trailer;
    this.blobId = blobId;
    this.object = object;
    this.onDamage = onDamage;
  }

  @Override
  public int blockSize() {
    return trailer.blockSize();
  }

  @Override
  public long dataLength() {
    return trailer.dataLength();
  }

  @Override
  public void verify(long index, ByteBuffer block) {
    if (!trailer.blockMatches(index, block)) {
      long start = index * trailer.blockSize();
      String why = "block " + index + " (bytes " + start + "-" + (start + block.remaining() - 1)
          + ") does not match its checksum";
      onDamage.accept(why);
      throw new StorageException(StorageException.Kind.CORRUPT, object + ": blob " + blobId + " is corrupt: " + why);
    }
  }
}
