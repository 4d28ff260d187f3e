package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.Locale;
import java.util.Map;

/**
 * Tarn does not encrypt objects at rest yet, so a request that asks for server-side encryption is
 * refused before anything is read or stored: storing the bytes in plaintext while the client believes
 * them encrypted (and serving them later without the customer key) would be a silent security failure.
 * SSE-S3 ({@code x-amz-server-side-encryption: AES256}), SSE-KMS ({@code aws:kms}, {@code aws:kms:dsse},
 * key ids, context, bucket keys) and SSE-C ({@code x-amz-server-side-encryption-customer-*}, also on
 * reads and as {@code x-amz-copy-source-server-side-encryption-customer-*}) are all refused with S3's
 * answer to a header implying functionality it does not implement: 501 {@code NotImplemented}, naming
 * the header (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 */
public final class ServerSideEncryption {
  private static final String SSE = "x-amz-server-side-encryption";
  private static final String COPY_SOURCE_SSE = "x-amz-copy-source-server-side-encryption";

  private ServerSideEncryption() {}

  /** @throws S3Exception NotImplemented if any server-side encryption header has a value */
  public static void refuseRequested(HttpHeaders headers) {
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey();
      if ((name.regionMatches(true, 0, SSE, 0, SSE.length())
              || name.regionMatches(true, 0, COPY_SOURCE_SSE, 0, COPY_SOURCE_SSE.length()))
          && !h.getValue().isBlank()) {
        String lower = name.toLowerCase(Locale.ROOT);
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, "A header you provided implies functionality that is"
            + " not implemented: this server does not perform server-side encryption (" + lower + ")",
            Map.of("Header", lower));
      }
    }
  }
}
