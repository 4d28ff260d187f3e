package io.tarn.s3.ops;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.AwsChunkedDecoder;
import io.tarn.s3.auth.PayloadMode;
import io.tarn.s3.auth.Trailer;
import io.tarn.s3.http.NettySignedRequest;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageException;
import io.tarn.storage.StoredChecksum;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Receives an object or part body into a {@link BlobUpload}: removes aws-chunked framing, and at the
 * end verifies length, payload hash, Content-MD5 and the additional checksum (from a header or a
 * trailer) before anything is committed
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
 */
public final class PayloadReceiver implements AutoCloseable {
  private final BlobUpload upload;
  private final AwsChunkedDecoder decoder;
  private final AuthResult auth;
  private final long declaredLength;
  private final ChecksumAlgorithm checksumAlgorithm;
  private final String headerChecksum;
  private final String contentMd5;

  private PayloadReceiver(BlobUpload upload, AwsChunkedDecoder decoder, AuthResult auth, long declaredLength,
      ChecksumAlgorithm checksumAlgorithm, String headerChecksum, String contentMd5) {
    this.upload = upload;
    this.decoder = decoder;
    this.auth = auth;
    this.declaredLength = declaredLength;
    this.checksumAlgorithm = checksumAlgorithm;
    this.headerChecksum = headerChecksum;
    this.contentMd5 = contentMd5;
  }

  /**
   * Checks the declared sizes and checksum headers and opens the upload.
   *
   * @param maxSize largest body allowed (EntityTooLarge above)
   */
  public static PayloadReceiver open(ObjectStore store, Call call, long maxSize) {
    return open(store, call, maxSize, null);
  }

  /**
   * @param alsoDigest a checksum to compute whatever the request says (a multipart upload's algorithm:
   *     its parts' checksums make the object's), or null
   */
  public static PayloadReceiver open(ObjectStore store, Call call, long maxSize, ChecksumAlgorithm alsoDigest) {
    HttpHeaders h = call.headers();
    AuthResult auth = call.auth();
    PayloadMode mode = auth.payloadMode();
    long declared = declaredLength(h, mode);
    if (declared > maxSize) {
      throw new S3Exception(S3Error.ENTITY_TOO_LARGE, S3Error.ENTITY_TOO_LARGE.defaultMessage(),
          Map.of("ProposedSize", Long.toString(declared), "MaxSizeAllowed", Long.toString(maxSize)));
    }
    ChecksumAlgorithm alg = checksumHeader(h);
    String headerValue = alg == null ? null : h.get(alg.headerName());
    if (alg == null) {
      String trailer = h.get("x-amz-trailer");
      if (trailer != null) {
        alg = ChecksumAlgorithm.fromHeaderName(trailer.trim());
      }
    }
    if (alg == null) {
      String sdk = h.get("x-amz-sdk-checksum-algorithm");
      if (sdk != null) {
        alg = ChecksumAlgorithm.fromS3Name(sdk.trim());
        if (alg == null) {
          throw new S3Exception(S3Error.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
        }
      }
    }
    if (headerValue != null && !validBase64(headerValue, alg.length())) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "Value for " + alg.headerName() + " header is invalid.");
    }
    String md5 = h.get("Content-MD5");
    if (md5 != null && !validBase64(md5, 16)) {
      throw new S3Exception(S3Error.INVALID_DIGEST);
    }
    Set<ChecksumAlgorithm> digests = EnumSet.noneOf(ChecksumAlgorithm.class);
    if (alg != null) {
      digests.add(alg);
    }
    if (mode == PayloadMode.SHA256) {
      digests.add(ChecksumAlgorithm.SHA256);
    }
    if (alsoDigest != null) {
      digests.add(alsoDigest);
    }
    AwsChunkedDecoder decoder = mode.streaming() ? AwsChunkedDecoder.forRequest(auth, new NettySignedRequest(call.head())) : null;
    BlobUpload upload;
    try {
      // Refused here, before 100 Continue, when the declared length would fill the disk.
      upload = store.openUpload(declared, digests);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, null, null);
    }
    return new PayloadReceiver(upload, decoder, auth, declared, alg, headerValue, md5);
  }

  /** The algorithm of the request's x-amz-checksum-* header, or null; two of them are InvalidRequest. */
  static ChecksumAlgorithm checksumHeader(HttpHeaders h) {
    ChecksumAlgorithm alg = null;
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      if (a.isS3Checksum() && h.contains(a.headerName())) {
        if (alg != null) {
          throw new S3Exception(S3Error.INVALID_REQUEST, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        alg = a;
      }
    }
    return alg;
  }

  private static long declaredLength(HttpHeaders h, PayloadMode mode) {
    String value = mode.streaming() ? h.get("x-amz-decoded-content-length") : h.get("Content-Length");
    if (value == null) {
      throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH);
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid content length: " + value);
    }
  }

  private static boolean validBase64(String value, int bytes) {
    try {
      return Base64.getDecoder().decode(value.trim()).length == bytes;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Feeds raw request-body bytes. */
  public void onContent(ByteBuf content) {
    try {
      for (ByteBuffer b : content.nioBuffers()) {
        if (decoder != null) {
          decoder.feed(b, upload::write);
        } else {
          upload.write(b);
        }
      }
    } catch (StorageException e) {
      throw StorageErrors.translate(e, null, null); // the disk filled while the body streamed in
    }
    if (upload.size() > declaredLength) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "The body is longer than its declared length.");
    }
  }

  /**
   * Ends the body and verifies it.
   *
   * @return the upload, ready to commit, and the checksum to keep (or {@code null})
   */
  public Received finish() {
    Trailer trailer = decoder != null ? decoder.finish() : Trailer.NONE;
    BlobUpload.Digests d = upload.finish();
    if (d.size() != declaredLength) {
      throw new S3Exception(S3Error.INCOMPLETE_BODY);
    }
    if (auth.payloadMode() == PayloadMode.SHA256) {
      String actual = Hex.encode(d.digests().get(ChecksumAlgorithm.SHA256));
      if (!actual.equalsIgnoreCase(auth.expectedSha256())) {
        throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, S3Error.X_AMZ_CONTENT_SHA256_MISMATCH.defaultMessage(),
            Map.of("ClientComputedContentSHA256", auth.expectedSha256(), "S3ComputedContentSHA256", actual));
      }
    }
    if (contentMd5 != null && !java.security.MessageDigest.isEqual(Base64.getDecoder().decode(contentMd5.trim()), d.md5())) {
      throw new S3Exception(S3Error.BAD_DIGEST);
    }
    StoredChecksum checksum = null;
    if (checksumAlgorithm != null) {
      byte[] actual = d.digests().get(checksumAlgorithm);
      String expected = headerChecksum != null ? headerChecksum : trailer.checksumAlgorithm() == checksumAlgorithm ? trailer.checksumBase64() : null;
      if (expected != null && !java.security.MessageDigest.isEqual(Base64.getDecoder().decode(expected.trim()), actual)) {
        throw new S3Exception(S3Error.BAD_DIGEST, "The " + checksumAlgorithm.s3Name().toUpperCase(Locale.ROOT)
            + " you specified did not match the calculated checksum.");
      }
      checksum = new StoredChecksum(checksumAlgorithm, actual, 0);
    }
    return new Received(upload, checksum);
  }

  /** Discards the upload unless it was committed. */
  @Override
  public void close() {
    upload.close();
  }

  /**
   * A verified body.
   *
   * @param upload the finished upload
   * @param checksum the additional checksum to store, or {@code null}
   */
  public record Received(BlobUpload upload, StoredChecksum checksum) {}
}
