package io.tarn.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.s3.xml.NotificationConfiguration.QueueConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET ?notification} documents against their golden files. */
class NotificationConfigurationTest {
  /** The rules of {@code notification-configuration-webhooks.xml}. */
  static final List<QueueConfiguration> RULES = List.of(
      new QueueConfiguration("5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c",
          List.of("s3:ObjectCreated:Put", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
              "s3:ObjectRemoved:Delete"), "images/cats & dogs/", ".jpg"),
      new QueueConfiguration("0a1b2c3d-0000-4000-8000-000000000002",
          List.of("s3:ObjectCreated:CompleteMultipartUpload"), null, ".tar.gz"));

  private static String xml(NotificationConfiguration c) {
    return new String(c.toXml(), StandardCharsets.UTF_8);
  }

  @Test
  void everyRuleIsAQueueConfigurationWithItsFilters() {
    assertEquals(Golden.document("notification-configuration-webhooks.xml"), xml(new NotificationConfiguration(RULES)));
  }

  @Test
  void noRulesIsAnEmptyConfiguration() {
    assertEquals(Golden.document("notification-configuration.xml"), xml(new NotificationConfiguration()));
    assertEquals(Golden.document("notification-configuration.xml"), xml(new NotificationConfiguration(List.of())));
  }

  @Test
  void theQueueIsTheWebhooksArn() {
    assertEquals("arn:tarn:webhook:::abc", new QueueConfiguration("abc", List.of(), null, null).queueArn());
  }
}
