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
  /** A limit of concurrent use was reached (live tails per bucket, user or server). */
  TOO_MANY_REQUESTS("TooManyRequests", 429),
  /** A console sign-in whose body is not declared as JSON (a cross-site form cannot send that type). */
  UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415),
  INTERNAL_ERROR("InternalError", 500),
  /** The data directory's disk is full or below its free-space floor (as the S3 API's StorageFull). */
  STORAGE_FULL("StorageFull", 507),

  // The console session errors of console-contract.md, rendered in its flat shape (see flat()).
  /** Wrong, unknown, disabled or expired access key or secret, or a disabled user: one answer for all. */
  INVALID_CREDENTIALS("InvalidCredentials", 401, true),
  /** No live console session: none presented, ended, timed out, or its key or user no longer usable. */
  NOT_SIGNED_IN("NotSignedIn", 401, true),
  /** A cookie-authenticated write without the session's {@code X-Tarn-CSRF} token. */
  CSRF_TOKEN_INVALID("CsrfTokenInvalid", 403, true),
  /** A request whose {@code Origin} or {@code Sec-Fetch-Site} shows another site made it. */
  CROSS_SITE_REQUEST("CrossSiteRequest", 403, true),
  TOO_MANY_SIGN_IN_ATTEMPTS("TooManySignInAttempts", 429, true);

  private final String code;
  private final int status;
  private final boolean flat;

  ApiError(String code, int status) {
    this(code, status, false);
  }

  ApiError(String code, int status, boolean flat) {
    this.code = code;
    this.status = status;
    this.flat = flat;
  }

  /**
   * Whether the body is the console contract's {@code {"error": "<code>", "message": ...}} rather than
   * the admin API's {@code {"error": {"code": ...}}}: the browser side was built against that shape.
   */
  public boolean flat() {
    return flat;
  }

  /** The code as it appears in {@code {"error": {"code": ...}}}. */
  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
