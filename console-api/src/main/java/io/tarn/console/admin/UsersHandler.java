package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.Role;
import io.tarn.core.api.ApiResponse;
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

  record CreateUser(String name, String role) {}

  record PatchUser(Boolean enabled) {}

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
    UserInfo created = identity.createUser(body.name(), role);
    return Json.response(201, directory.userView(created, 0));
  }

  ApiResponse get(Call c) {
    return Json.response(200, directory.userView(directory.user(c.param("user"))));
  }

  ApiResponse patch(Call c) {
    PatchUser body = Json.read(c.body(), PatchUser.class);
    if (body.enabled() == null) {
      throw ApiException.invalid("\"enabled\" is required");
    }
    UserInfo user = directory.user(c.param("user"));
    return Json.response(200, directory.userView(identity.setUserEnabled(user.id(), body.enabled())));
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
