package io.tarn.storage.access.policy;

import java.util.List;

/**
 * One parsed statement. Exactly one of each pair is set: {@code principal}/{@code notPrincipal},
 * {@code actions}/{@code notActions}, {@code resources}/{@code notResources}; the other is null.
 *
 * @param sid the statement id, or null
 * @param allow the Effect: true for Allow, false for Deny
 */
record Statement(String sid, boolean allow, PrincipalSet principal, PrincipalSet notPrincipal,
    List<Glob> actions, List<Glob> notActions, List<Glob> resources, List<Glob> notResources,
    List<Condition> conditions) {

  /**
   * Whether the statement applies to the request ({@code actionLower}: its action lower-cased): principal, action and resource match and every
   * condition holds (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
   */
  boolean applies(PolicyRequest r, String actionLower) {
    return coversAction(actionLower) && appliesToItsAction(r);
  }

  /**
   * Whether the statement's Action (NotAction) covers {@code actionLower}. Action names are
   * case-insensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html):
   * the patterns are lower-cased at parse time, the request's action by the caller. Actions have no
   * policy variables, so the answer depends on the action alone (BucketPolicy caches it per action).
   */
  boolean coversAction(String actionLower) {
    return actions != null ? any(actions, actionLower, null) : !any(notActions, actionLower, null);
  }

  /** Whether the statement applies to a request whose action it covers: principal, resource, conditions. */
  boolean appliesToItsAction(PolicyRequest r) {
    boolean principalMatches = principal != null ? principal.names(r.caller()) : !notPrincipal.names(r.caller());
    if (!principalMatches) {
      return false;
    }
    // Resource ARNs are case-sensitive.
    boolean resourceMatches = resources != null ? any(resources, r.resource(), r)
        : !any(notResources, r.resource(), r);
    if (!resourceMatches) {
      return false;
    }
    for (Condition c : conditions) {
      if (!c.holds(r)) {
        return false;
      }
    }
    return true;
  }

  /** Adds the condition keys the statement reads (its conditions, its resources' variables), lower-cased. */
  void collectKeys(java.util.Set<String> out) {
    for (Condition c : conditions) {
      c.collectKeys(out);
    }
    for (List<Glob> globs : java.util.Arrays.asList(resources, notResources)) {
      if (globs != null) {
        globs.forEach(g -> g.collectVariableKeys(out));
      }
    }
  }

  private static boolean any(List<Glob> patterns, String value, PolicyRequest r) {
    for (Glob g : patterns) {
      if (g.matches(value, r)) {
        return true;
      }
    }
    return false;
  }
}
