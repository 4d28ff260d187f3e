package io.tarn.storage.access.policy;

import io.tarn.core.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One request as a bucket policy sees it: the IAM action name, e.g. {@code s3:GetObject} (the caller
 * maps each S3 operation to its action:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html); the resource
 * ARN ({@link #bucketArn} for bucket operations, {@link #objectArn} for object operations); the caller
 * (or {@link Principal#anonymous()}); and the condition keys the caller computed for this request
 * ({@code aws:SourceIp}, {@code s3:prefix}, …), each with its values (one for most keys; several for
 * multivalued keys). Key names are case-insensitive, as in AWS: {@link #keys()} has them lower-cased. A
 * key that is absent is absent from the map. The engine adds {@code aws:username}, {@code aws:userid}
 * and {@code aws:PrincipalType} from the caller when the map lacks them. Not thread-safe: one request,
 * evaluated on one thread.
 */
public final class PolicyRequest {
  private final String action;
  private final String resource;
  private final Principal caller;
  /** The keys as given, computed on first use (a policy whose statements need none never computes them). */
  private Supplier<Map<String, List<String>>> source;
  private Map<String, List<String>> keys;

  public PolicyRequest(String action, String resource, Principal caller, Map<String, List<String>> keys) {
    this(action, resource, caller, () -> keys);
  }

  private PolicyRequest(String action, String resource, Principal caller, Supplier<Map<String, List<String>>> keys) {
    this.action = Objects.requireNonNull(action, "action");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.source = keys;
  }

  /**
   * A request whose condition keys are computed only if a statement that could apply to it needs them:
   * most requests to a bucket with a policy match no statement's resource, and computing the keys (the
   * time, the address, headers, the query) cost more than evaluating the policy.
   */
  public static PolicyRequest lazy(String action, String resource, Principal caller,
      Supplier<Map<String, List<String>>> keys) {
    return new PolicyRequest(action, resource, caller, keys);
  }

  public String action() {
    return action;
  }

  public String resource() {
    return resource;
  }

  public Principal caller() {
    return caller;
  }

  /** The condition keys, lower-cased, with the caller's principal keys. */
  public Map<String, List<String>> keys() {
    if (keys == null) {
      keys = build(source.get(), caller);
      source = null;
    }
    return keys;
  }

  private static Map<String, List<String>> build(Map<String, List<String>> given, Principal caller) {
    // Lower-cased once here, so each condition (its key lower-cased at parse time) is one hash lookup.
    Map<String, List<String>> m = new HashMap<>();
    if (given != null) {
      given.forEach((k, v) -> m.put(lower(k), List.copyOf(v)));
    }
    // The principal keys follow from the caller; a caller that computed them already wins.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltype
    if (caller.isAnonymous()) {
      m.putIfAbsent("aws:principaltype", List.of("Anonymous"));
    } else {
      m.putIfAbsent("aws:username", List.of(caller.displayName()));
      m.putIfAbsent("aws:userid", List.of(caller.userId()));
      m.putIfAbsent("aws:principaltype", List.of("User"));
    }
    return Collections.unmodifiableMap(m);
  }

  /** A request with one value per key (the usual case). */
  public static PolicyRequest of(String action, String resource, Principal caller, Map<String, String> keys) {
    Map<String, List<String>> m = new HashMap<>();
    keys.forEach((k, v) -> m.put(k, List.of(v)));
    return new PolicyRequest(action, resource, caller, m);
  }

  /**
   * Adds the global condition keys of a request's connection and time to {@code keys}: aws:SourceIp
   * (without an IPv6 zone, which is no part of the address; absent when unknown), aws:SecureTransport,
   * aws:CurrentTime and aws:EpochTime (whole seconds)
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). Every front
   * end that asks a policy (the S3 API, the console's live tail) fills them here, so they mean the same
   * everywhere. Only the keys in {@code wanted} (lower-cased names; null: all) are computed.
   */
  public static void addGlobalKeys(Map<String, List<String>> keys, String sourceIp, boolean tls, Instant now,
      Set<String> wanted) {
    if (sourceIp != null && (wanted == null || wanted.contains("aws:sourceip"))) {
      int zone = sourceIp.indexOf('%');
      keys.put("aws:SourceIp", List.of(zone < 0 ? sourceIp : sourceIp.substring(0, zone)));
    }
    if (wanted == null || wanted.contains("aws:securetransport")) {
      keys.put("aws:SecureTransport", List.of(Boolean.toString(tls)));
    }
    if (wanted == null || wanted.contains("aws:currenttime") || wanted.contains("aws:epochtime")) {
      Instant t = now.truncatedTo(ChronoUnit.SECONDS);
      keys.put("aws:CurrentTime", List.of(t.toString()));
      keys.put("aws:EpochTime", List.of(Long.toString(t.getEpochSecond())));
    }
  }

  /** {@code arn:aws:s3:::bucket}, the resource of a bucket operation. */
  public static String bucketArn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }

  /** {@code arn:aws:s3:::bucket/key}, the resource of an object operation (the key as stored, not encoded). */
  public static String objectArn(String bucket, String key) {
    return "arn:aws:s3:::" + bucket + "/" + key;
  }

  /** The values of a condition key given in lower case, or null when the request lacks it. */
  List<String> values(String lowerKey) {
    return keys().get(lowerKey);
  }

  /** The first value of a key given in lower case, or null: what a policy variable stands for. */
  String first(String lowerKey) {
    List<String> v = keys().get(lowerKey);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The lower-cased action name: actions compare case-insensitively. */
  String actionLower() {
    return lower(action);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
