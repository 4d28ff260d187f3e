package io.tarn.storage;

import java.nio.channels.FileChannel;

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
  }

  /** Bytes held in memory (inline objects). */
  record BytesSegment(byte[] data, int offset, int count) implements Segment {
    @Override
    public long length() {
      return count;
    }
  }
}
