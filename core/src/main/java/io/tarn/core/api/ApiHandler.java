package io.tarn.core.api;

/**
 * Serves Tarn's own JSON APIs under {@code /_tarn/}. Called off the event loop; may block on storage.
 * Implementations answer every failure themselves with a JSON error; an exception escaping is a bug
 * and becomes a 500.
 */
@FunctionalInterface
public interface ApiHandler {
  ApiResponse handle(ApiRequest request);
}
