package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.http.RequestHead;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketRef;
import io.tarn.storage.StorageException;
import java.util.Map;
import java.util.Optional;

/**
 * One authenticated request, as handlers see it.
 *
 * @param head the request head
 * @param auth the authentication result (null only for unsigned requests to Tarn's own APIs)
 * @param buckets the records of the buckets an object write names (its own, a copy's source) as they were
 *     read just before the authorization check (see {@code S3Api#prepare}), by name; a name absent here
 *     did not exist then. Other requests carry none.
 */
public record Call(RequestHead head, AuthResult auth, Map<String, BucketInfo> buckets) {
  public Call {
    buckets = Map.copyOf(buckets);
  }

  /** A call that names no bucket (Tarn's own APIs). */
  public Call(RequestHead head, AuthResult auth) {
    this(head, auth, Map.of());
  }

  public HttpHeaders headers() {
    return head.headers();
  }

  public Principal principal() {
    return auth.principal();
  }

  public RequestContext context() {
    return new RequestContext(head.requestId(), auth.principal(), head.sourceIp());
  }

  /**
   * The bucket this request was authorized against, for its writes to commit into and nowhere else:
   * if it has since been deleted (even if another was created under its name), they fail with
   * NoSuchBucket (Tarn issue 11).
   *
   * @throws StorageException NO_SUCH_BUCKET if it did not exist when the request was authorized
   */
  public BucketRef bucketRef(String name) {
    return bucket(name).orElseThrow(() -> new StorageException(StorageException.Kind.NO_SUCH_BUCKET,
        "no such bucket: " + name)).ref();
  }

  /**
   * The record of bucket {@code name} as it was when this request was authorized (its owner, Object
   * Ownership, incarnation), for decisions made before the body is read without reading it again; the
   * commit decides again under the bucket's lock. Empty if it did not exist or the request is not an
   * object write.
   */
  public Optional<BucketInfo> bucket(String name) {
    return Optional.ofNullable(buckets.get(name));
  }
}
