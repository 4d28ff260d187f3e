package io.tarn.storage.access.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy string compiled once at parse time: literal text, the wildcards {@code *} (any run of
 * characters) and {@code ?} (one character) where the element allows them, and policy variables
 * ({@code ${aws:username}}, {@code ${s3:prefix, 'default'}}, and {@code ${*}}, {@code ${?}}, {@code
 * ${$}} for the literal characters) where the policy's Version allows them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html). A variable's
 * value is matched as literal text, never as a wildcard, so a user named {@code a*} matches only
 * {@code a*}. A variable whose key the request lacks and that has no default makes the string match
 * nothing, as AWS does.
 */
final class Glob {
  private static final int STAR = -1;
  private static final int ONE = -2;

  /** A part: literal text, a wildcard, or a variable. */
  private sealed interface Part permits Text, Wild, Var {}

  private record Text(String text) implements Part {}

  private record Wild(int kind) implements Part {}

  /** A variable: its key lower-cased (key names are case-insensitive), its default or null. */
  private record Var(String key, String fallback) implements Part {}

  private final String source;
  private final List<Part> parts;
  private final boolean wildcards;
  private final boolean variables;

  /** The matcher's pattern when there is no variable: built once, not per request. */
  private final int[] fixed;
  /**
   * The literal text a match must start with (the pattern's text before its first wildcard or
   * variable), checked before the matcher: most patterns of a policy (a prefix per statement) reject
   * most inputs on their first characters.
   */
  private final String prefix;

  private Glob(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
    this.wildcards = parts.stream().anyMatch(p -> p instanceof Wild);
    this.variables = parts.stream().anyMatch(p -> p instanceof Var);
    this.fixed = variables ? null : expand(null);
    this.prefix = !parts.isEmpty() && parts.get(0) instanceof Text t ? t.text() : "";
  }

  /**
   * Compiles {@code pattern}.
   *
   * @param wildcards whether {@code *} and {@code ?} are wildcards (else literal)
   * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17; else literal)
   */
  static Glob compile(String pattern, boolean wildcards, boolean variables) {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      int close;
      if (variables && c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{'
          && (close = pattern.indexOf('}', i + 2)) > 0) {
        String inner = pattern.substring(i + 2, close).trim();
        if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
          text.append(inner);
        } else {
          flush(text, parts);
          parts.add(variable(inner));
        }
        i = close + 1;
        continue;
      }
      if (wildcards && (c == '*' || c == '?')) {
        flush(text, parts);
        parts.add(new Wild(c == '*' ? STAR : ONE));
      } else {
        text.append(c);
      }
      i++;
    }
    flush(text, parts);
    return new Glob(pattern, parts);
  }

  /** {@code key} or {@code key, 'default'} (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values). */
  private static Var variable(String inner) {
    int comma = inner.indexOf(',');
    if (comma < 0) {
      return new Var(PolicyRequest.lower(inner), null);
    }
    String fallback = inner.substring(comma + 1).trim();
    if (fallback.length() >= 2 && fallback.startsWith("'") && fallback.endsWith("'")) {
      fallback = fallback.substring(1, fallback.length() - 1);
    }
    return new Var(PolicyRequest.lower(inner.substring(0, comma).trim()), fallback);
  }

  private static void flush(StringBuilder text, List<Part> parts) {
    if (text.length() > 0) {
      parts.add(new Text(text.toString()));
      text.setLength(0);
    }
  }

  String source() {
    return source;
  }

  /** The condition keys its policy variables name, lower-cased. */
  void collectVariableKeys(java.util.Set<String> out) {
    for (Part p : parts) {
      if (p instanceof Var v) {
        out.add(v.key());
      }
    }
  }

  /** The literal text (no wildcards), variables resolved; null if a variable has no value. */
  String resolve(PolicyRequest request) {
    if (!variables && !wildcards) {
      return parts.isEmpty() ? "" : ((Text) parts.get(0)).text();
    }
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Text t) {
        b.append(t.text());
      } else if (p instanceof Var v) {
        String value = value(v, request);
        if (value == null) {
          return null;
        }
        b.append(value);
      } else {
        b.append(((Wild) p).kind() == STAR ? '*' : '?');
      }
    }
    return b.toString();
  }

  /**
   * Whether {@code input} matches, wildcards included, variables resolved against {@code request}.
   * Case-sensitive: where a policy element is not (actions), the parser lower-cases the pattern and the
   * caller the input.
   */
  boolean matches(String input, PolicyRequest request) {
    if (!wildcards) {
      String literal = resolve(request);
      return input.equals(literal);
    }
    if (!input.startsWith(prefix)) {
      return false;
    }
    int[] pattern = fixed != null ? fixed : expand(request);
    return pattern != null && match(pattern, input);
  }

  private int[] expand(PolicyRequest request) {
    int n = 0;
    String[] values = new String[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      if (p instanceof Text t) {
        n += t.text().length();
      } else if (p instanceof Var v) {
        values[i] = value(v, request);
        if (values[i] == null) {
          return null;
        }
        n += values[i].length();
      } else {
        n++;
      }
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      String t = p instanceof Text text ? text.text() : values[i];
      if (t != null) {
        for (int j = 0; j < t.length(); j++) {
          out[k++] = t.charAt(j);
        }
      } else {
        out[k++] = ((Wild) p).kind();
      }
    }
    return out;
  }

  private static String value(Var v, PolicyRequest request) {
    String value = request == null ? null : request.first(v.key());
    return value != null ? value : v.fallback();
  }

  /**
   * Glob matching with one backtrack point (the last {@code *}): linear in practice, never exponential,
   * so a hostile pattern such as {@code a*a*a*a*b} costs at most pattern × input steps.
   */
  private static boolean match(int[] p, String s) {
    int pi = 0;
    int si = 0;
    int starP = -1;
    int starS = 0;
    while (si < s.length()) {
      if (pi < p.length && (p[pi] == ONE || p[pi] == s.charAt(si))) {
        pi++;
        si++;
      } else if (pi < p.length && p[pi] == STAR) {
        starP = pi++;
        starS = si;
      } else if (starP >= 0) {
        pi = starP + 1;
        si = ++starS;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] == STAR) {
      pi++;
    }
    return pi == p.length;
  }

  @Override
  public String toString() {
    return source;
  }
}
