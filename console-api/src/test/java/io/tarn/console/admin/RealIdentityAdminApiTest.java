package io.tarn.console.admin;

import io.tarn.storage.IdentityStore;

/**
 * The whole of {@link AdminApiTest} again, against the real identity store of the {@code TarnStore}
 * (users, keys and grants in RocksDB), so the fake cannot drift from what the server really runs.
 */
class RealIdentityAdminApiTest extends AdminApiTest {
  @Override
  IdentityStore identity(OwnerOverlayStore overlay) {
    return real.identity();
  }
}
