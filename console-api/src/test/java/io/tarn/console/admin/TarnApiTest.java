package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tarn.storage.StorageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prefix routing and the error net of {@link io.tarn.console.TarnApi}. */
class TarnApiTest extends AdminTestSupport {
  private FakeIdentityStore fake() {
    return (FakeIdentityStore) identity;
  }

  @Test
  void unknownPrefixesAre404Json() {
    for (String path : List.of("/api/buckets", "/admin", "/admin/v2/users", "/admin/v10/users", "/", "")) {
      assertError(callRaw(root, "GET", path, null), 404, "NotFound", "no API at \"" + path + "\"");
    }
    assertError(callRaw(root, "GET", "/admin/v1", null), 404, "NotFound", "no admin API endpoint at \"\"");
  }

  @Test
  void wrongMethodIs405WithAllow() {
    Resp r = call(root, "DELETE", "/keys");
    assertError(r, 405, "MethodNotAllowed", "DELETE is not allowed on /keys; allowed: GET, POST");
    assertEquals("GET, POST", r.headers().get("Allow"));
    assertEquals(io.tarn.core.api.ApiResponse.SECURITY_HEADERS.size() + 1, r.headers().size(), r.headers().toString());
  }

  @Test
  void unexpectedFailuresAre500WithoutDetails() {
    fake().failUsers = new IllegalStateException("secret internal detail /var/lib/tarn");
    Resp r = call(root, "GET", "/users");
    assertError(r, 500, "InternalError", io.tarn.console.ApiErrors.INTERNAL_MESSAGE);
    assertFalse(r.raw().contains("secret internal detail"));
    // The detail goes to the front end, which logs every 5xx once with its request id.
    assertSame(fake().failUsers, r.cause());
  }

  @Test
  void storageIoFailuresAre500WithoutTheirMessage() {
    fake().failUsers = new StorageException(StorageException.Kind.IO, "rocksdb: /data/meta/000012.sst corrupt");
    Resp r = call(root, "GET", "/users");
    assertError(r, 500, "InternalError", io.tarn.console.ApiErrors.INTERNAL_MESSAGE);
    assertFalse(r.raw().contains("rocksdb"));
    assertSame(fake().failUsers, r.cause());
  }

  @Test
  void storageClientFailuresKeepTheirMessage() {
    fake().failUsers = new StorageException(StorageException.Kind.CONFLICT, "user x changed meanwhile");
    Resp r = call(root, "GET", "/users");
    assertError(r, 409, "Conflict", "user x changed meanwhile");
    assertNull(r.cause(), "a client-facing failure is not logged");
  }
}
