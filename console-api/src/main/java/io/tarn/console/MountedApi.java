package io.tarn.console;

import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;

/**
 * One API mounted by {@link TarnApi} under a path prefix (the admin API under {@code /admin/v1}, later
 * the webhooks API). Implementations throw {@link ApiException} for client errors and may let
 * {@link io.tarn.storage.StorageException}s through: {@link TarnApi} renders both.
 */
@FunctionalInterface
public interface MountedApi {
  /**
   * @param request the whole request
   * @param path the decoded path after the mount prefix: empty or starting with {@code /}
   */
  ApiResponse handle(ApiRequest request, String path);
}
