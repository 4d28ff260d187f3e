package io.tarn.storage.blobs;

import io.tarn.storage.StorageException;

/**
 * The value of the {@code inline} column family: a format byte, then the object's bytes verbatim.
 * Receivers build it in place (the format byte is reserved at the head of their buffer), so an
 * inline body is never copied to gain its header.
 */
public final class InlineValue {
  public static final byte FORMAT = 1;
  /** Where the object's bytes start. */
  public static final int OFFSET = 1;

  private InlineValue() {}

  /** Checks the format byte. @return the object's byte count */
  public static int check(byte[] value, String blobId) {
    if (value.length < OFFSET || value[0] != FORMAT) {
      throw new StorageException(StorageException.Kind.IO, "corrupt inline record " + blobId + ": "
          + (value.length == 0 ? "empty" : "unsupported format " + (value[0] & 0xff)));
    }
    return value.length - OFFSET;
  }
}
