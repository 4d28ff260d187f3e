package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCommand.object;
import static io.tarn.server.admin.AdminCommand.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarn admin key create|ls|disable|enable|rm|expire}. */
@Command(name = "key", description = "Manage access keys (a non-admin user may manage its own).")
final class KeyCommands implements Runnable {
  private static final String ID = "Access key id.";
  private static final String DURATION = "30d, 12h, 90m, 1w, 1d12h or ISO-8601 such as P30D";

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw AdminCommand.missingCommand(spec);
  }

  @Command(name = "create", description = {"Create an access key and print its secret, which is shown only once.",
      "With --json: an object with accessKeyId and secretAccessKey."})
  int create(
      @Parameters(paramLabel = "NAME", arity = "0..1", description = "User name or id (default: the caller).")
      String user,
      @Option(names = "--expires", paramLabel = "DURATION", converter = Expiry.DurationConverter.class,
          description = "Expire the key after this long: " + DURATION + " (default: never).")
      Duration expires,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      ObjectNode body = object();
      if (user != null) {
        body.put("user", user);
      }
      if (expires != null) {
        body.put("expires", new Expiry.After(expires).isoFrom(client.context().clock().instant()));
      }
      JsonNode key = api.post(path("keys"), body);
      out.show(key, () -> out.fields(Views.key(key)));
      out.message("Save the secret access key now: it is shown only this once and cannot be recovered.");
    });
  }

  @Command(name = "ls", description = "List access keys: of user NAME, or all (admin) or your own (non-admin).")
  int ls(@Parameters(paramLabel = "NAME", arity = "0..1", description = "User name or id.") String user,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode keys = api.get(path("keys"), user == null ? Map.of() : Map.of("user", user));
      out.show(keys, () -> out.table(Views.keys(keys)));
    });
  }

  @Command(name = "disable", description = "Disable an access key.")
  int disable(@Parameters(paramLabel = "ID", description = ID) String id, @Mixin ClientOptions client) {
    return update(id, object().put("enabled", false), "Disabled key " + id + ".", client);
  }

  @Command(name = "enable", description = "Enable a disabled access key.")
  int enable(@Parameters(paramLabel = "ID", description = ID) String id, @Mixin ClientOptions client) {
    return update(id, object().put("enabled", true), "Enabled key " + id + ".", client);
  }

  @Command(name = "expire", description = "Set when an access key expires, from now; 'never' removes the expiry.")
  int expire(
      @Parameters(index = "0", paramLabel = "ID", description = ID) String id,
      @Parameters(index = "1", paramLabel = "DURATION|never", converter = Expiry.Converter.class,
          description = DURATION + ", or never.") Expiry expiry,
      @Mixin ClientOptions client) {
    String iso = expiry.isoFrom(client.context().clock().instant());
    // A JSON null clears the expiry (the contract: absent = unchanged, null = never).
    ObjectNode body = iso == null ? object().putNull("expires") : object().put("expires", iso);
    return update(id, body, iso == null ? "Key " + id + " no longer expires." : "Key " + id + " expires at " + iso + ".",
        client);
  }

  private static int update(String id, ObjectNode body, String done, ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode key = api.patch(path("keys", id), body);
      out.message(done);
      out.show(key, () -> { });
    });
  }

  @Command(name = "rm", description = "Delete an access key.")
  int rm(@Parameters(paramLabel = "ID", description = ID) String id, @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      api.delete(path("keys", id), Collections.emptyMap());
      out.message("Deleted key " + id + ".");
    });
  }
}
