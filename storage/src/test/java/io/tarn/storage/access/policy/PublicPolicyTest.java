package io.tarn.storage.access.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S3's meaning of a public policy (PolicyStatus.IsPublic, BlockPublicPolicy): a grant to everyone that
 * no condition pins to fixed values of the keys that limit who calls
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 */
class PublicPolicyTest {
  static String allow(String principal, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
        + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\""
        + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  static Arguments row(String name, String policy, boolean expected) {
    return Arguments.of(name, policy, expected);
  }

  static Stream<Arguments> table() {
    String user = "{\"AWS\":\"arn:aws:iam:::user/alice\"}";
    return Stream.of(
        row("* without a condition", allow("\"*\"", null), true),
        row("{AWS:*} without a condition", allow("{\"AWS\":\"*\"}", null), true),
        row("a named user", allow(user, null), false),
        row("a canonical id", allow("{\"CanonicalUser\":\"" + "a".repeat(64) + "\"}", null), false),
        row("a user and *: the * makes it public", allow("{\"AWS\":[\"arn:aws:iam:::user/alice\",\"*\"]}", null),
            true),
        row("a Deny to * is not a grant", "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
            + "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/*\"}]}", false),
        row("aws:SourceIp /24", allow("\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"), false),
        row("aws:SourceIp /8 is narrow enough", allow("\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"),
            false),
        row("aws:SourceIp /7 is too wide", allow("\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/7\"}}"), true),
        row("aws:SourceIp 0.0.0.0/0", allow("\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}"), true),
        row("aws:SourceIp: one wide block among narrow ones", allow("\"*\"",
            "{\"IpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"0.0.0.0/1\"]}}"), true),
        row("aws:SourceIp IPv6 /32", allow("\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}"), false),
        row("aws:SourceIp IPv6 /16", allow("\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"2001::/16\"}}"), true),
        row("NotIpAddress excludes a few: public", allow("\"*\"",
            "{\"NotIpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"), true),
        row("IpAddressIfExists holds without the key: public", allow("\"*\"",
            "{\"IpAddressIfExists\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"), true),
        row("a fixed aws:SourceArn", allow("\"*\"", "{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:s3:::logs\"}}"),
            false),
        row("a wildcard aws:SourceArn", allow("\"*\"", "{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::*\"}}"), true),
        row("a fixed aws:SourceAccount", allow("\"*\"",
            "{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}"), false),
        row("a fixed aws:SourceVpce, key in any case", allow("\"*\"",
            "{\"StringEquals\":{\"AWS:SOURCEVPCE\":\"vpce-1a2b3c4d\"}}"), false),
        row("aws:SourceVpce IfExists", allow("\"*\"",
            "{\"StringEqualsIfExists\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"), true),
        row("a fixed aws:PrincipalOrgID", allow("\"*\"",
            "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"), false),
        row("a fixed aws:userid", allow("\"*\"", "{\"StringEquals\":{\"aws:userid\":\"" + "a".repeat(64) + "\"}}"),
            false),
        row("aws:userid with a policy variable", allow("\"*\"",
            "{\"StringEquals\":{\"aws:userid\":\"${aws:username}\"}}"), true),
        row("aws:userid StringNotEquals", allow("\"*\"",
            "{\"StringNotEquals\":{\"aws:userid\":\"" + "a".repeat(64) + "\"}}"), true),
        row("a key that does not limit the caller (s3:x-amz-acl)", allow("\"*\"",
            "{\"StringEquals\":{\"s3:x-amz-acl\":\"private\"}}"), true),
        row("aws:Referer limits nothing (the client sets it)", allow("\"*\"",
            "{\"StringLike\":{\"aws:Referer\":\"https://example.com/*\"}}"), true),
        row("one public statement among private ones makes the policy public", "{\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":" + user + ",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/*\"},"
            + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::photos\"}]}",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void isPublic(String name, String policy, boolean expected) throws Exception {
    assertEquals(expected, BucketPolicy.parse(policy, "photos").isPublic(), policy);
  }
}
