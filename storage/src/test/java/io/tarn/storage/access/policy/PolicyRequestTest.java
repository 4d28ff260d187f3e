package io.tarn.storage.access.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.core.Principal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The global keys every front end fills the same way (the S3 API and the console's live tail). */
class PolicyRequestTest {
  private static final Instant NOW = Instant.parse("2026-12-06T18:07:10.734Z");

  @Test
  void globalKeysOfAConnection() {
    Map<String, List<String>> keys = new HashMap<>();
    PolicyRequest.addGlobalKeys(keys, "fe80::1%eth0", true, NOW, null);
    assertEquals(Map.of(
        "aws:SourceIp", List.of("fe80::1"), // the zone is no part of the address
        "aws:SecureTransport", List.of("true"),
        "aws:CurrentTime", List.of("2026-12-06T18:07:10Z"), // whole seconds
        "aws:EpochTime", List.of(Long.toString(NOW.getEpochSecond()))), keys);
  }

  @Test
  void onlyTheWantedKeysAndNoAddressWhenUnknown() {
    Map<String, List<String>> keys = new HashMap<>();
    PolicyRequest.addGlobalKeys(keys, null, false, NOW, Set.of("aws:sourceip", "aws:securetransport"));
    assertEquals(Map.of("aws:SecureTransport", List.of("false")), keys);
    PolicyRequest.addGlobalKeys(keys, "192.0.2.7", false, NOW, Set.of("aws:epochtime"));
    assertEquals(Set.of("aws:SecureTransport", "aws:CurrentTime", "aws:EpochTime"), keys.keySet());
  }

  @Test
  void theEngineSeesThemLowerCasedWithTheCallersKeys() {
    Map<String, List<String>> keys = new HashMap<>();
    PolicyRequest.addGlobalKeys(keys, "192.0.2.7", false, NOW, null);
    PolicyRequest r = new PolicyRequest("s3:ListBucket", PolicyRequest.bucketArn("b"), Principal.anonymous(), keys);
    assertEquals("192.0.2.7", r.first("aws:sourceip"));
    assertEquals("Anonymous", r.first("aws:principaltype"));
  }
}
