package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.storage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one translation of storage failures into S3 errors (STYLE.md 2). */
public final class StorageErrors {
  private StorageErrors() {}

  public static S3Exception translate(StorageException e, String bucket, String key) {
    Map<String, String> extra = new LinkedHashMap<>();
    S3Error error;
    switch (e.kind()) {
      case NO_SUCH_BUCKET:
        error = S3Error.NO_SUCH_BUCKET;
        put(extra, "BucketName", bucket);
        break;
      case BUCKET_ALREADY_EXISTS:
        error = S3Error.BUCKET_ALREADY_EXISTS;
        put(extra, "BucketName", bucket);
        break;
      case BUCKET_ALREADY_OWNED_BY_YOU:
        error = S3Error.BUCKET_ALREADY_OWNED_BY_YOU;
        put(extra, "BucketName", bucket);
        break;
      case BUCKET_NOT_EMPTY:
        error = S3Error.BUCKET_NOT_EMPTY;
        put(extra, "BucketName", bucket);
        break;
      case NO_SUCH_KEY:
        error = S3Error.NO_SUCH_KEY;
        put(extra, "Key", key);
        break;
      case NO_SUCH_UPLOAD:
        error = S3Error.NO_SUCH_UPLOAD;
        break;
      case INVALID_PART:
        error = S3Error.INVALID_PART;
        break;
      case INVALID_PART_ORDER:
        error = S3Error.INVALID_PART_ORDER;
        break;
      case ENTITY_TOO_SMALL:
        error = S3Error.ENTITY_TOO_SMALL;
        break;
      case PRECONDITION_FAILED:
        error = S3Error.PRECONDITION_FAILED;
        extra.put("Condition", "If-Match / If-None-Match");
        break;
      case CONDITIONAL_CONFLICT:
        error = S3Error.CONDITIONAL_REQUEST_CONFLICT;
        break;
      case INVALID_ARGUMENT:
        error = S3Error.INVALID_ARGUMENT;
        break;
      case BAD_DIGEST:
        error = S3Error.BAD_DIGEST;
        break;
      case ACLS_DISABLED:
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
        error = S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED;
        break;
      case INVALID_BUCKET_ACL_WITH_OWNERSHIP:
        error = S3Error.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP;
        break;
      case STORAGE_FULL:
        // Below the free-space floor, or the disk ran out under a blob or RocksDB: the storage
        // message names paths and stays in the log (ServerErrorLog logs every 5xx with its cause).
        return new S3Exception(S3Error.STORAGE_FULL, S3Error.STORAGE_FULL.defaultMessage(), Map.of(), e);
      case NOT_FOUND:
      case CONFLICT:
        // Users and keys are not S3 resources: no S3 request names one, so this is a server fault.
      case IO:
        // Stored bytes that fail verification: S3's answer to a fault on its side is 500 InternalError,
        // which clients retry (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ErrorBestPractices.html,
        // "Retry InternalErrors"); a retry of a damaged object fails the same way, never with wrong bytes.
      case CORRUPT:
        // Only from opening a store, never from a request: a server fault if one ever got here.
      case LOCKED:
      case MASTER_KEY:
      case INCOMPATIBLE:
        return new S3Exception(S3Error.INTERNAL_ERROR, S3Error.INTERNAL_ERROR.defaultMessage(), Map.of(), e);
      default:
        throw new AssertionError(e.kind());
    }
    String message = e.kind() == StorageException.Kind.INVALID_PART || e.kind() == StorageException.Kind.ENTITY_TOO_SMALL
        || e.kind() == StorageException.Kind.INVALID_ARGUMENT || e.kind() == StorageException.Kind.BAD_DIGEST
        ? (e.getMessage() == null ? error.defaultMessage() : e.getMessage())
        : error.defaultMessage();
    return new S3Exception(error, message, extra);
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
