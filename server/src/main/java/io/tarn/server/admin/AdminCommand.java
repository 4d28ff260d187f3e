package io.tarn.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.storage.DataMode;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * {@code tarn admin}: administers a Tarn server over its admin JSON API
 * ({@code /_tarn/admin/v1}, contract in /work/briefs/admin-api.md). The command shapes are fixed
 * by issue #3; the exit codes are listed in every command's help, scripts rely on them.
 */
// Lines of at most 78 chars: picocli would wrap a longer one inside a URL or path.
@Command(name = "admin", scope = ScopeType.INHERIT, sortOptions = false,
    description = {
        "Administer a Tarn server: users, access keys, API tokens, buckets, scrubs,",
        "online backups;",
        "check (fsck) or rebuild (rebuild-index) the index of a stopped one.",
        "Each command connects to --endpoint (default http://127.0.0.1:9000) with",
        "--access-key and --secret-key. Each of these options, when not given,",
        "comes from its environment variable (TARN_ENDPOINT, TARN_ACCESS_KEY...),",
        "else from the profile saved by 'tarn admin login'."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:other error",
        "2:usage error (bad arguments, missing credentials)",
        "3:cannot reach the endpoint (refused, unknown host, TLS failure, timeout, not a Tarn admin API)",
        "4:authentication failed (unknown access key, wrong secret, clock skew)",
        "5:permission denied (this needs an admin key)",
        "6:not found",
        "7:conflict (e.g. a user still owns buckets, a bucket is not empty)",
        "8:fsck found inconsistencies between the index and the blob files, scrub damaged or missing blobs,",
        "  or a backup failed its verification"},
    subcommands = {UserCommands.class, KeyCommands.class, TokenCommands.class, BucketCommands.class, ScrubCommands.class,
        BackupCommand.class, LoginCommand.class})
public final class AdminCommand extends ClientCommand {
  /** For {@code tarn}: the real environment. */
  public AdminCommand() {
    this(null);
  }

  /** With an injected environment, home, clock and console (tests); null means {@link CliContext#system()}. */
  public AdminCommand(CliContext context) {
    super(context);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: try 'tarn admin --help'.");
  }

  @Command(name = "info", description = {"Show the server's version, uptime, disk and totals, the webhook",
      "backlog by rule, the slowest receivers and the recent errors."})
  int info(@Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode info = api.get(path("info"));
      out.show(info, () -> {
        out.fields(Views.info(info));
        InfoSections.print(info, out);
      });
    });
  }

  @Command(name = "whoami", description = "Show the user and access key the credentials belong to.")
  int whoami(@Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode who = api.get(path("whoami"));
      out.show(who, () -> out.fields(Views.whoami(who)));
    });
  }

  @Command(name = "fsck", description = {
      "Check the index against the blob files (offline, server stopped).",
      "Both ways, on the data directory of a stopped server: every object's blob",
      "files exist, intact, of the right size and describing that object; every",
      "blob file is referenced; every bucket's object and byte counters equal",
      "its records. Changes nothing unless --repair. Exit 8 if anything is found."})
  int fsck(@Option(names = "--data", paramLabel = "DIR", required = true, description = "The data directory.")
      Path data,
      @Option(names = "--repair", description = "Set the buckets' object and byte counters from their records"
          + " (the only repair fsck makes; blob files and records are never changed).")
      boolean repair) {
    return IndexCommands.fsck(data, repair, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  @Command(name = "rebuild-index", description = {
      "Rebuild a lost index from the blob files (offline, server stopped).",
      "Moves an existing meta/ aside to meta.broken-<time>/ and never deletes a",
      "blob file. Users, keys, tokens and grants come back from",
      "<data>/identity.mirror; webhook rules, uploads in progress and inline",
      "objects are not in the blobs and are lost; the report lists them."})
  int rebuildIndex(@Option(names = "--data", paramLabel = "DIR", required = true, description = "The data directory.")
      Path data,
      @Option(names = "--data-mode", paramLabel = "private|group", defaultValue = "private",
          description = "The mode of the new meta/, as the server's --data-mode (default ${DEFAULT-VALUE}).")
      String dataMode) {
    DataMode mode;
    try {
      mode = DataMode.parse(dataMode);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return IndexCommands.rebuild(data, mode, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** An admin API path: {@code /_tarn/admin/v1/seg/…}, segments encoded. */
  static String path(String... segments) {
    return ApiClient.path(ApiClient.ADMIN_PREFIX, segments);
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** For the groups ({@code user}, {@code key}, {@code token}, {@code bucket}) invoked without a command. */
  static ParameterException missingCommand(CommandSpec group) {
    return new ParameterException(group.commandLine(), "Missing command: one of "
        + String.join(", ", group.subcommands().keySet()) + " (try 'tarn admin " + group.name() + " --help').");
  }
}
