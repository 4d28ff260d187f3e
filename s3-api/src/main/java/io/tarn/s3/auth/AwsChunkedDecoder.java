package io.tarn.s3.auth;

import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.core.checksum.Digest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decodes an aws-chunked body incrementally
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html):
 *
 * <pre>
 * hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n
 * [name:value\r\n ...] [x-amz-trailer-signature:sig\r\n] \r\n
 * </pre>
 *
 * <p>Push-style: {@link #feed} takes slices of any size (a chunk header may be split anywhere) and
 * hands the payload bytes to a consumer as slices of the input, without copying. Chunk and trailer
 * signatures are verified as they complete, the trailing checksum and the declared decoded length at
 * the end. Payload bytes reach the consumer before their chunk's signature is known: the caller
 * must treat everything as unverified until {@link #finish} returns, and discard it on any
 * exception. Header lines and the trailer section are bounded, so input never buffers unboundedly.
 * Not thread-safe: one decoder per request, fed from one thread at a time.
 */
public final class AwsChunkedDecoder {
  /** Longest chunk header line accepted (a signed one is about 90 bytes). */
  public static final int MAX_LINE_BYTES = 4096;
  /** Largest trailer section accepted, all lines together. */
  public static final int MAX_TRAILER_BYTES = 4096;
  /** S3's minimum size of a signed chunk other than the last. */
  public static final int MIN_SIGNED_CHUNK = 8192;

  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER_LINES, DONE, FINISHED, FAILED }

  private final PayloadMode mode;
  private final ChunkSigning signing;
  private final long declaredLength;
  private final ChecksumAlgorithm trailerAlgorithm;
  private final Digest trailerDigest;
  private final MessageDigest chunkSha;

  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int lineLength;
  private State state = State.SIZE_LINE;
  private long chunkRemaining;
  private String chunkSignature;
  private String previousSignature;
  private boolean previousChunkShort;
  private long chunkCount;
  private long decoded;
  private int trailerBytes;
  private boolean skippedBlankLine;
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private boolean trailerSigned;
  private Trailer result;

  /**
   * @param mode a streaming mode
   * @param signing the request's signing context; required when {@code mode} signs chunks
   * @param declaredLength {@code x-amz-decoded-content-length}, or -1 when not given
   * @param trailerChecksum the checksum named by {@code x-amz-trailer}, or null
   */
  public AwsChunkedDecoder(PayloadMode mode, ChunkSigning signing, long declaredLength,
      ChecksumAlgorithm trailerChecksum) {
    this.mode = Objects.requireNonNull(mode, "mode");
    if (!mode.streaming()) {
      throw new IllegalArgumentException(mode + " is not an aws-chunked mode");
    }
    if (mode.signedChunks()) {
      Objects.requireNonNull(signing, "signing is required for " + mode);
    }
    if (trailerChecksum != null && (!mode.trailer() || !trailerChecksum.isS3Checksum())) {
      throw new IllegalArgumentException("no " + trailerChecksum + " trailer in " + mode);
    }
    this.signing = signing;
    this.previousSignature = signing == null ? null : signing.seedSignature();
    this.declaredLength = declaredLength;
    this.trailerAlgorithm = trailerChecksum;
    this.trailerDigest = trailerChecksum == null ? null : trailerChecksum.newDigest();
    this.chunkSha = mode.signedChunks() ? SigV4.newSha256() : null;
  }

  /**
   * A decoder for an authenticated request, reading {@code x-amz-decoded-content-length} and
   * {@code x-amz-trailer} from its headers.
   *
   * @throws IllegalArgumentException if the request's payload mode is not aws-chunked
   * @throws S3Exception InvalidArgument or InvalidRequest for a bad header
   */
  public static AwsChunkedDecoder forRequest(AuthResult auth, SignedRequest request) {
    PayloadMode mode = auth.payloadMode();
    long declared = -1;
    String length = request.first("x-amz-decoded-content-length");
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        declared = -2;
      }
      if (declared < 0) {
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-decoded-content-length is invalid.",
            Map.of("ArgumentName", "x-amz-decoded-content-length", "ArgumentValue", length));
      }
    }
    ChecksumAlgorithm algorithm = null;
    String trailer = request.first("x-amz-trailer");
    if (trailer != null && !trailer.isBlank()) {
      if (!mode.trailer()) {
        throw new S3Exception(S3Error.INVALID_REQUEST, "x-amz-trailer needs an x-amz-content-sha256"
            + " of STREAMING-UNSIGNED-PAYLOAD-TRAILER or STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER.");
      }
      if (trailer.contains(",")) {
        throw new S3Exception(S3Error.INVALID_REQUEST,
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
      }
      algorithm = ChecksumAlgorithm.fromHeaderName(trailer.strip());
      if (algorithm == null) {
        throw new S3Exception(S3Error.INVALID_REQUEST,
            "The value specified in the x-amz-trailer header is not supported");
      }
    }
    return new AwsChunkedDecoder(mode, auth.chunkSigning(), declared, algorithm);
  }

  /** Payload bytes decoded so far. */
  public long decodedLength() {
    return decoded;
  }

  /**
   * Consumes all of {@code in}, passing payload bytes to {@code out} as read-only-in-spirit slices
   * of {@code in} that are valid only during the call (copy them to keep them).
   *
   * @throws S3Exception on malformed framing, a bad signature, a checksum mismatch or too many
   *     bytes; the decoder is then unusable
   */
  public void feed(ByteBuffer in, Consumer<ByteBuffer> out) {
    if (state == State.FAILED || state == State.FINISHED) {
      throw new IllegalStateException("decoder is " + state);
    }
    try {
      while (in.hasRemaining()) {
        switch (state) {
          case SIZE_LINE -> {
            if (readLine(in)) {
              onSizeLine(takeLine());
            }
          }
          case DATA -> emit(in, out);
          case DATA_CR -> afterData(in.get(), true);
          case DATA_LF -> afterData(in.get(), false);
          case TRAILER_LINES -> {
            int before = in.position();
            boolean complete = readLine(in);
            trailerBytes += in.position() - before;
            if (trailerBytes > MAX_TRAILER_BYTES) {
              throw malformedTrailer("the trailer section exceeds " + MAX_TRAILER_BYTES + " bytes.");
            }
            if (complete) {
              onTrailerLine(takeLine());
            }
          }
          case DONE -> throw framing("bytes follow the end of the body.");
          default -> throw new IllegalStateException(state.name());
        }
      }
    } catch (RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /**
   * Ends the body.
   *
   * @return the verified trailing headers ({@link Trailer#NONE} when there were none)
   * @throws S3Exception IncompleteBody if the body ended early or decoded to the wrong length
   */
  public Trailer finish() {
    if (state == State.FAILED || state == State.FINISHED) {
      throw new IllegalStateException("decoder is " + state);
    }
    try {
      if (state == State.TRAILER_LINES && lineLength == 0 && trailerComplete()) {
        completeTrailers(); // tolerate a body whose final empty line was left off
      }
      if (state != State.DONE) {
        throw new S3Exception(S3Error.INCOMPLETE_BODY, state == State.TRAILER_LINES
            ? "The aws-chunked body ended before its trailing headers were complete."
            : "The aws-chunked body ended before its final chunk.");
      }
    } catch (RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
    state = State.FINISHED;
    return result;
  }

  // ---- chunks

  /** Reads up to and including a '\n'; true when a whole line is in {@link #line}. */
  private boolean readLine(ByteBuffer in) {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b == '\n') {
        return true;
      }
      if (lineLength == MAX_LINE_BYTES) {
        throw framing("a line exceeds " + MAX_LINE_BYTES + " bytes.");
      }
      line[lineLength++] = b;
    }
    return false;
  }

  /** The line read, without its CR; ISO-8859-1 keeps every byte distinct for the checks. */
  private String takeLine() {
    int n = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    lineLength = 0;
    return new String(line, 0, n, StandardCharsets.ISO_8859_1);
  }

  private void onSizeLine(String header) {
    int semi = header.indexOf(';');
    String hex = (semi < 0 ? header : header.substring(0, semi)).strip();
    if (hex.isEmpty() || hex.length() > 15 || !Hex.isHex(hex, hex.length())) {
      throw framing("chunk size \"" + printable(hex) + "\" is not hexadecimal.");
    }
    long size = Long.parseLong(hex, 16);
    String signature = null;
    if (semi >= 0) {
      for (String ext : header.substring(semi + 1).split(";", -1)) {
        int eq = ext.indexOf('=');
        if (eq > 0 && ext.substring(0, eq).strip().equals("chunk-signature")) {
          signature = ext.substring(eq + 1).strip();
        }
      }
    }
    chunkCount++;
    if (declaredLength >= 0 && decoded + size > declaredLength) {
      throw new S3Exception(S3Error.INCOMPLETE_BODY, "The aws-chunked body is longer than its"
          + " x-amz-decoded-content-length of " + declaredLength + " bytes.");
    }
    if (mode.signedChunks()) {
      if (signature == null || !Hex.isHex(signature, 64)) {
        throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH,
            "Chunk " + chunkCount + " carries no valid chunk-signature.");
      }
      if (previousChunkShort && size > 0) {
        throw new S3Exception(S3Error.INVALID_CHUNK_SIZE_ERROR,
            S3Error.INVALID_CHUNK_SIZE_ERROR.defaultMessage(),
            Map.of("Chunk", Long.toString(chunkCount - 1)));
      }
      previousChunkShort = size < MIN_SIGNED_CHUNK;
    }
    if (size == 0) {
      if (mode.signedChunks()) {
        verifyChunk(signature, SigV4.EMPTY_SHA256);
      }
      state = State.TRAILER_LINES;
      return;
    }
    chunkRemaining = size;
    chunkSignature = signature;
    state = State.DATA;
  }

  private void emit(ByteBuffer in, Consumer<ByteBuffer> out) {
    int n = (int) Math.min(chunkRemaining, in.remaining());
    ByteBuffer slice = in.slice(in.position(), n);
    in.position(in.position() + n);
    if (chunkSha != null) {
      chunkSha.update(slice.duplicate());
    }
    if (trailerDigest != null) {
      trailerDigest.update(slice.duplicate());
    }
    decoded += n;
    chunkRemaining -= n;
    if (chunkRemaining == 0) {
      if (chunkSha != null) {
        verifyChunk(chunkSignature, Hex.encode(chunkSha.digest())); // digest() also resets
      }
      state = State.DATA_CR;
    }
    out.accept(slice);
  }

  /** The CRLF after chunk data; a bare LF is tolerated. */
  private void afterData(byte b, boolean expectingCr) {
    if (expectingCr && b == '\r') {
      state = State.DATA_LF;
    } else if (b == '\n') {
      state = State.SIZE_LINE;
    } else {
      throw framing("chunk " + chunkCount + " is not followed by CRLF (is its size right?).");
    }
  }

  private void verifyChunk(String provided, String chunkSha256) {
    String expected = SigV4.signature(signing.signingKey(), SigV4.chunkStringToSign(
        signing.amzDate(), signing.scope(), previousSignature, chunkSha256));
    if (!SigV4.signaturesEqual(expected, provided)) {
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH,
          "The chunk signature of chunk " + chunkCount + " does not match.");
    }
    previousSignature = expected;
  }

  // ---- trailers

  private void onTrailerLine(String text) {
    if (text.isEmpty()) {
      if (trailerComplete()) {
        completeTrailers();
      } else if (mode.trailer() && !skippedBlankLine && trailers.isEmpty()) {
        // Some writers put an empty line between the last chunk and the trailers, as one of the
        // AWS documentation examples shows; accept one there.
        skippedBlankLine = true;
      } else {
        throw malformedTrailer("the trailing header " + missingTrailer() + " is missing.");
      }
      return;
    }
    if (!mode.trailer()) {
      throw framing("trailing headers are not allowed with " + mode.headerValue() + ".");
    }
    if (trailerSigned) {
      throw malformedTrailer(TRAILER_SIGNATURE + " must be the last trailing header.");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw malformedTrailer("a trailing header line has no name.");
    }
    String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).strip();
    if (name.equals(TRAILER_SIGNATURE) && mode.signedChunks()) {
      verifyTrailerSignature(value);
      trailerSigned = true;
    } else if (trailerAlgorithm == null || !name.equals(trailerAlgorithm.headerName())) {
      throw malformedTrailer("the trailing header " + printable(name) + " was not declared in"
          + " x-amz-trailer.");
    } else if (trailers.put(name, value) != null) {
      throw malformedTrailer("the trailing header " + name + " is repeated.");
    }
  }

  private void verifyTrailerSignature(String provided) {
    StringBuilder canonical = new StringBuilder();
    trailers.forEach((n, v) -> canonical.append(n).append(':').append(v).append('\n'));
    String expected = SigV4.signature(signing.signingKey(), SigV4.trailerStringToSign(
        signing.amzDate(), signing.scope(), previousSignature, SigV4.sha256Hex(canonical.toString())));
    if (!Hex.isHex(provided, 64) || !SigV4.signaturesEqual(expected, provided)) {
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH,
          "The trailer signature does not match.");
    }
  }

  private boolean trailerComplete() {
    boolean checksumSeen = trailerAlgorithm == null || trailers.containsKey(trailerAlgorithm.headerName());
    boolean signatureSeen = !mode.trailer() || !mode.signedChunks() || trailerSigned;
    return checksumSeen && signatureSeen;
  }

  private String missingTrailer() {
    if (trailerAlgorithm != null && !trailers.containsKey(trailerAlgorithm.headerName())) {
      return trailerAlgorithm.headerName();
    }
    return TRAILER_SIGNATURE;
  }

  /** Checks the trailing checksum and the decoded length; the body is then complete. */
  private void completeTrailers() {
    byte[] checksum = null;
    if (trailerAlgorithm != null) {
      String name = trailerAlgorithm.headerName();
      try {
        checksum = Base64.getDecoder().decode(trailers.get(name));
      } catch (IllegalArgumentException e) {
        checksum = null;
      }
      if (checksum == null || checksum.length != trailerAlgorithm.length()) {
        throw new S3Exception(S3Error.INVALID_REQUEST,
            "Value for " + name + " trailing header is invalid.");
      }
      if (!MessageDigest.isEqual(checksum, trailerDigest.finish())) {
        throw new S3Exception(S3Error.BAD_DIGEST, "The " + trailerAlgorithm.s3Name()
            + " you specified did not match the calculated checksum.");
      }
    }
    if (declaredLength >= 0 && decoded != declaredLength) {
      throw new S3Exception(S3Error.INCOMPLETE_BODY, "The aws-chunked body decoded to " + decoded
          + " bytes, not the " + declaredLength + " of x-amz-decoded-content-length.");
    }
    result = trailers.isEmpty() && trailerAlgorithm == null
        ? Trailer.NONE
        : new Trailer(trailers, trailerAlgorithm, checksum);
    state = State.DONE;
  }

  // ---- errors

  private static S3Exception framing(String detail) {
    return new S3Exception(S3Error.INVALID_REQUEST, "Malformed aws-chunked body: " + detail);
  }

  private static S3Exception malformedTrailer(String detail) {
    return new S3Exception(S3Error.MALFORMED_TRAILER_ERROR,
        S3Error.MALFORMED_TRAILER_ERROR.defaultMessage() + " Detail: " + detail);
  }

  /** Keeps client bytes out of messages unless they are printable ASCII. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }
}
