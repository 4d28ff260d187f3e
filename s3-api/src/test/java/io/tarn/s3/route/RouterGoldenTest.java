package io.tarn.s3.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tarn.core.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the golden routing table {@code golden/routes.txt} (format described in the file). */
class RouterGoldenTest {
  static final Router ROUTER =
      new Router(List.of("s3.amazonaws.com", "s3.us-west-2.amazonaws.com", "s3.example.com", "localhost"));

  record Case(int line, String method, String target, Map<String, String> headers, String expected) {
    String actual() {
      try {
        return render((Record) ROUTER.route(method, headers.get("host"), target, RequestHeaders.of(headers)));
      } catch (S3Exception e) {
        return "!" + e.error().code();
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> goldenRoutes() throws IOException {
    return load().stream().map(c -> DynamicTest.dynamicTest(
        "line " + c.line() + ": " + c.method() + " " + c.target(),
        () -> assertEquals(c.expected(), c.actual(), "routes.txt line " + c.line())));
  }

  /** Every operation record appears at least once as an expected result. */
  @Test
  void tableCoversEveryOperation() throws IOException {
    Set<String> expectedNames = new TreeSet<>();
    for (Case c : load()) {
      expectedNames.add(c.expected().split(" ", 2)[0]);
    }
    Set<String> missing = new TreeSet<>();
    collectRecords(S3Operation.class, missing);
    missing.removeAll(expectedNames);
    assertEquals(Set.of(), missing);
  }

  private static void collectRecords(Class<?> type, Set<String> out) {
    for (Class<?> c : type.getPermittedSubclasses()) {
      if (c.isRecord()) {
        out.add(c.getSimpleName());
      } else {
        collectRecords(c, out);
      }
    }
  }

  static List<Case> load() throws IOException {
    List<String> lines;
    try (InputStream in = RouterGoldenTest.class.getResourceAsStream("/golden/routes.txt")) {
      if (in == null) {
        throw new IOException("golden/routes.txt not on the test class path");
      }
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<Case> cases = new ArrayList<>();
    int start = 0;
    String[] request = null;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        if (request != null) {
          fail("routes.txt line " + (i + 1) + ": case without an expectation");
        }
      } else if (request == null) {
        request = line.split(" ", 2);
        start = i + 1;
        if (request.length != 2) {
          fail("routes.txt line " + start + ": expected 'METHOD TARGET'");
        }
      } else if (line.startsWith("-> ")) {
        cases.add(new Case(start, request[0], request[1], Map.copyOf(headers), line.substring(3)));
        request = null;
        headers.clear();
      } else {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          fail("routes.txt line " + (i + 1) + ": expected 'Name: value'");
        }
        headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    assertTrue(cases.size() > 100, "routes.txt has only " + cases.size() + " cases");
    return cases;
  }

  /** {@code Name field=value ...}, omitting null, false, 0 and {@link ResponseOverrides#NONE}. */
  static String render(Record r) {
    StringBuilder sb = new StringBuilder(r.getClass().getSimpleName());
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      Object v;
      try {
        v = rc.getAccessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(e);
      }
      if (v == null || Boolean.FALSE.equals(v) || Integer.valueOf(0).equals(v) || ResponseOverrides.NONE.equals(v)) {
        continue;
      }
      sb.append(' ').append(rc.getName()).append('=');
      if (v instanceof String s) {
        sb.append(quote(s));
      } else if (v instanceof Record nested) {
        String inner = render(nested);
        int space = inner.indexOf(' ');
        sb.append(space < 0 ? inner + "()" : inner.substring(0, space) + "(" + inner.substring(space + 1) + ")");
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
