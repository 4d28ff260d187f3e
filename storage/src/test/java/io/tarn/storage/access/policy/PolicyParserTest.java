package io.tarn.storage.access.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed policies are refused with the message S3's MalformedPolicy gives; valid ones keep their
 * text byte for byte.
 */
class PolicyParserTest {
  static final String B = "photos";
  static final String OK_STMT = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
      + "\"Resource\":\"arn:aws:s3:::photos/*\"}";

  /** A one-statement policy: the good statement with {@code field} set to {@code json} (null removes it). */
  static String with(String field, String json) {
    String principal = "\"Principal\":\"*\"";
    String action = "\"Action\":\"s3:GetObject\"";
    String resource = "\"Resource\":\"arn:aws:s3:::photos/*\"";
    String effect = "\"Effect\":\"Allow\"";
    StringBuilder b = new StringBuilder("{");
    for (String[] f : new String[][] {{"Effect", effect}, {"Principal", principal}, {"Action", action},
        {"Resource", resource}}) {
      if (!f[0].equals(field)) {
        b.append(f[1]).append(',');
      }
    }
    if (json != null) {
      b.append('"').append(field).append("\":").append(json).append(',');
    }
    b.setLength(b.length() - 1);
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + b + "}]}";
  }

  static Arguments bad(String policy, String message) {
    return Arguments.of(policy, message);
  }

