package io.tarn.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        "Administer a Tarn server: users, access keys, API tokens, buckets, scrubs.",
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
        "8:scrub found damaged or missing blobs"},
    subcommands = {UserCommands.class, KeyCommands.class, TokenCommands.class, BucketCommands.class, ScrubCommands.class,
        LoginCommand.class})
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

  @Command(name = "info", description = "Show the server's version, uptime, disk and totals.")
  int info(@Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode info = api.get(path("info"));
      out.show(info, () -> out.fields(Views.info(info)));
    });
  }

  @Command(name = "whoami", description = "Show the user and access key the credentials belong to.")
  int whoami(@Mixin ClientOptions client) {
    return client.run((api, out) -> {
      JsonNode who = api.get(path("whoami"));
      out.show(who, () -> out.fields(Views.whoami(who)));
    });
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
