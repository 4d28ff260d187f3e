package io.tarn.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.server.admin.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The paging options of the listings ({@code --limit}, {@code --after}), as a picocli mixin. */
final class Paging {
  @Option(names = "--limit", paramLabel = "N", description = "At most N entries (1 to 1000; default 100).")
  Integer limit;

  @Option(names = "--after", paramLabel = "CURSOR", description = "The page after CURSOR (printed by the previous page).")
  String after;

  /** The query: {@code rule} first when given, then the paging parameters that were set. */
  Map<String, String> query(String rule) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("rule", rule);
    q.put("after", after);
    q.put("limit", limit == null ? null : limit.toString());
    return q;
  }

  /** Tells (on stderr, so a pipe never sees it) how to get the next page, if there is one. */
  void more(JsonNode page, Output out) {
    JsonNode next = page.path("next");
    if (next.isTextual() && !out.json()) {
      out.message("More entries: add --after " + next.asText());
    }
  }
}
