package io.tarn.notifications.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one delivery attempt. Implementations resolve the target, check every address against the
 * SSRF policy (unless the rule may target private addresses), connect to the checked address while
 * keeping the Host header and TLS SNI of the URL, never follow redirects, and bound connect and
 * response time. The future never completes exceptionally: failures are {@link SendResult.Failure}.
 */
public interface Sender extends AutoCloseable {
  CompletableFuture<SendResult> send(SendRequest request);

  @Override
  void close();
}
