package io.tarn.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Humanised sizes and times, tables, and the request pieces the client builds. */
final class AdminViewsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0, 0 B",
      "1023, 1023 B",
      "1024, 1.0 KiB",
      "1536, 1.5 KiB",
      "10240, 10 KiB",
      "1048575, 1.0 MiB",
      "1288490189, 1.2 GiB",
      "16106127360, 15 GiB",
      "1099511627776, 1.0 TiB",
      "9223372036854775807, 8.0 EiB"})
  void humanisesBytes(long n, String text) {
    assertEquals(text, Views.bytes(n));
  }

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({"0, 0s", "42, 42s", "61, 1m 1s", "3660, 1h 1m", "273900, 3d 4h 5m"})
  void humanisesUptime(long seconds, String text) {
    assertEquals(text, Views.uptime(seconds));
  }

  @Test
  void tableAlignsAndTrims() {
    Table t = new Table("NAME", "N", "NOTE").alignRight(1).row("a", "1", "").row("longer", "1234", "x");
    assertEquals("NAME       N  NOTE\na          1\nlonger  1234  x\n", t.render());
    assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
  }

  @Test
  void missingFieldsPrintAsDash() {
    var node = JsonNodeFactory.instance.objectNode().putNull("expires").put("name", "x");
    assertEquals("-", Views.text(node, "absent"));
    assertEquals("-", Views.text(node, "expires"));
    assertEquals("x", Views.text(node, "name"));
    assertEquals("never", Views.key(node).get("Expires"));
  }

  @Test
  void pathsEncodeEverySegment() {
    assertEquals("/_tarn/admin/v1/users/a%20b%2Fc%3F%23", ApiClient.path(ApiClient.ADMIN_PREFIX, "users", "a b/c?#"));
    assertEquals("/p/%2E%2E/%2E/a.b", ApiClient.path("/p", "..", ".", "a.b"));
    assertEquals(Exit.USAGE, assertThrows(CliException.class, () -> ApiClient.path("/p", "")).exit());
  }

  @Test
  void queryEncodesAndSkipsNulls() {
    Map<String, String> q = new java.util.LinkedHashMap<>();
    q.put("user", "a+b c");
    q.put("skip", null);
    assertEquals("user=a%2Bb%20c", ApiClient.rawQuery(q));
    assertEquals(null, ApiClient.rawQuery(Map.of()));
  }

  @Test
  void hostHeaderAsTheHttpClientSendsIt() {
    assertEquals("127.0.0.1:9000", ApiClient.hostHeader(URI.create("http://127.0.0.1:9000")));
    assertEquals("tarn.example", ApiClient.hostHeader(URI.create("http://tarn.example:80")));
    assertEquals("tarn.example", ApiClient.hostHeader(URI.create("https://tarn.example")));
    assertEquals("tarn.example:80", ApiClient.hostHeader(URI.create("https://tarn.example:80")));
    assertEquals("[::1]:9000", ApiClient.hostHeader(URI.create("http://[::1]:9000")));
  }
}