  static Stream<Arguments> malformed() {
    String deep = "[".repeat(100) + "\"x\"" + "]".repeat(100);
    return Stream.of(
        // ---- document
        bad("", "Policies must be valid JSON and the first byte must be '{'"),
        bad("[" + OK_STMT + "]", "Policies must be valid JSON and the first byte must be '{'"),
        bad("{\"Statement\":[" + OK_STMT + "]", "Invalid policy syntax."),
        bad("{\"Statement\":[" + OK_STMT + "]} x", "Invalid policy syntax."),
        bad("{'Statement':[]}", "Invalid policy syntax."),
        bad("{\"Statement\":[" + OK_STMT + ",]}", "Invalid policy syntax."),
        bad("{\"Version\":\"2012-10-17\",\"Version\":\"2012-10-17\",\"Statement\":[" + OK_STMT + "]}",
            "Invalid policy syntax: duplicate field Version"),
        bad(with("Condition", "{\"StringEquals\":{\"s3:prefix\":" + deep + "}}"), "Invalid policy syntax."),
        bad("{\"Version\":\"2012-10-17\"}", "Missing required field Statement"),
        bad("{\"Version\":\"2012-10-17\",\"Statement\":[]}", "Could not parse the policy: Statement is empty!"),
        bad("{\"Version\":\"2012-10-17\",\"Statement\":[\"x\"]}", "Invalid policy syntax."),
        bad("{\"Version\":\"2012-10-17\",\"Foo\":1,\"Statement\":[" + OK_STMT + "]}", "Unknown field Foo"),
        bad("{\"Version\":\"2020-01-01\",\"Statement\":[" + OK_STMT + "]}", "Invalid Version 2020-01-01"),
        bad("{\"Id\":7,\"Statement\":[" + OK_STMT + "]}", "Invalid policy syntax: Id must be a string"),
        bad("{\"Statement\":[{\"Sid\":\"a\"," + OK_STMT.substring(1) + ",{\"Sid\":\"a\"," + OK_STMT.substring(1) + "]}",
            "Statement IDs (SID) in a single policy must be unique."),
        // ---- statement fields
        bad(with("Principals", "\"*\""), "Unknown field Principals"),
        bad(with("Effect", null), "Missing required field Effect"),
        bad(with("Effect", "\"allow\""), "Invalid effect: allow"),
        bad(with("Principal", null), "Missing required field Principal"),
        bad(with("Action", null), "Missing required field Action"),
        bad(with("Resource", null), "Missing required field Resource"),
        bad(with("NotAction", "\"s3:PutObject\""), "Invalid policy syntax: a statement has either Action or NotAction"),
        // ---- principals
        bad(with("Principal", "\"alice\""), "Invalid principal in policy"),
        bad(with("Principal", "{}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"AWS\":\"arn:aws:iam::123456789012:user/alice\"}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"AWS\":\"arn:aws:iam:::user/*\"}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"AWS\":\"arn:aws:iam:::user/bad name\"}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"AWS\":[]}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"AWS\":[7]}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"CanonicalUser\":\"abc\"}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"Federated\":\"cognito-identity.amazonaws.com\"}"), "Invalid principal in policy"),
        bad(with("Principal", "{\"Service\":\"*\"}"), "Invalid principal in policy"),
        bad("{\"Statement\":{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam:::user/alice\"},"
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"}}",
            "Invalid policy syntax: NotPrincipal is supported only with Effect Deny"),
        // ---- actions
        bad(with("Action", "\"ec2:RunInstances\""), "Policy has invalid action"),
        bad(with("Action", "\"s3:GetObjekt\""), "Policy has invalid action"),
        bad(with("Action", "\"GetObject\""), "Policy has invalid action"),
        bad(with("Action", "\"s3:Frobnicate*\""), "Policy has invalid action"),
        bad(with("Action", "[\"s3:GetObject\",\"iam:*\"]"), "Policy has invalid action"),
        bad(with("Action", "[]"), "Policy has invalid action"),
        bad(with("Action", "{\"a\":1}"), "Policy has invalid action"),
        // ---- resources
        bad(with("Resource", "\"arn:aws:s3:::other/*\""), "Policy has invalid resource"),
        bad(with("Resource", "\"arn:aws:s3:::photosx/*\""), "Policy has invalid resource"),
        bad(with("Resource", "\"arn:aws:s3:::photo*\""), "Policy has invalid resource"),
        bad(with("Resource", "\"arn:aws:s3:::*\""), "Policy has invalid resource"),
        bad(with("Resource", "\"*\""), "Policy has invalid resource"),
        bad(with("Resource", "\"photos/*\""), "Policy has invalid resource"),
        bad(with("Resource", "[\"arn:aws:s3:::photos/*\",\"arn:aws:s3:::other/*\"]"), "Policy has invalid resource"),
        bad("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\"}}", "Action does not apply to any resource(s) in statement"),
        bad("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
            + "\"Resource\":\"arn:aws:s3:::photos\"}}", "Action does not apply to any resource(s) in statement"),
        bad("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListAllMyBuckets\","
            + "\"Resource\":[\"arn:aws:s3:::photos\",\"arn:aws:s3:::photos/*\"]}}",
            "Action does not apply to any resource(s) in statement"),
        // ---- conditions
        bad(with("Condition", "\"x\""), "Invalid policy syntax: Condition must be an object"),
        bad(with("Condition", "{}"), "Invalid policy syntax: Condition must be an object"),
        bad(with("Condition", "{\"StringEquals\":\"x\"}"), "Invalid policy syntax: condition StringEquals must be an object"),
        bad(with("Condition", "{\"StringEqualz\":{\"s3:prefix\":\"x\"}}"),
            "Policy has an invalid condition operator: StringEqualz"),
        bad(with("Condition", "{\"NullIfExists\":{\"s3:prefix\":\"true\"}}"),
            "Policy has an invalid condition operator: NullIfExists"),
        bad(with("Condition", "{\"ForSomeValues:StringEquals\":{\"s3:prefix\":\"x\"}}"),
            "Policy has an invalid condition operator: ForSomeValues:StringEquals"),
        bad(with("Condition", "{\"StringEquals\":{\"ec2:Vpc\":\"x\"}}"), "Policy has an invalid condition key"),
        bad(with("Condition", "{\"StringEquals\":{\"s3:\":\"x\"}}"), "Policy has an invalid condition key"),
        bad(with("Condition", "{\"StringEquals\":{\"s3:prefix\":[]}}"),
            "Invalid policy syntax: condition StringEquals has no value"),
        bad(with("Condition", "{\"StringEquals\":{\"s3:prefix\":{\"a\":\"b\"}}}"),
            "Invalid policy syntax: condition StringEquals has an invalid value"),
        bad(with("Condition", "{\"StringEquals\":{\"s3:prefix\":null}}"),
            "Invalid policy syntax: condition StringEquals has an invalid value"),
        bad(with("Condition", "{\"NumericLessThan\":{\"s3:max-keys\":\"ten\"}}"),
            "Invalid value for condition operator NumericLessThan: ten"),
        bad(with("Condition", "{\"DateLessThan\":{\"aws:CurrentTime\":\"yesterday\"}}"),
            "Invalid value for condition operator DateLessThan: yesterday"),
        bad(with("Condition", "{\"IpAddress\":{\"aws:SourceIp\":\"300.1.1.1\"}}"),
            "Invalid value for condition operator IpAddress: 300.1.1.1"),
        bad(with("Condition", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}"),
            "Invalid value for condition operator IpAddress: 10.0.0.0/33"),
        bad(with("Condition", "{\"NotIpAddress\":{\"aws:SourceIp\":\"localhost\"}}"),
            "Invalid value for condition operator NotIpAddress: localhost"),
        bad(with("Condition", "{\"IpAddress\":{\"aws:SourceIp\":\".:1\"}}"),
            "Invalid value for condition operator IpAddress: .:1"),
        bad(with("Condition", "{\"IpAddress\":{\"aws:SourceIp\":\"1:2\"}}"),
            "Invalid value for condition operator IpAddress: 1:2"),
        bad(with("Condition", "{\"IpAddress\":{\"aws:SourceIp\":\"fe80::1%eth0\"}}"),
            "Invalid value for condition operator IpAddress: fe80::1%eth0"),
        bad(with("Condition", "{\"Bool\":{\"aws:SecureTransport\":\"yes\"}}"),
            "Invalid value for condition operator Bool: yes"),
        bad(with("Condition", "{\"Null\":{\"s3:prefix\":\"maybe\"}}"), "Invalid value for condition operator Null: maybe"),
        bad(with("Condition", "{\"BinaryEquals\":{\"s3:prefix\":\"***\"}}"),
            "Invalid value for condition operator BinaryEquals: ***"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("malformed")
  void refusesWithS3sMessage(String policy, String message) {
    MalformedPolicyException e = assertThrows(MalformedPolicyException.class, () -> BucketPolicy.parse(policy, B));
    assertEquals(message, e.getMessage());
  }

  @Test
  void theSizeLimitIs20KiBOfUtf8() throws Exception {
    String head = "{\"Id\":\"";
    String tail = "\",\"Statement\":" + OK_STMT + "}";
    int room = PolicyParser.MAX_BYTES - head.length() - tail.length();
    String exact = head + "x".repeat(room) + tail;
    assertEquals(PolicyParser.MAX_BYTES, exact.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(exact, BucketPolicy.parse(exact, B).text());

    String over = head + "x".repeat(room + 1) + tail;
    assertEquals("Policy exceeds the maximum allowed document size.",
        assertThrows(MalformedPolicyException.class, () -> BucketPolicy.parse(over, B)).getMessage());
    // Counted in bytes, not characters: "é" is two bytes.
    String overInBytes = head + "é".repeat(room / 2 + 1) + tail;
    assertThrows(MalformedPolicyException.class, () -> BucketPolicy.parse(overInBytes, B));
  }

  @Test
  void keepsTheTextAsPut() throws Exception {
    String text = "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\": \"p1\",\n  \"Statement\": [ " + OK_STMT + " ]\n}\n";
    BucketPolicy p = BucketPolicy.parse(text, B);
    assertSame(text, p.text());
    assertEquals("2012-10-17", p.version());
    assertEquals("p1", p.id());
    assertEquals(1, p.statementCount());
    assertEquals(B, p.bucket());
  }

  @Test
  void acceptsWhatAwsAccepts() throws Exception {
    // Actions Tarn does not serve, NotPrincipal, a Service principal, JSON escapes, both versions, every
    // operator family and qualifier.
    String text = "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Sid\":\"1\",\"Effect\":\"Deny\","
        + "\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam:::user/alice\"],\"CanonicalUser\":\"" + "ab".repeat(32) + "\"},"
        + "\"Action\":[\"s3:PutReplicationConfiguration\",\"s3:RestoreObject\",\"s3:*Tagging\"],"
        + "\"Resource\":[\"arn:aws:s3:::photos\",\"arn:aws:s3:::photos/\\u0061*\"],"
        + "\"Condition\":{\"ForAllValues:StringLikeIfExists\":{\"s3:RequestObjectTagKeys\":[\"a\",\"b\"]},"
        + "\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00.000Z\"},\"NumericEquals\":{\"s3:max-keys\":-1.5e2},"
        + "\"IpAddress\":{\"aws:SourceIp\":[\"::1\",\"10.0.0.0/8\"]},\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::*\"}}},"
        + "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},\"Action\":\"s3:PutObject\","
        + "\"Resource\":\"arn:aws:s3:::photos/logs/*\"}]}";
    BucketPolicy p = BucketPolicy.parse(text, B);
    assertEquals(2, p.statementCount());
    assertEquals(Set.of("alice"), p.userNames());
    assertEquals(Set.of("ab".repeat(32)), p.canonicalIds());
  }

  @Test
  void aHostileWildcardCostsLinearTime() throws Exception {
    String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
        + "\"Resource\":\"arn:aws:s3:::photos/" + "*a".repeat(200) + "b\"}}";
    BucketPolicy p = BucketPolicy.parse(policy, B);
    PolicyRequest r = PolicyRequest.of("s3:GetObject", PolicyRequest.objectArn(B, "a".repeat(1024)),
        io.tarn.core.Principal.anonymous(), java.util.Map.of());
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals(Decision.NONE, p.evaluate(r)));
  }
}
