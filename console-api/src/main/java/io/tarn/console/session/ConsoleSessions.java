package io.tarn.console.session;

import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.core.api.Presigner;
import io.tarn.storage.IdentityStore;
import java.time.Clock;
import java.util.Objects;

/**
 * The console's sessions as {@link io.tarn.console.TarnApi} uses them: the {@link ConsoleGate} every
 * API request passes, and the endpoints of sign-in, sign-out and presigning. Thread-safe.
 */
public final class ConsoleSessions {
  static final String SESSION = "/api/v1/session";
  static final String SESSIONS = "/api/v1/sessions";
  static final String PRESIGN = "/api/v1/presign";
  /** Addresses, key ids and devices the sign-in throttle remembers, each. */
  private static final int THROTTLE_CAPACITY = 10_000;

  private final SessionStore store;
  private final ConsoleGate gate;
  private final SessionApi sessionApi;
  private final PresignApi presignApi;

  /**
   * @param identity users and keys: sign-in checks secrets and every use re-checks the key
   * @param presigner signs URLs with the caller's key (the S3 front end's SigV4)
   */
  public ConsoleSessions(IdentityStore identity, Presigner presigner, Clock clock, SessionOptions options) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(presigner, "presigner");
    this.store = new SessionStore(identity, clock, options);
    this.gate = new ConsoleGate(store);
    this.sessionApi = new SessionApi(identity, store, new SignInThrottle(clock, THROTTLE_CAPACITY),
        DeviceCookies.withRandomSecret(), clock);
    this.presignApi = new PresignApi(presigner, clock, options);
  }

  public SessionStore store() {
    return store;
  }

  /**
   * Passes a request through the gate (path after {@code /_tarn}).
   *
   * @throws io.tarn.console.ApiException when the gate refuses it
   */
  public ConsoleGate.Admitted admit(ApiRequest request, String path) {
    boolean signIn = request.method().equals("POST") && path.equals(SESSION);
    return gate.admit(request, !signIn);
  }

  /** Whether {@code path} is one of the endpoints served here. */
  public boolean serves(String path) {
    return path.equals(SESSION) || path.equals(SESSIONS) || path.equals(PRESIGN);
  }

  /** Serves an admitted request to one of {@link #serves these} endpoints. */
  public ApiResponse handle(ConsoleGate.Admitted a, String path) {
    return switch (path) {
      case SESSION -> sessionApi.session(a);
      case SESSIONS -> sessionApi.sessions(a);
      case PRESIGN -> presignApi.presign(a);
      default -> throw new IllegalArgumentException("not a session endpoint: " + path);
    };
  }
}
