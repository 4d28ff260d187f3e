package io.tarn.console.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.Role;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.EmailAddress;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code /users} endpoints (admins only). */
final class UsersHandler {
  private final IdentityStore identity;
  private final Directory directory;

  UsersHandler(IdentityStore identity, Directory directory) {
    this.identity = identity;
    this.directory = directory;
  }

  record CreateUser(String name, String role, String email) {}

  /** {@code email}: absent leaves the address as it is; null or "" removes it. */
  record PatchUser(Boolean enabled, JsonNode email) {}

  ApiResponse list(Call c) {
    Map<String, Long> owned = directory.ownedCounts();
    List<Views.User> users = new ArrayList<>();
    for (UserInfo u : identity.users()) {
      users.add(directory.userView(u, owned.getOrDefault(u.id(), 0L)));
    }
    return Json.response(200, new Views.Users(users));
  }

  ApiResponse create(Call c) {
    CreateUser body = Json.read(c.body(), CreateUser.class);
    if (body.name() == null) {
      throw ApiException.invalid("\"name\" is required");
    }
    Role role = body.role() == null ? Role.USER : Directory.parseRole(body.role());
    String email = checkedEmail(body.email(), null);
    UserInfo created = identity.createUser(body.name(), role, email);
    return Json.response(201, directory.userView(created, 0));
  }

  ApiResponse get(Call c) {
    return Json.response(200, directory.userView(directory.user(c.param("user"))));
  }

  /** Validates the whole body before changing anything, so a bad field leaves the user untouched. */
  ApiResponse patch(Call c) {
    PatchUser body = Json.read(c.body(), PatchUser.class);
    if (body.enabled() == null && body.email() == null) {
      throw ApiException.invalid("\"enabled\" or \"email\" is required");
    }
    if (body.email() != null && !body.email().isNull() && !body.email().isTextual()) {
      throw ApiException.invalid("\"email\" must be a string or null");
    }
    UserInfo user = directory.user(c.param("user"));
    String email = body.email() == null || body.email().isNull() ? null : checkedEmail(body.email().textValue(),
        user.id());
    if (body.enabled() != null) {
      user = identity.setUserEnabled(user.id(), body.enabled());
    }
    if (body.email() != null) {
      user = identity.setUserEmail(user.id(), email);
    }
    return Json.response(200, directory.userView(user));
  }

  /**
   * {@code email} (null or "" for none) if it may be {@code userId}'s address (null: a new user's); a
   * malformed address or one another user has is a 400 naming the field, as the other field errors of
   * this API are. The identity store checks both again in its write (a concurrent create taking the
   * address in between is its 409).
   */
  private String checkedEmail(String email, String userId) {
    if (email == null || email.isEmpty()) {
      return null;
    }
    String problem = EmailAddress.problem(email);
    if (problem != null) {
      throw ApiException.invalid("\"email\" " + problem);
    }
    identity.userByEmail(email).filter(u -> !u.id().equals(userId)).ifPresent(u -> {
      throw ApiException.invalid("\"email\" must be an address no other user has: " + email + " is user " + u.name()
          + "'s");
    });
    return email;
  }

  /**
   * Refuses while the user owns buckets unless {@code reassignTo} names who takes them over; the
   * refusal lists the buckets so the admin can decide.
   */
  ApiResponse delete(Call c) {
    UserInfo user = directory.user(c.param("user"));
    String heirId = null;
    if (c.query("reassignTo").isPresent()) {
      UserInfo heir = directory.user(c.query("reassignTo").get());
      if (heir.id().equals(user.id())) {
        throw ApiException.invalid("\"reassignTo\" must name another user than " + user.name());
      }
      heirId = heir.id();
    } else {
      List<String> owned = directory.ownedBuckets(user.id());
      if (!owned.isEmpty()) {
        throw ApiException.conflict("user " + user.name() + " still owns " + owned.size() + " bucket(s): "
            + String.join(", ", owned) + "; delete them or pass reassignTo");
      }
    }
    identity.deleteUser(user.id(), heirId);
    return ApiResponse.noContent();
  }
}
