package io.tarn.server.admin;

import java.io.Console;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the client commands take from the world outside their arguments: the environment, the home
 * directory, the clock they sign with and the console they prompt on. Injected, so tests never
 * depend on the real environment; production uses {@link #system()}.
 *
 * @param env environment variables
 * @param home the user's home directory (for {@code ~/.config/tarn})
 * @param clock signs requests and turns durations into expiry times
 * @param prompter asks the user for missing values
 */
public record CliContext(Map<String, String> env, Path home, Clock clock, Prompter prompter) {
  /** System property that overrides the directory holding the profile file (tests, packaging). */
  public static final String CONFIG_DIR_PROPERTY = "tarn.config.dir";

  /** Implemented by a command near the root of the tree that owns the context (e.g. {@code admin}). */
  public interface Provider {
    CliContext cliContext();
  }

  /** Interactive input; {@link #available()} is false when there is no terminal to ask on. */
  public interface Prompter {
    boolean available();

    /** Reads a line after printing {@code prompt}; null at end of input. */
    String readLine(String prompt);

    /** Reads a secret without echoing it; null at end of input. */
    char[] readPassword(String prompt);
  }

  public CliContext {
    env = Map.copyOf(env);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(prompter, "prompter");
  }

  /** The real process environment, home directory, UTC clock and {@link System#console()}. */
  public static CliContext system() {
    return new CliContext(System.getenv(), Path.of(System.getProperty("user.home")), Clock.systemUTC(),
        new SystemConsole());
  }

  /** The context of the nearest {@link Provider} above {@code spec}, else {@link #system()}. */
  public static CliContext of(CommandSpec spec) {
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      if (s.userObject() instanceof Provider p) {
        return p.cliContext();
      }
    }
    return system();
  }

  /** An environment variable, or null when unset or blank. */
  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * The directory of the profile file: {@value #CONFIG_DIR_PROPERTY} if set, else
   * {@code $XDG_CONFIG_HOME/tarn} (when absolute, as the XDG spec requires), else
   * {@code ~/.config/tarn}.
   */
  public Path configDir() {
    String override = System.getProperty(CONFIG_DIR_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String xdg = env("XDG_CONFIG_HOME");
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "tarn");
    }
    return home.resolve(".config").resolve("tarn");
  }

  /** {@link Prompter} over {@link System#console()}, which is null when stdin/stdout is not a terminal. */
  private static final class SystemConsole implements Prompter {
    @Override
    public boolean available() {
      return System.console() != null;
    }

    @Override
    public String readLine(String prompt) {
      Console c = System.console();
      return c == null ? null : c.readLine("%s", prompt);
    }

    @Override
    public char[] readPassword(String prompt) {
      Console c = System.console();
      return c == null ? null : c.readPassword("%s", prompt);
    }
  }
}
