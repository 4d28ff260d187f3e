package io.tarn.storage.access.policy;

import io.tarn.core.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The callers a {@code Principal} or {@code NotPrincipal} element names
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 *
 * <p>Tarn has one account and no IAM, so a Tarn user is named by the ARN of an IAM user without an
 * account id, {@code arn:aws:iam:::user/NAME}, or by its canonical id, {@code {"CanonicalUser":
 * "<64 hex>"}}. {@code "*"} and {@code {"AWS": "*"}} name everyone, anonymous callers included. A
 * {@code Service} principal is accepted (policies written for AWS carry them) and never matches a
 * Tarn caller. Any other form is refused with S3's "Invalid principal in policy"; so is a partial
 * wildcard, which AWS does not allow in a principal either.
 */
final class PrincipalSet {
  static final String USER_ARN_PREFIX = "arn:aws:iam:::user/";
  /** Tarn's user-name rule (storage identity): letters, digits and {@code ._@+-}, at most 64. */
  private static final Pattern USER_ARN = Pattern.compile("arn:aws:iam:::user/([A-Za-z0-9._@+-]{1,64})");
  private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{64}");

  private final boolean everyone;
  private final Set<String> userNames;
  private final Set<String> canonicalIds;

  private PrincipalSet(boolean everyone, Set<String> userNames, Set<String> canonicalIds) {
    this.everyone = everyone;
    this.userNames = Set.copyOf(userNames);
    this.canonicalIds = Set.copyOf(canonicalIds);
  }

  static PrincipalSet parse(Object element) throws MalformedPolicyException {
    if ("*".equals(element)) {
      return new PrincipalSet(true, Set.of(), Set.of());
    }
    if (!(element instanceof Map<?, ?> map) || map.isEmpty()) {
      throw invalid();
    }
    boolean everyone = false;
    Set<String> names = new LinkedHashSet<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String type = (String) e.getKey();
      List<String> values = PolicyParser.strings(e.getValue(), invalid());
      for (String v : values) {
        switch (type) {
          case "AWS" -> {
            Matcher m = USER_ARN.matcher(v);
            if (v.equals("*")) {
              everyone = true;
            } else if (m.matches()) {
              names.add(m.group(1));
            } else {
              throw invalid();
            }
          }
          case "CanonicalUser" -> {
            if (!CANONICAL.matcher(v).matches()) {
              throw invalid();
            }
            ids.add(v.toLowerCase(Locale.ROOT));
          }
          case "Service" -> {
            if (v.isBlank() || v.contains("*")) {
              throw invalid();
            }
          }
          default -> throw invalid();
        }
      }
    }
    return new PrincipalSet(everyone, names, ids);
  }

  private static MalformedPolicyException invalid() {
    return new MalformedPolicyException("Invalid principal in policy");
  }

  /** Whether the element names {@code caller}. The anonymous caller is named only by a wildcard. */
  boolean names(Principal caller) {
    if (everyone) {
      return true;
    }
    if (caller.isAnonymous()) {
      return false;
    }
    return userNames.contains(caller.displayName()) || canonicalIds.contains(caller.userId());
  }

  /** Whether the element names everyone ({@code "*"} or {@code {"AWS": "*"}}). */
  boolean everyone() {
    return everyone;
  }

  Set<String> userNames() {
    return userNames;
  }

  Set<String> canonicalIds() {
    return canonicalIds;
  }
}
