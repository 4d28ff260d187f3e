package io.tarn.console;

import io.tarn.core.api.ApiResponse;
import io.tarn.storage.StorageException;
import java.util.Map;

/**
 * The one translation of storage failures into JSON API errors (STYLE.md 2), and the one renderer of
 * the error body {@code {"error": {"code", "message", "requestId"}}}.
 */
public final class ApiErrors {
  /** Shown for failures whose detail is internal (I/O, RocksDB); the detail goes to the log. */
  public static final String INTERNAL_MESSAGE = "internal error; the server log has details for this request id";

  static final String STORAGE_FULL_MESSAGE = "the server's storage is full: delete objects or free disk space, then retry";

  private ApiErrors() {}

  /**
   * The API error for a storage failure. Storage messages of the client-facing kinds name the user,
   * key or bucket concerned, so they are passed on; IO messages may hold paths and are not.
   */
  public static ApiException translate(StorageException e) {
    ApiError error = switch (e.kind()) {
      case NO_SUCH_BUCKET, NO_SUCH_KEY, NO_SUCH_UPLOAD, NOT_FOUND -> ApiError.NOT_FOUND;
      case BUCKET_ALREADY_EXISTS, BUCKET_ALREADY_OWNED_BY_YOU, BUCKET_NOT_EMPTY, CONFLICT,
          PRECONDITION_FAILED, CONDITIONAL_CONFLICT -> ApiError.CONFLICT;
      case INVALID_ARGUMENT, INVALID_PART, INVALID_PART_ORDER, ENTITY_TOO_SMALL, BAD_DIGEST, ACLS_DISABLED,
          INVALID_BUCKET_ACL_WITH_OWNERSHIP -> ApiError.INVALID_REQUEST;
      case STORAGE_FULL -> ApiError.STORAGE_FULL;
      // LOCKED, MASTER_KEY and INCOMPATIBLE come only from opening a store, never from a request.
      case IO, CORRUPT, LOCKED, MASTER_KEY, INCOMPATIBLE -> ApiError.INTERNAL_ERROR;
    };
    if (error == ApiError.STORAGE_FULL) {
      return new ApiException(error, STORAGE_FULL_MESSAGE); // the storage message names paths
    }
    String message = error == ApiError.INTERNAL_ERROR || e.getMessage() == null ? INTERNAL_MESSAGE : e.getMessage();
    return new ApiException(error, message);
  }

  /** The JSON error response. */
  public static ApiResponse render(ApiError error, String message, String requestId, Map<String, String> headers) {
    Object body = error.flat() ? new FlatBody(error.code(), message, requestId)
        : new Body(new Detail(error.code(), message, requestId));
    ApiResponse plain = Json.response(error.status(), body);
    return new ApiResponse(plain.status(), plain.contentType(), plain.body(), headers);
  }

  public static ApiResponse render(ApiException e, String requestId) {
    return render(e.error(), e.getMessage(), requestId, e.headers());
  }

  record Body(Detail error) {}

  /** The console session errors' shape (console-contract.md). */
  record FlatBody(String error, String message, String requestId) {}

  record Detail(String code, String message, String requestId) {}
}
