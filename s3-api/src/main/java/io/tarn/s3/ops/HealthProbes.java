package io.tarn.s3.ops;

import io.tarn.s3.http.RequestHead;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.Router;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StoreHealth;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET|HEAD /_tarn/health/live} and {@code /_tarn/health/ready} (docs/ops/health-and-drain.md):
 * for supervisors and load balancers, so unauthenticated (credentials sent along are ignored, never
 * checked: a probe neither costs a key lookup nor counts as a failed sign-in), answered on the event
 * loop without the workers, and cheap: the store's {@link ObjectStore#health()} is volatile reads and
 * one {@code statvfs}. {@code _tarn} is not a valid bucket name, so no bucket can shadow them.
 *
 * <ul>
 *   <li><b>live</b>: 200 {@code {"status":"up"}} whenever the process answers HTTP, draining or not
 *       (a supervisor that restarted a draining server would cut the requests the drain waits for).</li>
 *   <li><b>ready</b>: 200 when the store is open and writable, the data directory's disk has at least
 *       the free-space floor, and the server is not draining; else 503. The body names each check:
 *       {@code {"status":"ready"|"not_ready","checks":{"storage":..,"disk":..,"drain":..}}}.</li>
 * </ul>
 * Any other method gets 405 with {@code Allow: GET, HEAD}. Responses are never cached.
 */
public final class HealthProbes {
  public static final String LIVE = Router.CONSOLE_PREFIX + "/health/live";
  public static final String READY = Router.CONSOLE_PREFIX + "/health/ready";

  private static final byte[] UP = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);

  private final ObjectStore store;

  public HealthProbes(ObjectStore store) {
    this.store = store;
  }

  /** Whether {@code rawPath} is a health probe's path. */
  public static boolean serves(String rawPath) {
    return rawPath.equals(LIVE) || rawPath.equals(READY);
  }

  /**
   * The answer to a probe.
   *
   * @param head a request whose path {@link #serves}
   * @param draining whether the server's drain has begun
   */
  public S3Response answer(RequestHead head, boolean draining) {
    String method = head.method().name();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return json(405, ("{\"error\":{\"code\":\"MethodNotAllowed\",\"message\":\"" + head.rawPath()
          + " answers GET and HEAD only.\",\"requestId\":\"" + head.requestId() + "\"}}")
          .getBytes(StandardCharsets.UTF_8)).header("Allow", "GET, HEAD");
    }
    if (head.rawPath().equals(LIVE)) {
      return json(200, UP);
    }
    StoreHealth h = store.health();
    String storage = !h.open() ? "closed" : !h.writable() ? "not_writable" : "ok";
    String disk = h.aboveFloor() ? "ok" : "below_floor";
    String drain = draining ? "draining" : "ok";
    boolean ready = storage.equals("ok") && disk.equals("ok") && !draining;
    String body = "{\"status\":\"" + (ready ? "ready" : "not_ready") + "\",\"checks\":{\"storage\":\"" + storage
        + "\",\"disk\":\"" + disk + "\",\"drain\":\"" + drain + "\"}}";
    return json(ready ? 200 : 503, body.getBytes(StandardCharsets.UTF_8));
  }

  private static S3Response json(int status, byte[] body) {
    return S3Response.status(status).header("Content-Type", "application/json").header("Cache-Control", "no-store")
        .body(new S3Response.Bytes(body));
  }
}
