package io.tarn.s3.http;

/** Turns requests into work. Implemented by the S3 operation layer. */
public interface S3Dispatcher {
  /**
   * Routes and authenticates a request head. Runs on the event loop: CPU only, no disk.
   *
   * @throws io.tarn.core.S3Exception when the request must be refused before its body is read
   */
  Plan prepare(RequestHead head);

  /** A routed, authenticated request. */
  interface Plan {
    /**
     * Runs on a worker thread before the body is read (and before {@code 100 Continue} is sent):
     * checks that need storage, then returns the body's consumer.
     *
     * @throws io.tarn.core.S3Exception to refuse the request
     */
    BodyConsumer start();

    /** The resource named in error responses ({@code /bucket/key}). */
    String resource();

    /** The operation as AWS names it, for {@link ExchangeRecord#operation()}. */
    default String operation() {
      return "Unknown";
    }

    /** The bucket the request names (decoded), or null. */
    default String bucket() {
      return null;
    }

    /** The object key the request names (decoded), or null. */
    default String key() {
      return null;
    }

    /**
     * The access key id the request was authenticated with, once {@link #start()} has authenticated
     * it; null before, and for anonymous requests. Set on a worker, read on the event loop.
     */
    default String accessKeyId() {
      return null;
    }

    /** The canonical user id of {@link #accessKeyId()}'s owner, or null. */
    default String userId() {
      return null;
    }
  }
}
