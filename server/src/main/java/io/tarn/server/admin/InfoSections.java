package io.tarn.server.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of {@code tarn admin info} below its figures: the webhook rules with a backlog, the
 * slowest receivers (p99 from commit to 2xx) and the server's recent errors, as {@code GET /info}
 * gives them.
 */
final class InfoSections {
  private InfoSections() {}

  static void print(JsonNode info, Output out) {
    JsonNode webhooks = info.path("webhooks");
    if (webhooks.isObject()) {
      if (!webhooks.path("backlogByRule").isEmpty()) {
        out.line("");
        out.line("Webhook backlog by rule:");
        out.table(rules(webhooks.path("backlogByRule")));
      }
      if (!webhooks.path("slowestReceivers").isEmpty()) {
        out.line("");
        out.line("Slowest receivers (time from commit to 2xx, recent deliveries):");
        out.table(rules(webhooks.path("slowestReceivers")));
      }
    }
    JsonNode errors = info.path("recentErrors");
    if (errors.isMissingNode()) {
      return; // a server that does not report them: "none" would be a claim it never made
    }
    out.line("");
    if (errors.isEmpty()) {
      out.line("Recent errors: none since the server started.");
      return;
    }
    out.line("Recent errors (newest first):");
    Table t = new Table("TIME", "SOURCE", "MESSAGE");
    errors.forEach(e -> t.row(Views.text(e, "time"), Views.text(e, "source"), Views.text(e, "message")));
    out.table(t);
  }

  private static Table rules(JsonNode lines) {
    Table t = new Table("BUCKET", "RULE", "URL", "PENDING", "DEAD", "P50", "P99").alignRight(3, 4, 5, 6);
    lines.forEach(r -> t.row(Views.text(r, "bucket"), Views.text(r, "ruleId"), Views.text(r, "url"),
        Views.text(r, "pending"), Views.text(r, "deadLettered"), millis(r.path("latencyP50Millis")),
        millis(r.path("latencyP99Millis"))));
    return t;
  }

  private static String millis(JsonNode n) {
    return n.canConvertToLong() && !n.isNull() ? n.asLong() + " ms" : "-";
  }
}
