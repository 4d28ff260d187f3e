package io.tarn.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/** A contiguous run of an object's bytes, ready to be sent. */
public sealed interface Segment permits Segment.FileSegment, Segment.BytesSegment {
  long length();

  /**
   * Bytes of an open blob file. The receiver owns {@code channel} and must close it (Netty's
   * {@code DefaultFileRegion} does so when released).
   *
   * @param check how to verify the bytes while sending them (whole blocks, see {@link BlockCheck}), or
   *     {@code null} when reads are not verified ({@link StorageOptions#verifyReads()} off)
   */
  record FileSegment(FileChannel channel, long position, long length, BlockCheck check) implements Segment {
    /** Unverified bytes. */
    public FileSegment(FileChannel channel, long position, long length) {
      this(channel, position, length, null);
    }

    /**
     * Reads the segment's bytes and hands them to {@code sink} in order, a buffer at a time, through
     * {@code buf} (at least one block long when checked). With a check, whole blocks are read and
     * verified, and only the segment's bytes of blocks that passed are handed on: what a copy of an
     * object's bytes must do, so that damage is never copied under fresh checksums. (The HTTP sender
     * does the same with Netty buffers, off the event loop.)
     *
     * @throws IOException if the file cannot be read or ends early
     * @throws StorageException CORRUPT if a block fails verification
     */
    public void readTo(ByteBuffer buf, Consumer<ByteBuffer> sink) throws IOException {
      long pos = position;
      long end = position + length;
      int blockSize = check == null ? buf.capacity() : check.blockSize();
      if (buf.capacity() < blockSize || buf.capacity() == 0) {
        throw new IllegalArgumentException("a buffer of " + buf.capacity() + " bytes for blocks of " + blockSize);
      }
      while (pos < end) {
        // Unchecked: from pos; checked: the whole block holding pos.
        long start = check == null ? pos : pos / blockSize * blockSize;
        long stop = check == null ? Math.min(end, start + blockSize) : Math.min(check.dataLength(), start + blockSize);
        buf.clear().limit((int) (stop - start));
        while (buf.hasRemaining()) {
          if (channel.read(buf, start + buf.position()) < 0) {
            throw new EOFException("the blob file ended at " + (start + buf.position()) + ", before " + stop);
          }
        }
        buf.flip();
        if (check != null) {
          check.verify(start / blockSize, buf);
        }
        int to = (int) (Math.min(end, stop) - start);
        sink.accept(buf.position((int) (pos - start)).limit(to));
        pos = start + to;
      }
    }
  }

  /** Bytes held in memory (inline objects). */
  record BytesSegment(byte[] data, int offset, int count) implements Segment {
    @Override
    public long length() {
      return count;
    }
  }
}
