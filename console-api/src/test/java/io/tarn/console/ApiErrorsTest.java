package io.tarn.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.storage.StorageException;
import io.tarn.storage.StorageException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every storage failure kind has its API error; a new kind must be added here and in ApiErrors. */
class ApiErrorsTest {
  @Test
  void everyKindIsTranslated() {
    Map<Kind, ApiError> expected = new EnumMap<>(Kind.class);
    expected.put(Kind.NO_SUCH_BUCKET, ApiError.NOT_FOUND);
    expected.put(Kind.NO_SUCH_KEY, ApiError.NOT_FOUND);
    expected.put(Kind.NO_SUCH_UPLOAD, ApiError.NOT_FOUND);
    expected.put(Kind.NOT_FOUND, ApiError.NOT_FOUND);
    expected.put(Kind.BUCKET_ALREADY_EXISTS, ApiError.CONFLICT);
    expected.put(Kind.BUCKET_ALREADY_OWNED_BY_YOU, ApiError.CONFLICT);
    expected.put(Kind.BUCKET_NOT_EMPTY, ApiError.CONFLICT);
    expected.put(Kind.CONFLICT, ApiError.CONFLICT);
    expected.put(Kind.PRECONDITION_FAILED, ApiError.CONFLICT);
    expected.put(Kind.CONDITIONAL_CONFLICT, ApiError.CONFLICT);
    expected.put(Kind.INVALID_ARGUMENT, ApiError.INVALID_REQUEST);
    expected.put(Kind.INVALID_PART, ApiError.INVALID_REQUEST);
    expected.put(Kind.INVALID_PART_ORDER, ApiError.INVALID_REQUEST);
    expected.put(Kind.ENTITY_TOO_SMALL, ApiError.INVALID_REQUEST);
    expected.put(Kind.BAD_DIGEST, ApiError.INVALID_REQUEST);
    // The console API sets no ACL today; if it ever does, a refused ACL is the request's fault.
    expected.put(Kind.ACLS_DISABLED, ApiError.INVALID_REQUEST);
    expected.put(Kind.INVALID_BUCKET_ACL_WITH_OWNERSHIP, ApiError.INVALID_REQUEST);
    expected.put(Kind.STORAGE_FULL, ApiError.STORAGE_FULL);
    expected.put(Kind.IO, ApiError.INTERNAL_ERROR);
    expected.put(Kind.CORRUPT, ApiError.INTERNAL_ERROR);
    // Only from opening a store: a server fault if one ever reached the API.
    expected.put(Kind.LOCKED, ApiError.INTERNAL_ERROR);
    expected.put(Kind.MASTER_KEY, ApiError.INTERNAL_ERROR);
    expected.put(Kind.INCOMPATIBLE, ApiError.INTERNAL_ERROR);
    assertEquals(Kind.values().length, expected.size(), "a kind is missing from this table");
    for (Kind k : Kind.values()) {
      ApiException e = ApiErrors.translate(new StorageException(k, "detail of " + k));
      assertEquals(expected.get(k), e.error(), k.name());
      assertEquals(expected.get(k) == ApiError.INTERNAL_ERROR ? ApiErrors.INTERNAL_MESSAGE
          : k == Kind.STORAGE_FULL ? ApiErrors.STORAGE_FULL_MESSAGE : "detail of " + k, e.getMessage());
    }
  }

  @Test
  void rendersTheContractShape() {
    var r = ApiErrors.render(ApiError.CONFLICT, "bucket b is not \"empty\"", "REQ9", Map.of());
    assertEquals(409, r.status());
    assertEquals("application/json", r.contentType());
    assertEquals("{\"error\":{\"code\":\"Conflict\",\"message\":\"bucket b is not \\\"empty\\\"\",\"requestId\":\"REQ9\"}}",
        new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void statusesAndCodes() {
    assertEquals(400, ApiError.INVALID_REQUEST.status());
    assertEquals("InvalidRequest", ApiError.INVALID_REQUEST.code());
    assertEquals(403, ApiError.ACCESS_DENIED.status());
    assertEquals("AccessDenied", ApiError.ACCESS_DENIED.code());
    assertEquals(404, ApiError.NOT_FOUND.status());
    assertEquals("NotFound", ApiError.NOT_FOUND.code());
    assertEquals(405, ApiError.METHOD_NOT_ALLOWED.status());
    assertEquals("MethodNotAllowed", ApiError.METHOD_NOT_ALLOWED.code());
    assertEquals(409, ApiError.CONFLICT.status());
    assertEquals("Conflict", ApiError.CONFLICT.code());
    assertEquals(500, ApiError.INTERNAL_ERROR.status());
    assertEquals("InternalError", ApiError.INTERNAL_ERROR.code());
  }
}
