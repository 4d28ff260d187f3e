package io.tarn.console.assets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.console.TarnApi;
import io.tarn.console.admin.AdminApi;
import io.tarn.console.admin.ServerInfo;
import io.tarn.console.session.ConsoleSessions;
import io.tarn.console.session.SessionOptions;
import io.tarn.console.webhooks.FakeWebhookService;
import io.tarn.console.webhooks.WebhooksApi;
import io.tarn.core.ManualClock;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.EventSink;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files through {@link TarnApi}, from a test directory ({@code io/tarn/console/testweb/}). */
class ConsoleAssetsTest {
  private static final String ROOT = "io/tarn/console/testweb/";
  @TempDir Path dir;
  private TarnStore store;
  private TarnApi api;

  @BeforeEach
  void open() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-06T08:00:00Z"));
    store = TarnStore.open(new StorageOptions(dir.resolve("data"), 1024, false), EventSink.NONE, clock);
    api = new TarnApi(new AdminApi(store, store.identity(), store.integrity(), store.backups(java.util.List.of()), clock, new ServerInfo("t", clock.instant(), dir)),
        new WebhooksApi(store, store.identity(), new FakeWebhookService(clock), clock),
        new ConsoleSessions(store.identity(), r -> Optional.empty(), clock, SessionOptions.defaults()),
        new ConsoleAssets(getClass().getClassLoader(), ROOT));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ApiResponse get(String path, String... headers) {
    return send("GET", path, headers);
  }

  private ApiResponse send(String method, String path, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", "tarn.test");
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    ApiResponse r = api.handle(new ApiRequest(method, path, Map.of(), h, new byte[0], Optional.empty(), "REQ", "127.0.0.1"));
    ApiResponse.SECURITY_HEADERS.forEach((name, value) -> assertEquals(value, r.headers().get(name), name + " on " + path));
    return r;
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = ConsoleAssetsTest.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      return in.readAllBytes();
    }
  }

  @Test
  void eachTypeHasItsContentType() throws IOException {
    Map<String, String> types = Map.of(
        "/console/", "text/html; charset=utf-8",
        "/console/sub/page.html", "text/html; charset=utf-8",
        "/console/app.js", "text/javascript; charset=utf-8",
        "/console/style.css", "text/css; charset=utf-8",
        "/console/logo.svg", "image/svg+xml",
        "/console/logo.png", "image/png",
        "/console/manifest.json", "application/json",
        "/console/font.woff2", "font/woff2");
    for (Map.Entry<String, String> t : types.entrySet()) {
      ApiResponse r = get(t.getKey());
      assertEquals(200, r.status(), t.getKey());
      assertEquals(t.getValue(), r.contentType(), t.getKey());
      assertEquals("no-cache", r.headers().get("Cache-Control"), t.getKey());
      assertNull(r.headers().get("Content-Encoding"), "no gzip unless asked");
    }
    assertArrayEquals(resource("index.html"), get("/console/").body());
    assertArrayEquals(resource("logo.png"), get("/console/logo.png").body());
  }

  @Test
  void aMatchingETagIsAnswered304() {
    ApiResponse first = get("/console/app.js");
    String etag = first.headers().get("ETag");
    assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
    ApiResponse again = get("/console/app.js", "if-none-match", etag);
    assertEquals(304, again.status());
    assertEquals(0, again.body().length);
    assertEquals(etag, again.headers().get("ETag"));
    assertEquals(304, get("/console/app.js", "if-none-match", "\"other\", W/" + etag).status());
    assertEquals(304, get("/console/app.js", "if-none-match", "*").status());
    assertEquals(200, get("/console/app.js", "if-none-match", "\"other\"").status());
    assertFalse(etag.equals(get("/console/style.css").headers().get("ETag")));
  }

  @Test
  void textIsGzippedWhenAcceptedAndCompressedTypesAreNot() throws IOException {
    ApiResponse plain = get("/console/app.js");
    ApiResponse gz = get("/console/app.js", "accept-encoding", "gzip, deflate, br");
    assertEquals("gzip", gz.headers().get("Content-Encoding"));
    assertEquals("Accept-Encoding", gz.headers().get("Vary"));
    assertTrue(gz.body().length < plain.body().length / 3, gz.body().length + " of " + plain.body().length);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertArrayEquals(resource("app.js"), in.readAllBytes());
    }
    // The gzipped bytes are another representation, with their own validator.
    String gzEtag = gz.headers().get("ETag");
    assertFalse(gzEtag.equals(plain.headers().get("ETag")));
    assertEquals(304, get("/console/app.js", "accept-encoding", "gzip", "if-none-match", gzEtag).status());
    assertNull(get("/console/app.js", "accept-encoding", "gzip;q=0").headers().get("Content-Encoding"));
    assertNull(get("/console/app.js", "accept-encoding", "identity").headers().get("Content-Encoding"));
    assertNull(get("/console/logo.png", "accept-encoding", "gzip").headers().get("Content-Encoding"));
    assertNull(get("/console/font.woff2", "accept-encoding", "gzip").headers().get("Content-Encoding"));
  }

  @Test
  void traversalAndDirectoriesAreRefused() {
    for (String path : List.of("/console/../admin/v1/users", "/console/sub/../index.html", "/console/./index.html",
        "/console//index.html", "/console/sub/", "/console/sub", "/console/dir.js", "/console/..", "/console/%2e%2e/index.html",
        "/console/sub\\..\\index.html", "/console/server.properties", "/console/missing.js", "/console/../testweb/index.html",
        "/console/index.html\u0000.js")) {
      ApiResponse r = get(path);
      assertEquals(404, r.status(), path);
      assertEquals(ApiResponse.JSON, r.contentType(), path);
    }
    assertEquals(200, get("/console/dir.js/x.js").status(), "a file inside is served");
  }

  @Test
  void theBarePrefixRedirectsAndWritesAre405() {
    ApiResponse r = get("/console");
    assertEquals(301, r.status());
    assertEquals("/_tarn/console/", r.headers().get("Location"));
    ApiResponse post = send("POST", "/console/index.html");
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.headers().get("Allow"));
    assertEquals(200, send("HEAD", "/console/app.js").status());
  }

  @Test
  void theJsonApiAnswersCarryTheHeadersToo() {
    assertEquals(403, get("/admin/v1/users").status());
    assertEquals(404, get("/nothing").status());
    assertEquals(401, get("/api/v1/session").status());
  }
}
