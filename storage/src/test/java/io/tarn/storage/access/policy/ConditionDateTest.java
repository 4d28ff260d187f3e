package io.tarn.storage.access.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Date values as Date conditions read them: the hand-read form of the request's aws:CurrentTime
 * ({@code yyyy-MM-ddTHH:mm:ssZ}) gives what the general ISO 8601 parser gives, and text that is not a
 * valid date of that form is left to the general parsers, which refuse what they always refused.
 */
class ConditionDateTest {
  @Test
  void theCanonicalUtcFormReadsAsTheIsoParserReadsIt() {
    for (String t : List.of("2026-12-06T15:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
        "2000-01-01T12:34:56Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z")) {
      assertEquals(OffsetDateTime.parse(t).toInstant(), Condition.date(t), t);
    }
  }

  @Test
  void otherFormsAndInvalidDatesGoToTheGeneralParsers() {
    assertEquals(Instant.parse("2026-12-06T14:00:00Z"), Condition.date("2026-12-06T15:00:00+01:00"));
    assertEquals(Instant.parse("2026-12-06T15:00:00.500Z"), Condition.date("2026-12-06T15:00:00.500Z"));
    assertEquals(Instant.parse("2026-12-06T00:00:00Z"), Condition.date("2026-12-06"));
    assertEquals(Instant.ofEpochSecond(1_765_000_000L), Condition.date("1765000000"));
    for (String bad : List.of("2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-12-06T24:00:00Z", "2026-12-06T23:60:00Z", "2026-12-06T23:59:60Z", "2026-1a-06T00:00:00Z",
        "2026-12-06 15:00:00Z", "yesterday")) {
      assertNull(Condition.date(bad), bad);
    }
  }
}
