package io.tarn.storage.access.policy;

import static io.tarn.storage.access.policy.Decision.ALLOW;
import static io.tarn.storage.access.policy.Decision.DENY;
import static io.tarn.storage.access.policy.Decision.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.core.Principal;
import io.tarn.core.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's decision table: (policy, request) → decision, for every operator, IfExists, the set
 * qualifiers, Null, NotPrincipal/NotAction/NotResource, policy variables and the evaluation order.
 * Each row names what it shows; the expectations follow AWS's documentation of the policy language
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 */
class PolicyEvaluationTest {
  static final String BUCKET = "photos";
  static final String ALICE_ID = "a".repeat(64);
  static final Principal ALICE = new Principal(ALICE_ID, "alice", "AKALICE", Role.USER);
  static final Principal BOB = new Principal("b".repeat(64), "bob", "AKBOB", Role.USER);
  static final Principal ADMIN = new Principal("c".repeat(64), "root", "AKROOT", Role.ADMIN);
  static final Principal ANON = Principal.anonymous();

  /** A request: action, object key (null = the bucket), caller, then key/value pairs. */
  static PolicyRequest req(String action, String key, Principal caller, String... kv) {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      keys.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
    }
    String resource = key == null ? PolicyRequest.bucketArn(BUCKET) : PolicyRequest.objectArn(BUCKET, key);
    return new PolicyRequest(action, resource, caller, keys);
  }

  static PolicyRequest get(Principal caller, String... kv) {
    return req("s3:GetObject", "k", caller, kv);
  }

  /** An Allow statement for everyone on GetObject of every object, with this Condition block. */
  static String allowIf(String condition) {
    return "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\","
        + "\"Condition\":" + condition + "}";
  }

  static String stmt(String effect, String principal, String action, String resource) {
    return "{\"Effect\":\"" + effect + "\",\"Principal\":" + principal + ",\"Action\":" + action + ",\"Resource\":"
        + resource + "}";
  }

  static String policy(String version, String... statements) {
    return "{" + (version == null ? "" : "\"Version\":\"" + version + "\",") + "\"Statement\":["
        + String.join(",", statements) + "]}";
  }

  static Arguments row(String name, String statement, PolicyRequest request, Decision expected) {
    return Arguments.of(name, policy("2012-10-17", statement), request, expected);
  }

  static Arguments rowP(String name, String policy, PolicyRequest request, Decision expected) {
    return Arguments.of(name, policy, request, expected);
  }

  static final String ALL_OBJECTS = "\"arn:aws:s3:::photos/*\"";
  static final String GET = "\"s3:GetObject\"";

  static Stream<Arguments> table() {
    String aliceArn = "{\"AWS\":\"arn:aws:iam:::user/alice\"}";
    return Stream.of(
        // ---- principals
        row("* names the anonymous caller", stmt("Allow", "\"*\"", GET, ALL_OBJECTS), get(ANON), ALLOW),
        row("{AWS:*} names the anonymous caller", stmt("Allow", "{\"AWS\":\"*\"}", GET, ALL_OBJECTS), get(ANON), ALLOW),
        row("* names a user", stmt("Allow", "\"*\"", GET, ALL_OBJECTS), get(BOB), ALLOW),
        row("a user ARN names that user", stmt("Allow", aliceArn, GET, ALL_OBJECTS), get(ALICE), ALLOW),
        row("a user ARN names no other user", stmt("Allow", aliceArn, GET, ALL_OBJECTS), get(BOB), NONE),
        row("a user ARN never names the anonymous caller", stmt("Allow",
            "{\"AWS\":\"arn:aws:iam:::user/anonymous\"}", GET, ALL_OBJECTS), get(ANON), NONE),
        row("a list of user ARNs", stmt("Allow", "{\"AWS\":[\"arn:aws:iam:::user/x\",\"arn:aws:iam:::user/bob\"]}",
            GET, ALL_OBJECTS), get(BOB), ALLOW),
        row("a canonical id names its user, any case", stmt("Allow",
            "{\"CanonicalUser\":\"" + ALICE_ID.toUpperCase() + "\"}", GET, ALL_OBJECTS), get(ALICE), ALLOW),
        row("a canonical id names no other user", stmt("Allow", "{\"CanonicalUser\":\"" + ALICE_ID + "\"}", GET,
            ALL_OBJECTS), get(BOB), NONE),
        row("a Service principal names no Tarn caller", stmt("Allow",
            "{\"Service\":\"logging.s3.amazonaws.com\"}", GET, ALL_OBJECTS), get(ALICE), NONE),
        row("NotPrincipal: everyone but alice is denied (bob)", "{\"Effect\":\"Deny\",\"NotPrincipal\":" + aliceArn
            + ",\"Action\":\"s3:*\",\"Resource\":" + ALL_OBJECTS + "}", get(BOB), DENY),
        row("NotPrincipal: everyone but alice is denied (anonymous)", "{\"Effect\":\"Deny\",\"NotPrincipal\":"
            + aliceArn + ",\"Action\":\"s3:*\",\"Resource\":" + ALL_OBJECTS + "}", get(ANON), DENY),
        row("NotPrincipal: alice is not denied", "{\"Effect\":\"Deny\",\"NotPrincipal\":" + aliceArn
            + ",\"Action\":\"s3:*\",\"Resource\":" + ALL_OBJECTS + "}", get(ALICE), NONE),
        // ---- actions
        row("an action wildcard", stmt("Allow", "\"*\"", "\"s3:Get*\"", ALL_OBJECTS), get(ANON), ALLOW),
        row("an action wildcard names only what it matches", stmt("Allow", "\"*\"", "\"s3:Get*\"", ALL_OBJECTS),
            req("s3:PutObject", "k", ANON), NONE),
        row("action names are case-insensitive", stmt("Allow", "\"*\"", "\"S3:getobject\"", ALL_OBJECTS), get(ANON),
            ALLOW),
        row("? in an action is one character", stmt("Allow", "\"*\"", "\"s3:?etObject\"", ALL_OBJECTS), get(ANON),
            ALLOW),
        row("* is every action", stmt("Allow", "\"*\"", "\"*\"", ALL_OBJECTS), req("s3:DeleteObject", "k", ANON),
            ALLOW),
        row("NotAction: any other action applies", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":"
            + "\"s3:DeleteObject\",\"Resource\":" + ALL_OBJECTS + "}", get(ANON), ALLOW),
        row("NotAction: the named action does not", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":"
            + "\"s3:DeleteObject\",\"Resource\":" + ALL_OBJECTS + "}", req("s3:DeleteObject", "k", ANON), NONE),
        // ---- resources
        row("a prefix resource", stmt("Allow", "\"*\"", GET, "\"arn:aws:s3:::photos/public/*\""),
            req("s3:GetObject", "public/a.jpg", ANON), ALLOW),
        row("another prefix is not in it", stmt("Allow", "\"*\"", GET, "\"arn:aws:s3:::photos/public/*\""),
            req("s3:GetObject", "private/a.jpg", ANON), NONE),
        row("resources are case-sensitive", stmt("Allow", "\"*\"", GET, "\"arn:aws:s3:::photos/Public/*\""),
            req("s3:GetObject", "public/a.jpg", ANON), NONE),
        row("? in a resource is one character", stmt("Allow", "\"*\"", GET, "\"arn:aws:s3:::photos/v?.txt\""),
            req("s3:GetObject", "v2.txt", ANON), ALLOW),
        row("the bucket ARN is not its objects", stmt("Allow", "\"*\"", "\"s3:*\"",
            "\"arn:aws:s3:::photos\""), get(ANON), NONE),
        row("the bucket ARN names the bucket", stmt("Allow", "\"*\"", "\"s3:ListBucket\"", "\"arn:aws:s3:::photos\""),
            req("s3:ListBucket", null, ANON), ALLOW),
        row("NotResource: other objects apply", "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"NotResource\":\"arn:aws:s3:::photos/public/*\"}", req("s3:GetObject", "private/x", ANON), DENY),
        row("NotResource: the named ones do not", "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"NotResource\":\"arn:aws:s3:::photos/public/*\"}", req("s3:GetObject", "public/x", ANON), NONE),
        // ---- policy variables
        row("${aws:username} in a resource: the user's own prefix", stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username}/*\""), req("s3:GetObject", "home/alice/x", ALICE), ALLOW),
        row("${aws:username} in a resource: not another's", stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username}/*\""), req("s3:GetObject", "home/alice/x", BOB), NONE),
        row("${aws:username} without a user matches nothing", stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username}/*\""), req("s3:GetObject", "home//x", ANON), NONE),
        row("a variable's default value", stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username, 'guest'}/*\""), req("s3:GetObject", "home/guest/x", ANON),
            ALLOW),
        row("${*} is a literal star", stmt("Allow", "\"*\"", GET, "\"arn:aws:s3:::photos/star${*}\""),
            req("s3:GetObject", "starX", ANON), NONE),
        row("${*} matches the star itself", stmt("Allow", "\"*\"", GET, "\"arn:aws:s3:::photos/star${*}\""),
            req("s3:GetObject", "star*", ANON), ALLOW),
        rowP("2008-10-17: no variables, the text is literal", policy("2008-10-17", stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username}/*\"")), req("s3:GetObject", "home/alice/x", ALICE), NONE),
        rowP("2008-10-17: the literal text matches", policy("2008-10-17", stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username}/*\"")), req("s3:GetObject", "home/${aws:username}/x", ALICE),
            ALLOW),
        rowP("no Version: no variables", policy(null, stmt("Allow", "\"*\"", GET,
            "\"arn:aws:s3:::photos/home/${aws:username}/*\"")), req("s3:GetObject", "home/alice/x", ALICE), NONE),
        row("a variable in StringLike", allowIf("{\"StringLike\":{\"s3:prefix\":\"${aws:username}/*\"}}"),
            get(ALICE, "s3:prefix", "alice/2024/"), ALLOW),
        row("a variable's value is literal, never a wildcard", allowIf(
            "{\"StringLike\":{\"aws:Referer\":\"${s3:prefix}\"}}"), get(ALICE, "s3:prefix", "*", "aws:Referer", "x"),
            NONE),
        row("a variable in StringEquals", allowIf("{\"StringEquals\":{\"s3:prefix\":\"home/${aws:username}/\"}}"),
            get(ALICE, "s3:prefix", "home/alice/"), ALLOW));
  }

  static Stream<Arguments> conditions() {
    return Stream.of(
        // ---- String
        row("StringEquals: equal", allowIf("{\"StringEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"),
            get(ANON, "s3:x-amz-acl", "public-read"), ALLOW),
        row("StringEquals: case-sensitive", allowIf("{\"StringEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"),
            get(ANON, "s3:x-amz-acl", "PUBLIC-READ"), NONE),
        row("StringEquals: key absent", allowIf("{\"StringEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"), get(ANON),
            NONE),
        row("StringEquals: any of the values", allowIf(
            "{\"StringEquals\":{\"s3:x-amz-acl\":[\"private\",\"public-read\"]}}"), get(ANON, "s3:x-amz-acl",
            "public-read"), ALLOW),
        row("StringEquals: * is literal", allowIf("{\"StringEquals\":{\"s3:prefix\":\"a*\"}}"),
            get(ANON, "s3:prefix", "abc"), NONE),
        row("condition key names are case-insensitive", allowIf(
            "{\"StringEquals\":{\"S3:X-AMZ-ACL\":\"public-read\"}}"), get(ANON, "s3:x-amz-acl", "public-read"), ALLOW),
        row("StringNotEquals: another value", allowIf("{\"StringNotEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"),
            get(ANON, "s3:x-amz-acl", "private"), ALLOW),
        row("StringNotEquals: the value", allowIf("{\"StringNotEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"),
            get(ANON, "s3:x-amz-acl", "public-read"), NONE),
        row("StringNotEquals: key absent holds", allowIf("{\"StringNotEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"),
            get(ANON), ALLOW),
        row("StringEqualsIgnoreCase", allowIf("{\"StringEqualsIgnoreCase\":{\"s3:x-amz-acl\":\"public-read\"}}"),
            get(ANON, "s3:x-amz-acl", "PUBLIC-Read"), ALLOW),
        row("StringNotEqualsIgnoreCase", allowIf(
            "{\"StringNotEqualsIgnoreCase\":{\"s3:x-amz-acl\":\"public-read\"}}"), get(ANON, "s3:x-amz-acl",
            "PUBLIC-READ"), NONE),
        row("StringLike: *", allowIf("{\"StringLike\":{\"aws:Referer\":\"https://example.com/*\"}}"),
            get(ANON, "aws:Referer", "https://example.com/page"), ALLOW),
        row("StringLike: ? is one character", allowIf("{\"StringLike\":{\"s3:prefix\":\"v?\"}}"),
            get(ANON, "s3:prefix", "v10"), NONE),
        row("StringLike: case-sensitive", allowIf("{\"StringLike\":{\"aws:Referer\":\"https://example.com/*\"}}"),
            get(ANON, "aws:Referer", "https://EXAMPLE.com/page"), NONE),
        row("StringNotLike: no match holds", allowIf("{\"StringNotLike\":{\"aws:Referer\":\"https://evil.*\"}}"),
            get(ANON, "aws:Referer", "https://example.com/"), ALLOW),
        row("StringNotLike: a match fails", allowIf("{\"StringNotLike\":{\"aws:Referer\":\"https://evil.*\"}}"),
            get(ANON, "aws:Referer", "https://evil.com/"), NONE),
        // ---- Numeric
        row("NumericEquals", allowIf("{\"NumericEquals\":{\"s3:max-keys\":\"10\"}}"), get(ANON, "s3:max-keys",
            "10.0"), ALLOW),
        row("NumericEquals: a JSON number value", allowIf("{\"NumericEquals\":{\"s3:max-keys\":10}}"),
            get(ANON, "s3:max-keys", "10"), ALLOW),
        row("NumericNotEquals", allowIf("{\"NumericNotEquals\":{\"s3:max-keys\":\"10\"}}"), get(ANON, "s3:max-keys",
            "10"), NONE),
        row("NumericLessThan: less", allowIf("{\"NumericLessThan\":{\"s3:max-keys\":\"100\"}}"),
            get(ANON, "s3:max-keys", "99"), ALLOW),
        row("NumericLessThan: equal", allowIf("{\"NumericLessThan\":{\"s3:max-keys\":\"100\"}}"),
            get(ANON, "s3:max-keys", "100"), NONE),
        row("NumericLessThanEquals", allowIf("{\"NumericLessThanEquals\":{\"s3:max-keys\":\"100\"}}"),
            get(ANON, "s3:max-keys", "100"), ALLOW),
        row("NumericGreaterThan", allowIf("{\"NumericGreaterThan\":{\"s3:max-keys\":\"100\"}}"),
            get(ANON, "s3:max-keys", "100"), NONE),
        row("NumericGreaterThanEquals", allowIf("{\"NumericGreaterThanEquals\":{\"s3:max-keys\":\"100\"}}"),
            get(ANON, "s3:max-keys", "1000"), ALLOW),
        row("Numeric: a request value that is no number matches nothing", allowIf(
            "{\"NumericLessThan\":{\"s3:max-keys\":\"100\"}}"), get(ANON, "s3:max-keys", "ten"), NONE),
        // ---- Date
        row("DateLessThan", allowIf("{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}"),
            get(ANON, "aws:CurrentTime", "2026-12-06T15:00:00Z"), ALLOW),
        row("DateLessThan: after", allowIf("{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}"),
            get(ANON, "aws:CurrentTime", "2026-12-06T15:00:00Z"), NONE),
        row("DateGreaterThan with a date alone", allowIf("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-12-06\"}}"),
            get(ANON, "aws:CurrentTime", "2026-12-06T00:00:01Z"), ALLOW),
        row("DateEquals across offsets", allowIf("{\"DateEquals\":{\"aws:CurrentTime\":\"2026-12-06T16:00:00+01:00\"}}"),
            get(ANON, "aws:CurrentTime", "2026-12-06T15:00:00Z"), ALLOW),
        row("DateNotEquals", allowIf("{\"DateNotEquals\":{\"aws:CurrentTime\":\"2026-12-06T15:00:00Z\"}}"),
            get(ANON, "aws:CurrentTime", "2026-12-06T15:00:00Z"), NONE),
        row("DateLessThanEquals with epoch seconds", allowIf(
            "{\"DateLessThanEquals\":{\"aws:EpochTime\":\"1800000000\"}}"), get(ANON, "aws:EpochTime", "1800000000"),
            ALLOW),
        row("DateGreaterThanEquals: epoch against ISO", allowIf(
            "{\"DateGreaterThanEquals\":{\"aws:EpochTime\":\"2030-01-01T00:00:00Z\"}}"), get(ANON, "aws:EpochTime",
            "1800000000"), NONE),
        // ---- Bool, Binary
        row("Bool: Deny plain HTTP", "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":"
            + ALL_OBJECTS + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}",
            get(ALICE, "aws:SecureTransport", "false"), DENY),
        row("Bool: TLS is not denied", "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":"
            + ALL_OBJECTS + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}",
            get(ALICE, "aws:SecureTransport", "true"), NONE),
        row("Bool: a JSON boolean value, any case in the request", allowIf(
            "{\"Bool\":{\"aws:SecureTransport\":true}}"), get(ANON, "aws:SecureTransport", "TRUE"), ALLOW),
        row("BinaryEquals", allowIf("{\"BinaryEquals\":{\"s3:x-amz-content-sha256\":\"QmluYXJ5\"}}"),
            get(ANON, "s3:x-amz-content-sha256", "QmluYXJ5"), ALLOW),
        row("BinaryEquals: other bytes", allowIf("{\"BinaryEquals\":{\"s3:x-amz-content-sha256\":\"QmluYXJ5\"}}"),
            get(ANON, "s3:x-amz-content-sha256", "T3RoZXI="), NONE),
        // ---- IP
        row("IpAddress: in the IPv4 block", allowIf("{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"),
            get(ANON, "aws:SourceIp", "192.0.2.77"), ALLOW),
        row("IpAddress: outside", allowIf("{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"),
            get(ANON, "aws:SourceIp", "192.0.3.1"), NONE),
        row("IpAddress: a bare address is /32", allowIf("{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.7\"}}"),
            get(ANON, "aws:SourceIp", "192.0.2.8"), NONE),
        row("IpAddress: IPv6 block", allowIf("{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}"),
            get(ANON, "aws:SourceIp", "2001:db8:1:2::9"), ALLOW),
        row("IpAddress: IPv6 outside", allowIf("{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}"),
            get(ANON, "aws:SourceIp", "2001:db9::1"), NONE),
        row("IpAddress: an IPv4 block never holds an IPv6 address", allowIf(
            "{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}"), get(ANON, "aws:SourceIp", "2001:db8::1"), NONE),
        row("IpAddress: IPv4-mapped IPv6 is IPv4", allowIf("{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"),
            get(ANON, "aws:SourceIp", "::ffff:192.0.2.1"), ALLOW),
        row("IpAddress: any of several blocks", allowIf(
            "{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}"), get(ANON, "aws:SourceIp",
            "10.200.0.1"), ALLOW),
        row("NotIpAddress: outside holds", "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"Resource\":" + ALL_OBJECTS + ",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}",
            get(ADMIN, "aws:SourceIp", "192.0.2.1"), DENY),
        row("NotIpAddress: inside fails", "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"Resource\":" + ALL_OBJECTS + ",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}",
            get(ADMIN, "aws:SourceIp", "10.1.2.3"), NONE),
        // ---- ARN
        row("ArnEquals", allowIf("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:s3:::logs\"}}"),
            get(ANON, "aws:SourceArn", "arn:aws:s3:::logs"), ALLOW),
        row("ArnLike: wildcards per part", allowIf("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:iam::*:user/*\"}}"),
            get(ANON, "aws:SourceArn", "arn:aws:iam::123456789012:user/x"), ALLOW),
        row("ArnLike: a wildcard never spans a colon of the first parts", allowIf(
            "{\"ArnLike\":{\"aws:SourceArn\":\"arn:*:s3:::logs\"}}"), get(ANON, "aws:SourceArn", "arn:aws:x:s3:::logs"),
            NONE),
        row("ArnNotEquals", allowIf("{\"ArnNotEquals\":{\"aws:SourceArn\":\"arn:aws:s3:::logs\"}}"),
            get(ANON, "aws:SourceArn", "arn:aws:s3:::logs"), NONE),
        row("ArnNotLike", allowIf("{\"ArnNotLike\":{\"aws:SourceArn\":\"arn:aws:s3:::log*\"}}"),
            get(ANON, "aws:SourceArn", "arn:aws:s3:::other"), ALLOW),
        // ---- Null
        row("Null true: key absent", allowIf("{\"Null\":{\"s3:x-amz-acl\":\"true\"}}"), get(ANON), ALLOW),
        row("Null true: key present", allowIf("{\"Null\":{\"s3:x-amz-acl\":\"true\"}}"), get(ANON, "s3:x-amz-acl",
            "private"), NONE),
        row("Null false: key present", allowIf("{\"Null\":{\"s3:x-amz-acl\":false}}"), get(ANON, "s3:x-amz-acl",
            "private"), ALLOW),
        row("Null false: key absent", allowIf("{\"Null\":{\"s3:x-amz-acl\":\"false\"}}"), get(ANON), NONE),
        // ---- IfExists
        row("IfExists: key absent holds", allowIf("{\"StringEqualsIfExists\":{\"s3:x-amz-acl\":\"private\"}}"),
            get(ANON), ALLOW),
        row("IfExists: key present is checked", allowIf(
            "{\"StringEqualsIfExists\":{\"s3:x-amz-acl\":\"private\"}}"), get(ANON, "s3:x-amz-acl", "public-read"),
            NONE),
        row("IfExists: key present and matching", allowIf(
            "{\"StringEqualsIfExists\":{\"s3:x-amz-acl\":\"private\"}}"), get(ANON, "s3:x-amz-acl", "private"), ALLOW),
        row("NumericLessThanIfExists: absent", allowIf("{\"NumericLessThanIfExists\":{\"s3:max-keys\":\"10\"}}"),
            get(ANON), ALLOW),
        row("Bool without IfExists: absent fails", allowIf("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}"), get(ANON),
            NONE),
        // ---- set qualifiers (s3:RequestObjectTagKeys is multivalued)
        row("ForAnyValue: one value in the set", allowIf(
            "{\"ForAnyValue:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"b\",\"c\"]}}"),
            get(ANON, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "b"), ALLOW),
        row("ForAnyValue: none in the set", allowIf(
            "{\"ForAnyValue:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"b\",\"c\"]}}"),
            get(ANON, "s3:RequestObjectTagKeys", "x"), NONE),
        row("ForAnyValue: key absent fails", allowIf(
            "{\"ForAnyValue:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"b\",\"c\"]}}"), get(ANON), NONE),
        row("ForAllValues: every value in the set", allowIf(
            "{\"ForAllValues:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"a\",\"b\",\"c\"]}}"),
            get(ANON, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "b"), ALLOW),
        row("ForAllValues: one value outside", allowIf(
            "{\"ForAllValues:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"a\",\"b\",\"c\"]}}"),
            get(ANON, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "x"), NONE),
        row("ForAllValues: key absent holds", allowIf(
            "{\"ForAllValues:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"a\"]}}"), get(ANON), ALLOW),
        row("ForAllValues with a negated operator: no value is forbidden", allowIf(
            "{\"ForAllValues:StringNotLike\":{\"s3:RequestObjectTagKeys\":\"secret*\"}}"),
            get(ANON, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "b"), ALLOW),
        row("ForAllValues with a negated operator: one is", allowIf(
            "{\"ForAllValues:StringNotLike\":{\"s3:RequestObjectTagKeys\":\"secret*\"}}"),
            get(ANON, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "secret-x"), NONE),
        row("ForAnyValue:StringLike", allowIf("{\"ForAnyValue:StringLike\":{\"s3:RequestObjectTagKeys\":\"pro*\"}}"),
            get(ANON, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "project"), ALLOW),
        // ---- several conditions: all must hold
        row("two keys under one operator: both hold", allowIf(
            "{\"StringEquals\":{\"s3:prefix\":\"a/\",\"s3:delimiter\":\"/\"}}"), get(ANON, "s3:prefix", "a/",
            "s3:delimiter", "/"), ALLOW),
        row("two keys under one operator: one fails", allowIf(
            "{\"StringEquals\":{\"s3:prefix\":\"a/\",\"s3:delimiter\":\"/\"}}"), get(ANON, "s3:prefix", "a/"), NONE),
        row("two operators: one fails", allowIf(
            "{\"StringEquals\":{\"s3:prefix\":\"a/\"},\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"),
            get(ANON, "s3:prefix", "a/", "aws:SourceIp", "192.0.2.1"), NONE),
        // ---- keys the engine derives from the caller
        row("aws:username of a user", allowIf("{\"StringEquals\":{\"aws:username\":\"alice\"}}"), get(ALICE), ALLOW),
        row("aws:userid of a user", allowIf("{\"StringEquals\":{\"aws:userid\":\"" + ALICE_ID + "\"}}"), get(ALICE),
            ALLOW),
        row("aws:PrincipalType of the anonymous caller", allowIf(
            "{\"StringEquals\":{\"aws:PrincipalType\":\"Anonymous\"}}"), get(ANON), ALLOW),
        row("the anonymous caller has no aws:username", allowIf("{\"Null\":{\"aws:username\":\"true\"}}"), get(ANON),
            ALLOW));
  }

  static Stream<Arguments> order() {
    String allowAll = stmt("Allow", "\"*\"", "\"s3:*\"", ALL_OBJECTS);
    String denyDelete = stmt("Deny", "\"*\"", "\"s3:DeleteObject\"", ALL_OBJECTS);
    String denyDeleteUnlessTls = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteObject\",\"Resource\":"
        + ALL_OBJECTS + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
    return Stream.of(
        rowP("explicit Deny wins over Allow", policy("2012-10-17", allowAll, denyDelete),
            req("s3:DeleteObject", "k", ALICE), DENY),
        rowP("explicit Deny wins, whatever the order", policy("2012-10-17", denyDelete, allowAll),
            req("s3:DeleteObject", "k", ALICE), DENY),
        rowP("a Deny binds admins too", policy("2012-10-17", allowAll, denyDelete),
            req("s3:DeleteObject", "k", ADMIN), DENY),
        rowP("the Allow holds for what the Deny does not name", policy("2012-10-17", allowAll, denyDelete),
            req("s3:GetObject", "k", ALICE), ALLOW),
        rowP("a Deny whose condition fails does not apply", policy("2012-10-17", allowAll, denyDeleteUnlessTls),
            req("s3:DeleteObject", "k", ALICE, "aws:SecureTransport", "true"), ALLOW),
        rowP("nothing applies: NONE, not DENY", policy("2012-10-17", denyDelete),
            req("s3:GetObject", "k", ALICE), NONE),
        rowP("a single Statement object", "{\"Version\":\"2012-10-17\",\"Statement\":" + allowAll + "}",
            req("s3:GetObject", "k", ANON), ALLOW));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"table", "conditions", "order"})
  void decides(String name, String policy, PolicyRequest request, Decision expected) throws Exception {
    assertEquals(expected, BucketPolicy.parse(policy, BUCKET).evaluate(request), name + "\n" + policy);
  }
}
