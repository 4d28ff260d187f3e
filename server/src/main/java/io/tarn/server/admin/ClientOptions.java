package io.tarn.server.admin;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The connection options every client command takes ({@code tarn admin …}, later
 * {@code tarn webhooks …}), as a picocli mixin. A value comes from the flag, else the environment
 * variable, else the profile file, else the default.
 */
public final class ClientOptions {
  public static final String ENV_ENDPOINT = "TARN_ENDPOINT";
  public static final String ENV_ACCESS_KEY = "TARN_ACCESS_KEY";
  public static final String ENV_SECRET_KEY = "TARN_SECRET_KEY";
  public static final String ENV_REGION = "TARN_REGION";
  public static final String ENV_PROFILE = "TARN_PROFILE";
  public static final String ENV_CA_BUNDLE = "TARN_CA_BUNDLE";

  /** What a client command does once connected; failures are thrown as {@link CliException}. */
  @FunctionalInterface
  public interface Action {
    void run(ApiClient api, Output out);
  }

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Tarn endpoint (env TARN_ENDPOINT, else the profile; default " + ClientConfig.DEFAULT_ENDPOINT + ").")
  String endpoint;

  @Option(names = "--access-key", paramLabel = "KEY", description = "Access key id (env TARN_ACCESS_KEY, else the profile).")
  String accessKey;

  @Option(names = "--secret-key", paramLabel = "SECRET", description = "Secret access key (env TARN_SECRET_KEY, else the profile).")
  String secretKey;

  @Option(names = "--region", paramLabel = "NAME",
      description = "Region to sign for (env TARN_REGION, else the profile; default " + ClientConfig.DEFAULT_REGION + ").")
  String region;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Profile of the config file to use (env TARN_PROFILE; default " + ClientConfig.DEFAULT_PROFILE + ").")
  String profile;

  @Option(names = "--ca-bundle", paramLabel = "FILE",
      description = "PEM certificates to trust for https, e.g. the server's self-signed one (env TARN_CA_BUNDLE, else the profile).")
  Path caBundle;

  @Option(names = "--json", description = "Print the server's JSON instead of tables.")
  boolean json;

  /** Where each value is looked up: this command line, then the context's environment, then a profile. */
  public record Lookup(ClientOptions flags, CliContext ctx, String profileName, Path file,
      Map<String, Map<String, String>> profiles) {
    public Map<String, String> profile() {
      return profiles.getOrDefault(profileName, Map.of());
    }

    /** The first non-blank of the flag, the environment variable and the profile's key, or null. */
    public String value(String flag, String envName, String profileKey) {
      String explicit = explicit(flag, envName);
      if (explicit != null) {
        return explicit;
      }
      String p = profile().get(profileKey);
      return p == null || p.isBlank() ? null : p;
    }

    /** The flag, else the environment variable: what the user said for this run; or null. */
    public String explicit(String flag, String envName) {
      return flag != null && !flag.isBlank() ? flag.strip() : ctx.env(envName);
    }

    public String endpoint() {
      return value(flags.endpoint, ENV_ENDPOINT, ProfileFile.ENDPOINT);
    }

    public String accessKey() {
      return value(flags.accessKey, ENV_ACCESS_KEY, ProfileFile.ACCESS_KEY);
    }

    public String secretKey() {
      return value(flags.secretKey, ENV_SECRET_KEY, ProfileFile.SECRET_KEY);
    }

    public String region() {
      String r = value(flags.region, ENV_REGION, ProfileFile.REGION);
      return r == null ? ClientConfig.DEFAULT_REGION : r;
    }

    public Path caBundle() {
      String c = value(flags.caBundle == null ? null : flags.caBundle.toString(), ENV_CA_BUNDLE, ProfileFile.CA_BUNDLE);
      return c == null ? null : Path.of(c);
    }
  }

  public boolean json() {
    return json;
  }

  /** Reads the profile file and says where each value will come from. */
  public Lookup lookup(CliContext ctx) {
    String name = profile != null && !profile.isBlank() ? profile.strip()
        : ctx.env(ENV_PROFILE) != null ? ctx.env(ENV_PROFILE) : ClientConfig.DEFAULT_PROFILE;
    Path file = ProfileFile.location(ctx);
    return new Lookup(this, ctx, name, file, ProfileFile.read(file));
  }

  /**
   * The merged configuration.
   *
   * @throws CliException {@link Exit#USAGE} when a named profile does not exist or credentials are missing
   */
  public ClientConfig resolve(CliContext ctx) {
    Lookup l = lookup(ctx);
    if (!l.profiles().containsKey(l.profileName()) && !l.profileName().equals(ClientConfig.DEFAULT_PROFILE)) {
      throw new CliException(Exit.USAGE, "no profile '" + l.profileName() + "' in " + l.file()
          + " (create it with 'tarn admin login --profile " + l.profileName() + "')");
    }
    String endpointText = l.endpoint();
    String key = l.accessKey();
    String secret = l.secretKey();
    if (key == null || secret == null) {
      throw new CliException(Exit.USAGE, "no credentials: pass --access-key and --secret-key, set "
          + ENV_ACCESS_KEY + " and " + ENV_SECRET_KEY + ", or run 'tarn admin login'");
    }
    return new ClientConfig(ClientConfig.parseEndpoint(endpointText == null ? ClientConfig.DEFAULT_ENDPOINT : endpointText),
        key, secret, l.region(), l.caBundle(), l.profileName());
  }

  /** The context of the command this mixin is part of. */
  public CliContext context() {
    return CliContext.of(mixee);
  }

  /** The command's output, on the writers picocli was given. */
  public Output output() {
    CommandLine cl = mixee.commandLine();
    return new Output(cl.getOut(), cl.getErr(), json);
  }

  /**
   * Resolves the configuration, runs {@code action} against the server and turns every failure
   * into a one-line message on stderr and its {@link Exit} code: never a stack trace.
   */
  public int run(Action action) {
    return run(ApiClient.ADMIN_KEY_NEEDED, action);
  }

  /** Like {@link #run(Action)}, a refusal ending with {@code deniedHint} (which key the command needs). */
  public int run(String deniedHint, Action action) {
    CliContext ctx = context();
    return Output.guard(output(), out -> {
      ClientConfig config = resolve(ctx);
      action.run(new ApiClient(config, ctx.clock(), deniedHint), out);
    });
  }
}
