package io.tarn.server.logging;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, except that it does not reset (close and remove every handler) from
 * its own JVM shutdown hook: that hook runs at the same time as the server's, which logs its stop
 * and whose last steps (closing the store, the webhook queue) may log failures; those lines would be
 * lost. The server's handlers flush every record, so nothing waits for a reset. Installed by
 * {@code Main} through the {@code java.util.logging.manager} system property, before any logger exists.
 */
public final class TarnLogManager extends LogManager {
  /** The JDK's hook thread, {@code LogManager.Cleaner} (JDK 9 to 21); a reset on it is skipped. */
  private static final String CLEANER = LogManager.class.getName() + "$Cleaner";

  @Override
  public void reset() {
    if (Thread.currentThread().getClass().getName().equals(CLEANER)) {
      return;
    }
    super.reset();
  }
}
