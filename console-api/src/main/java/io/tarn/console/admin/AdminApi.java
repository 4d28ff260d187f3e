package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.MountedApi;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.Backups;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.Integrity;
import io.tarn.storage.ObjectStore;
import java.time.Clock;
import java.util.Objects;

/**
 * The admin JSON API (admin-api.md), mounted at {@code /_tarn/admin/v1}: authenticates (a SigV4
 * principal is required), parses the request into an {@link AdminRoute}, applies the role rule, and
 * dispatches in one flat switch to the handler of the endpoint's family. Blocks on storage: call it
 * off the network event loop. Thread-safe.
 */
public final class AdminApi implements MountedApi {
  private final ServerHandler server;
  private final UsersHandler users;
  private final KeysHandler keys;
  private final TokensHandler tokens;
  private final BucketsHandler buckets;
  private final ScrubHandler scrub;
  private final BackupHandler backup;

  /**
   * @param integrity the store's damage record and scrubs ({@code TarnStore.integrity()})
   * @param backups the store's online backups ({@code TarnStore.backups(...)})
   */
  public AdminApi(ObjectStore store, IdentityStore identity, Integrity integrity, Backups backups, Clock clock,
      ServerInfo info) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(info, "info");
    Directory directory = new Directory(store, identity, clock);
    this.server = new ServerHandler(store, identity, directory, clock, info);
    this.users = new UsersHandler(identity, directory);
    this.keys = new KeysHandler(identity, directory, clock);
    this.tokens = new TokensHandler(identity, directory);
    this.buckets = new BucketsHandler(store, identity, directory);
    this.scrub = new ScrubHandler(Objects.requireNonNull(integrity, "integrity"), clock);
    this.backup = new BackupHandler(Objects.requireNonNull(backups, "backups"), clock);
  }

  @Override
  public ApiResponse handle(ApiRequest request, String path) {
    // Before routing, so an anonymous caller learns nothing, not even which paths exist.
    Principal caller = request.principal().orElseThrow(() -> ApiException.denied("signed request required"));
    AdminRoute route = AdminRoute.parse(request.method(), path);
    if (!caller.isAdmin() && !route.endpoint().userAllowed()) {
      throw ApiException.denied("admin role required");
    }
    Call c = new Call(request, caller, route);
    return switch (route.endpoint()) {
      case WHOAMI -> server.whoami(c);
      case INFO -> server.info(c);
      case LIST_USERS -> users.list(c);
      case CREATE_USER -> users.create(c);
      case GET_USER -> users.get(c);
      case PATCH_USER -> users.patch(c);
      case DELETE_USER -> users.delete(c);
      case LIST_KEYS -> keys.list(c);
      case CREATE_KEY -> keys.create(c);
      case GET_KEY -> keys.get(c);
      case PATCH_KEY -> keys.patch(c);
      case DELETE_KEY -> keys.delete(c);
      case LIST_TOKENS -> tokens.list(c);
      case DELETE_TOKEN -> tokens.delete(c);
      case LIST_BUCKETS -> buckets.list(c);
      case GET_BUCKET -> buckets.get(c);
      case PATCH_BUCKET -> buckets.patch(c);
      case DELETE_BUCKET -> buckets.delete(c);
      case PUT_GRANT -> buckets.putGrant(c);
      case DELETE_GRANT -> buckets.deleteGrant(c);
      case START_SCRUB -> scrub.start(c);
      case GET_SCRUB -> scrub.status(c);
      case GET_DAMAGE -> scrub.damage(c);
      case START_BACKUP -> backup.start(c);
      case GET_BACKUP -> backup.status(c);
    };
  }
}
