package io.tarn.server;

import io.tarn.server.admin.AdminCommand;
import io.tarn.server.admin.CompletionCommand;
import io.tarn.server.bench.BenchCommand;
import io.tarn.server.webhooks.WebhooksCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Properties;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tarn} command. Its subcommands are added here rather than listed in the annotation so that
 * a run of one of them builds only that one's picocli model: picocli reflects over every option of every
 * registered command up front, and the whole tree (server, bench, admin, webhooks) was most of the
 * 1.4–3.8 s a {@code tarn admin …} call took to start (issue #14).
 */
@Command(
    name = "tarn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Tarn: a self-hosted S3-compatible object store with bucket notifications.")
public final class Main implements Runnable {
  /** Every subcommand in the order of {@code tarn --help}. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("server", ServerCommand::new);
    SUBCOMMANDS.put("bench", BenchCommand::new);
    SUBCOMMANDS.put("admin", AdminCommand::new);
    SUBCOMMANDS.put("webhooks", WebhooksCommand::new);
    SUBCOMMANDS.put("completion", CompletionCommand::new);
    SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
  }

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
    System.exit(commandLine(args).execute(args));
  }

  /** The whole {@code tarn} command tree (help, completion, tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
    return configured(cl);
  }

  /**
   * The tree needed to run {@code args}: only the named subcommand when the first argument names one
   * that works alone, else the whole tree. {@code help} and {@code completion} describe every command,
   * and anything else (an option, a typo) gets the top-level message, which lists them all.
   */
  public static CommandLine commandLine(String... args) {
    String first = args.length == 0 ? "" : args[0];
    if (first.equals("help") || first.equals("completion") || !SUBCOMMANDS.containsKey(first)) {
      return commandLine();
    }
    return configured(new CommandLine(new Main()).addSubcommand(first, SUBCOMMANDS.get(first).get()));
  }

  /** Settings for the whole tree: picocli applies them to the subcommands present when they are set. */
  private static CommandLine configured(CommandLine cl) {
    return cl.setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'tarn server' or 'tarn help'.");
  }

  /**
   * The version: from the jar manifest, else from version.properties (the container image runs Tarn's
   * classes, not the jar), else "dev" (classes compiled by an IDE).
   */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      v = p.getProperty("version", "");
      return v.isEmpty() || v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tarn " + version()};
    }
  }
}
