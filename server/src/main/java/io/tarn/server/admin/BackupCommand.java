package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCommand.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tarn admin backup DIR}: an online backup of the running server's store into DIR, a path on
 * the server's machine, through the admin API's {@code /backup} (started with POST, then polled: a
 * backup can outlast any one HTTP exchange). Progress goes to stderr, the report to stdout; a backup
 * whose verification found problems exits with {@link Exit#FINDINGS}.
 */
@Command(name = "backup", description = {"Back up the running server's store, online, into DIR: a directory on",
    "the SERVER's machine (absolute, new or empty, outside the data directory).",
    "Index checkpoint + blob files hard-linked (same file system) or copied,",
    "the master key and credentials, then verified. Restore: tarn server",
    "--data DIR (or a copy of it). Exit 8 if the verification finds problems."})
final class BackupCommand implements java.util.concurrent.Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "Where the backup goes, on the server's machine.")
  String dir;

  @Option(names = "--verify", paramLabel = "quick|full", defaultValue = "quick",
      description = "quick: every object's files there, intact trailer, right size; full: also every block"
          + " read and checked against its checksum (default ${DEFAULT-VALUE}).")
  String verify;

  @Option(names = "--copy", description = "Copy blob files even where they could be hard-linked.")
  boolean copy;

  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    return client.run((api, out) -> {
      String mode = verify.toLowerCase(Locale.ROOT);
      if (!mode.equals("quick") && !mode.equals("full")) {
        throw new CliException(Exit.USAGE, "--verify must be quick or full, not '" + verify + "'");
      }
      if (!Path.of(dir).isAbsolute()) {
        // The server resolves nothing against the caller's working directory: say so before asking.
        throw new CliException(Exit.USAGE, "DIR must be an absolute path on the server's machine, not '" + dir + "'");
      }
      ObjectNode body = AdminCommand.object().put("dir", dir).put("verify", mode).put("copy", copy);
      JsonNode job = api.send("POST", path("backup"), Map.of(), body);
      long id = job.path("id").asLong();
      String shown = "";
      long pollMillis = 200;
      while (job.path("state").asText().equals("running")) {
        sleep(pollMillis);
        pollMillis = Math.min(2000, pollMillis * 2);
        job = api.get(path("backup"));
        if (job.path("id").asLong() != id) {
          throw new CliException(Exit.ERROR, "the backup being waited for was replaced (the server restarted?)");
        }
        String line = progress(job.path("progress"));
        if (!line.equals(shown) && !out.json()) {
          out.message(line);
          shown = line;
        }
      }
      JsonNode result = job.path("result");
      JsonNode done = job;
      if (result.isMissingNode() || result.isNull()) {
        throw new CliException(Exit.ERROR, "the backup failed: " + job.path("error").asText()
            + " (what it wrote so far is in " + dir + ": delete it)");
      }
      out.show(done, () -> {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Backup", result.path("dir").asText() + " (on the server's machine)");
        f.put("Objects", Views.text(result, "objects") + " (" + Views.bytes(result.path("objectBytes").asLong())
            + ", " + Views.text(result, "inlineObjects") + " inline), " + Views.text(result, "buckets") + " buckets");
        f.put("Blob files", Views.text(result, "blobFiles") + ", " + Views.bytes(result.path("blobBytes").asLong())
            + ", " + Views.text(result, "blobs"));
        f.put("Index", Views.bytes(result.path("indexBytes").asLong()) + " (checkpoint in "
            + result.path("checkpointMillis").asLong() + " ms)");
        f.put("Other files", files(result.path("files")));
        f.put("Verified", done.path("verify").asText() + (result.path("verifiedBlobs").asLong() > 0
            ? ", " + Views.text(result, "verifiedBlobs") + " blob files read whole ("
                + Views.bytes(result.path("verifiedBytes").asLong()) + ")" : ""));
        f.put("Problems", Integer.toString(result.path("problems").size()));
        f.put("Took", String.format(Locale.ROOT, "%.1f s", result.path("tookMillis").asLong() / 1000.0));
        out.fields(f);
        if (result.path("problems").size() > 0) {
          Table t = new Table("PROBLEM", "BLOB", "DETAIL");
          for (JsonNode p : result.path("problems")) {
            t.row(Views.text(p, "kind"), Views.text(p, "blobId"), Views.text(p, "detail"));
          }
          out.table(t);
        } else {
          out.line("The backup holds the master key and credentials: keep it private. Restore with"
              + " tarn server --data " + result.path("dir").asText() + " (or a copy of it).");
        }
      });
      if (job.path("state").asText().equals("failed")) {
        throw new CliException(Exit.FINDINGS, "the backup in " + dir + " failed its verification ("
            + result.path("problems").size() + " problems): do not rely on it");
      }
    });
  }

  private static String files(JsonNode list) {
    java.util.List<String> names = new java.util.ArrayList<>();
    list.forEach(n -> names.add(n.asText()));
    return names.isEmpty() ? "-" : String.join(", ", names);
  }

  private static String progress(JsonNode p) {
    String phase = p.path("phase").asText();
    long total = p.path("total").asLong();
    return switch (phase) {
      case "blobs" -> "linking or copying blob files: " + p.path("done").asLong() + (total > 0 ? " of " + total : "")
          + " (" + Views.bytes(p.path("bytes").asLong()) + ")";
      case "verify" -> "verifying" + (total > 0 ? ": " + p.path("done").asLong() + " of " + total + " blob files" : "");
      case "files" -> "copying the data directory's files";
      default -> "taking a checkpoint of the index";
    };
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.ERROR, "interrupted");
    }
  }
}
