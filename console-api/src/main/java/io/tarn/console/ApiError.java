package io.tarn.console;

/**
 * The error codes of Tarn's JSON APIs (admin-api.md), each with its HTTP status. The wire code is
 * fixed per constant rather than derived, so renaming a constant cannot change the contract.
 */
public enum ApiError {
  INVALID_REQUEST("InvalidRequest", 400),
  ACCESS_DENIED("AccessDenied", 403),
  NOT_FOUND("NotFound", 404),
  METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
  CONFLICT("Conflict", 409),
  INTERNAL_ERROR("InternalError", 500),
  /** The data directory's disk is full or below its free-space floor (as the S3 API's StorageFull). */
  STORAGE_FULL("StorageFull", 507);

  private final String code;
  private final int status;

  ApiError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** The code as it appears in {@code {"error": {"code": ...}}}. */
  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
