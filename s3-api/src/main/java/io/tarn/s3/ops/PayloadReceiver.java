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
  /** The largest body allowed when its length is not declared ({@code declaredLength} -1). */
  private final long maxSize;

  private PayloadReceiver(BlobUpload upload, AwsChunkedDecoder decoder, AuthResult auth, long declaredLength,
      ChecksumAlgorithm checksumAlgorithm, String headerChecksum, String contentMd5, long maxSize) {
    this.maxSize = maxSize;
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
    return new PayloadReceiver(upload, decoder, auth, declared, alg, headerValue, md5, maxSize);
  }

  /**
   * For the file of a POST Object form, whose length is not declared (the request's Content-Length
   * counts the whole form) and whose checksums come from form fields, not headers; verified at the
   * end like a PUT's.
   *
   * @param auth the form's authentication (its body is never signed: only the policy is)
   * @param maxSize largest file allowed: EntityTooLarge as soon as the file grows past it
   * @param alg the checksum to compute and keep, or null
   * @param checksumValue the base64 checksum the file must have, or null
   * @param contentMd5 the base64 MD5 the file must have, or null
   * @throws S3Exception InvalidRequest or InvalidDigest for a checksum field that is not one
   */
  public static PayloadReceiver forForm(ObjectStore store, AuthResult auth, long maxSize, ChecksumAlgorithm alg,
      String checksumValue, String contentMd5) {
    if (checksumValue != null && !validBase64(checksumValue, alg.length())) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "Value for " + alg.headerName() + " field is invalid.");
    }
    if (contentMd5 != null && !validBase64(contentMd5, 16)) {
      throw new S3Exception(S3Error.INVALID_DIGEST);
    }
    BlobUpload upload;
    try {
      upload = store.openUpload(-1, alg == null ? EnumSet.noneOf(ChecksumAlgorithm.class) : EnumSet.of(alg));
    } catch (StorageException e) {
      throw StorageErrors.translate(e, null, null);
    }
    return new PayloadReceiver(upload, null, auth, -1, alg, checksumValue, contentMd5, maxSize);
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
    if (declaredLength >= 0 && upload.size() > declaredLength) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "The body is longer than its declared length.");
    }
  }

  /** Feeds body bytes that carry no framing (a form's file). */
  public void write(ByteBuffer bytes) {
    try {
      upload.write(bytes);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, null, null); // the disk filled while the body streamed in
    }
    if (declaredLength < 0 && upload.size() > maxSize) {
      throw new S3Exception(S3Error.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size",
          Map.of("ProposedSize", Long.toString(upload.size()), "MaxSizeAllowed", Long.toString(maxSize)));
    }
  }

  /** Bytes received so far. */
  public long size() {
    return upload.size();
  }

  /**
   * Ends the body and verifies it.
   *
   * @return the upload, ready to commit, and the checksum to keep (or {@code null})
   */
  public Received finish() {
    Trailer trailer = decoder != null ? decoder.finish() : Trailer.NONE;
    BlobUpload.Digests d = upload.finish();
    if (declaredLength >= 0 && d.size() != declaredLength) {
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
