package io.tarn.storage.blobs;

import io.tarn.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * What a blob file holds after its data, so that the file can be verified and understood without the
 * index:
 *
 * <pre>
 *   [data: dataLength bytes]            the object's (or part's) bytes, at offset 0
 *   [block table: 4 bytes per block]    CRC32C of each blockSize block of the data, big-endian
 *   [description: descriptionLength]    what the blob is (bucket incarnation, key, ...), opaque here
 *   [footer: 32 bytes]
 *     magic "TARNBLOB" (8) | format u16 = 1 | reserved u16 = 0 | blockSize i32 | dataLength i64
 *     | descriptionLength i32 | CRC32C of table, description and the footer's first 28 bytes i32
 * </pre>
 *
 * The data stays at offset 0, so a read of object offset {@code o} reads file offset {@code o}, as
 * before; the file's size is fixed by the footer's fields, so a truncated or extended file is found
 * from its length alone. The footer's checksum covers the table and the description, so a flipped
 * bit there is found too; a flipped data bit is found by the block it falls in.
 *
 * @param description what the blob is, opaque to this class
 */
public record BlobTrailer(long dataLength, int blockSize, int[] blockSums, byte[] description) {
  static final byte[] MAGIC = "TARNBLOB".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  public static final int FOOTER = 32;
  /** A description is a few KiB at most (S3 caps user metadata at 2 KiB); more is a corrupt footer. */
  static final int MAX_DESCRIPTION = 1 << 20;

  /** The trailer's bytes, to append after {@code dataLength} bytes of data. */
  static ByteBuffer encode(long dataLength, int blockSize, int[] blockSums, byte[] description) {
    if (blockSums.length != BlockChecksums.blocks(dataLength, blockSize)) {
      throw new IllegalArgumentException(blockSums.length + " block checksums for " + dataLength + " bytes");
    }
    if (description.length > MAX_DESCRIPTION) {
      throw new IllegalArgumentException("blob description of " + description.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(4 * blockSums.length + description.length + FOOTER);
    for (int s : blockSums) {
      b.putInt(s);
    }
    b.put(description);
    b.put(MAGIC).putShort((short) FORMAT).putShort((short) 0).putInt(blockSize).putLong(dataLength)
        .putInt(description.length);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /** The size of the whole file a blob of this trailer has. */
  public long fileSize() {
    return dataLength + 4L * blockSums.length + description.length + FOOTER;
  }

  /** How many blocks the data has. */
  public int blocks() {
    return blockSums.length;
  }

  /**
   * Reads and checks the trailer of blob {@code id} open on {@code ch}.
   *
   * @throws StorageException CORRUPT if the file is too short, has no trailer, a trailer that does not
   *     match the file's length, or one whose checksum fails
   */
  public static BlobTrailer read(FileChannel ch, String id) throws IOException {
    return read((dst, at) -> readFully(ch, dst, at), ch.size(), id);
  }

  /**
   * Reads and checks the trailer in {@code image}, the whole file of blob {@code id} already in memory
   * (a small blob read in one call: its data and trailer together).
   */
  public static BlobTrailer parse(ByteBuffer image, String id) {
    ByteBuffer file = image.slice();
    try {
      return read((dst, at) -> dst.put(file.slice((int) at, dst.remaining())), file.remaining(), id);
    } catch (IOException e) {
      throw new IllegalStateException("reading memory cannot fail", e);
    }
  }

  /** Positional reads of a whole file, {@code dst.remaining()} bytes from {@code at}. */
  @FunctionalInterface
  private interface FileReader {
    void read(ByteBuffer dst, long at) throws IOException;
  }

  private static BlobTrailer read(FileReader reader, long size, String id) throws IOException {
    if (size < FOOTER) {
      throw corrupt(id, "the file has " + size + " bytes, fewer than a trailer");
    }
    ByteBuffer footer = ByteBuffer.allocate(FOOTER);
    reader.read(footer, size - FOOTER);
    footer.flip();
    byte[] magic = new byte[MAGIC.length];
    footer.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw corrupt(id, "no blob trailer at its end (truncated, extended or not a blob)");
    }
    int format = footer.getShort() & 0xffff;
    footer.getShort();
    int blockSize = footer.getInt();
    long dataLength = footer.getLong();
    int descriptionLength = footer.getInt();
    int storedCrc = footer.getInt();
    if (format != FORMAT) {
      throw corrupt(id, "unknown trailer format " + format);
    }
    if (blockSize <= 0 || dataLength < 0 || descriptionLength < 0 || descriptionLength > MAX_DESCRIPTION) {
      throw corrupt(id, "impossible trailer fields");
    }
    long blocks = BlockChecksums.blocks(dataLength, blockSize);
    long tableAndDescription = 4 * blocks + descriptionLength;
    if (dataLength + tableAndDescription + FOOTER != size || tableAndDescription > Integer.MAX_VALUE - FOOTER) {
      throw corrupt(id, "the trailer says " + dataLength + " data bytes, the file's length disagrees (" + size + ")");
    }
    ByteBuffer rest = ByteBuffer.allocate((int) tableAndDescription + FOOTER);
    reader.read(rest, dataLength);
    CRC32C crc = new CRC32C();
    crc.update(rest.array(), 0, rest.capacity() - 4);
    if ((int) crc.getValue() != storedCrc) {
      throw corrupt(id, "the trailer's checksum does not match");
    }
    rest.flip();
    int[] sums = new int[(int) blocks];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = rest.getInt();
    }
    byte[] description = new byte[descriptionLength];
    rest.get(description);
    return new BlobTrailer(dataLength, blockSize, sums, description);
  }

  /**
   * Checks block {@code index}'s bytes (the {@code remaining()} bytes of {@code block}, which must be
   * the whole block: {@code blockSize} bytes, or what is left of the data for the last one).
   */
  public boolean blockMatches(long index, ByteBuffer block) {
    long start = index * blockSize;
    long expected = Math.min(blockSize, dataLength - start);
    return index >= 0 && index < blockSums.length && block.remaining() == expected
        && BlockChecksums.crc(block) == blockSums[(int) index];
  }

  static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, at);
      if (n < 0) {
        throw new java.io.EOFException("end of file at " + at);
      }
      at += n;
    }
  }

  static StorageException corrupt(String id, String why) {
    return new StorageException(StorageException.Kind.CORRUPT, "blob " + id + " is corrupt: " + why);
  }
}
