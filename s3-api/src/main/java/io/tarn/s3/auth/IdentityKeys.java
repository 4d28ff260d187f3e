package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.AccessKeyLookup;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ResolvedKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Access keys from the {@link IdentityStore}. A disabled or expired key is refused like an unknown
 * one ({@code InvalidAccessKeyId}, as S3 answers for an inactive key), a disabled user's keys with
 * {@code AccessDenied}; both before the signature is checked, and on the very next request after
 * the change.
 */
public final class IdentityKeys implements AccessKeyLookup {
  private final IdentityStore identity;
  private final Clock clock;

  public IdentityKeys(IdentityStore identity, Clock clock) {
    this.identity = identity;
    this.clock = clock;
  }

  @Override
  public Optional<AccessKey> find(String accessKeyId) {
    Optional<ResolvedKey> found = identity.resolve(accessKeyId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ResolvedKey r = found.get();
    if (!r.key().enabled()) {
      throw new S3Exception(S3Error.INVALID_ACCESS_KEY_ID, "The access key " + accessKeyId + " is disabled.",
          Map.of("AWSAccessKeyId", accessKeyId));
    }
    if (r.key().expiredAt(clock.instant())) {
      throw new S3Exception(S3Error.INVALID_ACCESS_KEY_ID, "The access key " + accessKeyId + " has expired.",
          Map.of("AWSAccessKeyId", accessKeyId));
    }
    if (!r.user().enabled()) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "The user of this access key is disabled.");
    }
    return Optional.of(new AccessKey(accessKeyId, r.secretAccessKey(), r.principal()));
  }
}
