package io.tarn.storage;

import java.nio.channels.FileChannel;

/** A contiguous run of an object's bytes, ready to be sent. */
public sealed interface Segment permits Segment.FileSegment, Segment.BytesSegment {
  long length();

  /**
   * Bytes of an open blob file. The receiver owns {@code channel} and must close it (Netty's
   * {@code DefaultFileRegion} does so when released).
   */
  record FileSegment(FileChannel channel, long position, long length) implements Segment {}

  /** Bytes held in memory (inline objects). */
  record BytesSegment(byte[] data, int offset, int count) implements Segment {
    @Override
    public long length() {
      return count;
    }
  }
}
