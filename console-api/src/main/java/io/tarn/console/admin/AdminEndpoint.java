package io.tarn.console.admin;

import io.tarn.console.PathTemplates;
import java.util.List;

/**
 * Every endpoint of the admin API (admin-api.md), with its method, its path template under
 * {@code /admin/v1} and whether a non-admin user may call it at all. The key endpoints are open to
 * users, but only for their own keys, and so are the token endpoints for their own tokens:
 * {@link KeysHandler} and {@link TokensHandler} enforce that per request. Showing a
 * bucket and granting or revoking access to it are open to its owner: {@link BucketsHandler}
 * enforces that. Listing buckets is open to users too (only those they own or were granted), and so
 * is deleting one (forced or not) to its owner.
 */
public enum AdminEndpoint implements PathTemplates.Endpoint {
  WHOAMI("GET", "/whoami", true),
  INFO("GET", "/info", false),
  LIST_USERS("GET", "/users", false),
  CREATE_USER("POST", "/users", false),
  GET_USER("GET", "/users/{user}", false),
  PATCH_USER("PATCH", "/users/{user}", false),
  DELETE_USER("DELETE", "/users/{user}", false),
  LIST_KEYS("GET", "/keys", true),
  CREATE_KEY("POST", "/keys", true),
  GET_KEY("GET", "/keys/{key}", true),
  PATCH_KEY("PATCH", "/keys/{key}", true),
  DELETE_KEY("DELETE", "/keys/{key}", true),
  LIST_TOKENS("GET", "/tokens", true),
  DELETE_TOKEN("DELETE", "/tokens/{token}", true),
  LIST_BUCKETS("GET", "/buckets", true),
  GET_BUCKET("GET", "/buckets/{bucket}", true),
  PATCH_BUCKET("PATCH", "/buckets/{bucket}", false),
  DELETE_BUCKET("DELETE", "/buckets/{bucket}", true),
  PUT_GRANT("PUT", "/buckets/{bucket}/grants/{user}", true),
  DELETE_GRANT("DELETE", "/buckets/{bucket}/grants/{user}", true),
  START_SCRUB("POST", "/scrub", false),
  GET_SCRUB("GET", "/scrub", false),
  GET_DAMAGE("GET", "/damage", false),
  START_BACKUP("POST", "/backup", false),
  GET_BACKUP("GET", "/backup", false);

  private final String method;
  private final String template;
  private final List<String> segments;
  private final boolean userAllowed;

  AdminEndpoint(String method, String template, boolean userAllowed) {
    this.method = method;
    this.template = template;
    this.segments = PathTemplates.segments(template);
    this.userAllowed = userAllowed;
  }

  @Override
  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  /** The template's segments; {@code {name}} segments capture a parameter. */
  @Override
  public List<String> segments() {
    return segments;
  }

  /** Whether a non-admin may call it (with the own-keys restriction for key endpoints). */
  public boolean userAllowed() {
    return userAllowed;
  }
}
