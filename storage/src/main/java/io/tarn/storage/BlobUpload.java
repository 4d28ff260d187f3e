package io.tarn.storage;

import io.tarn.core.checksum.ChecksumAlgorithm;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * An object or part body being received. Bytes are written sequentially from one thread at a time
 * (not the network event loop); small bodies stay in memory up to the inline threshold, larger ones
 * go to a temp file under {@code <data>/tmp}. MD5 and the requested digests are computed as bytes
 * arrive. Closing an upload that was not committed discards it.
 */
public interface BlobUpload extends AutoCloseable {
  /** Appends the remaining bytes of {@code src}. */
  void write(ByteBuffer src);

  /** Bytes written so far. */
  long size();

  /**
   * Ends the body: computes the digests. The upload may then be passed to a commit method of
   * {@link ObjectStore}.
   */
  Digests finish();

  /** Discards the upload unless it was committed. Idempotent. */
  @Override
  void close();

  /**
   * Digests of a finished upload.
   *
   * @param size bytes
   * @param md5 raw MD5
   * @param digests the digests requested at {@link ObjectStore#openUpload}, raw
   */
  record Digests(long size, byte[] md5, Map<ChecksumAlgorithm, byte[]> digests) {
    public String md5Hex() {
      return io.tarn.core.Hex.encode(md5);
    }
  }
}
