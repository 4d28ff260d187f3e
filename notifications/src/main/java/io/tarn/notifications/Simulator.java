package io.tarn.notifications;

import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.core.RequestContext;
import io.tarn.notifications.payload.Payloads;
import io.tarn.notifications.payload.Signatures;
import io.tarn.notifications.queue.DeliveryRecord;
import io.tarn.notifications.rules.EventPattern;
import io.tarn.notifications.rules.Format;
import io.tarn.notifications.rules.Rule;
import io.tarn.storage.ObjectMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule simulator: what each rule of a bucket would send for a mutation, built by the same code
 * as real deliveries ({@link Rule#deliveredName}, {@link Payloads}, {@link Signatures#headers}), so
 * the answer cannot drift from what receivers get. Only the values a real commit decides differ: the
 * sequencer (and so the delivery id), the time, the request id, the ETag.
 */
final class Simulator {
  /**
   * The sequencer of a simulated event. Real ones come from a persisted counter at commit; this one
   * sorts before every real one and says by its shape that it is not real.
   */
  static final String SEQUENCER = MutationEvent.sequencer(0);
  /** The ETag of a simulated write: the real one is the MD5 of bytes nobody has sent yet. */
  static final String ETAG = "00000000000000000000000000000000";

  private final Payloads payloads;

  Simulator(Payloads payloads) {
    this.payloads = payloads;
  }

  /**
   * @param ownerId the bucket owner's canonical id, as the commit would write it
   * @param ctx the simulating request: its id, caller and address stand for the writer's
   */
  List<SimulatedRule> simulate(List<Rule> rules, String bucket, String ownerId, Simulation sim, RequestContext ctx,
      Instant now) {
    if (sim.event() == EventName.TEST_EVENT || !sim.event().emitted()) {
      throw new WebhookException(WebhookException.Kind.INVALID, "event",
          "the server never emits " + sim.event().qualifiedName() + ": nothing to simulate");
    }
    if (sim.size() < 0) {
      throw new WebhookException(WebhookException.Kind.INVALID, "size", "size must be 0 or more");
    }
    boolean removal = Payloads.isRemoval(sim.event());
    // As StoreContext.stageEvent builds a committed mutation's event (removals: size 0, no ETag or type).
    MutationEvent event = new MutationEvent(bucket, sim.key(), null, sim.event(), removal ? 0 : sim.size(),
        removal ? null : ETAG,
        removal ? null : sim.contentType() == null ? ObjectMetadata.DEFAULT_CONTENT_TYPE : sim.contentType(),
        SEQUENCER, now, ctx == null ? null : ctx.requestId(),
        ctx == null || ctx.principal() == null ? null : ctx.principal().userId(), ctx == null ? null : ctx.sourceIp(),
        sim.replacesExisting(), ownerId);
    Payloads.S3Body s3 = null;
    List<SimulatedRule> out = new ArrayList<>();
    for (Rule rule : rules) {
      List<SimulatedRule.Reason> reasons = reasons(rule, event);
      String name = rule.deliveredName(event);
      if (name == null) {
        out.add(new SimulatedRule(rule.idString(), rule.url().toString(), rule.enabled(), rule.format().wire(),
            rule.signature().wire(), rule.secret() != null, false, reasons, null, null, null, null));
        continue;
      }
      // The same calls as Notifications.stageEvent (body) and Dispatcher.send (headers).
      byte[] body;
      if (rule.format() == Format.S3) {
        if (s3 == null) {
          s3 = payloads.s3(event, ownerId == null ? "" : ownerId);
        }
        body = s3.forRule(rule.idString());
      } else {
        body = payloads.compact(event, name);
      }
      String deliveryId = DeliveryRecord.id(SEQUENCER, rule.id());
      // X-Tarn-Event is the rule's name for the event, as EventPayload.eventName gives the dispatcher.
      Map<String, String> headers = Signatures.headers(rule.signature(), rule.secret(), deliveryId, name, body, now);
      out.add(new SimulatedRule(rule.idString(), rule.url().toString(), rule.enabled(), rule.format().wire(),
          rule.signature().wire(), rule.secret() != null, true, List.of(), name, deliveryId, headers,
          new String(body, StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** Every check the rule fails for {@code e}, in the order a reader checks a rule: enabled, filters, events. */
  private static List<SimulatedRule.Reason> reasons(Rule rule, MutationEvent e) {
    List<SimulatedRule.Reason> out = new ArrayList<>();
    if (!rule.enabled()) {
      out.add(new SimulatedRule.Reason("disabled", "the rule is disabled"));
    }
    if (rule.prefix() != null && !e.key().startsWith(rule.prefix())) {
      out.add(new SimulatedRule.Reason("prefix", "the key does not start with \"" + rule.prefix() + "\""
          + " (compared case-sensitively)"));
    }
    if (rule.suffix() != null && !e.key().endsWith(rule.suffix())) {
      out.add(new SimulatedRule.Reason("suffix", "the key does not end with \"" + rule.suffix() + "\""
          + " (compared case-sensitively)"));
    }
    if (EventPattern.deliveredName(rule.events(), e.eventName(), e.replacedExisting()) == null) {
      List<String> names = rule.events().stream().map(EventPattern::text).toList();
      out.add(new SimulatedRule.Reason("event", e.eventName().qualifiedName()
          + (e.eventName().family().equals("ObjectCreated")
              ? (e.replacedExisting() ? " replacing an existing object" : " of a new key") : "")
          + " is not among the rule's events " + String.join(", ", names)));
    }
    return out;
  }
}
