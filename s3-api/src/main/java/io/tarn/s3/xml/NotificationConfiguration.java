package io.tarn.s3.xml;

import java.util.List;
import java.util.Objects;

/**
 * GetBucketNotificationConfiguration response
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html):
 * each of the bucket's enabled webhook rules as a {@code QueueConfiguration} whose queue is the webhook's
 * ARN, so S3 tooling can list what a bucket notifies. Empty when the bucket has no webhooks, as S3
 * answers for a bucket without notifications. Elements are written in the order of the AWS
 * examples: Id, Queue, Event..., Filter.
 *
 * @param queues one per webhook rule
 */
public record NotificationConfiguration(List<QueueConfiguration> queues) implements XmlResponse {
  /** The queue ARN of a webhook is this and the rule id. */
  public static final String WEBHOOK_ARN_PREFIX = "arn:tarn:webhook:::";

  public NotificationConfiguration {
    queues = List.copyOf(queues);
  }

  /** A bucket without webhooks. */
  public NotificationConfiguration() {
    this(List.of());
  }

  /**
   * One webhook rule.
   *
   * @param id the rule id
   * @param events the S3 event names it delivers, {@code s3:} form, wildcards kept
   * @param prefix the key prefix filter, or null
   * @param suffix the key suffix filter, or null
   */
  public record QueueConfiguration(String id, List<String> events, String prefix, String suffix) {
    public QueueConfiguration {
      Objects.requireNonNull(id, "id");
      events = List.copyOf(events);
    }

    public String queueArn() {
      return WEBHOOK_ARN_PREFIX + id;
    }
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("NotificationConfiguration");
    for (QueueConfiguration q : queues) {
      w.start("QueueConfiguration").element("Id", q.id()).element("Queue", q.queueArn());
      q.events().forEach(e -> w.element("Event", e));
      if (q.prefix() != null || q.suffix() != null) {
        w.start("Filter").start("S3Key");
        filterRule(w, "prefix", q.prefix());
        filterRule(w, "suffix", q.suffix());
        w.end().end();
      }
      w.end();
    }
    return w.toBytes();
  }

  private static void filterRule(XmlWriter w, String name, String value) {
    if (value != null) {
      w.start("FilterRule").element("Name", name).element("Value", value).end();
    }
  }
}
