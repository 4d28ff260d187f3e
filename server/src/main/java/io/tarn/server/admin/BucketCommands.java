package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCommand.object;
import static io.tarn.server.admin.AdminCommand.path;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tarn admin bucket ls|show|chown|grant|revoke|rm}. */
@Command(name = "bucket", description = "Manage buckets: owners, grants, deletion.")
final class BucketCommands implements Runnable {
  private static final String BUCKET = "Bucket name.";
  private static final String USER = "User name or id.";

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw AdminCommand.missingCommand(spec);
  }

  @Command(name = "ls",
      description = "List the buckets you own or were granted (admins: all) with owner, object count and size.")
  int ls(@Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode buckets = api.get(path("buckets"));
      out.show(buckets, () -> out.table(Views.buckets(buckets)));
    });
  }

  @Command(name = "show", description = "Show a bucket.")
  int show(@Parameters(paramLabel = "B", description = BUCKET) String bucket, @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode b = api.get(path("buckets", bucket));
      out.show(b, () -> out.fields(Views.bucket(b)));
    });
  }

  @Command(name = "chown", description = "Give a bucket to another owner.")
  int chown(
      @Parameters(index = "0", paramLabel = "B", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "NAME", description = USER) String owner,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode b = api.patch(path("buckets", bucket), object().put("owner", owner));
      out.message("Bucket " + bucket + " now belongs to " + Views.text(b, "owner") + ".");
      out.show(b, () -> { });
    });
  }

  @Command(name = "grant", description = "Let a user read, or read and write, a bucket it does not own.")
  int grant(
      @Parameters(index = "0", paramLabel = "B", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "NAME", description = USER) String user,
      @Parameters(index = "2", paramLabel = "PERMISSION", converter = Choices.Permissions.class,
          completionCandidates = Choices.Permissions.class, description = "read or read-write.") String permission,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode b = api.put(path("buckets", bucket, "grants", user), object().put("permission", permission));
      out.message("Granted " + user + " " + permission + " on " + bucket + ".");
      out.show(b, () -> { });
    });
  }

  @Command(name = "revoke", description = "Remove a user's grant on a bucket.")
  int revoke(
      @Parameters(index = "0", paramLabel = "B", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "NAME", description = USER) String user,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode b = api.delete(path("buckets", bucket, "grants", user), Map.of());
      out.message("Revoked " + user + "'s access to " + bucket + ".");
      out.show(b, () -> { });
    });
  }

  @Command(name = "rm", description = {"Delete a bucket.",
      "A bucket that is not empty is refused (exit 7) unless --force, which first deletes its objects and "
          + "in-progress multipart uploads: that cannot be undone."})
  int rm(
      @Parameters(paramLabel = "B", description = BUCKET) String bucket,
      @Option(names = "--force", description = "Empty the bucket first.") boolean force,
      @Mixin ClientOptions client) {
    return client.run((api, out) -> {
      try {
        api.delete(path("buckets", bucket), force ? Map.of("force", "true") : Map.of());
      } catch (CliException e) {
        throw e.exit() == Exit.CONFLICT && !force
            ? new CliException(Exit.CONFLICT, e.getMessage() + ". To delete its objects too, add --force.")
            : e;
      }
      out.message("Deleted bucket " + bucket + (force ? " and everything in it." : "."));
    });
  }
}
