package io.tarn.server.admin;

/**
 * The exit codes of the client commands. Scripts branch on them, so they are part of the
 * command-line contract: never renumber, only add.
 */
public enum Exit {
  OK(0),
  /** Anything not covered below. */
  ERROR(1),
  /** Bad command line (picocli's own code for usage errors), or missing credentials. */
  USAGE(2),
  /** Connection refused, unknown host, TLS failure, timeout, or an endpoint that is not Tarn. */
  UNREACHABLE(3),
  /** The server did not accept the credentials: unknown key, wrong secret, clock skew. */
  AUTH(4),
  /** The credentials are valid but not allowed to do this (an admin key is needed). */
  DENIED(5),
  NOT_FOUND(6),
  CONFLICT(7),
  /**
   * {@code tarn admin fsck}: the index and the blob files disagree; {@code tarn admin scrub}: damaged or
   * missing blobs (the report lists them); {@code tarn admin backup}: the backup failed its verification.
   */
  FINDINGS(8);

  private final int code;

  Exit(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
