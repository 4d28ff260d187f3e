package io.tarn.server.admin;

import static io.tarn.server.admin.AdminCommand.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.server.bench.ByteSize;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tarn admin scrub}: verifies every blob now and reports, through the admin API's
 * {@code /scrub} (started with POST, then polled: a pass can outlast any one HTTP exchange); with
 * {@code --recorded}, lists the damage on record ({@code /damage}) without scrubbing. Exits with
 * {@link Exit#FINDINGS} when damage is found, so a cron job or a monitoring check can alert on it.
 */
@Command(name = "scrub", description = {"Verify every stored blob against its checksums now and report damaged or",
    "missing ones (exit code 8 when there are any). --recorded lists the damage on",
    "record (found by reads and scrubs) without scrubbing."})
final class ScrubCommands implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--bucket", paramLabel = "NAME", description = "Only this bucket's objects and uploads.")
  String bucket;

  @Option(names = "--rate", paramLabel = "SIZE", converter = ByteSize.Converter.class, defaultValue = "0",
      description = "Read at most SIZE bytes per second (e.g. 64MiB); default 0: as fast as the disk goes.")
  ByteSize rate;

  @Option(names = "--recorded", description = "List the damage on record instead of scrubbing.")
  boolean recorded;

  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    return client.run((api, out) -> {
      if (recorded) {
        JsonNode damage = api.get(path("damage"));
        out.show(damage, () -> {
          out.line("Detections since the server started: " + Views.text(damage, "detectionsSinceStart"));
          out.table(damagedTable(damage.path("damaged")));
        });
        failOnDamage(damage.path("damaged").size());
        return;
      }
      Map<String, String> query = new LinkedHashMap<>();
      if (bucket != null) {
        query.put("bucket", bucket);
      }
      query.put("rate", Long.toString(rate.bytes()));
      JsonNode job = api.send("POST", path("scrub"), query, null);
      long id = job.path("id").asLong();
      if (bucket != null && !bucket.equals(job.path("bucket").asText(null))) {
        out.message("A scrub started earlier is still running; waiting for it instead.");
      }
      long pollMillis = 200;
      while (job.path("state").asText().equals("running")) {
        sleep(pollMillis);
        pollMillis = Math.min(2000, pollMillis * 2);
        job = api.get(path("scrub"));
        if (job.path("id").asLong() != id) {
          throw new CliException(Exit.ERROR, "the scrub being waited for was replaced (the server restarted?)");
        }
      }
      if (job.path("state").asText().equals("failed")) {
        throw new CliException(Exit.ERROR, "the scrub failed: " + job.path("error").asText());
      }
      JsonNode result = job.path("result");
      JsonNode done = job;
      out.show(done, () -> {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Bucket", done.path("bucket").asText("(all)"));
        f.put("Objects", Views.text(result, "objects"));
        f.put("Upload parts", Views.text(result, "uploadParts"));
        f.put("Blobs verified", Views.text(result, "blobs"));
        f.put("Bytes verified", Views.bytes(result.path("bytes").asLong()) + " (" + Views.text(result, "bytes") + ")");
        f.put("Inline objects", Views.text(result, "inline"));
        f.put("Took", String.format(java.util.Locale.ROOT, "%.1f s", result.path("tookMillis").asLong() / 1000.0));
        f.put("Damaged", Long.toString(count(result.path("damaged"), "corrupt")));
        f.put("Missing", Long.toString(count(result.path("damaged"), "missing")));
        out.fields(f);
        if (result.path("damaged").size() > 0) {
          out.table(damagedTable(result.path("damaged")));
        }
      });
      failOnDamage(result.path("damaged").size());
    });
  }

  private static long count(JsonNode list, String problem) {
    long n = 0;
    for (JsonNode d : list) {
      if (problem.equals(d.path("problem").asText())) {
        n++;
      }
    }
    return n;
  }

  private static void failOnDamage(int n) {
    if (n > 0) {
      throw new CliException(Exit.FINDINGS, n + " damaged or missing blob" + (n == 1 ? "" : "s")
          + ": restore them from a backup (Tarn never deletes or moves them), then scrub again");
    }
  }

  private static Table damagedTable(JsonNode list) {
    Table t = new Table("PROBLEM", "BUCKET", "KEY", "PART", "UPLOAD", "BLOB", "FOUND BY", "DETECTED", "DETAIL");
    for (JsonNode d : list) {
      t.row(Views.text(d, "problem"), Views.text(d, "bucket"), Views.text(d, "key"),
          d.path("part").asInt() == 0 ? "-" : Views.text(d, "part"), Views.text(d, "uploadId"), Views.text(d, "blobId"),
          Views.text(d, "foundBy"), Views.text(d, "detected"), Views.text(d, "detail"));
    }
    return t;
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
