package io.tarn.s3.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The policy document of a POST Object form: a base64 JSON object with an {@code expiration} and
 * {@code conditions} (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html,
 * and the Signature Version 2 form's https://docs.aws.amazon.com/AmazonS3/latest/API/HTTPPOSTForms.html).
 *
 * <p>Conditions are exact matches ({@code {"acl": "public-read"}} or {@code ["eq", "$acl",
 * "public-read"]}), prefix matches ({@code ["starts-with", "$key", "user/eric/"]}, where an empty
 * prefix allows any value) and {@code ["content-length-range", min, max]}. Field names are compared
 * without regard to case, as S3 does (a policy's {@code "$KeY"} covers a form's {@code kEy}); values
 * are compared exactly. Every form field but the exempt ones must be covered by some condition.
 * Failures are S3's AccessDenied "Invalid according to Policy: ..."; a document that is not a policy
 * is InvalidPolicyDocument.
 */
public final class PostPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INVALID = "Invalid Policy: ";
  private static final String FAILED = "Invalid according to Policy: ";

  /** How a condition matches. */
  public enum Op {
    EQ("eq"),
    STARTS_WITH("starts-with"),
    RANGE("content-length-range");

    private final String wire;

    Op(String wire) {
      this.wire = wire;
    }
  }

  /**
   * One condition.
   *
   * @param op how it matches
   * @param field the form field, lower case, without {@code $} (null for a range)
   * @param value the value or prefix (null for a range)
   * @param min a range's least size in bytes
   * @param max a range's greatest size in bytes
   */
  public record Condition(Op op, String field, String value, long min, long max) {
    /** As S3 shows a condition in its error message: {@code ["eq", "$key", "a.txt"]}. */
    @Override
    public String toString() {
      if (op == Op.RANGE) {
        return "[\"" + op.wire + "\", " + min + ", " + max + "]";
      }
      return "[\"" + op.wire + "\", \"$" + field + "\", \"" + value + "\"]";
    }
  }

  /**
   * The allowed sizes of the file.
   *
   * @param min bytes, inclusive
   * @param max bytes, inclusive
   */
  public record Range(long min, long max) {}

  private final Instant expiration;
  private final List<Condition> conditions;

  private PostPolicy(Instant expiration, List<Condition> conditions) {
    this.expiration = expiration;
    this.conditions = List.copyOf(conditions);
  }

  public Instant expiration() {
    return expiration;
  }

  public List<Condition> conditions() {
    return conditions;
  }

  /**
   * Parses the form's {@code policy} field.
   *
   * @throws S3Exception InvalidPolicyDocument for anything that is not a policy document
   */
  public static PostPolicy parse(String base64) {
    byte[] json;
    try {
      // Line breaks some tools wrap base64 with are not part of it.
      json = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw invalid("Invalid 'policy' field: not base64 encoded.");
    }
    JsonNode root;
    try {
      // S3's 20 KB cap on the form bounds the document, and Jackson's own nesting limit its depth.
      root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw invalid("Invalid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw invalid("Invalid JSON.");
    }
    // The element names are case-sensitive: "EXPIRATION" is not an expiration (s3-tests
    // test_post_object_expires_is_case_sensitive, test_post_object_condition_is_case_sensitive).
    JsonNode exp = root.get("expiration");
    if (exp == null) {
      throw invalid("Policy missing expiration.");
    }
    Instant expiration;
    try {
      if (!exp.isTextual()) {
        throw new DateTimeParseException("not a string", exp.asText(), 0);
      }
      // ISO 8601 in UTC: "2007-12-01T12:00:00.000Z", or without the fraction as boto3 writes it.
      expiration = Instant.parse(exp.asText());
    } catch (DateTimeParseException e) {
      throw invalid("Invalid 'expiration' value: '" + exp.asText() + "'");
    }
    JsonNode conds = root.get("conditions");
    if (conds == null) {
      throw invalid("Policy missing conditions.");
    }
    if (!conds.isArray()) {
      throw invalid("Invalid 'conditions' value: must be a list.");
    }
    List<Condition> out = new ArrayList<>();
    for (JsonNode c : conds) {
      out.add(condition(c));
    }
    return new PostPolicy(expiration, out);
  }

  private static Condition condition(JsonNode c) {
    if (c.isObject()) {
      if (c.size() != 1) {
        throw invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
      }
      Map.Entry<String, JsonNode> e = c.fields().next();
      if (!e.getValue().isTextual()) {
        // S3's answer to {"success_action_status": 201}: a number is not a string (seen, e.g.
        // https://www.bennadel.com/blog/2503-amazon-s3-form-post-invalid-policy-invalid-simple-condition-value-must-be-a-string.htm).
        throw invalid("Invalid Simple-Condition: value must be a string.");
      }
      return new Condition(Op.EQ, e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText(), 0, 0);
    }
    if (!c.isArray() || c.size() == 0) {
      throw invalid("Invalid Condition: each condition must be an object or a list.");
    }
    String op = c.get(0).asText().toLowerCase(Locale.ROOT);
    if (op.equals(Op.RANGE.wire)) {
      if (c.size() != 3) {
        throw invalid("Invalid content-length-range condition: expecting [\"content-length-range\", min, max].");
      }
      long min = size(c.get(1));
      long max = size(c.get(2));
      if (min > max) {
        throw invalid("Invalid content-length-range condition: min is greater than max.");
      }
      return new Condition(Op.RANGE, null, null, min, max);
    }
    Op kind = op.equals(Op.EQ.wire) ? Op.EQ : op.equals(Op.STARTS_WITH.wire) ? Op.STARTS_WITH : null;
    if (kind == null) {
      throw invalid("Invalid Condition: unknown operation '" + c.get(0).asText() + "'.");
    }
    if (c.size() != 3 || !c.get(1).isTextual() || !c.get(2).isTextual()) {
      throw invalid("Invalid Condition: expecting [\"" + kind.wire + "\", \"$field\", \"value\"].");
    }
    String field = c.get(1).asText();
    if (!field.startsWith("$") || field.length() == 1) {
      throw invalid("Invalid Condition: the field must be a '$' and a form field name: '" + field + "'.");
    }
    return new Condition(kind, field.substring(1).toLowerCase(Locale.ROOT), c.get(2).asText(), 0, 0);
  }

  /** A range bound: a whole number of bytes, as a JSON number or a string of digits. */
  private static long size(JsonNode n) {
    try {
      long v = n.isIntegralNumber() ? n.asLong() : n.isTextual() ? Long.parseLong(n.asText().trim()) : -1;
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw invalid("Invalid content-length-range condition: bounds must be whole numbers of bytes >= 0.");
  }

  /**
   * AccessDenied when the policy has expired.
   */
  public void checkNotExpired(Instant now) {
    if (now.isAfter(expiration)) {
      throw new S3Exception(S3Error.ACCESS_DENIED, FAILED + "Policy expired.");
    }
  }

  /**
   * Checks the form against the conditions: every condition holds (a field it names that the form
   * lacks counts as empty, so only {@code starts-with ""} accepts it), and every field but the exempt
   * ones is named by a condition.
   *
   * @param fields the form's fields by lower-case name, after {@code ${filename}} substitution
   * @param bucket the bucket the form was posted to (the {@code bucket} condition's value)
   * @throws S3Exception AccessDenied naming the failed condition or the uncovered fields
   */
  public void check(Map<String, String> fields, String bucket) {
    for (Condition c : conditions) {
      if (c.op() == Op.RANGE) {
        continue; // the file's size is checked as it arrives
      }
      String actual = c.field().equals("bucket") ? bucket : fields.getOrDefault(c.field(), "");
      boolean holds = c.op() == Op.EQ ? actual.equals(c.value()) : actual.startsWith(c.value());
      if (!holds) {
        throw new S3Exception(S3Error.ACCESS_DENIED, FAILED + "Policy Condition failed: " + c);
      }
    }
    List<String> extra = new ArrayList<>();
    for (String name : fields.keySet()) {
      if (!exempt(name) && conditions.stream().noneMatch(c -> name.equals(c.field()))) {
        extra.add(name);
      }
    }
    if (!extra.isEmpty()) {
      throw new S3Exception(S3Error.ACCESS_DENIED, FAILED + "Extra input fields: " + String.join(", ", extra));
    }
  }

  /**
   * The fields no condition needs to name: "Each form field that you specify in a form (except
   * x-amz-signature, file, policy, and field names that have an x-ignore- prefix) must appear in the
   * list of conditions" (sigv4-HTTPPOSTConstructPolicy.html); the Signature Version 2 form exempts
   * its AWSAccessKeyId and signature the same way (HTTPPOSTForms.html).
   */
  static boolean exempt(String lowerName) {
    return switch (lowerName) {
      case "x-amz-signature", "file", "policy", "awsaccesskeyid", "signature" -> true;
      default -> lowerName.startsWith("x-ignore-");
    };
  }

  /** The {@code content-length-range}, or null; with several, the narrowest (all must hold). */
  public Range contentLengthRange() {
    Range r = null;
    for (Condition c : conditions) {
      if (c.op() == Op.RANGE) {
        r = r == null ? new Range(c.min(), c.max()) : new Range(Math.max(r.min(), c.min()), Math.min(r.max(), c.max()));
      }
    }
    return r;
  }

  private static S3Exception invalid(String detail) {
    return new S3Exception(S3Error.INVALID_POLICY_DOCUMENT, INVALID + detail);
  }
}
