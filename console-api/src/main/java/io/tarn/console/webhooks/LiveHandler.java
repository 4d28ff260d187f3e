package io.tarn.console.webhooks;

import io.tarn.console.ApiException;
import io.tarn.console.Credentials;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookService;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.ResolvedKey;
import io.tarn.storage.StorageException;
import java.time.Clock;
import java.util.Optional;

/**
 * The live tail of a bucket ({@code GET /buckets/{bucket}/events/live}): server-sent events of its
 * committed mutations and their deliveries. Unlike the rest of this API it is open to whoever may
 * READ the bucket, by the rule the S3 front end's {@code Authorizer} applies to reads (owner, admin,
 * or a READ/READ_WRITE grant): the events say no more than a listing would. The front end asks
 * again periodically ({@link io.tarn.core.api.ApiStream#stillAuthorized}); the tail ends once the
 * credential is no longer usable, the grant is gone, or the bucket was deleted (even if created again).
 */
final class LiveHandler {
  private final ObjectStore store;
  private final IdentityStore identity;
  private final WebhookService webhooks;
  private final Callers callers;
  private final Clock clock;

  LiveHandler(ObjectStore store, IdentityStore identity, WebhookService webhooks, Callers callers, Clock clock) {
    this.store = store;
    this.identity = identity;
    this.webhooks = webhooks;
    this.callers = callers;
    this.clock = clock;
  }

  ApiResponse open(Call c) {
    String bucket = c.param("bucket");
    BucketInfo b = requireRead(c.caller(), bucket);
    ApiRequest request = c.request();
    String incarnation = b.ref().incarnation();
    return ApiResponse.eventStream(webhooks.watch(bucket, c.caller().userId())
        .alsoRequiring(() -> stillAllowed(request, bucket, incarnation)));
  }

  /**
   * @throws ApiException NotFound for no such bucket, AccessDenied for a caller that may not read it
   */
  private BucketInfo requireRead(Principal caller, String bucket) {
    BucketInfo b = store.bucket(bucket).orElseThrow(() -> ApiException.notFound("bucket " + bucket + " not found"));
    // Owners and admins need no lookup; anyone else by the one read rule S3 uses (BucketAccess#readableBy).
    boolean readable = caller.isAdmin() || b.ownerId().equals(caller.userId())
        || identity.access(bucket, caller.userId()).map(a -> a.readableBy(caller)).orElse(false);
    if (!readable) {
      throw ApiException.denied("you may not read bucket " + bucket);
    }
    return b;
  }

  /** The request's credential is still usable and its user may still read this incarnation of the bucket. */
  private boolean stillAllowed(ApiRequest request, String bucket, String incarnation) {
    try {
      Principal now = current(request);
      return now != null && requireRead(now, bucket).ref().incarnation().equals(incarnation);
    } catch (ApiException | WebhookException | StorageException e) {
      return false;
    }
  }

  /** Who the request's credential stands for now, or null when it no longer authenticates. */
  private Principal current(ApiRequest request) {
    Optional<Principal> signed = request.principal();
    if (signed.isEmpty() || signed.get().accessKeyId().startsWith(Credentials.TOKEN_PREFIX)) {
      return callers.authenticate(request); // a bearer token: resolved again, expiry and user included
    }
    // A signature or a console session: its access key (the session's own gate re-checks the session).
    Optional<ResolvedKey> key = identity.resolve(signed.get().accessKeyId());
    return key.isPresent() && key.get().usableAt(clock.instant()) ? key.get().principal() : null;
  }
}
