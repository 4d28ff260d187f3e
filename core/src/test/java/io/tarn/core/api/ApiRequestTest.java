package io.tarn.core.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Principal;
import io.tarn.core.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiRequestTest {
  private static final Principal ALICE = new Principal("a".repeat(64), "alice", "AKID", Role.USER);

  private static ApiRequest request(Map<String, List<String>> query, Map<String, String> headers) {
    return new ApiRequest("GET", "/api/v1/buckets", query, headers, new byte[] {1, 2}, Optional.empty(), "REQ", "10.0.0.1");
  }

  @Test
  void paramIsTheFirstValue() {
    ApiRequest r = request(Map.of("prefix", List.of("a/", "b/"), "flag", List.of(""), "none", List.of()), Map.of());
    assertEquals(Optional.of("a/"), r.param("prefix"));
    assertEquals(Optional.of(""), r.param("flag"), "a bare name has an empty value");
    assertEquals(Optional.empty(), r.param("none"));
    assertEquals(Optional.empty(), r.param("missing"));
    assertEquals(Optional.empty(), r.param("Prefix"), "parameter names are case-sensitive");
  }

  /** Headers are stored with lower-case names; the lookup takes any case. */
  @Test
  void headerLookupIgnoresCase() {
    ApiRequest r = request(Map.of(), Map.of("content-type", "application/json", "origin", "https://h"));
    assertEquals(Optional.of("application/json"), r.header("Content-Type"));
    assertEquals(Optional.of("application/json"), r.header("CONTENT-TYPE"));
    assertEquals(Optional.of("https://h"), r.header("origin"));
    assertEquals(Optional.empty(), r.header("Cookie"));
  }

  @Test
  void thePlainHttpConstructorIsNotTls() {
    assertFalse(request(Map.of(), Map.of()).tls());
  }

  @Test
  void withPrincipalChangesOnlyThePrincipal() {
    ApiRequest r = new ApiRequest("POST", "/p", Map.of("q", List.of("1")), Map.of("h", "v"), new byte[] {9},
        Optional.empty(), "REQ", "::1", true);
    ApiRequest signed = r.withPrincipal(ALICE);
    assertEquals(Optional.of(ALICE), signed.principal());
    assertEquals(Optional.empty(), r.principal());
    assertEquals("POST", signed.method());
    assertEquals("/p", signed.path());
    assertEquals(r.query(), signed.query());
    assertEquals(r.headers(), signed.headers());
    assertArrayEquals(new byte[] {9}, signed.body());
    assertEquals("REQ", signed.requestId());
    assertEquals("::1", signed.sourceIp());
    assertTrue(signed.tls());
  }
}
