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
import io.tarn.storage.access.policy.Decision;
import io.tarn.storage.access.policy.PolicyRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live tail of a bucket ({@code GET /buckets/{bucket}/events/live}): server-sent events of its
 * committed mutations and their deliveries. Unlike the rest of this API it is open to whoever may
 * list the bucket: the events say no more than a listing would. So it is decided as S3's ListBucket
 * is: the bucket policy's explicit Deny of {@code s3:ListBucket} refuses anyone, admins included; its
 * Allow admits (unless the policy is public: a public policy opens S3 listings, not the event stream
 * of a bucket, to every signed user); otherwise owner, admin, or a READ grant (BucketAccess#readableBy),
 * as the S3 front end's {@code Authorizer} decides reads. The front end asks
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
    ApiRequest request = c.request();
    BucketInfo b = requireRead(c.caller(), bucket, request);
    String incarnation = b.ref().incarnation();
    return ApiResponse.eventStream(webhooks.watch(bucket, c.caller().userId())
        .alsoRequiring(() -> stillAllowed(request, bucket, incarnation)));
  }

  /**
   * @throws ApiException NotFound for no such bucket, AccessDenied for a caller that may not read it
   */
  private BucketInfo requireRead(Principal caller, String bucket, ApiRequest request) {
    BucketInfo b = store.bucket(bucket).orElseThrow(() -> ApiException.notFound("bucket " + bucket + " not found"));
    Decision policy = store.bucketPolicy(bucket).map(p -> {
      Decision d = p.evaluate(listBucket(bucket, caller, request));
      return d == Decision.ALLOW && p.isPublic() ? Decision.NONE : d;
    }).orElse(Decision.NONE);
    if (policy == Decision.DENY) {
      throw ApiException.denied("the policy of bucket " + bucket + " denies you s3:ListBucket");
    }
    // Owners and admins need no lookup; anyone else by the one read rule S3 uses (BucketAccess#readableBy).
    boolean readable = policy == Decision.ALLOW || caller.isAdmin() || b.ownerId().equals(caller.userId())
        || identity.access(bucket, caller.userId()).map(a -> a.readableBy(caller)).orElse(false);
    if (!readable) {
      throw ApiException.denied("you may not read bucket " + bucket);
    }
    return b;
  }

  /** The request as the bucket policy sees a ListBucket of it, with the keys a listing has here. */
  private PolicyRequest listBucket(String bucket, Principal caller, ApiRequest request) {
    Map<String, List<String>> keys = new HashMap<>();
    PolicyRequest.addGlobalKeys(keys, request.sourceIp(), request.tls(), clock.instant(), null);
    keys.put("s3:prefix", List.of(""));
    return new PolicyRequest("s3:ListBucket", PolicyRequest.bucketArn(bucket), caller, keys);
  }

  /** The request's credential is still usable and its user may still read this incarnation of the bucket. */
  private boolean stillAllowed(ApiRequest request, String bucket, String incarnation) {
    try {
      Principal now = current(request);
      return now != null && requireRead(now, bucket, request).ref().incarnation().equals(incarnation);
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
