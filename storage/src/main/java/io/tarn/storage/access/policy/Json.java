package io.tarn.storage.access.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for policy documents (RFC 8259), JDK only: the storage module keeps Jackson out
 * (its enforcer rule), and a policy needs less than a general reader and more checks than a lenient
 * one. Objects become insertion-ordered maps, arrays lists, strings {@link String}, numbers their
 * source text as {@link Num}, {@code true}/{@code false} {@link Boolean}, {@code null} {@link #NULL}.
 * A duplicate member name is refused: readers disagree on which one wins, and a policy must mean one
 * thing. Nesting is bounded, so a deep document cannot exhaust the stack.
 */
final class Json {
  /** JSON's {@code null}. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A number, kept as written: policy values are compared as text or parsed by their operator. */
  record Num(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  static final int MAX_DEPTH = 32;

  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Parses one JSON value spanning the whole text. @throws MalformedPolicyException if it is not JSON */
  static Object parse(String text) throws MalformedPolicyException {
    Json p = new Json(text);
    p.skipSpace();
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw syntax();
    }
    return v;
  }

  static MalformedPolicyException syntax() {
    return new MalformedPolicyException("Invalid policy syntax.");
  }

  private Object value(int depth) throws MalformedPolicyException {
    if (depth >= MAX_DEPTH) {
      throw syntax();
    }
    if (pos >= s.length()) {
      throw syntax();
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw syntax();
    }
  }

  private Map<String, Object> object(int depth) throws MalformedPolicyException {
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(m);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw syntax();
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      Object v = value(depth + 1);
      if (m.put(name, v) != null) {
        throw new MalformedPolicyException("Invalid policy syntax: duplicate field " + name);
      }
      skipSpace();
      char c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(m);
      }
      if (c != ',') {
        throw syntax();
      }
    }
  }

  private List<Object> array(int depth) throws MalformedPolicyException {
    pos++;
    List<Object> l = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(l);
    }
    while (true) {
      skipSpace();
      l.add(value(depth + 1));
      skipSpace();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(l);
      }
      if (c != ',') {
        throw syntax();
      }
    }
  }

  private String string() throws MalformedPolicyException {
    pos++; // the opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw syntax(); // control characters must be escaped
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw syntax();
          }
          int cp = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos++), 16);
            if (d < 0) {
              throw syntax();
            }
            cp = cp * 16 + d;
          }
          b.append((char) cp);
        }
        default -> throw syntax();
      }
    }
  }

  private Num number() throws MalformedPolicyException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (digits() == 0) {
      throw syntax();
    }
    if (peek() == '.') {
      pos++;
      if (digits() == 0) {
        throw syntax();
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (digits() == 0) {
        throw syntax();
      }
    }
    return new Num(s.substring(start, pos));
  }

  private int digits() {
    int n = 0;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
      n++;
    }
    return n;
  }

  private Object literal(String word, Object value) throws MalformedPolicyException {
    if (!s.startsWith(word, pos)) {
      throw syntax();
    }
    pos += word.length();
    return value;
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private char next() throws MalformedPolicyException {
    if (pos >= s.length()) {
      throw syntax();
    }
    return s.charAt(pos++);
  }

  private void expect(char c) throws MalformedPolicyException {
    if (next() != c) {
      throw syntax();
    }
  }
}
