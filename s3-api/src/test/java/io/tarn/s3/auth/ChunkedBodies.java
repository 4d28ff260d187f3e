package io.tarn.s3.auth;

import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Writes aws-chunked bodies the way the AWS SDKs do, for the decoder tests. */
final class ChunkedBodies {
  private ChunkedBodies() {}

  /**
   * @param chunkSizes sizes of the data chunks (the zero-length final chunk is added)
   * @param trailer the trailing checksum to send, or null
   */
  static byte[] encode(PayloadMode mode, ChunkSigning signing, byte[] data, int[] chunkSizes,
      ChecksumAlgorithm trailer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String previous = signing == null ? null : signing.seedSignature();
    int offset = 0;
    for (int size : chunkSizes) {
      byte[] chunk = Arrays.copyOfRange(data, offset, offset + size);
      offset += size;
      previous = header(out, mode, signing, previous, chunk);
      out.writeBytes(chunk);
      ascii(out, "\r\n");
    }
    if (offset != data.length) {
      throw new IllegalArgumentException("chunk sizes do not add up to the data");
    }
    previous = header(out, mode, signing, previous, new byte[0]);
    if (mode.trailer() && trailer != null) {
      String line = trailer.headerName() + ":" + Base64.getEncoder().encodeToString(trailer.digest(data));
      ascii(out, line + "\r\n");
      if (mode.signedChunks()) {
        String sig = SigV4.signature(signing.signingKey(), SigV4.trailerStringToSign(
            signing.amzDate(), signing.scope(), previous, SigV4.sha256Hex(line + "\n")));
        ascii(out, "x-amz-trailer-signature:" + sig + "\r\n");
      }
    }
    ascii(out, "\r\n");
    return out.toByteArray();
  }

  private static String header(ByteArrayOutputStream out, PayloadMode mode, ChunkSigning signing,
      String previous, byte[] chunk) {
    ascii(out, Integer.toHexString(chunk.length));
    if (!mode.signedChunks()) {
      ascii(out, "\r\n");
      return previous;
    }
    String sig = SigV4.signature(signing.signingKey(), SigV4.chunkStringToSign(
        signing.amzDate(), signing.scope(), previous, SigV4.sha256Hex(chunk)));
    ascii(out, ";chunk-signature=" + sig + "\r\n");
    return sig;
  }

  static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] repeat(char c, int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) c);
    return b;
  }
}
