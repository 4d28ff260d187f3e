package io.tarn.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tarn admin login}: checks credentials with {@code GET /whoami} and only then saves them as
 * a profile, so a typo never lands in the file.
 */
@Command(name = "login", description = {
    "Check credentials against a server, then save them as a profile.",
    "The profiles are in $XDG_CONFIG_HOME/tarn/config or ~/.config/tarn/config",
    "(mode 0600). Values not given as options or environment variables are",
    "prompted for on a terminal."})
final class LoginCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Override
  public Integer call() {
    CliContext ctx = client.context();
    return Output.guard(client.output(), out -> login(ctx, out));
  }

  private void login(CliContext ctx, Output out) {
    ClientOptions.Lookup l = client.lookup(ctx);
    Map<String, String> saved = l.profile();
    CliContext.Prompter prompter = ctx.prompter();
    String endpoint = l.explicit(client.endpoint, ClientOptions.ENV_ENDPOINT);
    if (endpoint == null) {
      String current = saved.getOrDefault(ProfileFile.ENDPOINT, ClientConfig.DEFAULT_ENDPOINT);
      endpoint = prompter.available() ? ask(prompter, "Endpoint", current) : current;
    }
    String key = l.explicit(client.accessKey, ClientOptions.ENV_ACCESS_KEY);
    if (key == null) {
      key = ask(requireConsole(prompter, "--access-key", ClientOptions.ENV_ACCESS_KEY), "Access key id",
          saved.get(ProfileFile.ACCESS_KEY));
    }
    String secret = l.explicit(client.secretKey, ClientOptions.ENV_SECRET_KEY);
    if (secret == null) {
      char[] typed = requireConsole(prompter, "--secret-key", ClientOptions.ENV_SECRET_KEY)
          .readPassword("Secret access key: ");
      secret = typed == null ? "" : new String(typed).strip();
    }
    if (key == null || key.isBlank() || secret.isEmpty()) {
      throw new CliException(Exit.USAGE, "an access key id and a secret access key are both needed");
    }
    ClientConfig config = new ClientConfig(ClientConfig.parseEndpoint(endpoint), key, secret, l.region(),
        l.caBundle(), l.profileName());
    JsonNode who = new ApiClient(config, ctx.clock()).get(AdminCommand.path("whoami"));
    save(l, config);
    JsonNode user = who.path("user");
    out.show(who, () -> out.line("Logged in to " + config.endpoint() + " as " + Views.text(user, "name")
        + " (" + Views.text(user, "role") + ")."));
    out.message("Saved profile '" + config.profile() + "' in " + l.file() + ".");
  }

  private static void save(ClientOptions.Lookup l, ClientConfig config) {
    Map<String, Map<String, String>> profiles = new LinkedHashMap<>(l.profiles());
    Map<String, String> section = new LinkedHashMap<>(l.profile());
    section.put(ProfileFile.ENDPOINT, config.endpoint().toString());
    section.put(ProfileFile.ACCESS_KEY, config.accessKey());
    section.put(ProfileFile.SECRET_KEY, config.secretKey());
    section.put(ProfileFile.REGION, config.region());
    Path ca = config.caBundle();
    if (ca == null) {
      section.remove(ProfileFile.CA_BUNDLE);
    } else {
      // Absolute: the profile is used from any working directory.
      section.put(ProfileFile.CA_BUNDLE, ca.toAbsolutePath().normalize().toString());
    }
    profiles.put(config.profile(), section);
    ProfileFile.write(l.file(), profiles);
  }

  private static CliContext.Prompter requireConsole(CliContext.Prompter prompter, String flag, String env) {
    if (!prompter.available()) {
      throw new CliException(Exit.USAGE, "no terminal to prompt on: pass " + flag + " or set " + env);
    }
    return prompter;
  }

  /** Asks for a value, offering {@code current} (kept when the answer is empty). */
  private static String ask(CliContext.Prompter prompter, String label, String current) {
    String answer = prompter.readLine(label + (current == null ? "" : " [" + current + "]") + ": ");
    return answer == null || answer.isBlank() ? current : answer.strip();
  }
}
