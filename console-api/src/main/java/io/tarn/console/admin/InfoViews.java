package io.tarn.console.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tarn.notifications.RuleFigures;
import io.tarn.notifications.RuleStats;
import java.util.Comparator;
import java.util.List;

/** The webhook and error parts of {@code GET /info}: what an operator looks at when deliveries lag. */
final class InfoViews {
  /** Most rules listed under {@code backlogByRule}: the worst ones; the total is in {@code backlog}. */
  static final int MAX_BACKLOG_RULES = 20;
  /** Most receivers listed under {@code slowestReceivers}. */
  static final int MAX_SLOWEST = 5;

  private InfoViews() {}

  /**
   * @param backlog deliveries waiting over all rules
   * @param rules how many rules the server has
   * @param backlogByRule rules with deliveries waiting, most waiting first
   * @param slowestReceivers rules by their p99 from commit to 2xx over recent deliveries, slowest first
   */
  record Webhooks(long backlog, int rules, List<RuleLine> backlogByRule, List<RuleLine> slowestReceivers) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record RuleLine(String bucket, String ruleId, String url, boolean enabled, long pending, long deadLettered,
      Long latencyP50Millis, Long latencyP99Millis, String lastFailure) {}

  record Error(String time, String source, String message) {}

  static Webhooks webhooks(long backlog, List<RuleFigures> all) {
    List<RuleLine> waiting = all.stream().filter(f -> f.stats().pending() > 0)
        .sorted(Comparator.comparingLong((RuleFigures f) -> f.stats().pending()).reversed())
        .limit(MAX_BACKLOG_RULES).map(InfoViews::line).toList();
    List<RuleLine> slowest = all.stream().filter(f -> f.stats().latencyP99Millis() != null)
        .sorted(Comparator.comparingLong((RuleFigures f) -> f.stats().latencyP99Millis()).reversed())
        .limit(MAX_SLOWEST).map(InfoViews::line).toList();
    return new Webhooks(backlog, all.size(), waiting, slowest);
  }

  static List<Error> errors(RecentErrors errors) {
    return errors.list().stream().map(e -> new Error(Times.format(e.time()), e.source(), e.message())).toList();
  }

  private static RuleLine line(RuleFigures f) {
    RuleStats s = f.stats();
    return new RuleLine(f.bucket(), f.ruleId(), f.url(), f.enabled(), s.pending(), s.deadLettered(),
        s.latencyP50Millis(), s.latencyP99Millis(), Times.format(s.lastFailure()));
  }
}
