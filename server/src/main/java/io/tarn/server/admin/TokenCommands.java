package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCommand.path;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tarn admin token ls|revoke}: personal API tokens (created with {@code POST
 * /_tarn/api/v1/tokens}), through the admin API's {@code /tokens}. Their values are never shown.
 */
@Command(name = "token", description = {"List and revoke personal API tokens: any user's (admin) or your own.",
    "Revoking a token also revokes the tokens created with it."})
final class TokenCommands implements Runnable {
  private static final String USER = "User name or id (default: the caller).";

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw AdminCommand.missingCommand(spec);
  }

  @Command(name = "ls", description = "List the API tokens of user NAME (admin) or your own.")
  int ls(@Parameters(paramLabel = "NAME", arity = "0..1", description = USER) String user,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode tokens = api.get(path("tokens"), user == null ? Map.of() : Map.of("user", user));
      out.show(tokens, () -> out.table(Views.tokens(tokens)));
    });
  }

  @Command(name = "revoke", description = "Revoke an API token, and the tokens created with it.")
  int revoke(@Parameters(paramLabel = "ID", description = "Token id (from 'token ls').") String id,
      @Option(names = "--user", paramLabel = "NAME", description = "Its user: " + USER) String user,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      api.delete(path("tokens", id), user == null ? Map.of() : Map.of("user", user));
      out.message("Revoked token " + id + ".");
    });
  }
}
