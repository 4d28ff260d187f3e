package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.console.ApiError;
import io.tarn.console.ApiException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden table: method and path (after /admin/v1) to endpoint and parameters, or the routing error. */
class AdminRouteTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      GET    | /whoami                          | WHOAMI        | -
      GET    | /info                            | INFO          | -
      GET    | /users                           | LIST_USERS    | -
      POST   | /users                           | CREATE_USER   | -
      GET    | /users/alice                     | GET_USER      | user=alice
      PATCH  | /users/al.ice@x+y                | PATCH_USER    | user=al.ice@x+y
      DELETE | /users/alice                     | DELETE_USER   | user=alice
      GET    | /keys                            | LIST_KEYS     | -
      POST   | /keys                            | CREATE_KEY    | -
      GET    | /keys/TKABC                      | GET_KEY       | key=TKABC
      PATCH  | /keys/TKABC                      | PATCH_KEY     | key=TKABC
      DELETE | /keys/TKABC                      | DELETE_KEY    | key=TKABC
      GET    | /tokens                          | LIST_TOKENS   | -
      DELETE | /tokens/0123456789abcdef         | DELETE_TOKEN  | token=0123456789abcdef
      GET    | /buckets                         | LIST_BUCKETS  | -
      GET    | /buckets/photos                  | GET_BUCKET    | bucket=photos
      PATCH  | /buckets/photos                  | PATCH_BUCKET  | bucket=photos
      DELETE | /buckets/photos                  | DELETE_BUCKET | bucket=photos
      PUT    | /buckets/photos/grants/bob       | PUT_GRANT     | bucket=photos,user=bob
      DELETE | /buckets/photos/grants/bob       | DELETE_GRANT  | bucket=photos,user=bob
      GET    | /buckets/grants                  | GET_BUCKET    | bucket=grants
      POST   | /scrub                           | START_SCRUB   | -
      GET    | /scrub                           | GET_SCRUB     | -
      GET    | /damage                          | GET_DAMAGE    | -
      POST   | /backup                          | START_BACKUP  | -
      GET    | /backup                          | GET_BACKUP    | -
      GET    | /users/users                     | GET_USER      | user=users
      """)
  void routes(String method, String path, AdminEndpoint endpoint, String params) {
    AdminRoute route = AdminRoute.parse(method, path);
    assertEquals(endpoint, route.endpoint());
    Map<String, String> expected = new java.util.HashMap<>();
    if (params != null) {
      for (String p : params.split(",")) {
        String[] kv = p.split("=", 2);
        expected.put(kv[0], kv[1]);
      }
    }
    assertEquals(expected, route.params());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      GET    | ''                               | NOT_FOUND          | -
      GET    | /                                | NOT_FOUND          | -
      GET    | /whoami/                         | NOT_FOUND          | -
      GET    | /users/                          | NOT_FOUND          | -
      GET    | /users//                         | NOT_FOUND          | -
      GET    | //users                          | NOT_FOUND          | -
      GET    | /Users                           | NOT_FOUND          | -
      GET    | /users/alice/keys                | NOT_FOUND          | -
      GET    | /buckets/photos/grants           | NOT_FOUND          | -
      GET    | /buckets/photos/grants/bob       | METHOD_NOT_ALLOWED | DELETE, PUT
      POST   | /whoami                          | METHOD_NOT_ALLOWED | GET
      DELETE | /users                           | METHOD_NOT_ALLOWED | GET, POST
      PUT    | /users/alice                     | METHOD_NOT_ALLOWED | DELETE, GET, PATCH
      HEAD   | /info                            | METHOD_NOT_ALLOWED | GET
      POST   | /buckets                         | METHOD_NOT_ALLOWED | GET
      DELETE | /backup                          | METHOD_NOT_ALLOWED | GET, POST
      """)
  void refuses(String method, String path, ApiError error, String allow) {
    ApiException e = assertThrows(ApiException.class, () -> AdminRoute.parse(method, path));
    assertEquals(error, e.error());
    assertEquals(allow == null ? Map.of() : Map.of("Allow", allow), e.headers());
  }
}
