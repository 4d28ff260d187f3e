package io.tarn.storage.access.policy;

import io.tarn.core.IpRange;
import io.tarn.storage.access.policy.ConditionOperator.Family;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One condition: an operator (with its {@code IfExists} suffix and {@code ForAnyValue:}/{@code
 * ForAllValues:} qualifier), one key and its policy values, compiled at parse time. Several values are
 * alternatives (any may match); the conditions of a statement must all hold
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
 */
final class Condition {
  /** The set qualifier of a multivalued key. */
  enum Qualifier {
    NONE,
    FOR_ANY_VALUE,
    FOR_ALL_VALUES
  }

  private static final String IF_EXISTS = "ifexists";

  final ConditionOperator operator;
  final Qualifier qualifier;
  final boolean ifExists;
  final String key;
  private final String lowerKey;
  final List<String> policyValues;
  private final List<Object> compiled;

  private Condition(ConditionOperator operator, Qualifier qualifier, boolean ifExists, String key,
      List<String> policyValues, List<Object> compiled) {
    this.operator = operator;
    this.qualifier = qualifier;
    this.ifExists = ifExists;
    this.key = key;
    this.lowerKey = PolicyRequest.lower(key);
    this.policyValues = List.copyOf(policyValues);
    this.compiled = List.copyOf(compiled);
  }

  /**
   * Compiles one condition.
   *
   * @param name the operator as written, e.g. {@code ForAnyValue:StringLikeIfExists}
   * @param variables whether policy variables are expanded (Version 2012-10-17)
   */
  static Condition parse(String name, String key, List<String> values, boolean variables)
      throws MalformedPolicyException {
    String op = name;
    Qualifier qualifier = Qualifier.NONE;
    String lower = op.toLowerCase(Locale.ROOT);
    if (lower.startsWith("foranyvalue:")) {
      qualifier = Qualifier.FOR_ANY_VALUE;
      op = op.substring("ForAnyValue:".length());
    } else if (lower.startsWith("forallvalues:")) {
      qualifier = Qualifier.FOR_ALL_VALUES;
      op = op.substring("ForAllValues:".length());
    }
    boolean ifExists = op.toLowerCase(Locale.ROOT).endsWith(IF_EXISTS);
    if (ifExists) {
      op = op.substring(0, op.length() - IF_EXISTS.length());
    }
    ConditionOperator operator = ConditionOperator.named(op);
    if (operator == null || (operator == ConditionOperator.NULL && (ifExists || qualifier != Qualifier.NONE))) {
      throw new MalformedPolicyException("Policy has an invalid condition operator: " + name);
    }
    requireKey(key);
    List<Object> compiled = new ArrayList<>();
    for (String v : values) {
      compiled.add(compile(operator.family, v, variables, name));
    }
    return new Condition(operator, qualifier, ifExists, key, values, compiled);
  }

  /**
   * Global keys ({@code aws:}) and S3's keys ({@code s3:}) are what S3 evaluates in a bucket policy;
   * another service's key can never be in an S3 request
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys).
   */
  private static void requireKey(String key) throws MalformedPolicyException {
    String k = key.toLowerCase(Locale.ROOT);
    boolean known = (k.startsWith("aws:") && k.length() > 4) || (k.startsWith("s3:") && k.length() > 3);
    if (!known) {
      throw new MalformedPolicyException("Policy has an invalid condition key");
    }
  }

  private static Object compile(Family family, String v, boolean variables, String op)
      throws MalformedPolicyException {
    Object c = switch (family) {
      case STRING, STRING_IGNORE_CASE -> Glob.compile(v, false, variables);
      case STRING_LIKE -> Glob.compile(v, true, variables);
      case ARN -> arn(v, variables);
      case NUMERIC -> number(v);
      case DATE -> date(v);
      case BOOL, NULL -> bool(v);
      case BINARY -> binary(v);
      case IP -> IpRange.parse(v);
    };
    if (c == null) {
      throw new MalformedPolicyException("Invalid value for condition operator " + op + ": " + v);
    }
    return c;
  }

  /**
   * ARN patterns match segment by segment: a wildcard never spans the colons of the first five parts
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
   */
  private static Glob[] arn(String v, boolean variables) {
    String[] parts = v.split(":", 6);
    if (parts.length < 6) {
      return new Glob[] {Glob.compile(v, true, variables)};
    }
    Glob[] out = new Glob[6];
    for (int i = 0; i < 6; i++) {
      out[i] = Glob.compile(parts[i], true, variables);
    }
    return out;
  }

