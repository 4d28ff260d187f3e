package io.tarn.server.admin;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * What every API client command group ({@code tarn admin}, {@code tarn webhooks}) shares: its
 * environment (injectable for tests) and a {@code --help} that every subcommand inherits.
 */
public abstract class ClientCommand implements Runnable, CliContext.Provider {
  private final CliContext context;

  @Spec
  protected CommandSpec spec;

  // Only --help, inherited by every subcommand: --version would print nothing here.
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean help;

  /** @param context injected environment, home, clock and console; null means {@link CliContext#system()} */
  protected ClientCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public CliContext cliContext() {
    return context == null ? CliContext.system() : context;
  }
}
