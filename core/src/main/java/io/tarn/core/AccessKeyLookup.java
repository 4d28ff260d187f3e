package io.tarn.core;

import java.util.Optional;

/** Finds the access key a request names. Implementations must be thread-safe and cheap. */
@FunctionalInterface
public interface AccessKeyLookup {
  Optional<AccessKey> find(String accessKeyId);
}
