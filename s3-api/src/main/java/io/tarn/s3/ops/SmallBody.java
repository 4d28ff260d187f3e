package io.tarn.s3.ops;

import io.netty.buffer.ByteBuf;
import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.AwsChunkedDecoder;
import io.tarn.s3.auth.PayloadMode;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.NettySignedRequest;
import io.tarn.s3.http.S3Response;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;

/**
 * Collects a small request body (the XML of CompleteMultipartUpload, DeleteObjects, CreateBucket,
 * ACLs) in memory up to a hard cap, verifies it against the signature and Content-MD5, then hands it
 * to the operation.
 */
public final class SmallBody implements BodyConsumer {
  /** Cap for XML request bodies: a 1000-key DeleteObjects or a 10,000-part completion fits. */
  public static final int MAX_BYTES = 2 << 20;

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final Call call;
  private final AwsChunkedDecoder decoder;
  private final Function<byte[], S3Response> action;
  /** Whether x-amz-checksum-* headers are the body's checksums (else the operation's, e.g. an object's). */
  private final boolean bodyChecksums;

  private SmallBody(Call call, Function<byte[], S3Response> action, boolean bodyChecksums) {
    this.call = call;
    this.action = action;
    this.bodyChecksums = bodyChecksums;
    this.decoder = call.auth() != null && call.auth().payloadMode().streaming()
        ? AwsChunkedDecoder.forRequest(call.auth(), new NettySignedRequest(call.head()))
        : null;
  }

  /** @param call the request; its auth may be null for unsigned requests to Tarn's own APIs */
  public static BodyConsumer of(Call call, Function<byte[], S3Response> action) {
    return new SmallBody(call, action, true);
  }

  /**
   * For an operation whose x-amz-checksum-* headers are not the body's (CompleteMultipartUpload: the
   * object's): the body is checked against the signature and Content-MD5 only.
   */
  public static BodyConsumer ofObjectChecksums(Call call, Function<byte[], S3Response> action) {
    return new SmallBody(call, action, false);
  }

  @Override
  public void onContent(ByteBuf content) {
    for (ByteBuffer b : content.nioBuffers()) {
      if (decoder != null) {
        decoder.feed(b, this::append);
      } else {
        append(b);
      }
    }
  }

  private void append(ByteBuffer b) {
    if (buf.size() + b.remaining() > MAX_BYTES) {
      throw new S3Exception(S3Error.MAX_MESSAGE_LENGTH_EXCEEDED, "Your request was too big: request bodies of this operation are limited to " + MAX_BYTES + " bytes.");
    }
    byte[] chunk = new byte[b.remaining()];
    b.get(chunk);
    buf.write(chunk, 0, chunk.length);
  }

  @Override
  public S3Response onEnd() {
    if (decoder != null) {
      decoder.finish();
    }
    byte[] body = buf.toByteArray();
    if (call.auth() != null && call.auth().payloadMode() == PayloadMode.SHA256) {
      String actual = Hex.encode(ChecksumAlgorithm.SHA256.digest(body));
      if (!actual.equalsIgnoreCase(call.auth().expectedSha256())) {
        throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH);
      }
    }
    String md5 = call.headers().get("Content-MD5");
    if (md5 != null) {
      byte[] expected = decodeBase64(md5);
      if (!MessageDigest.isEqual(expected, ChecksumAlgorithm.MD5.digest(body))) {
        throw new S3Exception(S3Error.BAD_DIGEST);
      }
    }
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      String value = a.isS3Checksum() && bodyChecksums ? call.headers().get(a.headerName()) : null;
      if (value != null && !MessageDigest.isEqual(decodeBase64(value), a.digest(body))) {
        throw new S3Exception(S3Error.BAD_DIGEST, "The " + a.s3Name() + " you specified did not match the calculated checksum.");
      }
    }
    return action.apply(body);
  }

  private static byte[] decodeBase64(String value) {
    try {
      return Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new S3Exception(S3Error.INVALID_DIGEST, "The checksum header is not valid base64.");
    }
  }

  @Override
  public void onAbort() {}
}
