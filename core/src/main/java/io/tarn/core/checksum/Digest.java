package io.tarn.core.checksum;

import java.nio.ByteBuffer;

/** A running digest or checksum. Not thread-safe. */
public interface Digest {
  void update(byte[] b, int off, int len);

  /** Consumes the remaining bytes of {@code buf} (its position moves to its limit). */
  void update(ByteBuffer buf);

  /** The final value; the digest must not be used afterwards. */
  byte[] finish();
}
