package io.tarn.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.server.admin.Output;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** How {@code tarn webhooks simulate} shows the simulator's answer to a person. */
final class Simulations {
  private Simulations() {}

  static void print(JsonNode answer, Output out) {
    JsonNode rules = answer.path("rules");
    if (rules.isEmpty()) {
      out.line("The bucket has no webhooks.");
      return;
    }
    for (JsonNode r : rules) {
      String head = "Webhook " + Views.text(r, "ruleId") + " -> " + Views.text(r, "url");
      if (!r.path("matched").asBoolean()) {
        out.line(head + ": no match");
        for (JsonNode reason : r.path("reasons")) {
          out.line("  - " + Views.text(reason, "check") + ": " + Views.text(reason, "message"));
        }
        out.line("");
        continue;
      }
      out.line(head + ": matches, as " + Views.text(r, "eventName") + " (" + Views.text(r, "format") + " body, "
          + Views.text(r, "signature") + " signature" + (r.path("signed").asBoolean() ? "" : ", no secret: unsigned")
          + ")");
      out.line("Headers:");
      for (Iterator<Map.Entry<String, JsonNode>> h = r.path("headers").fields(); h.hasNext(); ) {
        Map.Entry<String, JsonNode> e = h.next();
        out.line("  " + e.getKey() + ": " + e.getValue().asText());
      }
      out.line("Body:");
      out.line(Views.text(r, "body"));
      out.line("Replay:");
      out.line(Views.text(r, "curl"));
      out.line("");
    }
    List<String> placeholders = new ArrayList<>();
    answer.path("placeholders").forEach(p -> placeholders.add(p.asText()));
    out.line("Stand-ins for what a real commit decides: " + String.join(", ", placeholders) + ".");
  }
}
