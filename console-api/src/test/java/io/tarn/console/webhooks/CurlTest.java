package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurlTest {
  @Test
  void everyArgumentIsSingleQuotedAndAQuoteIsClosedEscapedAndReopened() {
    assertEquals("'it'\\''s $HOME `x`'", Curl.quote("it's $HOME `x`"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Tarn-Event", "ObjectCreated:Put");
    assertEquals("curl -sS -X POST 'http://h/p?a=1&b=2' \\\n  -H 'Content-Type: application/json' \\\n"
        + "  -H 'X-Tarn-Event: ObjectCreated:Put' \\\n  --data-binary '{\"k\":\"a'\\''b\"}'",
        Curl.post("http://h/p?a=1&b=2", headers, "{\"k\":\"a'b\"}"));
  }
}
