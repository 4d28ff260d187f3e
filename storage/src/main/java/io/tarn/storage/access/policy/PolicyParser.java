package io.tarn.storage.access.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a bucket policy document into statements, refusing what S3 refuses with the message S3 gives
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html).
 */
final class PolicyParser {
  /** S3's limit on a bucket policy: 20 KB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html). */
  static final int MAX_BYTES = 20 * 1024;

  static final String VERSION_2012 = "2012-10-17";
  static final String VERSION_2008 = "2008-10-17";

  private static final Set<String> POLICY_FIELDS = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
      "Action", "NotAction", "Resource", "NotResource", "Condition");

  private final String bucket;
  private boolean variables;

  private PolicyParser(String bucket) {
    this.bucket = bucket;
  }

  /** The parsed policy's parts. */
  record Parsed(String version, String id, List<Statement> statements) {}

  static Parsed parse(String text, String bucket) throws MalformedPolicyException {
    if (text == null || text.isBlank()) {
      throw new MalformedPolicyException("Policies must be valid JSON and the first byte must be '{'");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new MalformedPolicyException("Policy exceeds the maximum allowed document size.");
    }
    Object root = Json.parse(text);
    if (!(root instanceof Map<?, ?> doc)) {
      throw new MalformedPolicyException("Policies must be valid JSON and the first byte must be '{'");
    }
    return new PolicyParser(bucket).policy(doc);
  }

  private Parsed policy(Map<?, ?> doc) throws MalformedPolicyException {
    unknownFields(doc, POLICY_FIELDS);
    String version = null;
    if (doc.containsKey("Version")) {
      Object v = doc.get("Version");
      if (!VERSION_2012.equals(v) && !VERSION_2008.equals(v)) {
        throw new MalformedPolicyException("Invalid Version " + v);
      }
      version = (String) v;
    }
    // Policy variables exist only in Version 2012-10-17; in older policies "${...}" is literal text
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
    variables = VERSION_2012.equals(version);
    String id = null;
    if (doc.containsKey("Id")) {
      if (!(doc.get("Id") instanceof String s)) {
        throw new MalformedPolicyException("Invalid policy syntax: Id must be a string");
      }
      id = s;
    }
    if (!doc.containsKey("Statement")) {
      throw new MalformedPolicyException("Missing required field Statement");
    }
    Object st = doc.get("Statement");
    List<?> list = st instanceof List<?> l ? l : List.of(st);
    if (list.isEmpty()) {
      throw new MalformedPolicyException("Could not parse the policy: Statement is empty!");
    }
    List<Statement> statements = new ArrayList<>();
    Set<String> sids = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw Json.syntax();
      }
      Statement s = statement(m);
      if (s.sid() != null && !sids.add(s.sid())) {
        throw new MalformedPolicyException("Statement IDs (SID) in a single policy must be unique.");
      }
      statements.add(s);
    }
    return new Parsed(version, id, List.copyOf(statements));
  }

  private static void unknownFields(Map<?, ?> m, Set<String> known) throws MalformedPolicyException {
    for (Object k : m.keySet()) {
      if (!known.contains(k)) {
        throw new MalformedPolicyException("Unknown field " + k);
      }
    }
  }

  private Statement statement(Map<?, ?> m) throws MalformedPolicyException {
    unknownFields(m, STATEMENT_FIELDS);
    String sid = null;
    if (m.containsKey("Sid")) {
      if (!(m.get("Sid") instanceof String s)) {
        throw new MalformedPolicyException("Invalid policy syntax: Sid must be a string");
      }
      sid = s;
    }
    Object effect = m.get("Effect");
    if (effect == null) {
      throw new MalformedPolicyException("Missing required field Effect");
    }
    if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
      throw new MalformedPolicyException("Invalid effect: " + effect);
    }
    exactlyOne(m, "Principal", "NotPrincipal");
    exactlyOne(m, "Action", "NotAction");
    exactlyOne(m, "Resource", "NotResource");
    PrincipalSet principal = m.containsKey("Principal") ? PrincipalSet.parse(m.get("Principal")) : null;
    PrincipalSet notPrincipal = m.containsKey("NotPrincipal") ? PrincipalSet.parse(m.get("NotPrincipal")) : null;
    if (notPrincipal != null && "Allow".equals(effect)) {
      // "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported."
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
      // it would grant to everyone, the anonymous caller included, but the few it names.
      throw new MalformedPolicyException("Invalid policy syntax: NotPrincipal is supported only with Effect Deny");
    }
    List<Glob> actions = m.containsKey("Action") ? actions(m.get("Action")) : null;
    List<Glob> notActions = m.containsKey("NotAction") ? actions(m.get("NotAction")) : null;
    List<Glob> resources = m.containsKey("Resource") ? resources(m.get("Resource")) : null;
    List<Glob> notResources = m.containsKey("NotResource") ? resources(m.get("NotResource")) : null;
    if (actions != null && resources != null) {
      requireApplicable(actions, resources);
    }
    List<Condition> conditions = m.containsKey("Condition") ? conditions(m.get("Condition")) : List.of();
    return new Statement(sid, "Allow".equals(effect), principal, notPrincipal, actions, notActions, resources,
        notResources, conditions);
  }

  private static void exactlyOne(Map<?, ?> m, String field, String negated) throws MalformedPolicyException {
    boolean a = m.containsKey(field);
    boolean b = m.containsKey(negated);
    if (!a && !b) {
      throw new MalformedPolicyException("Missing required field " + field);
    }
    if (a && b) {
      throw new MalformedPolicyException("Invalid policy syntax: a statement has either " + field + " or " + negated);
    }
  }

  /**
   * Actions: {@code *} or {@code s3:NAME} with wildcards, case-insensitive, naming at least one S3
   * action (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
   */
  private static List<Glob> actions(Object element) throws MalformedPolicyException {
    MalformedPolicyException invalid = new MalformedPolicyException("Policy has invalid action");
    List<Glob> out = new ArrayList<>();
    for (String a : strings(element, invalid)) {
      boolean s3 = a.equals("*") || a.toLowerCase(Locale.ROOT).startsWith("s3:");
      Glob g = Glob.compile(PolicyRequest.lower(a), true, false);
      if (!s3 || S3Actions.matching(g).isEmpty()) {
        throw invalid;
      }
      out.add(g);
    }
    return List.copyOf(out);
  }

  /**
   * Resources: the bucket ({@code arn:aws:s3:::bucket}) or its objects ({@code arn:aws:s3:::bucket/…},
   * wildcards and policy variables allowed after the slash). A bucket policy may not name another
   * bucket's resources.
   */
  private List<Glob> resources(Object element) throws MalformedPolicyException {
    MalformedPolicyException invalid = new MalformedPolicyException("Policy has invalid resource");
    String bucketArn = PolicyRequest.bucketArn(bucket);
    List<Glob> out = new ArrayList<>();
    for (String r : strings(element, invalid)) {
      if (!r.equals(bucketArn) && !r.startsWith(bucketArn + "/")) {
        throw invalid;
      }
      out.add(Glob.compile(r, true, variables));
    }
    return List.copyOf(out);
  }

  /**
   * Every action pattern must name an action that applies to one of the statement's resources, as S3
   * checks (s3:ListBucket on {@code bucket/*} alone: "Action does not apply to any resource(s) in
   * statement").
   */
  private void requireApplicable(List<Glob> actions, List<Glob> resources) throws MalformedPolicyException {
    String bucketArn = PolicyRequest.bucketArn(bucket);
    Set<S3Actions.Target> kinds = EnumSet.noneOf(S3Actions.Target.class);
    for (Glob r : resources) {
      kinds.add(r.source().equals(bucketArn) ? S3Actions.Target.BUCKET : S3Actions.Target.OBJECT);
    }
    for (Glob a : actions) {
      if (S3Actions.matching(a).stream().noneMatch(x -> kinds.contains(x.target()))) {
        throw new MalformedPolicyException("Action does not apply to any resource(s) in statement");
      }
    }
  }

  /** {@code {"Operator": {"key": value or [values]}, …}}. */
  private List<Condition> conditions(Object element) throws MalformedPolicyException {
    if (!(element instanceof Map<?, ?> ops) || ops.isEmpty()) {
      throw new MalformedPolicyException("Invalid policy syntax: Condition must be an object");
    }
    List<Condition> out = new ArrayList<>();
    for (Map.Entry<?, ?> op : ops.entrySet()) {
      if (!(op.getValue() instanceof Map<?, ?> keys) || keys.isEmpty()) {
        throw new MalformedPolicyException("Invalid policy syntax: condition " + op.getKey() + " must be an object");
      }
      for (Map.Entry<?, ?> k : keys.entrySet()) {
        List<String> values = conditionValues(k.getValue(), (String) op.getKey());
        out.add(Condition.parse((String) op.getKey(), (String) k.getKey(), values, variables));
      }
    }
    return List.copyOf(out);
  }

  /** A condition value is a string, number or boolean, or a non-empty array of them. */
  private static List<String> conditionValues(Object v, String op) throws MalformedPolicyException {
    List<?> list = v instanceof List<?> l ? l : List.of(v);
    if (list.isEmpty()) {
      throw new MalformedPolicyException("Invalid policy syntax: condition " + op + " has no value");
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (o instanceof String || o instanceof Json.Num || o instanceof Boolean) {
        out.add(o.toString());
      } else {
        throw new MalformedPolicyException("Invalid policy syntax: condition " + op + " has an invalid value");
      }
    }
    return out;
  }

  /** A string, or a non-empty array of strings; else {@code error}. */
  static List<String> strings(Object v, MalformedPolicyException error) throws MalformedPolicyException {
    if (v instanceof String s) {
      return List.of(s);
    }
    if (!(v instanceof List<?> l) || l.isEmpty()) {
      throw error;
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof String s)) {
        throw error;
      }
      out.add(s);
    }
    return out;
  }
}
