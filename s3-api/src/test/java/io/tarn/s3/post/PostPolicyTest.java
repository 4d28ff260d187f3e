package io.tarn.s3.post;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * POST policy documents (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html):
 * a table of (conditions, form) -> accepted or the exact S3 message; and the documents that are not
 * policies.
 */
class PostPolicyTest {
  private static final String BUCKET = "photos";
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  static String b64(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static PostPolicy policy(String conditions) {
    return PostPolicy.parse(b64("{\"expiration\": \"2026-12-07T12:00:00.000Z\", \"conditions\": [" + conditions + "]}"));
  }

  /** Form fields as pairs; names lower-cased as the handler keys them. */
  private static Map<String, String> form(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i].toLowerCase(java.util.Locale.ROOT), pairs[i + 1]);
    }
    return m;
  }

  /** conditions, form, expected: "ok" or the AccessDenied message after "Invalid according to Policy: ". */
  static Stream<Arguments> table() {
    String base = "{\"bucket\": \"photos\"}, ";
    return Stream.of(
        Arguments.of(base + "{\"key\": \"a.txt\"}", form("key", "a.txt"), "ok"),
        Arguments.of(base + "[\"eq\", \"$key\", \"a.txt\"]", form("key", "a.txt"), "ok"),
        Arguments.of(base + "[\"eq\", \"$key\", \"a.txt\"]", form("key", "b.txt"),
            "Policy Condition failed: [\"eq\", \"$key\", \"a.txt\"]"),
        // The object form is shown as S3 shows it: as the equivalent eq.
        Arguments.of(base + "{\"key\": \"a.txt\"}", form("key", "A.txt"), "Policy Condition failed: [\"eq\", \"$key\", \"a.txt\"]"),
        Arguments.of(base + "[\"starts-with\", \"$key\", \"user/eric/\"]", form("key", "user/eric/x"), "ok"),
        Arguments.of(base + "[\"starts-with\", \"$key\", \"user/eric/\"]", form("key", "user/bob/x"),
            "Policy Condition failed: [\"starts-with\", \"$key\", \"user/eric/\"]"),
        // An empty prefix allows anything, the empty value and a missing field included.
        Arguments.of(base + "[\"starts-with\", \"$key\", \"\"], [\"starts-with\", \"$Content-Type\", \"\"]",
            form("key", ""), "ok"),
        // A field a condition names that the form lacks fails anything but an empty prefix.
        Arguments.of(base + "{\"key\": \"k\"}, [\"eq\", \"$x-amz-meta-tag\", \"v\"]", form("key", "k"),
            "Policy Condition failed: [\"eq\", \"$x-amz-meta-tag\", \"v\"]"),
        // Field names in any case, operators too (s3-tests test_post_object_case_insensitive_condition_fields).
        Arguments.of("{\"bUcKeT\": \"photos\"}, [\"StArTs-WiTh\", \"$KeY\", \"foo\"], {\"AcL\": \"private\"}",
            form("kEy", "foo.txt", "aCl", "private"), "ok"),
        // Values are compared exactly.
        Arguments.of(base + "{\"key\": \"k\"}, {\"acl\": \"private\"}", form("key", "k", "acl", "Private"),
            "Policy Condition failed: [\"eq\", \"$acl\", \"private\"]"),
        // The bucket condition is the bucket posted to.
        Arguments.of("{\"bucket\": \"other\"}, {\"key\": \"k\"}", form("key", "k"),
            "Policy Condition failed: [\"eq\", \"$bucket\", \"other\"]"),
        // Every field must be covered, but the exempt ones.
        Arguments.of(base + "{\"key\": \"k\"}", form("key", "k", "x-amz-meta-a", "1", "Content-Type", "t"),
            "Extra input fields: x-amz-meta-a, content-type"),
        Arguments.of(base + "{\"key\": \"k\"}", form("key", "k", "policy", "p", "x-amz-signature", "s", "AWSAccessKeyId", "a",
            "signature", "s", "x-ignore-flash", "1", "file", "f"), "ok"),
        // A missing bucket condition leaves the bucket free, but not the fields.
        Arguments.of("[\"starts-with\", \"$key\", \"\"]", form("key", "k"), "ok"),
        // Several conditions on one field must all hold.
        Arguments.of(base + "[\"starts-with\", \"$key\", \"a/\"], [\"starts-with\", \"$key\", \"a/b/\"]",
            form("key", "a/c"), "Policy Condition failed: [\"starts-with\", \"$key\", \"a/b/\"]"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void conditions(String conditions, Map<String, String> fields, String expected) {
    PostPolicy p = policy(conditions);
    if (expected.equals("ok")) {
      p.check(fields, BUCKET);
      return;
    }
    S3Exception e = assertThrows(S3Exception.class, () -> p.check(fields, BUCKET));
    assertEquals("AccessDenied", e.error().code());
    assertEquals(403, e.error().httpStatus());
    assertEquals("Invalid according to Policy: " + expected, e.getMessage());
  }

  @Test
  void expiration() {
    PostPolicy p = PostPolicy.parse(b64("{\"expiration\": \"2026-12-06T12:00:00Z\", \"conditions\": []}"));
    p.checkNotExpired(NOW);
    S3Exception e = assertThrows(S3Exception.class, () -> p.checkNotExpired(NOW.plusMillis(1)));
    assertEquals("AccessDenied", e.error().code());
    assertEquals("Invalid according to Policy: Policy expired.", e.getMessage());
    assertEquals(Instant.parse("2007-12-01T12:00:00Z"),
        PostPolicy.parse(b64("{\"expiration\": \"2007-12-01T12:00:00.000Z\", \"conditions\": []}")).expiration());
  }

  @Test
  void contentLengthRange() {
    assertNull(policy("{\"key\": \"k\"}").contentLengthRange());
    assertEquals(new PostPolicy.Range(1048579, 10485760),
        policy("[\"content-length-range\", 1048579, 10485760]").contentLengthRange());
    assertEquals(new PostPolicy.Range(10, 100),
        policy("[\"content-length-range\", 0, 100], [\"content-length-range\", \"10\", \"200\"]").contentLengthRange());
    // A range names no field: it does not cover one, and is not checked against the form.
    policy("[\"content-length-range\", 0, 1]").check(form(), BUCKET);
  }

  static Stream<Arguments> notPolicies() {
    return Stream.of(
        Arguments.of("not base64 !!", "Invalid 'policy' field: not base64 encoded."),
        Arguments.of(b64("{\"expiration\": "), "Invalid JSON."),
        Arguments.of(b64("[1]"), "Invalid JSON."),
        Arguments.of(b64("{\"conditions\": []}"), "Policy missing expiration."),
        // Element names are case-sensitive (s3-tests test_post_object_expires_is_case_sensitive).
        Arguments.of(b64("{\"EXPIRATION\": \"2030-01-01T00:00:00Z\", \"conditions\": []}"), "Policy missing expiration."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"CONDITIONS\": []}"), "Policy missing conditions."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01 00:00:00\", \"conditions\": []}"),
            "Invalid 'expiration' value: '2030-01-01 00:00:00'"),
        Arguments.of(b64("{\"expiration\": 5, \"conditions\": []}"), "Invalid 'expiration' value: '5'"),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": {}}"),
            "Invalid 'conditions' value: must be a list."),
        // s3-tests test_post_object_empty_conditions.
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [{}]}"),
            "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [{\"a\": \"1\", \"b\": \"2\"}]}"),
            "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."),
        // A value must be a string, as S3 answers {"success_action_status": 201}.
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [{\"success_action_status\": 201}]}"),
            "Invalid Simple-Condition: value must be a string."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"eq\", \"$key\", 5]]}"),
            "Invalid Condition: expecting [\"eq\", \"$field\", \"value\"]."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"in\", \"$key\", \"a\"]]}"),
            "Invalid Condition: unknown operation 'in'."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"eq\", \"key\", \"a\"]]}"),
            "Invalid Condition: the field must be a '$' and a form field name: 'key'."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"eq\", \"$key\"]]}"),
            "Invalid Condition: expecting [\"eq\", \"$field\", \"value\"]."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [7]}"),
            "Invalid Condition: each condition must be an object or a list."),
        // s3-tests test_post_object_missing_content_length_argument and ..._invalid_content_length_argument.
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", 0]]}"),
            "Invalid content-length-range condition: expecting [\"content-length-range\", min, max]."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", -1, 0]]}"),
            "Invalid content-length-range condition: bounds must be whole numbers of bytes >= 0."),
        Arguments.of(b64("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", 5, 4]]}"),
            "Invalid content-length-range condition: min is greater than max."),
        Arguments.of(b64("[".repeat(5000) + "]".repeat(5000)), "Invalid JSON."));
  }

  @ParameterizedTest
  @MethodSource("notPolicies")
  void documentsThatAreNotPolicies(String base64, String message) {
    S3Exception e = assertThrows(S3Exception.class, () -> PostPolicy.parse(base64));
    assertEquals("InvalidPolicyDocument", e.error().code());
    assertEquals(400, e.error().httpStatus());
    assertEquals("Invalid Policy: " + message, e.getMessage());
  }
}
