package io.tarn.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.server.admin.CliException;
import io.tarn.server.admin.Exit;
import io.tarn.server.admin.Output;

/** How {@code tarn webhooks tail} prints the messages of a live tail (docs/console-api.md, "Live events"). */
final class LiveLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveLines() {}

  static void print(Output out, String kind, String data) {
    JsonNode d;
    try {
      d = JSON.readTree(data);
    } catch (java.io.IOException e) {
      throw new CliException(Exit.ERROR, "the server sent a live event that is not JSON: " + e.getMessage());
    }
    if (out.json()) {
      ObjectNode line = JSON.createObjectNode().put("type", kind);
      d.fields().forEachRemaining(f -> line.set(f.getKey(), f.getValue()));
      out.line(line.toString());
      return;
    }
    switch (kind) {
      case "ready" -> out.message("Following " + d.path("bucket").asText() + " (Ctrl-C to stop).");
      case "event" -> {
        StringBuilder rules = new StringBuilder();
        d.path("rules").forEach(r -> rules.append(rules.length() == 0 ? "" : ",").append(r.path("id").asText()));
        out.line(d.path("time").asText() + "  " + d.path("event").asText() + "  " + d.path("key").asText()
            + "  " + d.path("size").asLong() + " B" + (rules.length() == 0 ? "" : "  webhooks: " + rules));
      }
      case "delivery" -> out.line("  -> webhook " + d.path("rule").asText() + ": " + d.path("outcome").asText()
          + (d.has("status") ? " " + d.path("status").asInt() : "") + " in " + d.path("latencyMillis").asLong()
          + " ms, attempt " + d.path("attempt").asInt() + (d.has("error") ? " (" + d.path("error").asText() + ")" : "")
          + "  " + d.path("key").asText());
      case "skipped" -> out.message(d.path("skipped").asLong() + " events skipped: this client did not keep up.");
      case "end" -> out.message("The server ended the tail: " + d.path("reason").asText() + ".");
      default -> { } // a kind this client does not know: a later server's, ignored
    }
  }
}
