package io.tarn.storage.access.policy;

import io.tarn.core.IpRange;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bucket's policy: the IAM policy language as S3 reads it, parsed and validated once, then evaluated
 * for each request. Pure (no storage, no HTTP): the caller stores {@link #text()} and computes the
 * request's condition keys.
 *
 * <p>See docs/access/policies.md for what is supported and how Tarn users are named.
 */
public final class BucketPolicy {
  private final String text;
  private final String bucket;
  private final String version;
  private final String id;
  private final List<Statement> statements;
  private final Set<String> keysUsed;
  /**
   * Per action name (lower-cased), the statements whose Action covers it, in order: actions have no
   * variables, so this is decided once per action, and a request evaluates only the statements that can
   * apply to it. Bounded by the S3 action names the front end asks about.
   */
  private final ConcurrentHashMap<String, Statement[]> byAction = new ConcurrentHashMap<>();

  private BucketPolicy(String text, String bucket, PolicyParser.Parsed parsed) {
    this.text = text;
    this.bucket = bucket;
    this.version = parsed.version();
    this.id = parsed.id();
    this.statements = parsed.statements();
    Set<String> used = new java.util.HashSet<>();
    statements.forEach(st -> st.collectKeys(used));
    this.keysUsed = Set.copyOf(used);
  }

  /**
   * The condition keys the policy reads (its conditions' keys, its policy variables), lower-cased: a
   * caller computes only these for a request. The principal keys (aws:username, aws:userid,
   * aws:PrincipalType) come from the caller whether listed or not.
   */
  public Set<String> keysUsed() {
    return keysUsed;
  }

  /**
   * Parses and validates a policy for {@code bucket}.
   *
   * @throws MalformedPolicyException with S3's MalformedPolicy message when the document is not a valid
   *     bucket policy for this bucket (size over 20 KB, not JSON, unknown fields, invalid principal,
   *     action, resource or condition, a resource outside the bucket, …)
   */
  public static BucketPolicy parse(String json, String bucket) throws MalformedPolicyException {
    Objects.requireNonNull(bucket, "bucket");
    return new BucketPolicy(json, bucket, PolicyParser.parse(json, bucket));
  }

  /** The document exactly as it was put: GetBucketPolicy returns it unchanged. */
  public String text() {
    return text;
  }

  public String bucket() {
    return bucket;
  }

  /** The Version element, or null when the document has none (then it is read as 2008-10-17). */
  public String version() {
    return version;
  }

  /** The Id element, or null. */
  public String id() {
    return id;
  }

  public int statementCount() {
    return statements.size();
  }

  /**
   * The decision for one request: {@link Decision#DENY} if a Deny statement applies (whatever else
   * applies), else {@link Decision#ALLOW} if an Allow statement applies, else {@link Decision#NONE}
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
   */
  public Decision evaluate(PolicyRequest request) {
    boolean allowed = false;
    Statement[] candidates = byAction.computeIfAbsent(request.actionLower(),
        a -> statements.stream().filter(s -> s.coversAction(a)).toArray(Statement[]::new));
    for (Statement s : candidates) {
      if ((!allowed || !s.allow()) && s.appliesToItsAction(request)) {
        if (!s.allow()) {
          return Decision.DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.NONE;
  }

  /**
   * The Tarn user names the policy's principals name ({@code arn:aws:iam:::user/NAME}), so the caller
   * can refuse a policy naming a user that does not exist, as S3 does ("Invalid principal in policy").
   */
  public Set<String> userNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Statement s : statements) {
      PrincipalSet p = s.principal() != null ? s.principal() : s.notPrincipal();
      out.addAll(p.userNames());
    }
    return out;
  }

  /** The canonical user ids the policy's principals name ({@code {"CanonicalUser": "…"}}). */
  public Set<String> canonicalIds() {
    Set<String> out = new LinkedHashSet<>();
    for (Statement s : statements) {
      PrincipalSet p = s.principal() != null ? s.principal() : s.notPrincipal();
      out.addAll(p.canonicalIds());
    }
    return out;
  }

  /**
   * Whether the policy is public in S3's sense (GetBucketPolicyStatus, BlockPublicPolicy,
   * RestrictPublicBuckets): an Allow statement grants to everyone ({@code "*"} or {@code {"AWS": "*"}})
   * and no condition pins it to fixed values (no wildcard, no policy variable) of a
   * key that limits who can call: {@code aws:SourceIp} with CIDR blocks no wider than /8 (IPv4) or /32
   * (IPv6), {@code aws:SourceArn}, {@code aws:SourceVpc}, {@code aws:SourceVpce}, {@code
   * aws:SourceOwner}, {@code aws:SourceAccount}, {@code aws:PrincipalOrgID}, {@code aws:PrincipalAccount},
   * {@code aws:userid}, {@code s3:x-amz-server-side-encryption-aws-kms-key-id}, {@code
   * s3:DataAccessPointArn}, {@code s3:DataAccessPointAccount}
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
   */
  public boolean isPublic() {
    for (Statement s : statements) {
      if (s.allow() && grantsEveryone(s) && !pinned(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean grantsEveryone(Statement s) {
    // An Allow statement always has a Principal: the parser refuses NotPrincipal with Allow.
    return s.principal().everyone();
  }

  private static final Set<String> FIXING_KEYS = Set.of("aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce",
      "aws:sourceowner", "aws:sourceaccount", "aws:principalorgid", "aws:principalaccount", "aws:userid",
      "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:dataaccesspointarn", "s3:dataaccesspointaccount");

  /** Whether one of the statement's conditions restricts it to fixed callers. */
  private static boolean pinned(Statement s) {
    for (Condition c : s.conditions()) {
      if (c.ifExists || c.operator.negated || c.qualifier == Condition.Qualifier.FOR_ALL_VALUES) {
        continue; // holds without the key, or for everything but a few values: pins nothing
      }
      String key = c.key.toLowerCase(Locale.ROOT);
      if (key.equals("aws:sourceip") && c.operator == ConditionOperator.IP_ADDRESS
          && c.compiled().stream().noneMatch(v -> ((IpRange) v).isWide())) {
        return true;
      }
      if (FIXING_KEYS.contains(key) && fixedEquality(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean fixedEquality(Condition c) {
    switch (c.operator) {
      case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, ARN_EQUALS, ARN_LIKE:
        break;
      default:
        return false;
    }
    for (String v : c.policyValues) {
      if (v.contains("*") || v.contains("?") || v.contains("${")) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "BucketPolicy[" + bucket + ", " + statements.size() + " statements]";
  }
}
