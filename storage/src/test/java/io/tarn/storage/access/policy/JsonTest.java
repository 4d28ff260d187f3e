package io.tarn.storage.access.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON reader under the policy parser. */
class JsonTest {
  @Test
  void readsEveryKindOfValue() throws Exception {
    Object v = Json.parse(" {\"s\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"n\":-1.5e+3,\"z\":0,\"t\":true,"
        + "\"f\":false,\"x\":null,\"a\":[1,[],{}]} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals("a\"\\/\b\f\n\r\té😀", m.get("s"));
    assertEquals(new Json.Num("-1.5e+3"), m.get("n"));
    assertEquals(new Json.Num("0"), m.get("z"));
    assertEquals(Boolean.TRUE, m.get("t"));
    assertEquals(Boolean.FALSE, m.get("f"));
    assertSame(Json.NULL, m.get("x"));
    assertEquals(List.of(new Json.Num("1"), List.of(), Map.of()), m.get("a"));
  }

  @Test
  void refusesWhatIsNotStrictJson() {
    for (String bad : new String[] {"", "{", "{\"a\":1,}", "[1,]", "{a:1}", "{'a':1}", "01", "1.", "-", "1e", "tru",
        "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "{\"a\":1}{}", "{\"a\" 1}", "[1 2]", "NaN"}) {
      MalformedPolicyException e = assertThrows(MalformedPolicyException.class, () -> Json.parse(bad), bad);
      assertEquals("Invalid policy syntax.", e.getMessage(), bad);
    }
  }

  @Test
  void refusesADuplicateMemberName() {
    assertEquals("Invalid policy syntax: duplicate field a",
        assertThrows(MalformedPolicyException.class, () -> Json.parse("{\"a\":1,\"b\":2,\"a\":3}")).getMessage());
  }

  @Test
  void nestsAtMost32Levels() throws Exception {
    Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
    String deeper = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThrows(MalformedPolicyException.class, () -> Json.parse(deeper));
    // Far deeper than any stack allows for unbounded recursion: refused, no StackOverflowError.
    String hostile = "[".repeat(1_000_000);
    assertThrows(MalformedPolicyException.class, () -> Json.parse(hostile));
  }
}
