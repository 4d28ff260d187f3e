package io.tarn.server.start;

/**
 * A start-up failure that has its one line: what failed, naming the thing (address, path, pid, key),
 * and its {@link Exit} class. The cause, if any, is shown only with {@code --debug}.
 */
public final class StartupFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final Exit exit;

  public StartupFailure(Exit exit, String message) {
    super(message);
    this.exit = exit;
  }

  public StartupFailure(Exit exit, String message, Throwable cause) {
    super(message, cause);
    this.exit = exit;
  }

  public Exit exit() {
    return exit;
  }
}
