package io.tarn.storage.access.policy;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The condition operators of the IAM policy language, without their {@code IfExists} suffix and
 * {@code ForAnyValue:}/{@code ForAllValues:} qualifiers
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * A negated operator ({@code StringNotEquals}, {@code NotIpAddress}, …) is true when no policy value
 * matches, so it is also true when the request lacks the key.
 */
enum ConditionOperator {
  STRING_EQUALS("StringEquals", Family.STRING, Compare.EQ, false),
  STRING_NOT_EQUALS("StringNotEquals", Family.STRING, Compare.EQ, true),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING_IGNORE_CASE, Compare.EQ, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING_IGNORE_CASE, Compare.EQ, true),
  STRING_LIKE("StringLike", Family.STRING_LIKE, Compare.EQ, false),
  STRING_NOT_LIKE("StringNotLike", Family.STRING_LIKE, Compare.EQ, true),
  NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, Compare.EQ, false),
  NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, Compare.EQ, true),
  NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, Compare.LT, false),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, Compare.LE, false),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, Compare.GT, false),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, Compare.GE, false),
  DATE_EQUALS("DateEquals", Family.DATE, Compare.EQ, false),
  DATE_NOT_EQUALS("DateNotEquals", Family.DATE, Compare.EQ, true),
  DATE_LESS_THAN("DateLessThan", Family.DATE, Compare.LT, false),
  DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, Compare.LE, false),
  DATE_GREATER_THAN("DateGreaterThan", Family.DATE, Compare.GT, false),
  DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, Compare.GE, false),
  BOOL("Bool", Family.BOOL, Compare.EQ, false),
  BINARY_EQUALS("BinaryEquals", Family.BINARY, Compare.EQ, false),
  IP_ADDRESS("IpAddress", Family.IP, Compare.EQ, false),
  NOT_IP_ADDRESS("NotIpAddress", Family.IP, Compare.EQ, true),
  ARN_EQUALS("ArnEquals", Family.ARN, Compare.EQ, false),
  ARN_LIKE("ArnLike", Family.ARN, Compare.EQ, false),
  ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, Compare.EQ, true),
  ARN_NOT_LIKE("ArnNotLike", Family.ARN, Compare.EQ, true),
  NULL("Null", Family.NULL, Compare.EQ, false);

  /** How policy values are read and compared. */
  enum Family {
    STRING,
    STRING_IGNORE_CASE,
    STRING_LIKE,
    NUMERIC,
    DATE,
    BOOL,
    BINARY,
    IP,
    ARN,
    NULL
  }

  /** The comparison of the request value (left) with the policy value (right). */
  enum Compare {
    EQ,
    LT,
    LE,
    GT,
    GE;

    boolean holds(int cmp) {
      return switch (this) {
        case EQ -> cmp == 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
      };
    }
  }

  private static final Map<String, ConditionOperator> BY_NAME = new TreeMap<>();

  static {
    for (ConditionOperator o : values()) {
      BY_NAME.put(o.wireName.toLowerCase(Locale.ROOT), o);
    }
  }

  final String wireName;
  final Family family;
  final Compare compare;
  final boolean negated;

  ConditionOperator(String wireName, Family family, Compare compare, boolean negated) {
    this.wireName = wireName;
    this.family = family;
    this.compare = compare;
    this.negated = negated;
  }

  /**
   * The operator named {@code name}, its case ignored (the documentation spells each one way; reading
   * another casing the same way is harmless, its meaning is unambiguous); null if none.
   */
  static ConditionOperator named(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }
}
