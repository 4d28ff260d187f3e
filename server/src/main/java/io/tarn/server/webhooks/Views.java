package io.tarn.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.server.admin.Output;
import io.tarn.server.admin.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The human-readable forms of the webhooks API's objects: tables for lists, aligned fields for one
 * object. Absent fields print as {@code -} rather than failing, so a newer server with a changed
 * shape still gives readable output; {@code --json} prints the server's JSON unchanged.
 */
final class Views {
  private Views() {}

  static Table rules(JsonNode list) {
    Table t = new Table("ID", "STATUS", "EVENTS", "FILTER", "FORMAT", "URL");
    for (JsonNode r : list.path("webhooks")) {
      t.row(text(r, "id"), r.path("enabled").asBoolean(true) ? "enabled" : "disabled", join(r.path("events")),
          filter(r), text(r, "format"), text(r, "url"));
    }
    return t;
  }

  /** {@code prefix*suffix}, {@code prefix*}, {@code *suffix}, or {@code -} for every key. */
  static String filter(JsonNode r) {
    String prefix = r.path("prefix").isTextual() ? r.path("prefix").asText() : "";
    String suffix = r.path("suffix").isTextual() ? r.path("suffix").asText() : "";
    return prefix.isEmpty() && suffix.isEmpty() ? "-" : prefix + "*" + suffix;
  }

  static Table deliveries(JsonNode list) {
    Table t = new Table("TIME", "ATTEMPT", "EVENT", "KEY", "OUTCOME", "STATUS", "LATENCY", "ERROR").alignRight(1, 5, 6);
    for (JsonNode d : list) {
      t.row(text(d, "time"), attempt(d), text(d, "eventName"), text(d, "key"), text(d, "outcome"),
          text(d, "statusCode"), millis(d.path("latencyMillis")), text(d, "error"));
    }
    return t;
  }

  static Table deadLetters(JsonNode list) {
    Table t = new Table("DELIVERY ID", "WEBHOOK", "TIME", "EVENT", "KEY", "ATTEMPTS", "REASON").alignRight(5);
    for (JsonNode d : list) {
      t.row(text(d, "deliveryId"), text(d, "ruleId"), text(d, "time"), text(d, "eventName"), text(d, "key"),
          text(d, "attempt"), d.path("error").isTextual() ? d.path("error").asText() : text(d, "outcome"));
    }
    return t;
  }

  /** An attempt's number: "2", or "2 (redelivery 1)" after a user's first redelivery restarted the attempts. */
  private static String attempt(JsonNode d) {
    int redelivery = d.path("redelivery").asInt(0);
    return text(d, "attempt") + (redelivery > 0 ? " (redelivery " + redelivery + ")" : "");
  }

  /** The attempt inspector in text: the delivery, its body as sent, then each attempt, newest first. */
  static void inspect(JsonNode d, Output out) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Delivery", text(d, "deliveryId"));
    f.put("Webhook", text(d, "ruleId"));
    f.put("State", text(d, "state"));
    f.put("Next attempt", text(d, "nextDue"));
    f.put("Body bytes", text(d, "bodyBytes"));
    out.fields(f);
    out.line("");
    out.line("Body as sent:");
    out.line(d.path("body").isTextual() ? d.path("body").asText()
        : d.path("bodyBase64").isTextual() ? "(base64) " + d.path("bodyBase64").asText() : "(no longer kept)");
    for (JsonNode a : d.path("attempts")) {
      JsonNode row = a.path("attempt");
      out.line("");
      out.line("Attempt " + attempt(row) + " at " + text(row, "time") + ": " + text(row, "outcome")
          + ", status " + text(row, "statusCode") + ", " + millis(row.path("latencyMillis"))
          + (row.path("error").isTextual() ? ", " + row.path("error").asText() : "")
          + (a.path("nextRetry").isTextual() ? "; next retry " + a.path("nextRetry").asText() : ""));
      if (!a.path("detailed").asBoolean()) {
        out.line("  (logged before headers and bodies were kept)");
        continue;
      }
      out.line("  Request headers:");
      headers(a.path("requestHeaders"), out);
      out.line("  Response headers:");
      headers(a.path("responseHeaders"), out);
      out.line("  Response body (first 4 KiB):");
      out.line("    " + (a.path("responseBody").isTextual() ? a.path("responseBody").asText() : "-"));
    }
  }

  private static void headers(JsonNode map, Output out) {
    map.fields().forEachRemaining(e -> out.line("    " + e.getKey() + ": " + e.getValue().asText()));
  }

  static Map<String, String> stats(JsonNode s) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Webhook", text(s, "ruleId"));
    f.put("Pending", text(s, "pending"));
    f.put("Delivered", text(s, "delivered"));
    f.put("Failed attempts", text(s, "failedAttempts"));
    f.put("Dead letters", text(s, "deadLettered") + " (queue full: " + text(s, "queueFull") + ")");
    f.put("Last success", text(s, "lastSuccess"));
    f.put("Last failure", text(s, "lastFailure"));
    f.put("Failing since", text(s, "failingSince"));
    f.put("Latency p50", millis(s.path("latencyP50Millis")));
    f.put("Latency p99", millis(s.path("latencyP99Millis")));
    return f;
  }

  /** A synchronous test's outcome: its fields, then the response's headers and body as received. */
  static void testOutcome(JsonNode t, Output out) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Delivery", text(t, "deliveryId"));
    f.put("Outcome", text(t, "outcome"));
    f.put("Status", text(t, "statusCode"));
    f.put("Latency", millis(t.path("latencyMillis")));
    if (t.path("error").isTextual()) {
      f.put("Error", t.path("error").asText());
    }
    out.fields(f);
    if (t.path("headers").size() > 0) {
      out.line("");
      t.path("headers").forEach(h -> out.line(text(h, "name") + ": " + text(h, "value")));
    }
    if (t.path("body").isTextual() && !t.path("body").asText().isEmpty()) {
      out.line("");
      out.line(t.path("body").asText());
    }
  }

  static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(r -> out.add(text(r, "id")));
    return out;
  }

  private static String millis(JsonNode n) {
    return n.canConvertToLong() ? n.asLong() + " ms" : "-";
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out.isEmpty() ? "-" : String.join(",", out);
  }

  /** A scalar field as text, {@code -} when absent or null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() || v.isContainerNode() ? "-" : v.asText();
  }
}
