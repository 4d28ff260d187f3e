package io.tarn.server.start;

/**
 * The exit codes of {@code tarn server}, one per class of start-up failure, so that a supervisor or a
 * script can tell "fix the configuration" from "another instance is running" without parsing text.
 * Documented in docs/ops/startup.md; never renumbered.
 */
public enum Exit {
  /** Stopped cleanly (after a signal). */
  OK(0),
  /** An unexpected failure: a bug or an environment problem Tarn does not name (run with --debug). */
  UNEXPECTED(1),
  /** A bad option or environment value, including TLS files that cannot be used (picocli's own too). */
  USAGE(2),
  /** The listen address cannot be bound: in use, not this machine's, or a privileged port. */
  ADDRESS(3),
  /** The data directory is not a directory, its parent is missing, or a permission is missing. */
  DATA_DIRECTORY(4),
  /** Another Tarn (or Tarn tool) has this data directory open. */
  LOCKED(5),
  /** TARN_MASTER_KEY or master.key is malformed, missing, or not the key the data was written with. */
  MASTER_KEY(6),
  /**
   * The data cannot be served as it is: a newer build's format, a corrupt write-ahead log, a missing
   * index next to blob files, another store's index. The message says what to do.
   */
  STORE(7);

  private final int code;

  Exit(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
