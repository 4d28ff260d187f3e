package io.tarn.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tarn} command. */
@Command(
    name = "tarn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Tarn: a self-hosted S3-compatible object store with bucket notifications.",
    subcommands = {ServerCommand.class, io.tarn.server.bench.BenchCommand.class, io.tarn.server.admin.AdminCommand.class,
        io.tarn.server.webhooks.WebhooksCommand.class, io.tarn.server.admin.CompletionCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // One line per log record; set before any logger exists.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    // The server logs its stop from its own shutdown hook (TarnLogManager).
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", io.tarn.server.logging.TarnLogManager.class.getName());
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'tarn server' or 'tarn help'.");
  }

  /** The version from the jar manifest ("dev" when run from classes). */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tarn " + version()};
    }
  }
}
