package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCommand.object;
import static io.tarn.server.admin.AdminCommand.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarn admin user add|ls|show|set|disable|enable|rm}. */
@Command(name = "user", description = "Manage users.")
final class UserCommands implements Runnable {
  private static final String NAME = "User name or id.";
  private static final String EMAIL = "The user's e-mail address: S3 ACL grants by e-mail address (x-amz-grant-*: "
      + "emailAddress=..., s3cmd --acl-grant=read:ADDR) resolve to the user with it. Unique, compared case-insensitively.";

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw AdminCommand.missingCommand(spec);
  }

  @Command(name = "add", description = "Create a user (it has no access key until 'tarn admin key create NAME').")
  int add(
      @Parameters(paramLabel = "NAME", description = "1 to 64 of A-Z a-z 0-9 . _ @ + -") String name,
      @Option(names = "--role", paramLabel = "ROLE", defaultValue = "user", converter = Choices.Roles.class,
          completionCandidates = Choices.Roles.class, description = "admin or user (default: ${DEFAULT-VALUE}).")
      String role,
      @Option(names = "--email", paramLabel = "ADDR", description = EMAIL) String email,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      ObjectNode body = object().put("name", name).put("role", role);
      if (email != null) {
        body.put("email", email);
      }
      JsonNode user = api.post(path("users"), body);
      out.message("Created " + role + " " + Views.text(user, "name") + ".");
      out.show(user, () -> out.fields(Views.user(user)));
    });
  }

  @Command(name = "ls", description = "List users.")
  int ls(@Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode users = api.get(path("users"));
      out.show(users, () -> out.table(Views.users(users)));
    });
  }

  @Command(name = "show", description = "Show a user.")
  int show(@Parameters(paramLabel = "NAME", description = NAME) String name, @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode user = api.get(path("users", name));
      out.show(user, () -> out.fields(Views.user(user)));
    });
  }

  @Command(name = "set", description = {"Change a user's e-mail address: --email ADDR sets it, --no-email removes it."})
  int set(
      @Parameters(paramLabel = "NAME", description = NAME) String name,
      @Option(names = "--email", paramLabel = "ADDR", description = EMAIL) String email,
      @Option(names = "--no-email", description = "Remove the user's e-mail address.") boolean noEmail,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      if ((email == null) == !noEmail) {
        throw new CliException(Exit.USAGE, "give either --email ADDR or --no-email");
      }
      JsonNode user = api.patch(path("users", name), noEmail ? object().putNull("email") : object().put("email", email));
      out.message(noEmail ? "Removed the e-mail address of user " + Views.text(user, "name") + "."
          : "Set the e-mail address of user " + Views.text(user, "name") + " to " + Views.text(user, "email") + ".");
      out.show(user, () -> out.fields(Views.user(user)));
    });
  }

  @Command(name = "disable", description = "Disable a user: none of its keys works until it is enabled again.")
  int disable(@Parameters(paramLabel = "NAME", description = NAME) String name, @Mixin ClientOptions client) {
    return setEnabled(name, false, client);
  }

  @Command(name = "enable", description = "Enable a disabled user.")
  int enable(@Parameters(paramLabel = "NAME", description = NAME) String name, @Mixin ClientOptions client) {
    return setEnabled(name, true, client);
  }

  private static int setEnabled(String name, boolean enabled, ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode user = api.patch(path("users", name), object().put("enabled", enabled));
      out.message((enabled ? "Enabled" : "Disabled") + " user " + Views.text(user, "name") + ".");
      out.show(user, () -> { });
    });
  }

  @Command(name = "rm", description = {"Delete a user with its access keys and grants.",
      "A user who owns buckets is refused (exit 7) unless --reassign-to names their new owner."})
  int rm(
      @Parameters(paramLabel = "NAME", description = NAME) String name,
      @Option(names = "--reassign-to", paramLabel = "NAME2", description = "Give the user's buckets to this user.")
      String reassignTo,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      try {
        api.delete(path("users", name), reassignTo == null ? Map.of() : Map.of("reassignTo", reassignTo));
      } catch (CliException e) {
        throw e.exit() == Exit.CONFLICT && reassignTo == null
            ? new CliException(Exit.CONFLICT, e.getMessage() + ". To keep the buckets, add --reassign-to NAME2.")
            : e;
      }
      out.message("Deleted user " + name + (reassignTo == null ? "." : "; its buckets now belong to " + reassignTo + "."));
    });
  }
}
