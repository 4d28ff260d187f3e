package io.tarn.server.start;

import picocli.CommandLine.Option;

/** The start-up options of {@code tarn server}. */
public final class StartupOptions {
  @Option(names = "--debug", defaultValue = "${env:TARN_DEBUG:-false}",
      description = "When the server cannot start, print the stack trace after the one-line message (env TARN_DEBUG).")
  boolean debug;

  public boolean debug() {
    return debug;
  }
}
