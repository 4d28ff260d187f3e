package io.tarn.server.admin;

import java.util.Objects;

/**
 * A failure to report to the user as one message and an {@link Exit} code. It is an expected
 * outcome, not a bug, so it carries no stack trace (and the commands never print one).
 */
public final class CliException extends RuntimeException {
  private final Exit exit;

  public CliException(Exit exit, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.exit = Objects.requireNonNull(exit, "exit");
  }

  public Exit exit() {
    return exit;
  }
}