  private static BigDecimal number(String v) {
    try {
      return new BigDecimal(v.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * ISO 8601 (a date, a date-time with or without an offset, UTC when none) or POSIX seconds, the
   * forms AWS accepts (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date).
   */
  static Instant date(String v) {
    String t = v.strip();
    Instant utc = utcSeconds(t);
    if (utc != null) {
      return utc;
    }
    if (!t.isEmpty() && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(t));
      } catch (NumberFormatException | java.time.DateTimeException e) {
        return null;
      }
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ssZ} read by hand, or null for any other text: the form of the request's
   * aws:CurrentTime, which every Date condition on it reads once per request. The general parsers cost
   * about a microsecond each, a tenth of a 10-statement policy's evaluation.
   */
  private static Instant utcSeconds(String t) {
    if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null; // an invalid date: the general parsers refuse it too
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second);
  }

  /** The decimal number in {@code t[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String t, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static Boolean bool(String v) {
    if (v.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    return v.equalsIgnoreCase("false") ? Boolean.FALSE : null;
  }

  private static byte[] binary(String v) {
    try {
      return Base64.getDecoder().decode(v.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether the condition holds. A key the request lacks: {@code ...IfExists} holds, {@code
   * ForAllValues} holds, {@code ForAnyValue} does not, a negated operator holds, any other does not
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
   */
  boolean holds(PolicyRequest request) {
    List<String> actual = request.values(lowerKey);
    boolean absent = actual == null || actual.isEmpty();
    if (operator == ConditionOperator.NULL) {
      // "Null": "true" holds when the key is absent, "false" when it is present.
      for (Object v : compiled) {
        if ((Boolean) v == absent) {
          return true;
        }
      }
      return false;
    }
    if (absent) {
      if (ifExists) {
        return true;
      }
      return switch (qualifier) {
        case FOR_ANY_VALUE -> false;
        case FOR_ALL_VALUES -> true;
        case NONE -> operator.negated;
      };
    }
    switch (qualifier) {
      case FOR_ANY_VALUE:
        for (String a : actual) {
          if (matchesAny(a, request) != operator.negated) {
            return true;
          }
        }
        return false;
      case FOR_ALL_VALUES:
        for (String a : actual) {
          if (matchesAny(a, request) == operator.negated) {
            return false;
          }
        }
        return true;
      default:
        boolean any = false;
        for (String a : actual) {
          any |= matchesAny(a, request);
        }
        return any != operator.negated;
    }
  }

  /** Whether the request value matches one of the policy values (before any negation). */
  private boolean matchesAny(String actual, PolicyRequest request) {
    Family family = operator.family;
    for (Object c : compiled) {
      if (matches(family, c, actual, request)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(Family family, Object c, String actual, PolicyRequest request) {
    switch (family) {
      case STRING: {
        String expected = ((Glob) c).resolve(request);
        return actual.equals(expected);
      }
      case STRING_IGNORE_CASE: {
        String expected = ((Glob) c).resolve(request);
        return expected != null && actual.equalsIgnoreCase(expected);
      }
      case STRING_LIKE:
        return ((Glob) c).matches(actual, request);
      case ARN:
        return arnMatches((Glob[]) c, actual, request);
      case NUMERIC: {
        BigDecimal a = number(actual);
        return a != null && operator.compare.holds(a.compareTo((BigDecimal) c));
      }
      case DATE: {
        Instant a = date(actual);
        return a != null && operator.compare.holds(a.compareTo((Instant) c));
      }
      case BOOL:
        return c.equals(bool(actual));
      case BINARY: {
        byte[] a = binary(actual);
        return a != null && Arrays.equals(a, (byte[]) c);
      }
      case IP:
        return ((IpRange) c).contains(IpRange.address(actual));
      default:
        return false;
    }
  }

  private static boolean arnMatches(Glob[] pattern, String actual, PolicyRequest request) {
    if (pattern.length == 1) {
      return pattern[0].matches(actual, request);
    }
    String[] parts = actual.split(":", 6);
    if (parts.length != 6) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      if (!pattern[i].matches(parts[i], request)) {
        return false;
      }
    }
    return true;
  }

  /** Adds the condition keys this condition reads: its key and its values' policy variables, lower-cased. */
  void collectKeys(java.util.Set<String> out) {
    out.add(lowerKey);
    for (Object c : compiled) {
      if (c instanceof Glob g) {
        g.collectVariableKeys(out);
      } else if (c instanceof Glob[] gs) {
        for (Glob g : gs) {
          g.collectVariableKeys(out);
        }
      }
    }
  }

  /** The compiled values: {@link Glob}, {@link IpRange}, … (for the public-policy test). */
  List<Object> compiled() {
    return compiled;
  }
}
