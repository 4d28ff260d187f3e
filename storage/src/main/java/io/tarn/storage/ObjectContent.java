package io.tarn.storage;

import java.util.List;

/**
 * An object opened for reading: its metadata and its bytes, as of one consistent moment. Blob files
 * are opened when this is created, so a concurrent overwrite or delete does not affect the read.
 */
public interface ObjectContent extends AutoCloseable {
  ObjectInfo info();

  /**
   * The segments covering {@code [offset, offset+length)}. Call at most once; ownership of the
   * returned file channels passes to the caller, and {@link #close()} closes whatever was not handed
   * out. With verified reads the first block of the range is verified here, before the caller sends
   * anything, and every file segment carries the {@link BlockCheck} for the rest.
   *
   * @throws StorageException CORRUPT if the first block of the range fails verification
   */
  List<Segment> segments(long offset, long length);

  @Override
  void close();
}
