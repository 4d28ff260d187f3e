package io.tarn.s3.http;

import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A blob file's bytes sent zero-copy, telling a failure of the file (shorter than its record says,
 * an I/O error reading it) apart from a failure of the socket (the client went away): both surface as
 * an {@link IOException} of the same write, but only the first is this server's fault and is logged.
 */
final class BlobRegion extends DefaultFileRegion {
  private final FileChannel file;
  private final long end;
  private final Runnable release;

  /** A region that closes {@code file} when released. */
  BlobRegion(FileChannel file, long position, long count) {
    this(file, position, count, null);
  }

  /**
   * A region of a file shared with others, which its owner closes once the last user is done.
   *
   * @param release run instead of closing {@code file} when the region is released; null: close it
   */
  BlobRegion(FileChannel file, long position, long count, Runnable release) {
    super(file, position, count);
    this.file = file;
    this.end = position + count;
    this.release = release;
  }

  @Override
  protected void deallocate() {
    if (release == null) {
      super.deallocate();
    } else {
      release.run();
    }
  }

  /** The file could not supply the bytes the response promised. */
  static final class BlobFault extends IOException {
    private static final long serialVersionUID = 1L;

    BlobFault(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public long transferTo(WritableByteChannel target, long position) throws IOException {
    try {
      return super.transferTo(target, position);
    } catch (IOException e) {
      long size;
      try {
        size = file.size();
      } catch (IOException sizeFailed) {
        throw new BlobFault("the blob file cannot be read", e);
      }
      if (size < end) {
        throw new BlobFault("the blob file has " + size + " bytes, the object needs " + end, e);
      }
      throw e;
    }
  }

  /** Whether {@code t} (or a cause of it) is a {@link BlobFault}. */
  static boolean isBlobFault(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof BlobFault) {
        return true;
      }
    }
    return false;
  }
}
